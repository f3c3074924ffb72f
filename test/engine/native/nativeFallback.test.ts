import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reachableLevels } from '../../helpers/nativeLevels';

// What a machine without the addon gets: the loader pointed at a folder with no build (as after an
// install whose compile failed or was skipped) must fall back to WebAssembly and say why, and an
// explicit `native` must fail with that reason. Each case runs in a fresh process, since the loader
// decides once per thread.

const ROOT = join(import.meta.dirname, '../../..');
const CHILD = join(ROOT, 'test/helpers/kernelChild.ts');
const scratch = mkdtempSync(join(tmpdir(), 'native-fallback-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface ChildReport {
  auto?: string;
  reportAuto?: string;
  message?: string;
  nativeAvailable?: boolean;
  autoError?: string;
  native?: string;
  nativeError?: { code?: string; message: string };
}

function child(env: Record<string, string>): ChildReport {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildReport;
}

describe('without the native addon', () => {
  it('auto trains with WebAssembly and says why; native fails with the reason', () => {
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    const r = child({ WORKBENCH_NATIVE_DIR: empty });
    expect(r.auto).toMatch(/^wasm-/);
    expect(r.reportAuto).toBe(r.auto);
    expect(r.nativeAvailable).toBe(false);
    expect(r.message).toContain('WebAssembly SIMD');
    expect(r.message).toContain(`no build of it was found in ${empty}`);
    expect(r.nativeError?.code).toBe('KERNEL_UNAVAILABLE');
    expect(r.nativeError?.message).toContain('Choose kernel auto or wasm');
  });

  it('an install whose compiler is missing still succeeds, and the app says the compile failed', () => {
    const copy = join(scratch, 'project');
    mkdirSync(join(copy, 'src-main/engine/native'), { recursive: true });
    for (const f of ['binding.gyp', 'package.json']) cpSync(join(ROOT, f), join(copy, f));
    cpSync(join(ROOT, 'src-main/engine/native/csrc'), join(copy, 'src-main/engine/native/csrc'), { recursive: true });
    const log = execFileSync(process.execPath, [join(ROOT, 'scripts/buildNative.mjs'), '--root', copy], {
      env: { ...process.env, CC: join(scratch, 'no-such-cc'), CXX: join(scratch, 'no-such-cxx') },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(log).toContain('compiling the native kernels');
    const status = JSON.parse(readFileSync(join(copy, 'build/native-build.json'), 'utf8')) as { ok: boolean; reason: string };
    expect(status.ok).toBe(false);
    expect(status.reason).toContain('no-such-cc');
    const r = child({ WORKBENCH_NATIVE_DIR: copy });
    expect(r.auto).toMatch(/^wasm-/);
    expect(r.message).toContain('npm install could not compile it');
    expect(r.message).toContain('no-such-cc');
  }, 120_000);
});

const levels = reachableLevels();

describe.skipIf(levels.length === 0)('with the native addon', () => {
  it('auto and native use the best level; WORKBENCH_NATIVE_LEVEL caps it at each lower level', () => {
    const best = child({});
    expect(best.auto).toBe(`native-${levels[0]}`);
    expect(best.native).toBe(best.auto);
    for (const level of levels) expect(child({ WORKBENCH_NATIVE_LEVEL: level }).auto).toBe(`native-${level}`);
  });

  it('an unknown WORKBENCH_NATIVE_LEVEL is refused with the allowed values', () => {
    const r = child({ WORKBENCH_NATIVE_LEVEL: 'sse9' });
    expect(r.autoError ?? r.nativeError?.message).toContain('WORKBENCH_NATIVE_LEVEL must be one of avx512, avx2, portable');
  });
});
