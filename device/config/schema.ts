/** The device config: one zod schema with defaults; unknown keys are refused. */
import { z } from 'zod';
import { syncSectionSchema } from './sync-section.ts';
import { isTimeZone } from '../store/local-day.ts';

export const CONFIG_VERSION = 2;
export const DEFAULT_HTTP_PORT = 8737;
export const PROVIDERS = ['tensorrt', 'cuda', 'cpu'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** `auto`: the first /dev/videoN if there is one, else the synthetic camera. */
export const CAMERA_SPEC_PATTERN = /^(auto|synthetic(:\d+)?|folder:.+|v4l2:\/dev\/video\d+|gst:.+)$/;
const CAMERA_SPEC_HELP = 'expected synthetic|folder:DIR|v4l2:/dev/videoN|gst:...';

// 0 = any free port (tests, side-by-side benches).
const port = z.number({ error: 'expected a port number' }).int().min(0, { error: 'expected 0–65535' }).max(65535, { error: 'expected 0–65535' });

export const configSchema = z
  .object({
    version: z.literal(CONFIG_VERSION, { error: `expected ${CONFIG_VERSION} (older files are migrated on load)` }),
    dataDir: z.string().min(1),
    http: z
      .object({
        // The daemon serves the kiosk on loopback only; no other value is accepted.
        host: z.literal('127.0.0.1', { error: 'the daemon binds 127.0.0.1 only' }).default('127.0.0.1'),
        port: port.default(DEFAULT_HTTP_PORT),
      })
      .strict()
      .prefault({}),
    camera: z
      .object({
        spec: z.string({ error: CAMERA_SPEC_HELP }).regex(CAMERA_SPEC_PATTERN, { error: CAMERA_SPEC_HELP }).default('auto'),
        captureTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
      })
      .strict()
      .prefault({}),
    model: z
      .object({
        /** null = the newest release bundled under models/release/. */
        releaseDir: z.string().min(1).nullable().default(null),
        providers: z
          .array(z.enum(PROVIDERS, { error: `expected one of ${PROVIDERS.join(', ')}` }))
          .min(1)
          .refine((list) => new Set(list).size === list.length, { error: 'each provider at most once' })
          .default(['tensorrt', 'cuda', 'cpu']),
        runTimeoutMs: z.number().int().min(10).max(60_000).default(2000),
        /** A release taken from HQ is rolled back if it fails in service before it is trusted (device/inference/probation.ts). */
        probation: z
          .object({
            /** Good inferences before it is trusted; 0 turns probation off. */
            grades: z.number().int().min(0).max(100_000).default(20),
            maxFailures: z.number().int().min(1).max(1000).default(3),
            maxCrashes: z.number().int().min(1).max(100).default(2),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        fullFrameDays: z.number().int().min(0).max(3650).default(30),
        minFreeDiskMb: z.number().int().min(0).default(1024),
        sweepIntervalMin: z.number().int().min(1).max(1440).default(60),
      })
      .strict()
      .prefault({}),
    identity: z
      .object({
        /** Used only when the device identity is first created; a provisioned identity wins. */
        deviceId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'expected 1–64 of A–Z a–z 0–9 . _ -' }).nullable().default(null),
        storeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'expected 1–64 of A–Z a–z 0–9 . _ -' }).nullable().default(null),
      })
      .strict()
      .prefault({}),
    sync: syncSectionSchema.prefault({}),
    history: z
      .object({
        /** The store's IANA time zone for "grades of a day"; null = the host's zone. */
        timeZone: z
          .string()
          .refine(isTimeZone, { error: 'expected an IANA time zone such as "Europe/London" or "America/New_York"' })
          .nullable()
          .default(null),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type LoupeConfig = z.infer<typeof configSchema>;
export type LoupeConfigInput = z.input<typeof configSchema>;
