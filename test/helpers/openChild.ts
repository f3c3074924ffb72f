// Child process of the migration race test. Says "ready" once loaded; then, for every home folder
// read on stdin, opens the workbench there, lists its experiments, closes it and answers one line:
// `ok <count>` or `error <message>`. Reused for many rounds, so two of these can race on a fresh
// home again and again without paying start-up each time.
import { createInterface } from 'node:readline';
import { openWorkbench } from '../../src-main/api/openWorkbench';

process.stdout.write('ready\n');
for await (const home of createInterface({ input: process.stdin })) {
  let answer: string;
  try {
    const wb = openWorkbench(home, { workers: 1 });
    try {
      answer = `ok ${(await wb.api.call('experiments/list', {})).length}`;
    } finally {
      await wb.close();
    }
  } catch (e) {
    answer = `error ${(e as Error).message.replace(/\s+/g, ' ')}`;
  }
  process.stdout.write(`${answer}\n`);
}
