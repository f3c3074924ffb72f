import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A long-lived child process spoken to in lines: send one, await the next it prints. */
export interface LineChild {
  send(line: string): void;
  /** The next line the child prints (lines are queued, none is lost between calls). */
  next(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts `node --import tsx <script> ...args` with piped stdio; stderr is kept for failure messages. */
export function startLineChild(script: string, args: string[] = []): LineChild {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  let ended: string | null = null;
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  child.on('exit', (code, signal) => {
    ended = `child exited (${code ?? signal}) before answering; stderr:\n${stderr}`;
    for (const w of waiting.splice(0)) w(`exit ${ended}`);
  });
  return {
    send: (line) => void child.stdin.write(`${line}\n`),
    next: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      if (ended) return Promise.resolve(`exit ${ended}`);
      return new Promise((resolve) => waiting.push(resolve));
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}
