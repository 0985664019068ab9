import { beforeAll, describe, expect, it } from 'vitest';
import { importKioskModule, type BackoffModule, type ConfidenceModule, type FormatModule, type TypesModule } from './helpers/kiosk-modules.ts';
import { sampleRecord } from './helpers/records.ts';

let confidence: ConfidenceModule;
let backoff: BackoffModule;
let format: FormatModule;
let types: TypesModule;

beforeAll(async () => {
  confidence = await importKioskModule<ConfidenceModule>('confidence.js');
  backoff = await importKioskModule<BackoffModule>('backoff.js');
  format = await importKioskModule<FormatModule>('format.js');
  types = await importKioskModule<TypesModule>('types.js');
});

describe('confidence words', () => {
  it('maps probabilities to four plain words at the band edges', () => {
    expect(confidence.confidenceWord(0.95).word).toBe('Very sure');
    expect(confidence.confidenceWord(0.9).word).toBe('Very sure');
    expect(confidence.confidenceWord(0.89).word).toBe('Sure');
    expect(confidence.confidenceWord(0.75).word).toBe('Sure');
    expect(confidence.confidenceWord(0.6).word).toBe('Fairly sure');
    expect(confidence.confidenceWord(0.49).word).toBe('Unsure');
    expect(confidence.confidenceWord(0.49).level).toBe('low');
  });

  it('clamps nonsense to the ends of the bar', () => {
    expect(confidence.confidencePercent(1.7)).toBe(100);
    expect(confidence.confidencePercent(-1)).toBe(0);
    expect(confidence.confidencePercent(Number.NaN)).toBe(0);
    expect(confidence.confidencePercent(0.456)).toBe(46);
    expect(confidence.confidenceWord(Number.NaN).word).toBe('Unsure');
  });
});

describe('reconnect back-off', () => {
  it('doubles from the base up to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 30, 1e9].map((n) => backoff.reconnectDelayMs(n));
    expect(delays).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });

  it('treats a nonsense attempt number as the first', () => {
    expect(backoff.reconnectDelayMs(-3)).toBe(250);
    expect(backoff.reconnectDelayMs(1.7)).toBe(500);
  });
});

describe('display text', () => {
  it('formats carats and says how the carat was found', () => {
    expect(format.formatCarat(0.5)).toBe('0.50 ct');
    expect(format.caratBasis({ diameterMm: 5.18, depthPct: 61.84, depthSource: 'model' })).toBe('Measured: 5.18 mm across, depth 61.8 %');
    expect(format.caratBasis({ diameterMm: 5.18, depthPct: 61.8, depthSource: 'ideal' })).toContain('ideal depth assumed');
  });

  it('flags a record for a gemologist when any head says refer', () => {
    expect(format.needsGemologist(sampleRecord())).toBe(false);
    expect(format.needsGemologist(sampleRecord({ clarity: 'refer' }))).toBe(true);
    expect(format.historySummary(sampleRecord({ colour: 'refer' }))).toBe('? · VS1 · 0.52 ct');
  });

  it('reports sync state and backlog in the chip', () => {
    expect(format.syncChip({ state: 'online', backlog: 0, refused: null })).toEqual({ text: 'HQ online', tone: 'ok' });
    expect(format.syncChip({ state: 'online', backlog: 12, refused: 'SIGNATURE_KEY_UNKNOWN' })).toEqual({ text: 'HQ has not enrolled this device · 12 kept', tone: 'bad' });
    expect(format.syncChip({ state: 'online', backlog: 0, refused: 'SIGNATURE_KEY_REVOKED' })).toEqual({ text: "HQ revoked this device's key", tone: 'bad' });
    expect(format.syncChip({ state: 'offline', backlog: 12, refused: null })).toEqual({ text: 'HQ offline · 12 waiting', tone: 'warn' });
    expect(format.cameraChip({ kind: 'synthetic', ready: false }).tone).toBe('bad');
    expect(format.modelChip({ name: 'loupe-rb', version: '1.0.0', provider: 'cpu' }).text).toBe('Model loupe-rb 1.0.0 · cpu');
  });
});

describe('incoming data checks', () => {
  it('accepts a well-formed record and drops broken ones', () => {
    expect(types.parseRecord(sampleRecord())).not.toBeNull();
    expect(types.parseRecord({ ...sampleRecord(), grades: { colour: {} } })).toBeNull();
    expect(types.parseRecord({ ...sampleRecord(), carat: { value: 'big' } })).toBeNull();
    expect(types.parseRecord(null)).toBeNull();
  });

  it('parses socket messages by type and ignores junk', () => {
    expect(types.parseSocketMessage(JSON.stringify({ type: 'grade', record: sampleRecord() }))?.type).toBe('grade');
    expect(types.parseSocketMessage(JSON.stringify({ type: 'rejected', error: { code: 'STONE_OFF_CENTRE', message: 'Move it' } }))).toEqual({
      type: 'rejected',
      error: { code: 'STONE_OFF_CENTRE', message: 'Move it' },
    });
    expect(types.parseSocketMessage('{not json')).toBeNull();
    expect(types.parseSocketMessage(JSON.stringify({ type: 'grade', record: { id: 'x' } }))).toBeNull();
    expect(types.parseSocketMessage(JSON.stringify({ type: 'shutdown' }))).toBeNull();
  });

  it('reads the health backlog as a count, or from an outbox backlog object', () => {
    const base = { ok: true, version: '0.1.0', model: { name: 'm', version: '1', provider: 'cpu', trainedOn: 'synthetic' }, camera: { kind: 'synthetic', ready: true } };
    expect(types.parseHealth({ ...base, sync: { state: 'online', backlog: 3 } })?.sync).toEqual({ state: 'online', backlog: 3, refused: null });
    expect(types.parseHealth({ ...base, sync: { state: 'online', backlog: 3, refused: 'SIGNATURE_KEY_UNKNOWN' } })?.sync.refused).toBe('SIGNATURE_KEY_UNKNOWN');
    expect(types.parseHealth({ ...base, sync: { state: 'online', backlog: 3, refused: 42 } })?.sync.refused).toBeNull();
    expect(types.parseHealth({ ...base, sync: { state: 'online', backlog: { count: 7, oldestCreatedAt: null } } })?.sync.backlog).toBe(7);
    expect(types.parseHealth({ ...base, sync: { state: 'weird', backlog: 0 } })?.sync.state).toBe('offline');
    expect(types.parseHealth({ ok: true })).toBeNull();
  });

  it('reads the API error envelope', () => {
    expect(types.parseErrorBody({ error: { code: 'STONE_NOT_FOUND', message: 'No stone found.' } })).toEqual({ code: 'STONE_NOT_FOUND', message: 'No stone found.' });
    expect(types.parseErrorBody({ error: 'boom' })).toBeNull();
  });
});
