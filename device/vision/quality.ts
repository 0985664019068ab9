/**
 * The frame quality gate: a frame is graded only if it is exposed right, holds one whole stone
 * near the centre of the tray, and is in focus. A refusal carries a code for the API and a
 * message the kiosk shows the staff as is.
 * Thresholds were chosen from measurements on renders; see docs/camera-vision.md.
 */
import type { StoneFinding } from './locate.ts';
import { locateStoneCoarseToFine } from './locate-coarse.ts';
import { clippedFractions, laplacianVariance, medianLuma } from './metrics.ts';
import { estimateTrayColour } from './tray.ts';
import type { FrameCheck, FrameMetrics, FrameRejectCode, RgbImage } from './types.ts';

/** More than this fraction of the frame clipped white: the tray itself has burnt out. */
export const MAX_CLIPPED_HIGHLIGHTS = 0.2;
/** More than this fraction crushed black: lights off or lid open in the dark. */
export const MAX_CLIPPED_SHADOWS = 0.2;
/** The tray should read well above mid-grey under the light box (renders: ~222). */
export const MIN_TRAY_LUMA = 120;
/** …and not white (a tray at 250+ means the exposure is too long). */
export const MAX_TRAY_LUMA = 248;
/** Girdle centre further than this (fraction of the frame's short side) from the centre. */
export const MAX_OFF_CENTRE = 0.2;
/** Clipping is counted on every 2nd pixel of every 2nd row (see clippedFractions). */
export const CLIPPING_SAMPLE_STEP = 2;
/** Laplacian variance inside the girdle below this is out of focus. */
export const MIN_FOCUS = 30;

export const REJECT_MESSAGES: Record<FrameRejectCode, string> = {
  FRAME_OVEREXPOSED: 'The picture is too bright. Close the lid of the light box and try again.',
  FRAME_UNDEREXPOSED: 'The picture is too dark. Check that the light box is on and the lid is closed.',
  STONE_NOT_FOUND: 'No stone found. Place the stone table-up in the centre of the tray.',
  STONE_CUT_OFF: 'The stone is partly outside the picture. Move it to the centre of the tray.',
  STONE_OFF_CENTRE: 'Move the stone to the centre of the tray.',
  FRAME_BLURRED: 'The picture is out of focus. Check the stone lies flat on the tray and the lens is clean, then try again.',
};

export interface GateThresholds {
  maxClippedHighlights: number;
  maxClippedShadows: number;
  minTrayLuma: number;
  maxTrayLuma: number;
  maxOffCentre: number;
  minFocus: number;
}

export const DEFAULT_GATE: GateThresholds = {
  maxClippedHighlights: MAX_CLIPPED_HIGHLIGHTS,
  maxClippedShadows: MAX_CLIPPED_SHADOWS,
  minTrayLuma: MIN_TRAY_LUMA,
  maxTrayLuma: MAX_TRAY_LUMA,
  maxOffCentre: MAX_OFF_CENTRE,
  minFocus: MIN_FOCUS,
};

function reject(code: FrameRejectCode, metrics: FrameMetrics): FrameCheck {
  return { ok: false, code, message: REJECT_MESSAGES[code], metrics };
}

export interface FrameCheckResult {
  check: FrameCheck;
  finding: StoneFinding | null;
}

/** The gate, with the locate result kept for callers that need the tray colour too. */
export function inspectFrame(image: RgbImage, thresholds: Partial<GateThresholds> = {}): FrameCheckResult {
  const t = { ...DEFAULT_GATE, ...thresholds };
  const clipped = clippedFractions(image, CLIPPING_SAMPLE_STEP);
  const tray = estimateTrayColour(image);
  const metrics: FrameMetrics = {
    clippedHighlights: clipped.highlights,
    clippedShadows: clipped.shadows,
    trayLuma: medianLuma(tray),
    focus: null,
    offCentre: null,
    stone: null,
  };
  if (metrics.clippedHighlights > t.maxClippedHighlights || metrics.trayLuma > t.maxTrayLuma) return { check: reject('FRAME_OVEREXPOSED', metrics), finding: null };
  if (metrics.clippedShadows > t.maxClippedShadows || metrics.trayLuma < t.minTrayLuma) return { check: reject('FRAME_UNDEREXPOSED', metrics), finding: null };

  const finding = locateStoneCoarseToFine(image, { trayColour: tray });
  if (!finding) return { check: reject('STONE_NOT_FOUND', metrics), finding };
  const stone = { centreX: finding.centreX, centreY: finding.centreY, diameterPx: finding.diameterPx };
  metrics.stone = stone;
  metrics.offCentre = Math.hypot(stone.centreX - image.width / 2, stone.centreY - image.height / 2) / Math.min(image.width, image.height);
  if (finding.cutOff) return { check: reject('STONE_CUT_OFF', metrics), finding };
  if (metrics.offCentre > t.maxOffCentre) return { check: reject('STONE_OFF_CENTRE', metrics), finding };
  metrics.focus = laplacianVariance(image, stone);
  if (metrics.focus < t.minFocus) return { check: reject('FRAME_BLURRED', metrics), finding };
  return { check: { ok: true, stone, metrics }, finding };
}

export function checkFrame(image: RgbImage, thresholds: Partial<GateThresholds> = {}): FrameCheck {
  return inspectFrame(image, thresholds).check;
}
