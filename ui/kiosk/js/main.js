// Wires the kiosk page together: API calls, live socket, and the page's parts.
import { ApiError, gradeStone, health, recentGrades } from './api.js';
import { byId } from './dom.js';
import { createGradeButton } from './grade-button.js';
import { createHistoryStrip, HISTORY_LIMIT } from './history-strip.js';
import { connectLiveSocket } from './live-socket.js';
import { startPreview } from './preview.js';
import { showRecord, showRefusal } from './result-view.js';
import { shellLog } from './shell-bridge.js';
import { showHealth, showHealthUnknown } from './status-chips.js';

/** @typedef {import('./types.js').GradeRecord} GradeRecord */

// The daemon pushes status over /ws; this poll is the fallback that keeps the chips honest
// (the sync backlog changes with every grade) if it pushes rarely.
const HEALTH_POLL_MS = 10_000;

const history = createHistoryStrip(showRecord);
let connected = false;

async function refreshHealth() {
  try {
    showHealth(await health());
  } catch {
    // The socket's state decides what the page says about reachability.
  }
}

/** @param {GradeRecord} record */
function showNewGrade(record) {
  showRecord(record);
  history.add(record);
  void refreshHealth();
}

const gradeButton = createGradeButton(async () => {
  try {
    showNewGrade(await gradeStone());
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('UNEXPECTED', String(error), 0);
    showRefusal(apiError);
    if (apiError.status !== 422) shellLog('warn', `grade failed: ${apiError.code} ${apiError.message}`);
  }
});

/** @type {string | null} */
let daemonVersion = null;

/** After every (re)connect the page re-reads what it may have missed. */
async function refresh() {
  const [healthResult, gradesResult] = await Promise.allSettled([health(), recentGrades(HISTORY_LIMIT)]);
  if (healthResult.status === 'fulfilled') {
    // A daemon that came back as a new version serves a new page too: load it.
    if (daemonVersion !== null && healthResult.value.version !== daemonVersion) {
      shellLog('info', `daemon ${daemonVersion} → ${healthResult.value.version}: reloading the page`);
      location.reload();
      return;
    }
    daemonVersion = healthResult.value.version;
    showHealth(healthResult.value);
  }
  if (gradesResult.status === 'fulfilled') history.replace(gradesResult.value);
}

connectLiveSocket({
  onState(state) {
    connected = state === 'open';
    byId('connection').hidden = state !== 'reconnecting';
    document.body.dataset.connection = state;
    gradeButton.setReachable(connected);
    if (connected) void refresh();
    else if (state === 'reconnecting') showHealthUnknown();
  },
  onMessage(message) {
    if (message.type === 'grade') showNewGrade(message.record);
    else if (message.type === 'rejected') showRefusal(message.error);
    else showHealth(message.health);
  },
});

startPreview();
setInterval(() => {
  if (connected) void refreshHealth();
}, HEALTH_POLL_MS);

window.addEventListener('error', (event) => shellLog('error', `page error: ${event.message}`));
