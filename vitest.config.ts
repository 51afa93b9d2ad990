import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests start Chromium; two cores are shared with the browser.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    // The last reporter prints the plain `N passed, N failed` line that CI reads.
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
