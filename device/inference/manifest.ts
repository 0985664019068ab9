/** The model release manifest (docs/INTERFACES.md §2): one zod schema; labels must be the real scales. */
import { z } from 'zod';
import { CLARITY_GRADES, COLOUR_GRADES, CUT_GRADES, PROPORTION_NAMES } from '../grading/scales.ts';
import { SEMVER_PATTERN } from './semver.ts';
import { VIEW_NAMES } from '../vision/views.ts';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits' });
const relativeFile = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), { error: 'expected a path inside the release folder' });

function head(labels: readonly string[]) {
  return z
    .object({
      output: z.string().min(1),
      labels: z.array(z.string()).refine((l) => l.length === labels.length && l.every((x, i) => x === labels[i]), {
        error: `expected exactly [${labels.join(', ')}]`,
      }),
      temperature: z.number().positive(),
      abstainBelow: z.number().min(0).max(1),
      /** The answer maximises p_k + w · P(within one of k) (device/grading/calibrate.ts); absent = argmax. */
      withinOneWeight: z.number().min(0).max(100).optional(),
    })
    .strict();
}

const triple = z.array(z.number()).length(3);

export const manifestSchema = z
  .object({
    schema: z.literal('loupe.model-manifest/v1'),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected lowercase letters, digits, . _ -' }),
    version: z.string().regex(SEMVER_PATTERN, { error: 'expected semver MAJOR.MINOR.PATCH' }),
    createdAt: z.iso.datetime({ offset: true }),
    trainedOn: z.string().min(1),
    files: z.record(relativeFile, z.object({ sha256, bytes: z.number().int().nonnegative() }).strict()),
    model: relativeFile,
    input: z
      .object({
        name: z.string().min(1),
        size: z.number().int().min(8).max(1024),
        layout: z.literal('NCHW'),
        channelOrder: z.literal('RGB'),
        dtype: z.literal('float32'),
        mean: triple,
        std: triple.refine((s) => s.every((x) => x > 0), { error: 'expected 3 positive numbers' }),
        scale: z.number().positive(),
        crop: z.object({ basis: z.literal('girdle-diameter'), factor: z.number().min(1).max(4) }).strict(),
        views: z
          .array(z.enum(VIEW_NAMES))
          .min(1)
          .max(VIEW_NAMES.length)
          .refine((v) => new Set(v).size === v.length, { error: 'expected each view at most once' })
          .refine((v) => v[0] === 'identity', { error: 'expected "identity" first' })
          .optional(),
      })
      .strict(),
    heads: z.object({ colour: head(COLOUR_GRADES), clarity: head(CLARITY_GRADES), cut: head(CUT_GRADES) }).strict(),
    regression: z
      .object({
        output: z.string().min(1),
        names: z.array(z.enum(PROPORTION_NAMES)).length(PROPORTION_NAMES.length),
        mean: z.array(z.number()).length(PROPORTION_NAMES.length),
        std: z.array(z.number().positive()).length(PROPORTION_NAMES.length),
      })
      .strict()
      .optional(),
    metrics: z.record(z.string(), z.unknown()).optional(),
    golden: z
      .array(
        z
          .object({
            file: relativeFile,
            sha256,
            expected: z.object({ colour: z.string(), clarity: z.string(), cut: z.string() }).partial(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose()
  .superRefine((m, ctx) => {
    if (!m.files[m.model]) ctx.addIssue({ code: 'custom', path: ['model'], message: `"${m.model}" is not listed in files` });
    const outputs = [m.heads.colour.output, m.heads.clarity.output, m.heads.cut.output, ...(m.regression ? [m.regression.output] : [])];
    if (new Set(outputs).size !== outputs.length) ctx.addIssue({ code: 'custom', path: ['heads'], message: 'each head needs its own output' });
  });

export type ModelManifest = z.infer<typeof manifestSchema>;

export function modelVersionOf(manifest: Pick<ModelManifest, 'name' | 'version'>): string {
  return `${manifest.name}@${manifest.version}`;
}
