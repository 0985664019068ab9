export { makeRecord, testSigningKey } from '../../../cloud-sync/bench/synthetic-records.ts';
