import { createServer, type Server } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { pdfText, ROOT, runCli, tempDir } from '../helpers.js';

// The web page is what the newsroom site publishes: it is checked in a real Chromium.
describe('the example brief in Chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    out = tempDir();
    const result = await runCli(['build', path.join(ROOT, 'briefs'), '--out', out, '--html-only']);
    expect(result.code, result.stderr).toBe(0);
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  it('loads with its stylesheet and fonts, every request answered, no script', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    // A policy violation (say, the inline style's hash not matching) shows up on the console.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) failed.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(pathToFileURL(path.join(out, 'militia-attacks-on-us-troops.html')).href, { waitUntil: 'load' });
    const state = await page.evaluate(async () => {
      await document.fonts.ready;
      const style = (sel: string) => getComputedStyle(document.querySelector(sel) as Element);
      return {
        scripts: document.querySelectorAll('script:not([type="application/ld+json"])').length,
        handlers: [...document.querySelectorAll('*')].some((el) => [...el.attributes].some((a) => a.name.startsWith('on'))),
        serif: document.fonts.check('16px "Source Serif 4"'),
        sans: document.fonts.check('bold 16px "Source Sans 3"'),
        loadedFaces: [...document.fonts].filter((f) => f.status === 'loaded').length,
        bodyFont: style('body').fontFamily,
        h1: document.querySelector('h1')?.textContent,
        headings: [...document.querySelectorAll('h2')].map((h) => h.textContent),
        tallyNumber: document.querySelector('.tally__number')?.textContent,
        tallyVisible: (document.querySelector('.tally') as HTMLElement).getBoundingClientRect().height > 50,
        lang: document.documentElement.lang,
      };
    });
    expect(failed).toEqual([]);
    expect(state).toMatchObject({
      scripts: 0,
      handlers: false,
      serif: true,
      sans: true,
      h1: 'Iran-Backed Militias Keep Up Attacks on U.S. Troops in Iraq and Syria',
      tallyNumber: '6',
      tallyVisible: true,
      lang: 'en',
    });
    expect(state.loadedFaces).toBeGreaterThan(2);
    expect(state.bodyFont).toContain('Source Serif 4');
    expect(state.headings).toEqual([
      'Attacks on U.S. forces since October 17',
      'Latest Developments',
      'Expert Analysis',
      'Attacks on U.S. Forces Have Risen Since the Gaza War Began',
      'Iran’s Militia Network in Iraq and Syria',
      'Related',
      'Incident Record',
      'Issues',
    ]);
    await page.close();
  });

  it('reads on a phone without sideways scrolling', async () => {
    const page = await browser.newPage();
    await page.setViewport({ width: 375, height: 800 });
    await page.goto(pathToFileURL(path.join(out, 'militia-attacks-on-us-troops.html')).href, { waitUntil: 'load' });
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] as number);
    await page.close();
  });
});

describe('printing a PDF', () => {
  let server: Server;
  let hits: string[];
  let port: number;

  beforeAll(async () => {
    hits = [];
    server = createServer((req, res) => res.end('x'));
    // Connections, not requests: an image upgraded to https would reach us as a TLS
    // handshake that never becomes an HTTP request, and that must count too.
    server.on('connection', (socket) => hits.push(String(socket.remotePort)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches nothing from the network: remote images in a brief never reach the listener', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    writeFileSync(
      path.join(dir, 'briefs', 'remote.yaml'),
      [
        'title: Remote Content',
        'date: 2024-03-11',
        'slug: remote',
        'developments: |',
        `  An image ![map](http://127.0.0.1:${port}/map.png) and a [link](http://127.0.0.1:${port}/page).`,
        '',
        `  ![second](https://127.0.0.1:${port}/secure.png)`,
      ].join('\n'),
    );
    const result = await runCli(['build', '--pdf-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(pdfText(path.join(dir, 'output', 'remote.pdf'))).toContain('Remote Content');
    expect(hits).toEqual([]);
    expect(server.listening).toBe(true);
  });
});
