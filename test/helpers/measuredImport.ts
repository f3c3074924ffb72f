// Child process for the archive-bomb tests: imports an archive into a home folder (or, with
// `read`, loads it as `workbench train --data` does) and prints one JSON line with the outcome,
// the time the call took and the process's peak resident memory, so the parent can hold both to a
// budget without the test runner's own memory in the figure.
import { readCifar } from '../../src-main/data/cifarReader';
import { DatasetManager } from '../../src-main/data/datasetManager';

const [mode, archive, home] = process.argv.slice(2);
const started = performance.now();
let outcome: { ok: boolean; code?: string; message?: string; state?: string };
try {
  if (mode === 'read') {
    await readCifar(archive);
    outcome = { ok: true };
  } else {
    outcome = { ok: true, state: (await new DatasetManager(home).import(archive)).state };
  }
} catch (e) {
  const err = e as { code?: string; message?: string; stack?: string };
  outcome = { ok: false, code: err.code, message: err.message };
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ...outcome, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
