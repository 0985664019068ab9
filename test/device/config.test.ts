import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../device/config/load.ts';
import { migrateConfig } from '../../device/config/migrations.ts';
import { CONFIG_VERSION } from '../../device/config/schema.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function dataDirWith(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-config-'));
  dirs.push(dir);
  if (config !== undefined) writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}
const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a ConfigError');
};

describe('device config', () => {
  it('fills every default when no file exists', () => {
    const dir = dataDirWith();
    const config = loadConfig({ dataDir: dir });
    expect(config).toMatchObject({
      version: CONFIG_VERSION,
      dataDir: dir,
      http: { host: '127.0.0.1', port: 8737 },
      camera: { spec: 'auto' },
      model: { releaseDir: null, providers: ['tensorrt', 'cuda', 'cpu'], runTimeoutMs: 2000 },
      retention: { fullFrameDays: 30 },
      identity: { deviceId: null, storeId: null },
      sync: { brokerUrl: null },
      history: { timeZone: null },
    });
  });

  it('takes the data dir from $LOUPE_DATA, else ./data', () => {
    const dir = dataDirWith({ http: { port: 9001 } });
    expect(loadConfig({}, { LOUPE_DATA: dir }).http.port).toBe(9001);
    expect(loadConfig({}, {}).dataDir).toBe(resolve('data'));
  });

  it('reads the file and lets CLI flags override it', () => {
    const dir = dataDirWith({ version: 2, http: { port: 9000 }, camera: { spec: 'folder:/replay' }, sync: { brokerUrl: 'mqtt://hq:1883' } });
    const fromFile = loadConfig({ dataDir: dir });
    expect(fromFile.http.port).toBe(9000);
    expect(fromFile.camera.spec).toBe('folder:/replay');
    const flagged = loadConfig({ dataDir: dir, port: 9100, cameraSpec: 'v4l2:/dev/video2', brokerUrl: null });
    expect(flagged.http.port).toBe(9100);
    expect(flagged.camera.spec).toBe('v4l2:/dev/video2');
    expect(flagged.sync.brokerUrl).toBeNull();
  });

  it('migrates a v1 (flat) file to the current version', () => {
    const v1 = { version: 1, port: 8800, camera: 'gst:nvarguscamerasrc', brokerUrl: 'mqtts://hq.example:8883', retention: { fullFrameDays: 7 } };
    expect(migrateConfig(v1)).toEqual({ version: 2, http: { port: 8800 }, camera: { spec: 'gst:nvarguscamerasrc' }, sync: { brokerUrl: 'mqtts://hq.example:8883' }, retention: { fullFrameDays: 7 } });
    const config = loadConfig({ dataDir: dataDirWith(v1) });
    expect(config).toMatchObject({ version: 2, http: { port: 8800 }, camera: { spec: 'gst:nvarguscamerasrc' }, retention: { fullFrameDays: 7 } });
  });

  it('prefixes each error with the setting path and carries a code', () => {
    const bad = problem(() => parseConfig({ version: 2, dataDir: '/d', camera: { spec: 'webcam' } }));
    expect(bad.code).toBe('CONFIG_INVALID');
    expect(bad.message).toBe('camera.spec: expected synthetic|folder:DIR|v4l2:/dev/videoN|gst:...');
    const several = problem(() => parseConfig({ version: 2, dataDir: '/d', http: { port: 70000 }, model: { providers: ['cpu', 'cpu'] } }));
    expect(several.message.split('\n')).toEqual(['http.port: expected 0–65535', 'model.providers: each provider at most once']);
    const zone = problem(() => parseConfig({ version: 2, dataDir: '/d', history: { timeZone: 'Europe/Londn' } }));
    expect(zone.message).toBe('history.timeZone: expected an IANA time zone such as "Europe/London" or "America/New_York"');
    expect(parseConfig({ version: 2, dataDir: '/d', history: { timeZone: 'Europe/London' } }).history.timeZone).toBe('Europe/London');
  });

  it('accepts every camera spec form and refuses near misses', () => {
    for (const spec of ['auto', 'synthetic', 'synthetic:7', 'folder:/var/replay', 'v4l2:/dev/video0', 'gst:0', 'gst:nvarguscamerasrc ! appsink']) {
      expect(parseConfig({ version: 2, dataDir: '/d', camera: { spec } }).camera.spec).toBe(spec);
    }
    for (const spec of ['synthetic:seven', 'v4l2:/dev/sda', 'folder:', 'usb']) {
      expect(problem(() => parseConfig({ version: 2, dataDir: '/d', camera: { spec } })).message, spec).toMatch(/^camera\.spec: /);
    }
  });

  it('refuses unknown keys, a non-loopback host and a bad broker URL', () => {
    expect(problem(() => parseConfig({ version: 2, dataDir: '/d', http: { prot: 1 } })).message).toMatch(/^http: .*prot/);
    expect(problem(() => parseConfig({ version: 2, dataDir: '/d', colour: 'x' })).message).toMatch(/^\(root\): .*colour/);
    expect(problem(() => parseConfig({ version: 2, dataDir: '/d', http: { host: '0.0.0.0' } })).message).toBe('http.host: the daemon binds 127.0.0.1 only');
    expect(problem(() => parseConfig({ version: 2, dataDir: '/d', sync: { brokerUrl: 'http://x' } })).message).toMatch(/^sync\.brokerUrl: expected mqtt:/);
  });

  it('refuses an unreadable, non-JSON, future-version or dataDir-bearing file with its code', () => {
    expect(problem(() => loadConfig({ dataDir: dataDirWith('{ nope') })).code).toBe('CONFIG_UNREADABLE');
    expect(problem(() => loadConfig({ dataDir: dataDirWith('[1]') })).message).toBe('(root): expected a JSON object');
    const future = problem(() => loadConfig({ dataDir: dataDirWith({ version: 99 }) }));
    expect(future.code).toBe('CONFIG_VERSION_UNSUPPORTED');
    expect(future.message).toMatch(/^version: /);
    expect(problem(() => loadConfig({ dataDir: dataDirWith({ dataDir: '/elsewhere' }) })).message).toMatch(/^dataDir: /);
  });
});
