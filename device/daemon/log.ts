/** The daemon's log: one JSON line per event on stderr (journald keeps it). */
export type Log = (event: string, fields?: Record<string, unknown>) => void;

export function jsonLog(component: string, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Log {
  return (event, fields = {}) => write(JSON.stringify({ t: new Date().toISOString(), component, event, ...fields }));
}

export const silentLog: Log = () => undefined;
