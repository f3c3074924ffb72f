// Child process of the coordinator-kill test: the coordinator of a Redis sweep (its home's database,
// the Redis URL from argv), announcing "committed <run> <epoch>" after each epoch's commit, until it is killed.
import { openWorkbench } from '../../src-main/api/openWorkbench';

const [home, url, epochs] = process.argv.slice(2);
const wb = openWorkbench(home, { redis: { url } });
wb.api.subscribe((event, p) => {
  if (event === 'run/epoch') process.stdout.write(`committed ${p.runId} ${p.metrics.epoch}\n`);
});
await wb.api.call('experiments/create', { spec: { name: 'coordinator kill', base: { epochs: Number(epochs), hidden: [16] }, repeats: 2 }, clientRequestId: 'coordinator-kill' });
await wb.runner.start();
await new Promise(() => undefined);
