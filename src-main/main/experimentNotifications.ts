import { Notification } from 'electron';
import { experimentEndWatcher } from '../../src-shared/experimentEnd';
import type { WorkbenchApi } from '../api/workbenchApi';

/**
 * The desktop app's system notification when an experiment's last run ends: one per experiment
 * (a run re-queued later ends without a second one), none where the system has no notifications.
 */
export function notifyEndedExperiments(api: WorkbenchApi): void {
  if (!Notification.isSupported()) return;
  const watch = experimentEndWatcher(
    (id) => api.call('experiments/get', { id }),
    ({ title, body }) => new Notification({ title, body }).show(),
  );
  api.subscribe((event, payload) => {
    if (event === 'run/state') void watch(payload);
  });
}
