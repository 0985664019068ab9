// The right-hand panel: idle prompt, a grade card, or a refusal. Exactly one shows at a time.
import { confidencePercent, confidenceWord } from './confidence.js';
import { byId, el } from './dom.js';
import { caratBasis, formatCarat, formatTime, needsGemologist, REFER, REFER_TEXT } from './format.js';

/** @typedef {import('./types.js').GradeRecord} GradeRecord */
/** @typedef {import('./types.js').HeadGrade} HeadGrade */

const HEADS = /** @type {const} */ ([
  ['colour', 'Colour'],
  ['clarity', 'Clarity'],
  ['cut', 'Cut'],
]);

/** @param {'idle' | 'card' | 'refusal'} which */
function show(which) {
  byId('result-idle').hidden = which !== 'idle';
  byId('result-card').hidden = which !== 'card';
  byId('refusal').hidden = which !== 'refusal';
}

/** @param {string} label @param {HeadGrade} head */
function headTile(label, head) {
  const referred = head.grade === REFER;
  // A referred head fell below the model's own threshold, whatever band its number is in.
  const { word, level } = referred ? { word: 'Not sure enough', level: 'low' } : confidenceWord(head.confidence);
  const percent = confidencePercent(head.confidence);
  const bar = el('div', { className: 'bar', attrs: { role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent), 'aria-label': `${label} confidence` } }, [
    el('div', { className: 'bar-fill', attrs: { 'data-level': level } }),
  ]);
  // Width via CSSOM, which the CSP allows; a style="" attribute would be blocked.
  /** @type {HTMLElement} */ (bar.firstElementChild).style.width = `${percent}%`;
  const value = referred
    ? el('div', { className: 'grade-value referred', attrs: { 'data-head': label.toLowerCase() } }, [
        el('span', { className: 'refer-word', text: REFER_TEXT }),
        el('span', { className: 'top-guess', text: `best guess ${head.top}` }),
      ])
    : el('div', { className: 'grade-value', text: head.grade, attrs: { 'data-head': label.toLowerCase(), 'data-long': String(head.grade.length > 4) } });
  return el('div', { className: 'grade-tile', attrs: { 'data-referred': String(referred) } }, [
    el('div', { className: 'grade-label', text: label }),
    value,
    el('div', { className: 'confidence' }, [el('span', { className: 'confidence-word', text: word, attrs: { 'data-level': level } }), bar]),
  ]);
}

/** @param {GradeRecord} record */
function caratTile(record) {
  return el('div', { className: 'grade-tile' }, [
    el('div', { className: 'grade-label', text: 'Carat' }),
    el('div', { className: 'grade-value', text: formatCarat(record.carat.value), attrs: { 'data-head': 'carat' } }),
    el('div', { className: 'confidence' }, [el('span', { className: 'carat-basis', text: caratBasis(record.carat) })]),
  ]);
}

/** @param {GradeRecord} record */
export function showRecord(record) {
  const card = byId('result-card');
  const children = [
    el('header', { className: 'card-header' }, [
      el('h2', { className: 'card-title', text: 'Grade' }),
      el('span', { className: 'card-meta', text: `${formatTime(record.createdAt)} · ${record.modelVersion} · record ${record.id.slice(0, 8)}…${record.id.slice(-4)}` }),
    ]),
  ];
  if (needsGemologist(record)) {
    children.push(el('p', { className: 'refer-banner', attrs: { role: 'alert' }, text: `${REFER_TEXT} — some grades are uncertain.` }));
  }
  const tiles = [...HEADS.map(([name, label]) => headTile(label, record.grades[name])), caratTile(record)];
  children.push(el('div', { className: 'grade-tiles' }, tiles));
  card.dataset.recordId = record.id;
  card.replaceChildren(...children);
  show('card');
}

/**
 * A frame the quality gate refused, or a grade that could not be made.
 * @param {{ code: string, message: string }} error
 */
export function showRefusal(error) {
  const refusedByGate = error.code.startsWith('FRAME_') || error.code.startsWith('STONE_');
  byId('refusal-title').textContent = refusedByGate ? 'Stone not graded' : 'Could not grade';
  byId('refusal-message').textContent = error.message;
  byId('refusal').dataset.code = error.code;
  show('refusal');
}

export function showIdle() {
  show('idle');
}
