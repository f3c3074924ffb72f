import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hoursText } from '../../src-shared/estimate/words';
import type { WorkbenchApi } from '../api/workbenchApi';
import { DB_FILE } from '../store/database';

/**
 * A sweep's expected wall time as the New experiment form says it, from the `experiments/estimate`
 * channel: "Estimated time: about 1 h 40 min on 2 workers · from 240 epochs of similar runs on
 * native-avx512". An estimate that cannot be made is said with why, never stops the command: it is
 * advice, not a check.
 */
export async function estimateLine(api: WorkbenchApi, home: string, spec: unknown, workers?: number): Promise<string> {
  try {
    const e = await api.call('experiments/estimate', { spec, ...(workers === undefined ? {} : { workers }) });
    const over = e.overThreshold ? ` · longer than your threshold of ${hoursText(e.confirmAboveSeconds / 3600)} (the app asks to confirm such a sweep)` : '';
    return `Estimated time: ${e.text} · ${e.basis}${over}`;
  } catch (error) {
    // a preview never creates the database: with none yet, nothing was measured here
    if (!existsSync(join(home, DB_FILE))) return `No time estimate: nothing has been trained in ${home} yet (it holds no experiment database); run a sweep there first`;
    return `No time estimate: ${error instanceof Error ? error.message : String(error)}`;
  }
}
