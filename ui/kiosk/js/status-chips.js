// Model, camera and HQ-sync chips in the top bar.
import { byId } from './dom.js';
import { cameraChip, modelChip, syncChip } from './format.js';

/** @typedef {import('./types.js').Health} Health */

/** @param {string} id @param {{ text: string, tone: string }} chip */
function setChip(id, chip) {
  const node = byId(id);
  node.textContent = chip.text;
  node.dataset.tone = chip.tone;
}

/** @param {Health} health */
export function showHealth(health) {
  setChip('chip-model', modelChip(health.model));
  setChip('chip-camera', cameraChip(health.camera));
  setChip('chip-sync', syncChip(health.sync));
}

/** While the daemon is unreachable nothing it said earlier can be trusted. */
export function showHealthUnknown() {
  setChip('chip-camera', { text: 'Camera unknown', tone: 'unknown' });
  setChip('chip-sync', { text: 'HQ unknown', tone: 'unknown' });
}
