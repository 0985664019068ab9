// Shapes of what the daemon sends (docs/INTERFACES.md §3, §5), and light runtime checks:
// the page has no bundler, so no zod here; anything malformed is dropped, never rendered.

/**
 * @typedef {{ grade: string, top: string, confidence: number, probabilities: number[] }} HeadGrade
 * @typedef {{
 *   id: string, createdAt: string, modelVersion: string,
 *   grades: { colour: HeadGrade, clarity: HeadGrade, cut: HeadGrade },
 *   carat: { value: number, diameterMm: number, depthPct: number, depthSource: 'model' | 'ideal', mmPerPx: number, diameterPx: number },
 * }} GradeRecord
 * @typedef {{
 *   ok: boolean, version: string,
 *   model: { name: string, version: string, provider: string, trainedOn: string },
 *   camera: { kind: string, ready: boolean },
 *   sync: { state: 'offline' | 'connecting' | 'online', backlog: number, refused: string | null },
 * }} Health
 * @typedef {{ code: string, message: string }} ApiErrorBody
 * @typedef {{ type: 'grade', record: GradeRecord } | { type: 'rejected', error: ApiErrorBody } | { type: 'status', health: Health }} SocketMessage
 */

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** @param {unknown} v */
const isText = (v) => typeof v === 'string' && v.length > 0;
/** @param {unknown} v */
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** @param {unknown} v @returns {v is HeadGrade} */
function isHeadGrade(v) {
  return isObject(v) && isText(v.grade) && isText(v.top) && isNumber(v.confidence);
}

/** @param {unknown} v @returns {GradeRecord | null} */
export function parseRecord(v) {
  if (!isObject(v) || !isText(v.id) || !isText(v.createdAt) || !isObject(v.grades) || !isObject(v.carat)) return null;
  const { colour, clarity, cut } = v.grades;
  if (!isHeadGrade(colour) || !isHeadGrade(clarity) || !isHeadGrade(cut)) return null;
  if (!isNumber(v.carat.value) || !isNumber(v.carat.diameterMm) || !isNumber(v.carat.depthPct)) return null;
  return /** @type {GradeRecord} */ (v);
}

/** @param {unknown} v @returns {ApiErrorBody | null} */
export function parseErrorBody(v) {
  const error = isObject(v) ? v.error : undefined;
  if (!isObject(error) || !isText(error.code)) return null;
  return { code: error.code, message: isText(error.message) ? error.message : error.code };
}

/**
 * The backlog is a count; an outbox `{ count }` object is accepted too.
 * @param {unknown} v @returns {Health | null}
 */
export function parseHealth(v) {
  if (!isObject(v) || !isObject(v.model) || !isObject(v.camera) || !isObject(v.sync)) return null;
  const backlog = isNumber(v.sync.backlog) ? v.sync.backlog : isObject(v.sync.backlog) && isNumber(v.sync.backlog.count) ? v.sync.backlog.count : 0;
  const state = ['offline', 'connecting', 'online'].includes(v.sync.state) ? v.sync.state : 'offline';
  return {
    ok: v.ok === true,
    version: String(v.version ?? ''),
    model: { name: String(v.model.name ?? '?'), version: String(v.model.version ?? '?'), provider: String(v.model.provider ?? '?'), trainedOn: String(v.model.trainedOn ?? '') },
    camera: { kind: String(v.camera.kind ?? '?'), ready: v.camera.ready === true },
    sync: { state, backlog, refused: isText(v.sync.refused) ? v.sync.refused : null },
  };
}

/** @param {string} text @returns {SocketMessage | null} */
export function parseSocketMessage(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data)) return null;
  if (data.type === 'grade') {
    const record = parseRecord(data.record);
    return record ? { type: 'grade', record } : null;
  }
  if (data.type === 'rejected') {
    const error = parseErrorBody({ error: data.error });
    return error ? { type: 'rejected', error } : null;
  }
  if (data.type === 'status') {
    const health = parseHealth(data.health);
    return health ? { type: 'status', health } : null;
  }
  return null;
}
