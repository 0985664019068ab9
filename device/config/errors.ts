export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_UNREADABLE' | 'CONFIG_VERSION_UNSUPPORTED';

/** A bad setting: every line of the message starts with the setting's path, e.g. "http.port: …". */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}
