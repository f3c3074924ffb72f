#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/electron-<version>/ (once per Electron
// version), leaving node_modules' Node build untouched so `npm test` keeps working after `npm start`.
// The main process passes this file to better-sqlite3 as its nativeBinding.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronPkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8'));
const target = join(root, '.native', `electron-${electronPkg.version}`, 'better_sqlite3.node');
if (existsSync(target)) process.exit(0);

let electronBinary = null;
try {
  electronBinary = require('electron');
} catch {
  electronBinary = null;
}
if (!electronBinary || !existsSync(electronBinary)) {
  console.error('electronNative: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD?); the desktop app cannot start here. Everything else runs under Node.');
  process.exit(1);
}

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'sqlite-electron-'));
cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${source}/build`) });
const nodeGyp = process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js');
console.log(`electronNative: building better-sqlite3 for Electron ${electronPkg.version} (${process.arch})…`);
execFileSync(process.execPath, [nodeGyp, 'rebuild', '--release', `--target=${electronPkg.version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit' });
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
rmSync(work, { recursive: true, force: true });
console.log(`electronNative: ${target}`);
