/** The grade record (docs/INTERFACES.md §3): one zod schema, and the type inferred from it. */
import { z } from 'zod';

const headGrade = z
  .object({
    grade: z.string().min(1),
    top: z.string().min(1),
    confidence: z.number().min(0).max(1),
    probabilities: z.array(z.number().min(0).max(1)).min(2),
  })
  .strict();

export const proportionsSchema = z
  .object({
    table_pct: z.number(),
    crown_angle_deg: z.number(),
    pavilion_angle_deg: z.number(),
    total_depth_pct: z.number(),
  })
  .strict();

export const signatureSchema = z
  .object({ alg: z.literal('ed25519'), keyId: z.string().min(1), value: z.string().min(1) })
  .strict();

export const gradeRecordV1Schema = z
  .object({
    schema: z.literal('loupe.grade/v1'),
    id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'expected a UUIDv7'),
    deviceId: z.string().min(1),
    storeId: z.string().min(1),
    createdAt: z.iso.datetime(),
    modelVersion: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'expected name@version'),
    frameSha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits'),
    grades: z.object({ colour: headGrade, clarity: headGrade, cut: headGrade }).strict(),
    carat: z
      .object({
        value: z.number().nonnegative(),
        diameterMm: z.number().positive(),
        depthPct: z.number().positive(),
        depthSource: z.enum(['model', 'ideal']),
        mmPerPx: z.number().positive(),
        diameterPx: z.number().positive(),
      })
      .strict(),
    proportions: proportionsSchema.optional(),
    signature: signatureSchema,
  })
  .strict();

export type GradeRecordV1 = z.infer<typeof gradeRecordV1Schema>;
export type HeadGrade = z.infer<typeof headGrade>;
export type Proportions = z.infer<typeof proportionsSchema>;
export type UnsignedGradeRecord = Omit<GradeRecordV1, 'signature'>;
