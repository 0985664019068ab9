/** The shell's settings, from its command line: which daemon to show, and whether this is a dev run. */
import { z } from 'zod';
import { ShellError } from './shell-error.ts';

export const DEFAULT_KIOSK_URL = 'http://127.0.0.1:8080/';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const kioskUrlSchema = z
  .url()
  .transform((text) => new URL(text))
  .refine((url) => url.protocol === 'http:', 'the daemon serves plain http on loopback')
  .refine((url) => LOOPBACK_HOSTS.has(url.hostname), 'the daemon is only reachable on loopback (127.0.0.1)');

const shellConfigSchema = z.object({
  kioskUrl: kioskUrlSchema,
  dev: z.boolean(),
});

export interface ShellConfig {
  kioskUrl: URL;
  /** The daemon's origin; the only place the kiosk window may navigate to. */
  origin: string;
  /** Dev runs get devtools and a menu; production (the default) gets neither. */
  dev: boolean;
}

/** Reads `--url=URL` (or `--url URL`) and `--dev`; anything else (Chromium's own switches) is ignored. */
export function parseShellConfig(argv: readonly string[]): ShellConfig {
  let url: string = DEFAULT_KIOSK_URL;
  let dev = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--dev') dev = true;
    else if (arg === '--url' && i + 1 < argv.length) url = argv[++i];
    else if (arg.startsWith('--url=')) url = arg.slice('--url='.length);
  }
  const parsed = shellConfigSchema.safeParse({ kioskUrl: url, dev });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ');
    throw new ShellError('SHELL_CONFIG_INVALID', `${issues} (got --url ${JSON.stringify(url)})`);
  }
  return { kioskUrl: parsed.data.kioskUrl, origin: parsed.data.kioskUrl.origin, dev: parsed.data.dev };
}
