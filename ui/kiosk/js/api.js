// The daemon's HTTP API (docs/INTERFACES.md §5). Every request has a deadline.
import { parseErrorBody, parseHealth, parseRecord } from './types.js';

/** @typedef {import('./types.js').GradeRecord} GradeRecord */
/** @typedef {import('./types.js').Health} Health */

const REQUEST_TIMEOUT_MS = 8000;

/** An error a person can read, with a code the page can branch on. */
export class ApiError extends Error {
  /** @param {string} code @param {string} message @param {number} status 0 when no response came */
  constructor(code, message, status) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/**
 * @param {string} path
 * @param {RequestInit & { timeoutMs?: number }} [init]
 * @returns {Promise<Response>}
 */
async function request(path, init = {}) {
  const { timeoutMs = REQUEST_TIMEOUT_MS, ...rest } = init;
  try {
    return await fetch(path, { cache: 'no-store', ...rest, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw timedOut
      ? new ApiError('REQUEST_TIMEOUT', 'The grader took too long to answer.', 0)
      : new ApiError('DAEMON_UNREACHABLE', 'Cannot reach the grader.', 0);
  }
}

/** @param {Response} response */
async function readJson(response) {
  try {
    return await response.json();
  } catch {
    throw new ApiError('BAD_RESPONSE', 'The grader sent an unreadable answer.', response.status);
  }
}

/** @param {Response} response */
async function failure(response) {
  const body = parseErrorBody(await readJson(response).catch(() => null));
  if (body) return new ApiError(body.code, body.message, response.status);
  return new ApiError(`HTTP_${response.status}`, `The grader answered ${response.status}.`, response.status);
}

/** @returns {Promise<GradeRecord>} a refusal by the quality gate throws ApiError with status 422 */
export async function gradeStone() {
  const response = await request('/api/grade', { method: 'POST', timeoutMs: 15000 });
  if (!response.ok) throw await failure(response);
  const record = parseRecord((await readJson(response))?.record);
  if (!record) throw new ApiError('BAD_RESPONSE', 'The grader sent an incomplete grade.', response.status);
  return record;
}

/** @param {number} limit @returns {Promise<GradeRecord[]>} newest first */
export async function recentGrades(limit) {
  const response = await request(`/api/grades?limit=${encodeURIComponent(String(limit))}`);
  if (!response.ok) throw await failure(response);
  const body = await readJson(response);
  const grades = Array.isArray(body?.grades) ? body.grades : [];
  /** @type {GradeRecord[]} */
  const records = [];
  for (const item of grades) {
    const record = parseRecord(item);
    if (record) records.push(record);
  }
  return records;
}

/** @returns {Promise<Health>} */
export async function health() {
  const response = await request('/api/health', { timeoutMs: 4000 });
  if (!response.ok) throw await failure(response);
  const parsed = parseHealth(await readJson(response));
  if (!parsed) throw new ApiError('BAD_RESPONSE', 'The grader sent an unreadable status.', response.status);
  return parsed;
}

/** @returns {Promise<Blob>} the latest camera frame */
export async function previewFrame() {
  const response = await request('/api/preview', { timeoutMs: 4000 });
  if (!response.ok) throw await failure(response);
  return response.blob();
}

/** @param {string} id */
export function thumbnailUrl(id) {
  return `/api/grades/${encodeURIComponent(id)}/thumbnail`;
}
