/** The shapes that cross the IPC boundary; the renderer is untrusted, so main parses every argument. */
import { z } from 'zod';

export const logEntrySchema = z
  .object({
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().min(1).max(2000),
  })
  .strict();

export const reloadRequestSchema = z
  .object({ reason: z.string().min(1).max(200) })
  .strict();

/** Each channel's whole argument list, so extra arguments are refused too. */
export const ipcArgumentSchemas = {
  getInfo: z.tuple([]),
  log: z.tuple([logEntrySchema]),
  reload: z.tuple([reloadRequestSchema]),
} as const;

export type LogEntry = z.infer<typeof logEntrySchema>;
export type ReloadRequest = z.infer<typeof reloadRequestSchema>;

export interface ShellInfo {
  shell: 'electron';
  shellVersion: string;
  electronVersion: string;
  production: boolean;
}

/** What preload exposes on `window.loupeShell`. */
export interface LoupeShellApi {
  info(): Promise<ShellInfo>;
  log(entry: LogEntry): Promise<void>;
  reload(request: ReloadRequest): Promise<void>;
}
