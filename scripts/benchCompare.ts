// The Compare view and the delete of a 10,000-run experiment, through browser mode's real HTTP API
// (JSON over a socket, as the page sees it). The history is written straight through the store: an
// experiment of GROUPS learning rates × REPEATS seeds, EPOCHS epochs each, every run finished with
// a confusion matrix. Run alone with `node --import tsx scripts/benchCompare.ts`; `npm run bench`
// calls it too.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openWorkbench } from '../src-main/api/openWorkbench';
import { DB_FILE } from '../src-main/store/database';
import { Store } from '../src-main/store/store';
import { startHttpServer } from '../src-main/serve/httpServer';
import { groupCompare, type CompareData } from '../src-shared/compareData';
import { groupChart } from '../src-shared/groupChart';
import { lineChartSvg } from '../src-shared/svgChart';
import { parseSweepSpec } from '../src-shared/sweep';

const GROUPS = 100;
const REPEATS = 100;
const EPOCHS = 20;

/** Writes the experiment through the store's own repositories in one transaction; returns its id. */
function writeHistory(home: string): number {
  const store = new Store(join(home, DB_FILE), 'bench');
  try {
    const values = Array.from({ length: GROUPS }, (_, i) => Number((0.001 * (i + 1)).toPrecision(6)));
    const { spec } = parseSweepSpec({ name: 'bench 10k', base: { epochs: EPOCHS, hidden: [8] }, axes: [{ field: 'learningRate', values }], repeats: REPEATS });
    const { id } = store.createExperiment(spec, null);
    store.db.transaction(() => {
      const now = new Date().toISOString();
      for (let run = store.runs.claimNext('bench', Date.now() + 3_600_000, 'wasm-simd', 'bench', now); run; run = store.runs.claimNext('bench', Date.now() + 3_600_000, 'wasm-simd', 'bench', now)) {
        const i = run.id;
        let acc = 0;
        for (let epoch = 1; epoch <= EPOCHS; epoch++) {
          acc = 0.1 + 0.3 * (1 - Math.exp(-epoch / 5)) + ((i * 7919 + epoch * 104729) % 1000) / 20_000;
          const loss = 2.3 - 2 * acc;
          store.epochs.insert(i, { epoch, trainLoss: loss - 0.05, trainAccuracy: acc + 0.02, objective: loss, testLoss: loss, testAccuracy: acc, learningRate: 0.01, seconds: 0.5, confusion: [] });
        }
        store.confusion.upsert(i, EPOCHS, Array.from({ length: 100 }, (_, k) => (k % 11 === 0 ? 800 : 22) + ((i + k) % 7)));
        store.runs.recordProgress(i, EPOCHS, acc, 2.3 - 2 * acc, acc, EPOCHS, Date.now() + 3_600_000);
        store.finishRun(i, 'finished');
      }
    })();
    return id;
  } finally {
    store.close();
  }
}

/** Times the compare request and the delete; returns markdown lines. */
export async function benchCompare(): Promise<string[]> {
  const home = mkdtempSync(join(tmpdir(), 'bench-compare-'));
  const lines: string[] = [];
  try {
    let t = performance.now();
    const id = writeHistory(home);
    const written = (performance.now() - t) / 1000;
    const wb = openWorkbench(home, { workers: 1 });
    const server = await startHttpServer({ api: wb.api, staticDir: home });
    const origin = new URL(server.url).origin;
    const call = async (channel: string, body: unknown): Promise<unknown> => {
      const res = await fetch(`${origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: JSON.stringify(body) });
      const envelope = (await res.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
      if (!envelope.ok) throw new Error(envelope.error?.message);
      return envelope.value;
    };
    const timed = async (f: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await f();
      return performance.now() - start;
    };
    try {
      const ms = async (times: number, f: () => Promise<unknown>): Promise<string> => {
        const out: number[] = [];
        for (let i = 0; i < times; i++) out.push(await timed(f));
        return out.map((v) => `${v.toFixed(0)} ms`).join(', ');
      };
      const compare = await ms(5, async () => {
        const data = (await call('experiments/compare', { ids: [id], metric: 'testAccuracy' })) as CompareData;
        return lineChartSvg(groupChart('bench', groupCompare(data), 'testAccuracy', 'std'));
      });
      const byField = await ms(3, async () => groupCompare((await call('experiments/compare', { ids: [id], metric: 'testLoss' })) as CompareData, ['epochs']));
      const results = await ms(2, () => call('experiments/results', { id }));
      const deleteMs = await timed(() => call('experiments/delete', { id }));
      lines.push(`Compare and delete of a ${(GROUPS * REPEATS).toLocaleString('en')}-run experiment (${GROUPS} groups × ${REPEATS} seeds, ${EPOCHS} epochs each, written through the store in ${written.toFixed(1)} s), over browser mode's HTTP API, timed from the request to the chart:`);
      lines.push(`- **Compare** (experiments/compare, aggregated in SQL, then grouped and drawn as the view does): ${compare}`);
      lines.push(`- the same with another metric, regrouped by a field (all configs merged into one group): ${byField}`);
      lines.push(`- for reference, every run with its epochs (experiments/results, which the view used to load and aggregate itself; still used by the epochs CSV): ${results}`);
      lines.push(`- **Delete** (experiments/delete: its 10,000 runs moved to the archive in one transaction, restorable for 30 days): ${deleteMs.toFixed(0)} ms`);
      lines.push(`- load average while measuring (1 min, on ${String(availableParallelism())} cores): ${loadavg()[0].toFixed(2)}`);
    } finally {
      await server.close();
      await wb.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) for (const line of await benchCompare()) console.log(line);
