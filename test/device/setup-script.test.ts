import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '../..');
const setup = (...args: string[]) => spawnSync('bash', ['scripts/setup.sh', ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });

describe('scripts/setup.sh', () => {
  it('does nothing on a ready checkout: packages present, node_modules up to date', () => {
    const result = setup('--test');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('setup: system packages present (fswebcam');
    expect(result.stdout).toContain('chromium mosquitto xvfb imagemagick');
    expect(result.stdout).toContain('setup: node_modules up to date');
  });

  it('refuses an unknown option with exit 2', () => {
    const result = setup('--fast');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown option --fast');
  });
});
