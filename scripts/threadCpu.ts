import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time (ms) of every thread of the given processes, from /proc (Linux), keyed `pid/tid`: what the
 * benches print with BENCH_DETAIL=1 to show where the CPU went while timed. Empty without BENCH_DETAIL.
 */
export function threadCpu(processes: readonly [pid: number, name: string][]): Map<string, { name: string; ms: number }> {
  const out = new Map<string, { name: string; ms: number }>();
  if (!process.env.BENCH_DETAIL) return out;
  const tick = 1000 / 100;
  for (const [pid, name] of processes) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      out.set(`${pid}/${tid}`, { name: `${name} ${tid === String(pid) ? 'main' : comm}`, ms: (Number(fields[11]) + Number(fields[12])) * tick });
    }
  }
  return out;
}

/** Prints each thread's CPU used between two readings (10 ms or more), to stderr. */
export function printThreadCpu(before: Map<string, { name: string; ms: number }>, after: Map<string, { name: string; ms: number }>): void {
  for (const [tid, t] of after) if (t.ms - (before.get(tid)?.ms ?? 0) >= 10) console.error(`${t.name} ${tid}: ${t.ms - (before.get(tid)?.ms ?? 0)} ms of CPU while timed`);
}
