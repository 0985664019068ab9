export * from './schema.ts';
export * from './errors.ts';
export { loadConfig, parseConfig, defaultDataDir, readConfigFile, CONFIG_FILE, type ConfigOverrides } from './load.ts';
export { migrateConfig } from './migrations.ts';
export { syncSectionSchema, type SyncSection } from './sync-section.ts';
