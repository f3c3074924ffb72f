import { ref } from 'vue';
import { experimentEndWatcher } from '../../src-shared/experimentEnd';
import type { Api } from './api';

const KEY = 'workbench-notify-ended';

/** In the desktop app main shows system notifications itself; browser mode needs the browser's. */
export const inBrowserMode = (): boolean => !(window as unknown as { workbench?: unknown }).workbench;

const canNotify = (): boolean => typeof Notification !== 'undefined';

function stored(): boolean {
  try {
    return localStorage.getItem(KEY) === 'true';
  } catch {
    return false;
  }
}

/** The user's "Notify me" choice in this browser (kept across reloads), and the browser's permission. */
export const notifyChoice = ref(stored());
export const notifyPermission = ref<NotificationPermission | 'unsupported'>(canNotify() ? Notification.permission : 'unsupported');

/**
 * Turns browser notifications on or off. On asks the browser's permission, so it must be called
 * from a user gesture (the toggle's click); a refusal leaves it off and says so through notifyPermission.
 */
export async function setNotify(on: boolean): Promise<void> {
  if (on && canNotify() && Notification.permission === 'default') notifyPermission.value = await Notification.requestPermission();
  notifyChoice.value = on && notifyPermission.value === 'granted';
  try {
    localStorage.setItem(KEY, String(notifyChoice.value));
  } catch {
    // the choice lasts for this page only
  }
}

/**
 * Browser mode: a notification when an experiment's last run ends, one per experiment, while the
 * user's choice is on and the browser allows it. Started once for the page (not per view), so it
 * works on whichever view is open.
 */
export function startBrowserNotifications(api: Api): void {
  if (!inBrowserMode() || !canNotify()) return;
  const watch = experimentEndWatcher(
    (id) => api.call('experiments/get', { id }),
    ({ title, body }, id) => {
      if (notifyChoice.value && Notification.permission === 'granted') new Notification(title, { body, tag: `experiment-${id}` });
    },
  );
  api.on('run/state', (e) => void watch(e));
}
