#!/usr/bin/env node
// Builds the native kernel addon (binding.gyp → build/Release/workbench_native.node) with node-gyp,
// offline, against the headers of the Node that runs it. Runs on `npm install` and before tests and
// benchmarks; skips when the sources are unchanged since the last build. A machine without a C
// toolchain still installs: the failure is recorded in build/native-build.json (the app then says
// once why it trains with WebAssembly) and this script exits 0. `--force` rebuilds; `--root DIR`
// builds another copy of the project (the tests use it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const root = args.includes('--root') ? args[args.indexOf('--root') + 1] : join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'src-main/engine/native/csrc');
const statusFile = join(root, 'build', 'native-build.json');
const addon = join(root, 'build', 'Release', 'workbench_native.node');

const hash = createHash('sha256').update(`node ${process.versions.modules} ${process.arch}\n`).update(readFileSync(join(root, 'binding.gyp')));
for (const f of readdirSync(srcDir).sort()) hash.update(f).update(readFileSync(join(srcDir, f)));
const digest = hash.digest('hex').slice(0, 16);

const previous = existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) : null;
if (!args.includes('--force') && previous?.hash === digest && (previous.ok ? existsSync(addon) : true)) process.exit(0);

function nodeGyp() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    const bundled = join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
    return existsSync(bundled) ? bundled : null;
  }
}

/** The headers of this Node: npm's nodedir setting, else the ones installed beside the binary (no download). */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include/node/node_api.h')) ? prefix : null;
}

function record(ok, reason) {
  mkdirSync(dirname(statusFile), { recursive: true });
  writeFileSync(statusFile, `${JSON.stringify({ ok, reason, hash: digest, node: process.version, date: new Date().toISOString() }, null, 2)}\n`);
}

const gyp = nodeGyp();
let reason = null;
if (!gyp) {
  reason = 'node-gyp was not found (it ships with npm)';
} else {
  const dir = nodeDir();
  const gypArgs = [gyp, 'rebuild', '--release', ...(dir ? [`--nodedir=${dir}`] : [])];
  console.log('buildNative: compiling the native kernels (node-gyp)…');
  const run = spawnSync(process.execPath, gypArgs, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status === 0 && existsSync(addon)) {
    record(true, null);
    console.log(`buildNative: ${addon}`);
    process.exit(0);
  }
  const lines = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines.find((l) => /error|not found|No such file|command not found/i.test(l) && !l.startsWith('gyp info')) ?? lines.at(-1) ?? `exit code ${run.status}`;
  reason = first.replace(/^gyp ERR! /, '').slice(0, 300);
}
record(false, reason);
console.warn(`buildNative: the native kernels could not be compiled: ${reason}.`);
console.warn('buildNative: the app will train with WebAssembly SIMD (slower). To get the native kernels, install a C compiler (Debian/Ubuntu: build-essential; macOS: Xcode command line tools; Windows: Visual Studio Build Tools with ClangCL) and run `npm run build:native`.');
