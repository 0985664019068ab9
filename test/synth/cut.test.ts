import { describe, expect, it } from 'vitest';
import { FISHEYE_PROPORTIONS, POOR_PROPORTIONS } from '../../models/synth/contact-sheet.ts';
import { CUT_RULES, cutInputs, gradeCut } from '../../models/synth/cut.ts';
import { STANDARD_PROPORTIONS, buildMesh } from '../../models/synth/geometry.ts';
import { luminance, meanOverStone, renderIdeal } from './helpers.ts';

const gradeOf = (p: typeof STANDARD_PROPORTIONS) => gradeCut(cutInputs(p, buildMesh(p).totalDepthPct));

describe('cut rule table', () => {
  it('grades Tolkowsky-like proportions Excellent', () => {
    expect(gradeOf(STANDARD_PROPORTIONS).grade).toBe('Excellent');
  });

  it('takes the worst proportion, and says which limited it', () => {
    const result = gradeOf({ ...STANDARD_PROPORTIONS, pavilionAngleDeg: 42.0 });
    expect(result.grade).toBe('Very Good');
    expect(result.limitedBy).toEqual(['pavilion_angle_deg']);
    expect(gradeOf(POOR_PROPORTIONS).grade).toBe('Poor');
    expect(gradeOf(FISHEYE_PROPORTIONS).grade).toBe('Poor');
  });

  it('has nested bands for every rule', () => {
    for (const rule of CUT_RULES) {
      for (let i = 1; i < rule.bands.length; i++) {
        expect(rule.bands[i][0]).toBeLessThanOrEqual(rule.bands[i - 1][0]);
        expect(rule.bands[i][1]).toBeGreaterThanOrEqual(rule.bands[i - 1][1]);
      }
    }
  });
});

describe('cut shows only through the optics', () => {
  it('a deep pavilion leaks light: the table area of a nail-head stone is darker than an Excellent one', () => {
    const excellent = meanOverStone(renderIdeal({ proportions: STANDARD_PROPORTIONS }), luminance, 0.4);
    const deep = meanOverStone(renderIdeal({ proportions: POOR_PROPORTIONS }), luminance, 0.4);
    expect(excellent - deep).toBeGreaterThan(8);
  });

  it('a shallow pavilion shows the girdle as a fish-eye ring: the pattern differs from Excellent', () => {
    const a = renderIdeal({ proportions: STANDARD_PROPORTIONS });
    const b = renderIdeal({ proportions: FISHEYE_PROPORTIONS });
    // Compare only pixels on the stone (the tray around it is identical in both).
    const r = (a.labels.diameter_px / 2) * 0.9;
    let diff = 0;
    let n = 0;
    for (let y = 0; y < a.height; y++) {
      for (let x = 0; x < a.width; x++) {
        if ((x + 0.5 - a.labels.centre_x_px) ** 2 + (y + 0.5 - a.labels.centre_y_px) ** 2 > r * r) continue;
        for (let c = 0; c < 3; c++) diff += Math.abs(a.rgb[(y * a.width + x) * 3 + c] - b.rgb[(y * a.width + x) * 3 + c]);
        n += 3;
      }
    }
    expect(diff / n).toBeGreaterThan(12);
  });
});
