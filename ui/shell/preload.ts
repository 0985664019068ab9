/**
 * Runs sandboxed in the kiosk page before it loads. It exposes three narrow calls, never
 * ipcRenderer itself; main validates every argument, since the page is untrusted.
 * Bundled to one CommonJS file (ui/shell/build.ts): a sandboxed preload can only require 'electron'.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IpcChannels } from './ipc-channels.ts';
import type { LoupeShellApi } from './ipc-contract.ts';

const api: LoupeShellApi = {
  info: () => ipcRenderer.invoke(IpcChannels.getInfo),
  log: (entry) => ipcRenderer.invoke(IpcChannels.log, entry),
  reload: (request) => ipcRenderer.invoke(IpcChannels.reload, request),
};

contextBridge.exposeInMainWorld('loupeShell', api);
