#!/usr/bin/env node
// Totals of one or more vitest JSON reports (--reporter=json), as two plain lines:
//   Tests: N passed, N failed (node 20: 1200/0, node 22: 120/0, ...)
//   N passed, N failed
// A test file that failed to load (no tests, status failed) and a missing or unreadable
// report count as one failure each, so a broken run never reads as "0 failed".
import { readFileSync } from 'node:fs';
import path from 'node:path';

let passed = 0;
let failed = 0;
const parts = [];
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    failed += 1;
    parts.push(`${path.basename(file, '.json')}: no report (${err.code ?? err.message})`);
    continue;
  }
  let p = 0;
  let f = 0;
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    p += tests.filter((t) => t.status === 'passed').length;
    f += tests.filter((t) => t.status === 'failed').length;
    if (tests.length === 0 && suite.status === 'failed') f += 1;
  }
  passed += p;
  failed += f;
  parts.push(`${path.basename(file, '.json')}: ${p}/${f}`);
}
console.log(`Tests: ${passed} passed, ${failed} failed (${parts.join(', ')})`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
