/**
 * One frame → one stored, signed grade: decode → quality gate + locate → crop → tensor →
 * inference → grading → thumbnail → one SQLite commit. Used by `loupe grade` and the daemon.
 * A frame the gate or the decoder refuses comes back as a refusal with its code, and no row
 * is written. Model and store failures throw their coded errors.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { decodeImage } from '../vision/decode.ts';
import { inspectFrame, type GateThresholds } from '../vision/quality.ts';
import { cropStone } from '../vision/tensor.ts';
import { viewBatch } from '../vision/views.ts';
import { meanOverViews } from '../inference/combine-views.ts';
import { VisionError } from '../vision/errors.ts';
import { buildUnsignedRecord, type GradingSpec } from '../grading/build-record.ts';
import { signRecord, type SigningKey } from '../grading/signature.ts';
import { modelVersionOf, type ModelManifest } from '../inference/manifest.ts';
import type { ModelHost } from '../inference/model-host.ts';
import type { GradeStore } from '../store/grade-store.ts';
import { sniffFrameExt, type FrameExt } from '../store/frame-files.ts';
import type { GradeRecordV1 } from '../grading/record.ts';

export const THUMBNAIL_PX = 160;
/** The last grade's input batch, reused by the next (see viewBatch). */
let batchScratch: Float32Array | undefined;
const REFUSAL_CODES = new Set(['IMAGE_EMPTY', 'IMAGE_UNSUPPORTED', 'IMAGE_TRUNCATED', 'IMAGE_TOO_LARGE', 'IMAGE_GREYSCALE']);

/**
 * Laps on the critical path. The frame file write and the thumbnail run in the background
 * beside gate/inference; `thumbnail` and `frame` are only what is left to wait for at the end.
 */
export const STAGES = ['decode', 'gate', 'crop', 'tensor', 'infer', 'grade', 'thumbnail', 'frame', 'commit'] as const;
export type Stage = (typeof STAGES)[number];
export type StageTimings = Partial<Record<Stage | 'total' | 'frameWriteBackground' | 'thumbnailBackground', number>>;

export interface Signer extends SigningKey {
  deviceId: string;
  storeId: string;
}

export interface PipelineDeps {
  models: ModelHost;
  store: GradeStore;
  signer: Signer;
  /** mm on the tray per capture pixel, read per grade so a new calibration applies at once. */
  mmPerPx: () => Promise<number>;
  gate?: Partial<GateThresholds>;
  clock?: () => Date;
}

export interface FrameInput {
  data: Uint8Array;
}

export type Refusal = { code: string; message: string };
export type GradeOutcome = { ok: true; record: GradeRecordV1; timings: StageTimings } | { ok: false; error: Refusal; timings: StageTimings };

export function gradingSpecOf(manifest: ModelManifest): GradingSpec {
  return { modelVersion: modelVersionOf(manifest), heads: manifest.heads, ...(manifest.regression && { regression: manifest.regression }) };
}

const FRAME_EXTENSIONS: Record<string, FrameExt> = { jpeg: 'jpg', png: 'png', webp: 'webp', tiff: 'tiff' };

/** Runs a promise in the background, timing it, and never letting it reject unobserved. */
function background<T>(task: () => Promise<T>, timings: StageTimings, key: 'frameWriteBackground' | 'thumbnailBackground') {
  const started = performance.now();
  const promise = task().finally(() => {
    timings[key] = performance.now() - started;
  });
  promise.catch(() => undefined);
  return promise;
}

export async function gradeFrame(deps: PipelineDeps, frame: FrameInput): Promise<GradeOutcome> {
  const timings: StageTimings = {};
  const started = performance.now();
  let mark = started;
  const lap = (stage: Stage) => {
    const now = performance.now();
    timings[stage] = now - mark;
    mark = now;
  };
  let frameWrite: Promise<string> | undefined;
  let committed = false;

  try {
    const outcome = await deps.models.withSession(async (session): Promise<GradeOutcome> => {
      const { manifest } = session;
      const createdAt = (deps.clock ?? (() => new Date()))();
      const id = uuidv7({ msecs: createdAt.getTime() });
      const writeFrame = (ext: FrameExt) =>
        background(() => deps.store.writeFrame(id, createdAt.toISOString(), { bytes: frame.data, ext }), timings, 'frameWriteBackground');
      // Start the durable frame write now, so its fsyncs run while sharp decodes (the event
      // loop is free then); a refused frame's file is removed again below.
      const sniffed = sniffFrameExt(frame.data);
      if (sniffed) frameWrite = writeFrame(sniffed);
      let image;
      try {
        image = await decodeImage(frame.data);
      } catch (error) {
        if (error instanceof VisionError && REFUSAL_CODES.has(error.code)) return { ok: false, error: { code: error.code, message: error.message }, timings };
        throw error;
      }
      lap('decode');
      frameWrite ??= writeFrame(FRAME_EXTENSIONS[image.source.format] ?? 'jpg');

      const { check, finding } = inspectFrame(image, deps.gate);
      lap('gate');
      if (!check.ok) return { ok: false, error: { code: check.code, message: check.message }, timings };
      const tray = finding!.trayColour;
      const crop = cropStone(image, check.stone, manifest.input.size, manifest.input.crop.factor, tray);
      lap('crop');
      // The release's test-time views of the crop, as one batch (one row without views),
      // written into a buffer kept for it: run() copies it before this function awaits.
      const tensor = viewBatch([crop], manifest.input, batchScratch);
      batchScratch = tensor.data;
      lap('tensor');
      const inference = session.run(tensor);
      inference.catch(() => undefined); // awaited below; this only keeps a throw in between from leaving it unhandled
      // The thumbnail is cropped on this thread while the inference worker runs the model.
      const thumbnail = background(() => encodeThumbnail(cropStone(image, check.stone, THUMBNAIL_PX, manifest.input.crop.factor, tray)), timings, 'thumbnailBackground');
      const outputs = meanOverViews(await inference, tensor.views);
      lap('infer');

      const unsigned = buildUnsignedRecord(gradingSpecOf(manifest), {
        id,
        createdAt: createdAt.toISOString(),
        deviceId: deps.signer.deviceId,
        storeId: deps.signer.storeId,
        frameSha256: createHash('sha256').update(frame.data).digest('hex'),
        outputs: Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, value.data])),
        measurement: { diameterPx: check.stone.diameterPx * image.pxScale, mmPerPx: await deps.mmPerPx() },
      });
      const record = signRecord(unsigned, deps.signer);
      lap('grade');
      const thumbnailJpeg = await thumbnail;
      lap('thumbnail');
      const framePath = await frameWrite;
      lap('frame');
      deps.store.commit({ record, thumbnailJpeg, framePath, frameBytes: frame.data.length });
      committed = true;
      lap('commit');
      return { ok: true, record, timings };
    });
    timings.total = performance.now() - started;
    return outcome;
  } finally {
    // A refused or failed grade leaves no frame behind (commit() removes its own on failure).
    if (frameWrite && !committed) {
      const path = await frameWrite.catch(() => undefined);
      if (path) deps.store.discardFrame(path);
    }
  }
}

function encodeThumbnail(rgb: Uint8Array): Promise<Buffer> {
  return sharp(rgb, { raw: { width: THUMBNAIL_PX, height: THUMBNAIL_PX, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}
