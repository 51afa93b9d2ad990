import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { runCli, tempDir } from '../helpers.js';

// Every page of the example site, checked with the tools a web team would use: the Nu
// HTML Checker (the W3C validator, run locally from the vnu-jar package with Java) and
// axe-core in real Chromium.
const require = createRequire(import.meta.url);
const PAGES = ['index.html', 'topics/syria.html', 'militia-attacks-on-us-troops.html', 'militia-attacks-after-us-strikes.html'];

describe('the example site is valid and accessible', () => {
  let out: string;
  let browser: Browser;
  beforeAll(async () => {
    out = tempDir();
    const result = await runCli(['build', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  it('has no errors in the Nu HTML Checker', async () => {
    const jar = require('vnu-jar') as string;
    const files = PAGES.map((p) => path.join(out, p));
    const { stdout, stderr } = await promisify(execFile)('java', ['-jar', jar, '--format', 'json', '--exit-zero-always', ...files], {
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    const report = JSON.parse(stderr || stdout) as { messages: { type: string; message: string; url: string; lastLine?: number }[] };
    const errors = report.messages.filter((m) => m.type === 'error').map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.message}`);
    expect(errors).toEqual([]);
  }, 120_000);

  it.each(PAGES)('%s has no axe-core violations', async (page) => {
    const tab = await browser.newPage();
    // The page's own policy forbids scripts; the audit's script is the test's, not the page's.
    await tab.setBypassCSP(true);
    try {
      await tab.goto(pathToFileURL(path.join(out, page)).href, { waitUntil: 'load' });
      await tab.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await tab.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations).toEqual([]);
    } finally {
      await tab.close();
    }
  });
});
