/**
 * Config file versions. Each migration takes the raw object of version N to version N + 1.
 * v1 (the first prototype) was flat: { version: 1, port, camera: "spec", model: "dir", brokerUrl }.
 */
import { ConfigError } from './errors.ts';
import { CONFIG_VERSION } from './schema.ts';

type Raw = Record<string, unknown>;

const MIGRATIONS: Record<number, (raw: Raw) => Raw> = {
  1: ({ version: _v, port, camera, model, brokerUrl, ...rest }) => {
    const next: Raw = { ...rest, version: 2 };
    if (port !== undefined) next.http = { port };
    if (camera !== undefined) next.camera = { spec: camera };
    if (model !== undefined) next.model = { releaseDir: model };
    if (brokerUrl !== undefined) next.sync = { brokerUrl };
    return next;
  },
};

/** A file without a version is read as the current version. */
export function migrateConfig(raw: Raw): Raw {
  const declared: unknown = raw.version ?? CONFIG_VERSION;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 1 || declared > CONFIG_VERSION) {
    throw new ConfigError('CONFIG_VERSION_UNSUPPORTED', `version: expected 1–${CONFIG_VERSION}, got ${JSON.stringify(declared)}`, [
      { path: 'version', message: `expected 1–${CONFIG_VERSION}` },
    ]);
  }
  let out: Raw = { ...raw, version: declared };
  for (let version = declared; version < CONFIG_VERSION; version++) out = MIGRATIONS[version](out);
  return out;
}
