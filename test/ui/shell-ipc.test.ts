import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { IpcChannels } from '../../ui/shell/ipc-channels.ts';
import type { LogEntry, ShellInfo } from '../../ui/shell/ipc-contract.ts';
import { registerIpcHandlers } from '../../ui/shell/ipc-handlers.ts';

const ORIGIN = 'http://127.0.0.1:8080';
type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

/** Records what registerIpcHandlers hands to ipcMain.handle, so each handler can be called as Electron would. */
function setUp() {
  const handlers = new Map<string, Handler>();
  const logs: LogEntry[] = [];
  const reloads: string[] = [];
  const info: ShellInfo = { shell: 'electron', shellVersion: '0.1.0', electronVersion: '39.8.10', production: true };
  registerIpcHandlers({ handle: (channel: string, listener: Handler) => void handlers.set(channel, listener) }, {
    origin: ORIGIN,
    info,
    writeLog: (entry) => logs.push(entry),
    reloadKiosk: (reason) => reloads.push(reason),
  });
  const call = (channel: string, senderUrl: string, ...args: unknown[]) => {
    const event = { senderFrame: { url: senderUrl, parent: null } } as unknown as IpcMainInvokeEvent;
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  };
  return { handlers, logs, reloads, info, call };
}

describe('shell IPC handlers', () => {
  it('registers a handler for every channel in ipc-channels.ts', () => {
    expect([...setUp().handlers.keys()].sort()).toEqual(Object.values(IpcChannels).sort());
  });

  it('answers the kiosk page with valid arguments', () => {
    const { call, logs, reloads, info } = setUp();
    expect(call(IpcChannels.getInfo, `${ORIGIN}/`)).toEqual(info);
    call(IpcChannels.log, `${ORIGIN}/`, { level: 'warn', message: 'camera slow' });
    call(IpcChannels.reload, `${ORIGIN}/index.html`, { reason: 'stuck' });
    expect(logs).toEqual([{ level: 'warn', message: 'camera slow' }]);
    expect(reloads).toEqual(['stuck']);
  });

  it('refuses malformed or extra arguments with IPC_ARGUMENT_INVALID', () => {
    const { call, logs, reloads } = setUp();
    expect(() => call(IpcChannels.log, `${ORIGIN}/`, { level: 'shout', message: 'x' })).toThrow(/IPC_ARGUMENT_INVALID/);
    expect(() => call(IpcChannels.log, `${ORIGIN}/`, { level: 'info', message: 'x', extra: 1 })).toThrow(/IPC_ARGUMENT_INVALID/);
    expect(() => call(IpcChannels.log, `${ORIGIN}/`, { level: 'info', message: 'x'.repeat(2001) })).toThrow(/IPC_ARGUMENT_INVALID/);
    expect(() => call(IpcChannels.log, `${ORIGIN}/`)).toThrow(/IPC_ARGUMENT_INVALID/);
    expect(() => call(IpcChannels.reload, `${ORIGIN}/`, { reason: 'a' }, 'smuggled')).toThrow(/IPC_ARGUMENT_INVALID/);
    expect(() => call(IpcChannels.getInfo, `${ORIGIN}/`, 'anything')).toThrow(/IPC_ARGUMENT_INVALID/);
    expect(logs).toEqual([]);
    expect(reloads).toEqual([]);
  });

  it('refuses calls from any frame not on the daemon origin', () => {
    const { call, reloads } = setUp();
    expect(() => call(IpcChannels.reload, 'https://evil.example/', { reason: 'x' })).toThrow(/IPC_SENDER_REJECTED/);
    expect(() => call(IpcChannels.getInfo, 'http://127.0.0.1:8081/')).toThrow(/IPC_SENDER_REJECTED/);
    expect(reloads).toEqual([]);
  });
});
