// Where the e2e tests look for a browser on Linux, macOS and Windows (the path logic, with the
// environment and the file system injected), when they skip, and whether this machine has one.
import { describe, expect, it } from 'vitest';
import { BROWSER, browserCandidates, e2eSkipReason, findBrowser, type BrowserLookup } from './browserDiscovery';

const lookup = (platform: NodeJS.Platform, installed: string[], env: BrowserLookup['env'] = {}): BrowserLookup => ({ platform, env, exists: (p) => installed.includes(p) });

describe('findBrowser', () => {
  it('Linux: Debian/Ubuntu Chromium first, then Chrome, Edge, snap, and the names along PATH', () => {
    expect(findBrowser(lookup('linux', ['/usr/bin/google-chrome-stable', '/usr/bin/chromium'])).path).toBe('/usr/bin/chromium');
    expect(findBrowser(lookup('linux', ['/usr/bin/google-chrome-stable'])).path).toBe('/usr/bin/google-chrome-stable');
    expect(findBrowser(lookup('linux', ['/snap/bin/chromium'])).path).toBe('/snap/bin/chromium');
    expect(findBrowser(lookup('linux', ['/opt/microsoft/msedge/msedge'])).path).toBe('/opt/microsoft/msedge/msedge');
    expect(findBrowser(lookup('linux', ['/home/ann/.local/bin/chromium-browser'], { PATH: '/usr/local/bin:/home/ann/.local/bin' })).path).toBe('/home/ann/.local/bin/chromium-browser');
  });

  it('macOS: the app bundles in /Applications and ~/Applications, then Homebrew on PATH', () => {
    expect(findBrowser(lookup('darwin', ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'])).path).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(findBrowser(lookup('darwin', ['/Users/ann/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge'], { HOME: '/Users/ann' })).path).toBe('/Users/ann/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
    expect(findBrowser(lookup('darwin', ['/opt/homebrew/bin/chromium'], { PATH: '/opt/homebrew/bin:/usr/bin' })).path).toBe('/opt/homebrew/bin/chromium');
    expect(findBrowser(lookup('darwin', ['/usr/bin/chromium'])).path).toBeNull(); // a Linux place is not looked at
  });

  it('Windows: Chrome, Chromium and Edge under LOCALAPPDATA and both Program Files, whatever the case of the variables', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local', PROGRAMFILES: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)' };
    expect(findBrowser(lookup('win32', ['C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'], env)).path).toBe('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(findBrowser(lookup('win32', ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Users\\ann\\AppData\\Local\\Chromium\\Application\\chrome.exe'], env)).path).toBe('C:\\Users\\ann\\AppData\\Local\\Chromium\\Application\\chrome.exe');
    expect(findBrowser(lookup('win32', ['D:\\tools\\chrome.exe'], { ...env, Path: 'C:\\Windows;D:\\tools' })).path).toBe('D:\\tools\\chrome.exe');
    expect(browserCandidates('win32', {}).length).toBe(0);
  });

  it('CHROMIUM_PATH overrides the search, and one that names no file is the reason, not replaced', () => {
    expect(findBrowser(lookup('linux', ['/usr/bin/chromium', '/opt/c/chrome'], { CHROMIUM_PATH: '/opt/c/chrome' })).path).toBe('/opt/c/chrome');
    expect(findBrowser(lookup('win32', ['E:\\c.exe'], { chromium_path: 'E:\\c.exe' })).path).toBe('E:\\c.exe'); // Windows ignores case
    expect(findBrowser(lookup('linux', ['/usr/bin/chromium'], { chromium_path: '/nope' })).path).toBe('/usr/bin/chromium'); // Linux does not
    expect(findBrowser(lookup('linux', ['/usr/bin/chromium'], { CHROMIUM_PATH: '/nope/chrome' }))).toEqual({ path: null, missing: 'CHROMIUM_PATH is /nope/chrome, which does not exist' });
  });

  it('says where it looked and what to install when there is none', () => {
    const linux = findBrowser(lookup('linux', [], { PATH: '/usr/bin' })).missing!;
    expect(linux).toMatch(/^no Chromium, Chrome or Edge found \(looked at \/usr\/bin\/chromium, .*\/opt\/microsoft\/msedge\/msedge and for chromium, .* on PATH\): apt-get install -y chromium .*, or set CHROMIUM_PATH/);
    expect(findBrowser(lookup('darwin', [])).missing).toMatch(/\/Applications\/Google Chrome\.app.*brew install --cask chromium/);
    expect(findBrowser(lookup('win32', [], { LOCALAPPDATA: 'C:\\L' })).missing).toMatch(/C:\\L\\Google\\Chrome\\Application\\chrome\.exe.*install Chrome or Edge/);
  });
});

describe('e2eSkipReason', () => {
  const missing = { path: null, missing: 'no Chromium, Chrome or Edge found' } as const;
  it('skips only when there is no browser and CI is not true; under CI=true the tests run and fail', () => {
    expect(e2eSkipReason({ path: '/usr/bin/chromium', missing: null }, {})).toBeNull();
    expect(e2eSkipReason(missing, {})).toBe('the e2e tests need a browser: no Chromium, Chrome or Edge found');
    expect(e2eSkipReason(missing, { CI: 'false' })).not.toBeNull();
    expect(e2eSkipReason(missing, { CI: 'true' })).toBeNull();
  });
});

const skip = e2eSkipReason(BROWSER, process.env);
if (skip) console.log(`skipped: ${skip}`);

describe.skipIf(skip !== null)('this machine', () => {
  it('has a browser for the e2e tests (under CI=true, a missing one fails here with the reason)', () => {
    expect(BROWSER.missing).toBeNull();
    expect(BROWSER.path).toBeTruthy();
  });
});
