import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // expect.poll waits on what the page or the store shows; the cap is generous so that a busy
    // 2-core machine only makes a test slower, never fails it (the default is 1 s)
    expect: { poll: { timeout: 30_000 } },
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
