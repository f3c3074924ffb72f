// npm run reproduction -- <home>: exports the report's three figures from the experiments the presets
// produced in <home> (names starting "Report Fig. 1/2/3") as SVG charts into docs/reproduction/, and
// prints the group statistics as markdown tables for docs/report-reproduction.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupRuns, type RunGroup, type RunWithEpochs } from '../src-shared/aggregate';
import { compareDataFromRuns, groupCompare } from '../src-shared/compareData';
import { groupChart, summaryChart } from '../src-shared/groupChart';
import { summarize, welch } from '../src-shared/stats';
import { lineChartSvg } from '../src-shared/svgChart';
import { openWorkbench } from '../src-main/api/openWorkbench';
import { svgToPng } from '../src-main/cli/rasterize';

const home = process.argv[2];
if (!home) {
  console.error('usage: npm run reproduction -- <home with the preset experiments>');
  process.exit(2);
}
const out = join(import.meta.dirname, '../docs/reproduction');
mkdirSync(out, { recursive: true });
const wb = openWorkbench(home, { workers: 1 });
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : '–');
const last = (metric: 'testAccuracy' | 'testLoss') => (r: RunWithEpochs) => r.epochs.at(-1)?.[metric] ?? NaN;

function table(groups: RunGroup[]): string {
  const lines = ['| group | n | final test acc. (mean ± std) | 95 % CI | final test loss (mean ± std) | best test acc. (mean) | not averaged |', '|---|---|---|---|---|---|---|'];
  for (const g of groups) {
    const acc = summarize(g.included.map(last('testAccuracy')));
    const loss = summarize(g.included.map(last('testLoss')));
    const best = summarize(g.included.map((r) => Math.max(...r.epochs.map((e) => e.testAccuracy).filter(Number.isFinite))));
    lines.push(`| ${g.label} | ${acc.n} | ${pct(acc.mean)} ± ${pct(acc.std)} | ${pct(acc.ciLow)} – ${pct(acc.ciHigh)} | ${loss.mean.toFixed(4)} ± ${loss.std.toFixed(4)} | ${pct(best.mean)} | ${g.excluded.map((r) => `${r.status} (run ${r.id})`).join(', ') || '–'} |`);
  }
  return lines.join('\n');
}

async function save(name: string, svg: string): Promise<void> {
  writeFileSync(join(out, `${name}.svg`), svg);
  writeFileSync(join(out, `${name}.png`), await svgToPng(svg, 2));
}

const experiments = await wb.api.call('experiments/list', {});
for (const fig of ['1', '2', '3']) {
  const e = experiments.find((x) => x.name.startsWith(`Report Fig. ${fig}`));
  if (!e) continue;
  const results = await wb.api.call('experiments/results', { id: e.id });
  const groups = groupRuns(results);
  const of = (metric: 'testAccuracy' | 'testLoss') => groupCompare(compareDataFromRuns(results, metric));
  await save(`fig${fig}-test-accuracy`, lineChartSvg(groupChart(e.name, of('testAccuracy'), 'testAccuracy', 'std')));
  await save(`fig${fig}-test-loss`, lineChartSvg(groupChart(e.name, of('testLoss'), 'testLoss', 'std')));
  if (fig === '2') await save('fig2-summary', lineChartSvg(summaryChart(e.name, of('testAccuracy'), 'testAccuracy', 'final', 'learningRate', 'optimizer', 'std', true)));
  console.log(`\n### ${e.name} (experiment ${e.id}, ${e.runCount} runs)\n\n${table(groups)}`);
  if (fig === '1' || fig === '3') {
    const sorted = [...groups].sort((a, b) => summarize(b.included.map(last('testLoss'))).mean - summarize(a.included.map(last('testLoss'))).mean);
    const [hi, lo] = [sorted[0], sorted[sorted.length - 1]];
    const w = welch(hi.included.map(last('testLoss')), lo.included.map(last('testLoss')));
    console.log(`\nWelch, final test loss, ${hi.label} − ${lo.label}: ${w.difference.toFixed(4)} (95 % CI ${w.ciLow.toFixed(4)} to ${w.ciHigh.toFixed(4)}, p = ${w.p.toPrecision(3)})`);
  }
  if (fig === '2') {
    // "SGD is best near γ 0.1": γ = 0.1 against each larger γ, on final test accuracy
    const sgd = groups.filter((g) => g.config.optimizer === 'sgd');
    const at = sgd.find((g) => g.config.learningRate === 0.1);
    for (const g of sgd.filter((x) => at && x.config.learningRate > 0.1)) {
      const w = welch(g.included.map(last('testAccuracy')), at!.included.map(last('testAccuracy')));
      console.log(`\nWelch, final test accuracy, ${g.label} − ${at!.label}: ${pct(w.difference)} (95 % CI ${pct(w.ciLow)} to ${pct(w.ciHigh)}, p = ${w.p.toPrecision(3)})`);
    }
  }
}
await wb.close();
