import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

/** What the search looks at: injected so the path logic of every OS can be tested on any OS. */
export interface BrowserLookup {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
}

/** The browser the e2e tests drive, or why there is none. */
export type BrowserFound = { path: string; missing: null } | { path: null; missing: string };

const UNIX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];
const LINUX_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome', '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/opt/microsoft/msedge/msedge'];
const MAC_APPS = ['Chromium.app/Contents/MacOS/Chromium', 'Google Chrome.app/Contents/MacOS/Google Chrome', 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'];
const WINDOWS_APPS = ['Chromium\\Application\\chrome.exe', 'Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];

/** An environment variable by name; on Windows ignoring case, as Windows does (`ProgramFiles`, `PROGRAMFILES`). */
function envVar(env: BrowserLookup['env'], name: string, platform: NodeJS.Platform): string | undefined {
  const key = platform === 'win32' ? Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase()) : name;
  return key === undefined ? undefined : env[key] || undefined;
}

/** Where Chromium, Chrome or Edge is installed by its own installer or package on `platform`. */
export function installLocations(platform: NodeJS.Platform, env: BrowserLookup['env']): string[] {
  if (platform === 'win32') {
    const roots = ['LOCALAPPDATA', 'ProgramFiles', 'ProgramFiles(x86)'].map((n) => envVar(env, n, platform)).filter((r): r is string => !!r);
    return roots.flatMap((root) => WINDOWS_APPS.map((app) => win32.join(root, app)));
  }
  if (platform === 'darwin') {
    const home = envVar(env, 'HOME', platform);
    return ['/Applications', ...(home ? [posix.join(home, 'Applications')] : [])].flatMap((f) => MAC_APPS.map((app) => posix.join(f, app)));
  }
  return LINUX_PATHS;
}

/**
 * Every place looked at, in order: the install locations first, then the browsers' executable names
 * in each folder of PATH (where Linux packages, Homebrew and scoop put them).
 */
export function browserCandidates(platform: NodeJS.Platform, env: BrowserLookup['env']): string[] {
  const windows = platform === 'win32';
  const names = windows ? ['chrome.exe', 'msedge.exe'] : UNIX_NAMES;
  const folders = (envVar(env, 'PATH', platform) ?? '').split(windows ? ';' : ':').filter(Boolean);
  const onPath = folders.flatMap((dir) => names.map((n) => (windows ? win32 : posix).join(dir, n)));
  return [...new Set([...installLocations(platform, env), ...onPath])];
}

/**
 * The first installed Chromium, Chrome or Edge; `CHROMIUM_PATH` overrides the search (and, when it
 * names no file, is reported as the reason rather than silently replaced by another browser).
 */
export function findBrowser({ env, platform, exists }: BrowserLookup): BrowserFound {
  const override = envVar(env, 'CHROMIUM_PATH', platform);
  if (override) {
    return exists(override) ? { path: override, missing: null } : { path: null, missing: `CHROMIUM_PATH is ${override}, which does not exist` };
  }
  const path = browserCandidates(platform, env).find((p) => exists(p));
  if (path) return { path, missing: null };
  const install =
    platform === 'win32' ? 'install Chrome or Edge' : platform === 'darwin' ? 'install Chrome, Edge or Chromium (brew install --cask chromium)' : 'apt-get install -y chromium (or install Chrome or Edge)';
  const names = platform === 'win32' ? 'chrome.exe, msedge.exe' : UNIX_NAMES.join(', ');
  return { path: null, missing: `no Chromium, Chrome or Edge found (looked at ${installLocations(platform, env).join(', ')} and for ${names} on PATH): ${install}, or set CHROMIUM_PATH to the browser's executable` };
}

/**
 * Whether the e2e tests of this run are skipped, and why: only when no browser is found and CI is not
 * set. Under CI=true a missing browser is never a reason to skip: the tests then fail with it.
 */
export function e2eSkipReason(found: BrowserFound, env: BrowserLookup['env']): string | null {
  if (found.missing === null || env.CI === 'true') return null;
  return `the e2e tests need a browser: ${found.missing}`;
}

/** This machine's browser for the e2e tests and the screenshots script. */
export const BROWSER = findBrowser({ env: process.env, platform: process.platform, exists: existsSync });
