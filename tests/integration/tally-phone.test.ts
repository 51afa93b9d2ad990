import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { build } from '../../src/project/build.js';
import { ROOT, tempDir } from '../helpers.js';

let browser: Browser;
let out: string;

beforeAll(async () => {
  const dir = tempDir();
  for (const name of ['briefs', 'places.yaml', 'brief.config.yaml', 'branding']) cpSync(path.join(ROOT, name), path.join(dir, name), { recursive: true });
  const manifest = await build({ cwd: dir, formats: ['html'] });
  expect(manifest.ok).toBe(true);
  out = path.join(dir, 'output');
  browser = await launchBrowser(await findBrowser());
}, 60_000);

afterAll(() => closeBrowser(browser));

describe('the tally box on a phone', () => {
  // Beside the "new since the previous brief" line, the total and its word were squeezed
  // to one character a row ("1 / 2", "INCIDE / NTS") once long words could break anywhere.
  it('keeps the total and its word on one line each at 375 px', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 375, height: 900 });
    await page.goto(`file://${path.join(out, 'militia-attacks-after-us-strikes.html')}`, { waitUntil: 'load' });
    const lines = await page.evaluate(() =>
      ['.tally__number', '.tally__unit'].map((selector) => {
        const el = document.querySelector(selector) as HTMLElement;
        return { selector, text: el.textContent, lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight === 'normal' ? getComputedStyle(el).fontSize : getComputedStyle(el).lineHeight)) };
      }),
    );
    await page.close();
    expect(lines).toEqual([
      { selector: '.tally__number', text: '12', lines: 1 },
      { selector: '.tally__unit', text: expect.stringMatching(/incidents/i), lines: 1 },
    ]);
  });
});
