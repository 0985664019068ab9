/** A grade record shaped like docs/INTERFACES.md §3, for checks of the page's own rendering. */
export function sampleRecord(overrides: { colour?: string; clarity?: string; cut?: string; confidence?: number } = {}) {
  const head = (grade: string, top: string, confidence: number) => ({ grade, top, confidence, probabilities: [confidence, 1 - confidence] });
  const confidence = overrides.confidence ?? 0.93;
  return {
    schema: 'loupe.grade/v1',
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    deviceId: 'dev-1',
    storeId: 'store-1',
    createdAt: '2025-01-15T14:05:00.000Z',
    modelVersion: 'loupe-rb@1.0.0',
    frameSha256: 'a'.repeat(64),
    grades: {
      colour: head(overrides.colour ?? 'G', 'G', confidence),
      clarity: head(overrides.clarity ?? 'VS1', 'VS1', confidence),
      cut: head(overrides.cut ?? 'Excellent', 'Excellent', confidence),
    },
    carat: { value: 0.52, diameterMm: 5.18, depthPct: 61.8, depthSource: 'model' as const, mmPerPx: 0.02, diameterPx: 259 },
    signature: { alg: 'ed25519' as const, keyId: 'k1', value: 'c2ln' },
  };
}
