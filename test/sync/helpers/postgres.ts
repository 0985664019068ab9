/** PostgreSQL for tests: database `test` on loopback, trust auth; each run uses its own schema. */
export const POSTGRES_URL = process.env.LOUPE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
