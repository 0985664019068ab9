import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KIOSK_DIR, REPO_ROOT } from './helpers/kiosk-modules.ts';

describe('kiosk browser JavaScript', () => {
  it('type-checks strictly from its JSDoc types (ui/kiosk/tsconfig.json)', async () => {
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', path.join(KIOSK_DIR, 'tsconfig.json')], { cwd: REPO_ROOT }).then(
      () => ({ ok: true, output: '' }),
      (error: { stdout?: string }) => ({ ok: false, output: error.stdout ?? String(error) }),
    );
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });
});
