export * from './scales.ts';
export * from './record.ts';
export * from './canonical-json.ts';
export * from './signature.ts';
export * from './calibrate.ts';
export * from './carat.ts';
export * from './build-record.ts';
