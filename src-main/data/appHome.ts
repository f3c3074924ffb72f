import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder name the app data lives under; Electron's userData uses the productName too. */
export const APP_FOLDER = 'CIFAR-10 Workbench';

/** The per-OS application data folder (what Electron calls appData). */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform, home = homedir()): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(home, '.local', 'share');
}

/**
 * Where the dataset cache and the database live: the --home flag, else WORKBENCH_HOME, else
 * `<appData>/CIFAR-10 Workbench` (the Electron app passes its userData folder as the flag does).
 */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag;
  if (env.WORKBENCH_HOME) return env.WORKBENCH_HOME;
  return join(appDataDir(env), APP_FOLDER);
}
