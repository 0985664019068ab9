/** The API's inputs, each validated by one zod schema; a failure names the parameter. */
import { z } from 'zod';
import { ApiError } from './errors.ts';

export const gradesQuerySchema = z
  .object({
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "expected YYYY-MM-DD (the store's local day)" })
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { error: 'not a calendar date' })
      .optional(),
    limit: z.coerce.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).min(1, { error: 'expected 1–1000' }).max(1000, { error: 'expected 1–1000' }).default(50),
  })
  .strict();

export const gradeIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { error: 'expected a grade id (UUID)' });

/** POST /api/grade takes no options yet: an empty body or `{}`. */
export const gradeBodySchema = z.object({}).strict();

export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [where, ...issue.path].filter((p) => p !== '').join('.');
  throw new ApiError(400, 'BAD_REQUEST', `${path}: ${issue.message}`);
}
