// Child process of the CLI error-report test: runs the real CLI entry point (`workbench help`), then
// throws from a timer and rejects a promise nobody awaits, as a failing event handler would.
export {};

process.argv = [process.argv[0], 'workbench', 'help'];
await import('../../src-main/cli/index.ts');
const kind = process.env.FAIL_WITH;
setTimeout(() => {
  if (kind === 'rejection') void Promise.reject(new Error('a promise nobody awaited failed'));
  else throw new Error('an event handler failed');
}, 0);
