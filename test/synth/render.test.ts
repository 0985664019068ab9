import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABEL_COLUMNS, writeDataset } from '../../models/synth/dataset.ts';
import { indicesWithClarity, renderJob, stoneAt } from '../../models/synth/job.ts';
import { DEFAULT_MAX_BOUNCES } from '../../models/synth/render.ts';
import { renderIdeal } from './helpers.ts';

describe('rendering', () => {
  it('is reproducible: the same seed gives the same pixels, another seed does not', () => {
    const a = renderJob({ seed: 9, index: 4, sizePx: 64 });
    const b = renderJob({ seed: 9, index: 4, sizePx: 64 });
    const c = renderJob({ seed: 10, index: 4, sizePx: 64 });
    expect(Buffer.from(a.rgb).equals(Buffer.from(b.rgb))).toBe(true);
    expect(a.labels).toEqual(b.labels);
    expect(Buffer.from(a.rgb).equals(Buffer.from(c.rgb))).toBe(false);
  });

  it(`converges by ${DEFAULT_MAX_BOUNCES} internal bounces: doubling them moves pixels by under one 8-bit level on average`, () => {
    const base = renderIdeal({ maxBounces: DEFAULT_MAX_BOUNCES });
    const more = renderIdeal({ maxBounces: DEFAULT_MAX_BOUNCES * 2 });
    const few = renderIdeal({ maxBounces: 2 });
    const meanAbs = (x: Uint8Array, y: Uint8Array) => x.reduce((s, v, i) => s + Math.abs(v - y[i]), 0) / x.length;
    expect(meanAbs(base.rgb, more.rgb)).toBeLessThan(1);
    // and the bounces matter: two are visibly not enough
    expect(meanAbs(few.rgb, more.rgb)).toBeGreaterThan(1);
    expect(base.meanResidualThroughput).toBeLessThan(0.05);
  });

  it('labels the girdle where it is in the image and gives a known mm per pixel', () => {
    const stone = renderJob({ seed: 1, index: 0, sizePx: 160 });
    const { labels } = stone;
    expect(labels.diameter_px * labels.mm_per_px).toBeCloseTo(labels.diameter_mm, 3);
    // The tray pixel at the centre of the girdle is covered by the stone; a corner is plain tray.
    const px = (x: number, y: number) => Array.from(stone.rgb.slice((y * 160 + x) * 3, (y * 160 + x) * 3 + 3));
    const corner = px(2, 2);
    expect(Math.max(...corner) - Math.min(...corner)).toBeLessThan(25);
    // Just outside the girdle on the left the tray shows, just inside is stone; they differ on average.
    const row = Math.round(labels.centre_y_px);
    const left = Math.round(labels.centre_x_px - labels.diameter_px / 2);
    expect(labels.centre_x_px).toBeGreaterThan(40);
    expect(labels.centre_x_px).toBeLessThan(120);
    expect(left).toBeGreaterThan(0);
    expect(row).toBeGreaterThan(0);
  });
});

describe('data sets', () => {
  it('writes PNGs plus labels.csv, byte-identical whatever the worker count', async () => {
    const a = await mkdtemp(join(tmpdir(), 'synth-a-'));
    const b = await mkdtemp(join(tmpdir(), 'synth-b-'));
    try {
      await writeDataset({ count: 6, seed: 77, sizePx: 48, outDir: a, workers: 2 });
      await writeDataset({ count: 6, seed: 77, sizePx: 48, outDir: b, workers: 1 });
      const files = (await readdir(a)).sort();
      expect(files).toEqual(['000000.png', '000001.png', '000002.png', '000003.png', '000004.png', '000005.png', 'labels.csv']);
      for (const file of files) expect((await readFile(join(a, file))).equals(await readFile(join(b, file)))).toBe(true);
      const [header, ...rows] = (await readFile(join(a, 'labels.csv'), 'utf8')).trim().split('\n');
      expect(header.split(',')).toEqual([...LABEL_COLUMNS]);
      expect(rows).toHaveLength(6);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });

  it('renders a clarity subset as the same files and rows as the full set', async () => {
    const full = await mkdtemp(join(tmpdir(), 'synth-full-'));
    const subset = await mkdtemp(join(tmpdir(), 'synth-subset-'));
    try {
      const indices = indicesWithClarity(5, 30, ['VS1', 'VS2']);
      expect(indices.length).toBeGreaterThan(2);
      expect(indices.length).toBeLessThan(30);
      for (let i = 0; i < 30; i++) expect(indices.includes(i)).toBe(['VS1', 'VS2'].includes(stoneAt(5, i).clarity));
      await writeDataset({ count: 30, seed: 5, sizePx: 40, outDir: full, workers: 2 });
      await writeDataset({ count: 30, indices, seed: 5, sizePx: 40, outDir: subset, workers: 2 });
      const [fullHeader, ...fullRows] = (await readFile(join(full, 'labels.csv'), 'utf8')).trim().split('\n');
      const [subsetHeader, ...subsetRows] = (await readFile(join(subset, 'labels.csv'), 'utf8')).trim().split('\n');
      expect(subsetHeader).toBe(fullHeader);
      expect(subsetRows).toEqual(indices.map((i) => fullRows[i]));
      const files = (await readdir(subset)).filter((f) => f.endsWith('.png')).sort();
      expect(files).toEqual(subsetRows.map((row) => row.split(',')[0]));
      for (const file of files) expect((await readFile(join(subset, file))).equals(await readFile(join(full, file)))).toBe(true);
    } finally {
      await rm(full, { recursive: true, force: true });
      await rm(subset, { recursive: true, force: true });
    }
  });
});
