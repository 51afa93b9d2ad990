import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ROOT, runNode, tempDir } from '../helpers.js';

/*
 * The benchmark's smoke run: it must finish and write results of the documented shape.
 * Timings depend on the machine and whatever else runs on it, so nothing here compares
 * a number with a limit; only that each one was measured.
 */

interface Measurement {
  median: number;
  runs: number[];
}

const positive = (m: Measurement | null | undefined) => {
  expect(m, 'a measurement').toBeTruthy();
  expect(m?.median).toBeGreaterThan(0);
  expect(m?.runs.length).toBeGreaterThan(0);
  for (const x of m?.runs ?? []) expect(x).toBeGreaterThan(0);
};

describe('npm run bench -- --quick', () => {
  it('measures size 2 with PDFs and writes the results as JSON', { timeout: 300_000 }, async () => {
    const dir = tempDir('flashbrief-bench-test-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'quick.json');
    const result = await runNode(path.join(ROOT, 'bench', 'run.mjs'), ['--quick', '--out', out]);

    // A measurement tool: missed targets are printed, never an exit code.
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^targets/m);
    expect(result.stdout).toMatch(/(PASS|FAIL|SKIP) {2}PDF stage/);
    expect(existsSync(out)).toBe(true);

    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.schema).toBe(1);
    expect(json.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(json.errors).toEqual([]);
    expect(json.options).toMatchObject({ sizes: [2], runs: 1, quick: true });
    expect(json.machine.cores).toBeGreaterThan(0);
    expect(json.machine.memoryGb).toBeGreaterThan(0);
    expect(json.machine.node).toBe(process.version);
    expect(json.machine.chromium).toMatch(/\d+\.\d+/);
    expect(typeof json.machine.commit === 'string' || json.machine.commit === null).toBe(true);

    for (const key of ['nodeStart', 'oursOneBrief', 'chromiumLaunch', 'floorFirstPrint', 'chromiumClose', 'exampleHtmlOnly', 'serveSaveToPage', 'servePageToPdf']) positive(json.extras[key]);
    expect(json.extras.reference.median).toBeGreaterThan(0);

    expect(Object.keys(json.sizes)).toEqual(['2']);
    for (const n of ['2']) {
      const size = json.sizes[n];
      expect(size.briefs).toBe(Number(n));
      expect(size.pdf).toBe(true);
      for (const key of ['coldPdf', 'pdfStage', 'coldHtml', 'warmUntouchedHtml', 'warmEditedHtml', 'aloneHtml']) positive(size.ours[key]);
      for (const key of ['pdfSerial', 'pdfConcurrent', 'launch', 'htmlRender']) positive(size.floor[key]);
      // The HTML floor renders exactly the pages the build wrote.
      expect(size.floor.htmlIdentical).toBe(`${n}/${n}`);
      expect(size.ratios.pdfStage).toBeGreaterThan(0);
      expect(size.ratios.htmlVsFloor).toBeGreaterThan(0);
      expect(size.htmlBriefsPerSecond).toBeGreaterThan(0);
      expect(size.corpus.pdfPages.min).toBeGreaterThan(0);
      expect(size.corpus.yamlBytes).toBeGreaterThan(0);
      if (process.platform === 'linux') {
        expect(size.memory.buildPeakRssMb).toBeGreaterThan(0);
        expect(size.memory.chromiumPeakMb).toBeGreaterThan(0);
        expect(size.floor.chromiumPeakMb).toBeGreaterThan(0);
      }
    }

    const ids = json.targets.map((t: { id: string }) => t.id);
    expect(ids).toEqual(['pdf-stage', 'one-brief-cold', 'example-html', 'html-rate', 'html-floor', 'incremental', 'eleventy', 'no-change-1000', 'no-change-10000', 'serve-page', 'serve-pdf', 'build-rss', 'chromium-flat']);
    // Size 2 is below the Eleventy comparison (N >= 100) and the no-change targets' sizes: said, not guessed.
    for (const id of ['eleventy', 'no-change-1000', 'no-change-10000']) expect(json.targets.find((t: { id: string }) => t.id === id).pass).toBeNull();
    for (const t of json.targets) expect([true, false, null]).toContain(t.pass);
  });
});

describe('npm run bench -- --series', () => {
  it('builds one series at each size and reports time per brief and peak memory', { timeout: 120_000 }, async () => {
    const dir = tempDir('flashbrief-bench-series-test-');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const out = path.join(dir, 'series.json');
    const result = await runNode(path.join(ROOT, 'bench', 'run.mjs'), ['--series', '--sizes', '4,2', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\| 2 \| .* MB \|$/m);
    expect(result.stdout).toMatch(/^\| 4 \| .* MB \|$/m);
    expect(result.stdout).toMatch(/^(PASS|FAIL) (CPU|wall) time per brief at N=4 is [\d.]+x that at N=2/m);
    expect(result.stdout).toMatch(/^(PASS|FAIL) peak RSS at N=4 is \d+ MB/m);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.results.map((r: { n: number }) => r.n)).toEqual([2, 4]);
    for (const r of json.results) {
      expect(r.ok).toBe(true);
      expect(r.wallSeconds).toBeGreaterThan(0);
      expect(r.peakRssMb).toBeGreaterThan(0);
    }
  });
});
