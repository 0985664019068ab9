/**
 * The contact sheet: one stone's pose with only one property changed per row, so the
 * difference the model must learn is the only difference on screen.
 * Rows: colour D / K / S; clarity FL / SI2 / I3; cut Excellent / Poor.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { type Proportions, STANDARD_PROPORTIONS } from './geometry.ts';
import type { ClarityGrade, ColourGrade } from './grades.ts';
import { createRng } from './rng.ts';
import { renderStone } from './render.ts';
import { specFromParts } from './stone.ts';

interface Cell {
  caption: string;
  colour: ColourGrade;
  clarity: ClarityGrade;
  proportions: Proportions;
}

/** Deep pavilion, thick girdle, steep crown: the nail-head / dark centre of a Poor cut. */
export const POOR_PROPORTIONS: Proportions = { ...STANDARD_PROPORTIONS, pavilionAngleDeg: 44.6, crownAngleDeg: 40.5, tablePct: 66, girdlePct: 5 };
/** Shallow pavilion: the girdle's reflection shows as a grey ring in the table (fish-eye). */
export const FISHEYE_PROPORTIONS: Proportions = { ...STANDARD_PROPORTIONS, pavilionAngleDeg: 37, crownAngleDeg: 30, tablePct: 64 };

export const CONTACT_ROWS: Cell[][] = [
  (['D', 'K', 'S'] as const).map((colour) => ({ caption: `colour ${colour}`, colour, clarity: 'FL' as const, proportions: STANDARD_PROPORTIONS })),
  (['FL', 'SI2', 'I3'] as const).map((clarity) => ({ caption: `clarity ${clarity}`, colour: 'G' as const, clarity, proportions: STANDARD_PROPORTIONS })),
  [
    { caption: 'cut Excellent', colour: 'G', clarity: 'FL', proportions: STANDARD_PROPORTIONS },
    { caption: 'cut Poor (deep)', colour: 'G', clarity: 'FL', proportions: POOR_PROPORTIONS },
    { caption: 'cut Poor (shallow)', colour: 'G', clarity: 'FL', proportions: FISHEYE_PROPORTIONS },
  ],
];

export async function renderContactSheet(sizePx = 240): Promise<Buffer> {
  const label = 28;
  const composites: OverlayOptions[] = [];
  for (const [row, cells] of CONTACT_ROWS.entries()) {
    for (const [col, cell] of cells.entries()) {
      const spec = specFromParts({ proportions: cell.proportions, colour: cell.colour, clarity: cell.clarity }, createRng(4242));
      const stone = renderStone(spec, { sizePx, seed: 7, fovFactor: 1.35, ideal: true, samplesPerPixel: 4 });
      const png = await sharp(Buffer.from(stone.rgb), { raw: { width: sizePx, height: sizePx, channels: 3 } }).png().toBuffer();
      const top = row * (sizePx + label);
      composites.push({ input: png, left: col * sizePx, top });
      const svg = `<svg width="${sizePx}" height="${label}" xmlns="http://www.w3.org/2000/svg"><rect width="100%" height="100%" fill="#222"/><text x="8" y="20" font-family="sans-serif" font-size="16" fill="#eee">${cell.caption} · ${spec.cut} · ${spec.carat.toFixed(2)} ct</text></svg>`;
      composites.push({ input: Buffer.from(svg), left: col * sizePx, top: top + sizePx });
    }
  }
  return sharp({ create: { width: sizePx * 3, height: CONTACT_ROWS.length * (sizePx + label), channels: 3, background: '#222' } })
    .composite(composites)
    .png()
    .toBuffer();
}
