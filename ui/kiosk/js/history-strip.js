// The strip of recent grades along the bottom; tapping one shows its card again.
import { thumbnailUrl } from './api.js';
import { byId, el } from './dom.js';
import { formatTime, historySummary, needsGemologist } from './format.js';

/** @typedef {import('./types.js').GradeRecord} GradeRecord */

export const HISTORY_LIMIT = 12;

/** @param {(record: GradeRecord) => void} onSelect */
export function createHistoryStrip(onSelect) {
  /** @type {GradeRecord[]} */
  let records = [];

  const render = () => {
    const items = records.map((record) =>
      el('li', {}, [
        el('button', { className: 'history-item', attrs: { type: 'button', 'data-record-id': record.id, 'data-referred': String(needsGemologist(record)) } }, [
          el('img', { className: 'history-thumb', attrs: { src: thumbnailUrl(record.id), alt: '', loading: 'lazy', width: '72', height: '72' } }),
          el('span', { className: 'history-summary', text: historySummary(record) }),
          el('span', { className: 'history-time', text: formatTime(record.createdAt) }),
        ]),
      ]),
    );
    byId('history').replaceChildren(...items);
    byId('history-empty').hidden = records.length > 0;
  };

  byId('history').addEventListener('click', (event) => {
    const button = /** @type {HTMLElement | null} */ (event.target instanceof Element ? event.target.closest('[data-record-id]') : null);
    const record = button && records.find((r) => r.id === button.dataset.recordId);
    if (record) onSelect(record);
  });

  return {
    /** @param {GradeRecord[]} newestFirst */
    replace(newestFirst) {
      records = newestFirst.slice(0, HISTORY_LIMIT);
      render();
    },
    /** The same grade arrives by the POST reply and the socket; it is shown once. @param {GradeRecord} record */
    add(record) {
      if (records.some((r) => r.id === record.id)) return;
      records = [record, ...records].slice(0, HISTORY_LIMIT);
      render();
    },
  };
}
