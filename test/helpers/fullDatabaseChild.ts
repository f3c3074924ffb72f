// Child process of the full-database test: runs a sweep through the API on a real database and,
// once the first epoch is committed, caps the database at the pages it has (PRAGMA max_page_count),
// so a later commit fails with a real SQLITE_FULL. Prints every event as one JSON line; on stdin,
// "report" prints what the API reads back and "exit" closes everything and exits 0.
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { WorkbenchApi } from '../../src-main/api/workbenchApi';
import { DatasetManager } from '../../src-main/data/datasetManager';
import { Runner } from '../../src-main/runner/runner';
import { Store } from '../../src-main/store/store';
import { syntheticDataset } from './synthetic';

const [dbPath] = process.argv.slice(2);
const store = new Store(dbPath, 'full-disk');
const data = syntheticDataset(600, 100, 5, 128);
const runner = new Runner({ store, workers: 1, loadDataset: async () => ({ data, sha256: 'synthetic' }) });
const api = new WorkbenchApi({ dataset: new DatasetManager(dirname(dbPath)), store, runner });
const say = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

api.subscribe((event, p) => {
  if (event === 'run/epoch') {
    say({ event, runId: p.runId, epoch: p.metrics.epoch });
    if (p.metrics.epoch === 1 && p.runId === 1) {
      const pages = store.db.pragma('page_count', { simple: true }) as number;
      store.db.pragma(`max_page_count = ${pages}`);
      say({ event: 'capped', pages });
    }
  } else if (event !== 'run/progress') {
    say({ event, payload: p });
  }
});

createInterface({ input: process.stdin }).on('line', (line) => {
  void (async () => {
    if (line === 'report') {
      say({
        event: 'report',
        queue: await api.call('queue/status', {}),
        runs: await api.call('runs/list', {}),
        first: await api.call('runs/get', { id: 1 }),
        page: await api.call('runs/page', { sort: 'id', direction: 'desc' }),
        experiments: await api.call('experiments/list', {}),
      });
    }
    if (line === 'exit') {
      await runner.close();
      store.close();
      process.exit(0);
    }
  })();
});

// two runs on one worker: the second is still queued when the database fills up
await api.call('experiments/create', { spec: { name: 'full', base: { epochs: 10000, hidden: [8], learningRate: 0.1 }, repeats: 2 } });
say({ event: 'created' });
