export type ShellErrorCode =
  | 'SHELL_CONFIG_INVALID'
  | 'IPC_SENDER_REJECTED'
  | 'IPC_ARGUMENT_INVALID';

/** Electron passes only `message` across IPC, so the code is repeated at its start. */
export class ShellError extends Error {
  override readonly name = 'ShellError';
  constructor(
    readonly code: ShellErrorCode,
    detail: string,
  ) {
    super(`[${code}] ${detail}`);
  }
}
