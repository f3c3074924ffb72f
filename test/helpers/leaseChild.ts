// Child process of the lease test: trains two long runs (10,000 epochs: they are still running when it
// is killed) on a real database with the given lease, and prints "committed <run> <epoch>" after
// every epoch's commit has returned.
import { parseSweepSpec } from '../../src-shared/sweep';
import { Runner } from '../../src-main/runner/runner';
import { Store } from '../../src-main/store/store';
import { syntheticDataset } from './synthetic';

const [dbPath, leaseMs] = process.argv.slice(2);
const store = new Store(dbPath, 'lease');
const data = syntheticDataset(600, 100, 5, 128);
const runner = new Runner({ store, workers: 2, leaseMs: Number(leaseMs), loadDataset: async () => ({ data, sha256: 'synthetic' }) });
runner.on((event, p) => {
  if (event === 'run/epoch') process.stdout.write(`committed ${p.runId} ${p.metrics.epoch}\n`);
});
store.createExperiment(parseSweepSpec({ name: 'long', base: { epochs: 10000, hidden: [16] }, repeats: 2 }).spec, null);
await runner.start();
