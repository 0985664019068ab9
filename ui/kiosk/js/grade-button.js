// The one big button. Disabled while a grade is running or the daemon is out of reach.
import { byId } from './dom.js';

/** @param {() => Promise<void>} onPress */
export function createGradeButton(onPress) {
  const button = /** @type {HTMLButtonElement} */ (byId('grade-button'));
  let busy = false;
  let reachable = false;

  const render = () => {
    button.disabled = busy || !reachable;
    button.textContent = busy ? 'Grading…' : reachable ? 'Grade stone' : 'Waiting for the grader…';
    button.setAttribute('aria-busy', String(busy));
  };

  button.addEventListener('click', async () => {
    if (button.disabled) return;
    busy = true;
    render();
    try {
      await onPress();
    } finally {
      busy = false;
      render();
    }
  });
  render();

  return {
    /** @param {boolean} value */
    setReachable(value) {
      reachable = value;
      render();
    },
  };
}
