/** What the API serves (docs/INTERFACES.md §5), implemented by the daemon (device/daemon/app.ts). */
import type { GradeRecordV1 } from '../grading/record.ts';

export interface Health {
  ok: boolean;
  version: string;
  uptimeS: number;
  model: { name: string; version: string; provider: string; trainedOn: string };
  camera: { kind: string; ready: boolean };
  /**
   * Inference workers replaced because a run overstayed model.runTimeoutMs, and of those the ones
   * still busy in a native run after release (left to stop by themselves, never terminated).
   */
  inference: { replacedWorkers: number; abandonedWorkers: number };
  /** `refused`: the code with which HQ refuses this device's key (not enrolled, or revoked); its grades wait in the outbox. */
  sync: { state: 'offline' | 'connecting' | 'online'; backlog: number; refused: string | null };
}

export type GradeResult = { ok: true; record: GradeRecordV1 } | { ok: false; error: { code: string; message: string } };

export interface ApiServices {
  health(): Health;
  /** Captures a frame and grades it; a refused frame is a result, a broken camera/model throws a coded error. */
  grade(): Promise<GradeResult>;
  listGrades(query: { day?: string; limit: number }): GradeRecordV1[];
  getGrade(id: string): GradeRecordV1 | undefined;
  thumbnail(id: string): Buffer | undefined;
  /** The latest camera frame as JPEG. */
  preview(): Promise<Buffer>;
}

export type SocketMessage = { type: 'grade'; record: GradeRecordV1 } | { type: 'rejected'; error: { code: string; message: string } } | { type: 'status'; health: Health };
