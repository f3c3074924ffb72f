import type { TrainConfig } from '../../src-shared/config';
import { archiveEnds, type ExperimentSummary, type RunDetail, type RunSummary } from '../../src-shared/runs';
import { groupLabel } from '../../src-shared/aggregate';
import { fieldValueText } from '../../src-shared/fieldLabels';
import { absoluteTime } from '../../src-shared/when';

/** "2025-03-01 10:12": an ISO time to the minute in local time, as the app shows dates (src-shared/when.ts). */
const minute = (iso: string): string => absoluteTime(Date.parse(iso));
const pct = (v: number | null): string => (v === null ? '–' : Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : String(v));

/** The fields (seed aside) whose values differ between the given runs: what their lines name. */
export function varyingFields(runs: RunSummary[]): (keyof TrainConfig)[] {
  if (runs.length === 0) return [];
  const fields = Object.keys(runs[0].config) as (keyof TrainConfig)[];
  return fields.filter((f) => f !== 'seed' && runs.some((r) => JSON.stringify(r.config[f]) !== JSON.stringify(runs[0].config[f])));
}

/** A run's grid point in the user's words, as the app's labels say it: "γ 0.3 · SGD · seed 1". */
export function describePoint(run: RunSummary, fields: (keyof TrainConfig)[]): string {
  return [...fields.map((f) => fieldValueText(f, run.config[f])), fieldValueText('seed', run.seed)].join(' · ');
}

export function runLine(run: RunSummary, fields: (keyof TrainConfig)[]): string {
  const outcome =
    run.status === 'diverged' ? `diverged at epoch ${run.divergedEpoch}` : run.status === 'pruned' ? `pruned at epoch ${run.prunedEpoch ?? run.epochsDone}` : run.status;
  const best = run.bestTestAccuracy !== null ? `  best ${pct(run.bestTestAccuracy)} (epoch ${run.bestEpoch})` : '';
  return `run ${String(run.id).padStart(4)}  ${outcome.padEnd(11)} final ${pct(run.finalTestAccuracy).padStart(8)}${best}  ${run.epochsDone} ep  ${describePoint(run, fields)}${run.error ? `  — ${run.error}` : ''}`;
}

/** A run of the archive: its line, when it was archived and when it goes for good ("archived 2025-03-01 10:12, deleted for good after 2025-03-31 10:12"). */
export function archivedLine(run: RunSummary, fields: (keyof TrainConfig)[]): string {
  const at = run.archivedAt ? `  archived ${minute(run.archivedAt)}, deleted for good after ${absoluteTime(archiveEnds(run.archivedAt))}` : '';
  return `${runLine(run, fields)}${at}`;
}

/**
 * Mean ± std (n) of the final accuracy per group of runs that differ only in the seed, each labelled
 * as Compare labels it ("SGD · γ 0.01", "all runs"); the labels padded to one width so the figures align.
 */
export function groupTable(runs: RunSummary[]): string[] {
  const fields = varyingFields(runs);
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) groups.set(r.configHash, [...(groups.get(r.configHash) ?? []), r]);
  const labels = [...groups.values()].map((g) => groupLabel(g[0].config, fields));
  const width = Math.max(40, ...labels.map((l) => l.length));
  return [...groups.values()].map((g, i) => {
    const acc = g.filter((r) => r.status === 'finished' && r.finalTestAccuracy !== null).map((r) => r.finalTestAccuracy!);
    const mean = acc.reduce((s, v) => s + v, 0) / Math.max(acc.length, 1);
    const sd = Math.sqrt(acc.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(acc.length - 1, 1));
    const pruned = g.filter((r) => r.status === 'pruned');
    const others = g.length - acc.length - pruned.length;
    const prunedText = pruned.length ? `, ${pruned.length} pruned at epoch ${Math.max(...pruned.map((r) => r.prunedEpoch ?? r.epochsDone))}` : '';
    return `  ${labels[i].padEnd(width)} final ${acc.length ? `${(mean * 100).toFixed(2)} % ± ${(sd * 100).toFixed(2)}` : '–'} (n=${acc.length}${prunedText}${others ? `, ${others} not finished` : ''})`;
  });
}

export function experimentLine(e: ExperimentSummary): string {
  const counts = Object.entries(e.statusCounts).map(([s, n]) => `${n} ${s}`).join(', ');
  return `${String(e.id).padStart(4)}  ${e.name.padEnd(30)} ${minute(e.createdAt)}  ${e.runCount} runs (${counts})`;
}

export function runDetailText(d: RunDetail): string {
  const lines = [
    `Run ${d.id} of experiment ${d.experimentId}: ${d.status}${d.error ? ` — ${d.error}` : ''}`,
    `  seed ${d.seed} (repeat ${d.repeatIndex}), config hash ${d.configHash}${d.requeuedFrom ? `, re-queued from run ${d.requeuedFrom}` : ''}`,
    `  kernel ${d.kernel ?? '–'}, app ${d.appVersion}, dataset sha256 ${d.datasetSha256 ?? '–'}`,
    `  created ${d.createdAt}, started ${d.startedAt ?? '–'}, finished ${d.finishedAt ?? '–'}`,
    ...(d.resumedEpoch !== null ? [`  resumed after epoch ${d.resumedEpoch}${d.resumeNote ? ` — ${d.resumeNote}` : ''}`] : []),
    ...(d.files ? [`  files: ${[d.files.checkpoint && 'checkpoint (workbench runs resume)', d.files.model && 'model (workbench runs export-model)', d.files.bestModel && 'best-epoch model'].filter(Boolean).join(', ') || 'none'}`] : []),
    `  config ${JSON.stringify(d.config)}`,
    '',
    '  epoch  train loss  test loss  test acc   lr        seconds',
    ...d.epochs.map((e) => `  ${String(e.epoch).padStart(5)}  ${e.trainLoss.toFixed(4).padStart(10)}  ${e.testLoss.toFixed(4).padStart(9)}  ${pct(e.testAccuracy).padStart(8)}  ${e.learningRate.toPrecision(3).padEnd(8)}  ${e.seconds.toFixed(2)}`),
  ];
  if (d.confusion) {
    lines.push('', `  confusion matrix at epoch ${d.confusion.epoch} (rows: true class, columns: predicted)`);
    for (let r = 0; r < 10; r++) lines.push(`  ${d.confusion.matrix.slice(r * 10, r * 10 + 10).map((v) => String(v).padStart(5)).join('')}`);
  }
  return lines.join('\n');
}
