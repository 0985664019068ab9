/**
 * Loads the kiosk's browser ES modules (plain JS with JSDoc types) into a test. The root
 * tsconfig does not check JS (ui/kiosk/tsconfig.json does), so the surface used here is typed
 * by hand, narrowly.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const KIOSK_DIR = path.join(REPO_ROOT, 'ui/kiosk');

export interface ConfidenceModule {
  confidenceWord(confidence: number): { word: string; level: 'high' | 'good' | 'fair' | 'low' };
  confidencePercent(confidence: number): number;
}

export interface BackoffModule {
  BACKOFF_BASE_MS: number;
  BACKOFF_CAP_MS: number;
  reconnectDelayMs(attempt: number): number;
}

type Chip = { text: string; tone: 'ok' | 'warn' | 'bad' };
export interface FormatModule {
  REFER_TEXT: string;
  formatCarat(carat: number): string;
  caratBasis(carat: { diameterMm: number; depthPct: number; depthSource: 'model' | 'ideal' }): string;
  historySummary(record: unknown): string;
  needsGemologist(record: unknown): boolean;
  syncChip(sync: { state: string; backlog: number; refused: string | null }): Chip;
  cameraChip(camera: { kind: string; ready: boolean }): Chip;
  modelChip(model: { name: string; version: string; provider: string }): Chip;
}

export interface TypesModule {
  parseRecord(value: unknown): Record<string, unknown> | null;
  parseHealth(value: unknown): { sync: { state: string; backlog: number; refused: string | null }; camera: { ready: boolean } } | null;
  parseErrorBody(value: unknown): { code: string; message: string } | null;
  parseSocketMessage(text: string): { type: string; [key: string]: unknown } | null;
}

export async function importKioskModule<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(KIOSK_DIR, 'js', file)).href)) as T;
}
