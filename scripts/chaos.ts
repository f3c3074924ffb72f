// npm run chaos -- N: SIGKILLs a process running a sweep N times at random moments (default 200) and
// checks the database after each kill (integrity, every committed epoch present, nothing left running).
// Each kill is timed from the child's progress (1–3 committed epochs, then 0–400 ms), so a slow or
// busy machine only makes the run longer.
import { runChaos } from '../test/helpers/chaos';

const n = Number(process.argv[2] ?? 200);
if (!Number.isInteger(n) || n < 1) {
  console.error('usage: npm run chaos -- <kills>');
  process.exit(2);
}
const report = await runChaos(n, Number(process.env.CHAOS_SEED ?? Date.now() % 1e9), (line) => console.log(line));
console.log(`\n${report.kills} kills, ${report.committedEpochs} committed epochs checked, ${report.runsChecked} runs, ${report.resumed} interrupted runs resumed and compared with clean runs: ${report.problems.length ? 'PROBLEMS' : 'all consistent'}`);
for (const p of report.problems) console.log(`  ${p}`);
process.exit(report.problems.length ? 1 : 0);
