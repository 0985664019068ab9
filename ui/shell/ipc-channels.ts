/** Every IPC channel between the kiosk page (via preload) and the shell's main process. */
export const IpcChannels = {
  /** invoke() → ShellInfo */
  getInfo: 'loupe-shell:get-info',
  /** invoke(LogEntry) → void: a line from the page for the shell's log (no devtools in production) */
  log: 'loupe-shell:log',
  /** invoke(ReloadRequest) → void: reload the kiosk page, e.g. after the page detects it is stuck */
  reload: 'loupe-shell:reload',
} as const;

export type IpcChannel = (typeof IpcChannels)[keyof typeof IpcChannels];
