/** Main-process IPC handlers: each checks who is calling, then parses its argument with zod. */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { z } from 'zod';
import { IpcChannels } from './ipc-channels.ts';
import { ipcArgumentSchemas, type LogEntry, type ShellInfo } from './ipc-contract.ts';
import { isKioskOrigin } from './security-policy.ts';
import { ShellError } from './shell-error.ts';

export interface IpcHandlerDeps {
  /** The daemon's origin; calls from any other frame are refused. */
  origin: string;
  info: ShellInfo;
  writeLog: (entry: LogEntry) => void;
  reloadKiosk: (reason: string) => void;
}

type Handle = Pick<IpcMain, 'handle'>;

function assertTrustedSender(event: IpcMainInvokeEvent, origin: string): void {
  const url = event.senderFrame?.url ?? '';
  // Only the top frame of the kiosk page: a frame inside it (there should be none) is not trusted.
  if (!isKioskOrigin(url, origin) || event.senderFrame?.parent) {
    throw new ShellError('IPC_SENDER_REJECTED', `IPC from ${JSON.stringify(url)} is not the kiosk page`);
  }
}

function parseArgs<T>(schema: z.ZodType<T>, channel: string, args: unknown[]): T {
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'argument'}: ${issue.message}`).join('; ');
    throw new ShellError('IPC_ARGUMENT_INVALID', `${channel}: ${issues}`);
  }
  return parsed.data;
}

export function registerIpcHandlers(ipcMain: Handle, deps: IpcHandlerDeps): void {
  ipcMain.handle(IpcChannels.getInfo, (event, ...args: unknown[]) => {
    assertTrustedSender(event, deps.origin);
    parseArgs(ipcArgumentSchemas.getInfo, IpcChannels.getInfo, args);
    return deps.info;
  });

  ipcMain.handle(IpcChannels.log, (event, ...args: unknown[]) => {
    assertTrustedSender(event, deps.origin);
    const [entry] = parseArgs(ipcArgumentSchemas.log, IpcChannels.log, args);
    deps.writeLog(entry);
  });

  ipcMain.handle(IpcChannels.reload, (event, ...args: unknown[]) => {
    assertTrustedSender(event, deps.origin);
    const [request] = parseArgs(ipcArgumentSchemas.reload, IpcChannels.reload, args);
    deps.reloadKiosk(request.reason);
  });
}
