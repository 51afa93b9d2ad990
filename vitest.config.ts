import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration tests start Chromium; two cores are shared with the browser.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
    // The record of each run (src/project/run-record.ts) goes to a folder of the test run's own, not the user's cache.
    env: { FLASHBRIEF_CACHE_DIR: mkdtempSync(path.join(tmpdir(), 'flashbrief-test-cache-')) },
    // The last reporter prints the plain `N passed, N failed` line that CI reads.
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
