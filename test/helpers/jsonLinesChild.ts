import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A helper process that prints one JSON object per line, driven and watched by a test. */
export interface JsonLinesChild {
  process: ChildProcessWithoutNullStreams;
  /** Every line printed so far, parsed. */
  seen: Record<string, unknown>[];
  /** Resolves with the first line (already seen or still to come) that matches; rejects if the child exits first. */
  until(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  send(line: string): void;
  /** Resolves with the exit code or signal once the child has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Starts `node --import tsx <script> ...args` and parses its stdout as JSON lines (other lines are kept as { text }). */
export function startJsonLinesChild(script: string, args: string[]): JsonLinesChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const seen: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  let gone: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { text };
    }
    seen.push(line);
    for (const w of waiters.filter((w) => w.match(line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      gone = { code, signal };
      // stdout may still hold lines: reject the waiters once it has been read to the end
      const rejectAll = (): void => {
        for (const w of waiters.splice(0)) w.reject(new Error(`the child exited (${code ?? signal}) first; stderr:\n${stderr.slice(-3000)}`));
      };
      if (child.stdout.closed) rejectAll();
      else child.stdout.once('close', rejectAll);
      resolve(gone);
    });
  });
  return {
    process: child,
    seen,
    until(match) {
      const found = seen.find(match);
      if (found) return Promise.resolve(found);
      if (gone && child.stdout.closed) return Promise.reject(new Error(`the child had exited (${gone.code ?? gone.signal}); stderr:\n${stderr.slice(-3000)}`));
      return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
    },
    send: (line) => void child.stdin.write(`${line}\n`),
    exited,
    stderr: () => stderr,
  };
}
