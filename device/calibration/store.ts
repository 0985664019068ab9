/**
 * The camera's scale, kept in <dataDir>/calibration.json. Written atomically (temp file +
 * rename) so a power cut leaves the old calibration or the new one, never half of either.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const CALIBRATION_FILE = 'calibration.json';

/**
 * Used until `loupe calibrate` has run: the synthetic camera's scale (a 1280×720 frame over
 * 32 × 18 mm of tray). Carats from an uncalibrated real camera are not to be trusted.
 */
export const DEFAULT_MM_PER_PX = 0.025;

export interface Calibration {
  mmPerPx: number;
  /** False for the default: no reference disk was ever measured. */
  calibrated: boolean;
  measuredAt: string | null;
  diskMm: number | null;
  diskPx: number | null;
}

export const DEFAULT_CALIBRATION: Calibration = { mmPerPx: DEFAULT_MM_PER_PX, calibrated: false, measuredAt: null, diskMm: null, diskPx: null };

const fileSchema = z
  .object({
    mmPerPx: z.number().positive().max(10),
    measuredAt: z.iso.datetime(),
    diskMm: z.number().positive(),
    diskPx: z.number().positive(),
  })
  .strict();

export type CalibrationRecord = z.infer<typeof fileSchema>;

export class CalibrationError extends Error {
  override readonly name = 'CalibrationError';
  constructor(
    readonly code: 'CALIBRATION_INVALID' | 'CALIBRATION_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}

export class CalibrationStore {
  readonly path: string;

  constructor(readonly dataDir: string) {
    this.path = join(dataDir, CALIBRATION_FILE);
  }

  /** The stored calibration, or DEFAULT_CALIBRATION (calibrated: false) when there is none. */
  async load(): Promise<Calibration> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_CALIBRATION };
      throw new CalibrationError('CALIBRATION_UNREADABLE', `${this.path}: ${(error as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new CalibrationError('CALIBRATION_INVALID', `${this.path}: not JSON (${(error as Error).message}); run \`loupe calibrate\` again.`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `calibration.${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new CalibrationError('CALIBRATION_INVALID', `${this.path}: ${lines.join('; ')}; run \`loupe calibrate\` again.`);
    }
    return { ...parsed.data, calibrated: true };
  }

  async save(record: CalibrationRecord): Promise<Calibration> {
    const checked = fileSchema.parse(record);
    await mkdir(this.dataDir, { recursive: true });
    const temp = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o644 });
    await rename(temp, this.path);
    return { ...checked, calibrated: true };
  }
}
