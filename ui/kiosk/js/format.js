// Display text for grades, carats, times and status. Pure; no DOM.

/** @typedef {import('./types.js').GradeRecord} GradeRecord */
/** @typedef {import('./types.js').Health} Health */

export const REFER = 'refer';
export const REFER_TEXT = 'Refer to a gemologist';

/** @param {number} carat */
export function formatCarat(carat) {
  return `${carat.toFixed(2)} ct`;
}

/** @param {GradeRecord['carat']} carat */
export function caratBasis(carat) {
  const diameter = `${carat.diameterMm.toFixed(2)} mm across`;
  return carat.depthSource === 'model'
    ? `Measured: ${diameter}, depth ${carat.depthPct.toFixed(1)} %`
    : `Estimated: ${diameter}, ideal depth assumed`;
}

/**
 * Local wall-clock time of a record, e.g. "14:05".
 * @param {string} iso
 */
export function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/**
 * One-line summary for the history strip, e.g. "G · VS1 · 0.52 ct".
 * @param {GradeRecord} record
 */
export function historySummary(record) {
  const head = (/** @type {'colour' | 'clarity' | 'cut'} */ name) => {
    const grade = record.grades[name].grade;
    return grade === REFER ? '?' : grade;
  };
  return `${head('colour')} · ${head('clarity')} · ${formatCarat(record.carat.value)}`;
}

/** @param {GradeRecord} record */
export function needsGemologist(record) {
  return Object.values(record.grades).some((g) => g.grade === REFER);
}

/**
 * @param {Health['sync']} sync
 * @returns {{ text: string, tone: 'ok' | 'warn' | 'bad' }}
 */
export function syncChip(sync) {
  const waiting = sync.backlog > 0 ? ` · ${sync.backlog} waiting` : '';
  // HQ turns this device's grades away until its key is enrolled (or a new one is, after a
  // revocation); they are kept meanwhile.
  const kept = sync.backlog > 0 ? ` · ${sync.backlog} kept` : '';
  if (sync.refused === 'SIGNATURE_KEY_REVOKED') return { text: `HQ revoked this device's key${kept}`, tone: 'bad' };
  if (sync.refused) return { text: `HQ has not enrolled this device${kept}`, tone: 'bad' };
  if (sync.state === 'online') return { text: `HQ online${waiting}`, tone: sync.backlog > 0 ? 'warn' : 'ok' };
  if (sync.state === 'connecting') return { text: `HQ connecting${waiting}`, tone: 'warn' };
  return { text: `HQ offline${waiting}`, tone: 'warn' };
}

/**
 * @param {Health['camera']} camera
 * @returns {{ text: string, tone: 'ok' | 'warn' | 'bad' }}
 */
export function cameraChip(camera) {
  return camera.ready ? { text: `Camera ready (${camera.kind})`, tone: 'ok' } : { text: 'Camera not ready', tone: 'bad' };
}

/**
 * @param {Health['model']} model
 * @returns {{ text: string, tone: 'ok' | 'warn' | 'bad' }}
 */
export function modelChip(model) {
  return { text: `Model ${model.name} ${model.version} · ${model.provider}`, tone: 'ok' };
}
