/** A small structured logger: one JSON line per event, to stderr unless told otherwise. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface SyncLogger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createJsonLogger(component: string, options: { level?: LogLevel; write?: (line: string) => void } = {}): SyncLogger {
  const threshold = rank[options.level ?? ((process.env.LOUPE_LOG_LEVEL as LogLevel | undefined) ?? 'info')] ?? rank.info;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (level: LogLevel) => (event: string, fields: LogFields = {}) => {
    if (rank[level] < threshold) return;
    write(JSON.stringify({ t: new Date().toISOString(), level, component, event, ...fields }));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** For tests: keeps every entry in memory. */
export function createMemoryLogger(): SyncLogger & { entries: Array<{ level: LogLevel; event: string } & LogFields> } {
  const entries: Array<{ level: LogLevel; event: string } & LogFields> = [];
  const emit = (level: LogLevel) => (event: string, fields: LogFields = {}) => void entries.push({ level, event, ...fields });
  return { entries, debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
