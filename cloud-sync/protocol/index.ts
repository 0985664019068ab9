/** The sync protocol: every topic, payload schema, codec and error, imported by device and HQ alike. */
export * from './topics.ts';
export * from './payloads.ts';
export * from './errors.ts';
export * from './codec.ts';
export * from './mqtt-properties.ts';
export * from './releases.ts';
