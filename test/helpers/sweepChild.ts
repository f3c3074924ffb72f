// Child process of the crash test: keeps a sweep running against a real database and announces
// every epoch after its commit has returned, until it is killed. Runs save checkpoints as in the app.
import { parseSweepSpec } from '../../src-shared/sweep';
import { dirname } from 'node:path';
import { Runner } from '../../src-main/runner/runner';
import { RunFiles } from '../../src-main/store/files/runFiles';
import { Store } from '../../src-main/store/store';
import { chaosDataset } from './sweepChildData';

const [dbPath, leaseMs] = process.argv.slice(2);
const store = new Store(dbPath, 'chaos');
const data = chaosDataset();
// checkpoints beside the database, as the app keeps them in its home folder
const runner = new Runner({ store, files: new RunFiles(dirname(dbPath)), appVersion: 'chaos', workers: 2, leaseMs: Number(leaseMs), loadDataset: async () => ({ data, sha256: 'synthetic' }) });
runner.on((event, p) => {
  if (event === 'run/epoch') process.stdout.write(`committed ${p.runId} ${p.metrics.epoch}\n`);
});
await runner.start();
for (;;) {
  if (store.runs.queuedCount() === 0) {
    store.createExperiment(parseSweepSpec({ name: 'chaos', base: { epochs: 25, hidden: [32] }, axes: [{ field: 'learningRate', values: [0.1, 0.3] }], repeats: 2 }).spec, null);
  }
  runner.pump();
  process.stdout.write('started\n');
  await runner.whenIdle();
}
