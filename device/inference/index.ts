export * from './errors.ts';
export * from './manifest.ts';
export * from './release.ts';
export * from './onnx-session.ts';
export * from './model-host.ts';
export { checkSessionAgainstManifest } from './session-contract.ts';
export { compareSemver } from './semver.ts';
export { withTimeout } from './timeout.ts';
export { runGoldenSet, type GoldenReport } from './golden.ts';
