import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { pdfFonts, projectWith, runCli } from '../helpers.js';

/*
 * A brief page reaches its readers: on a phone nothing is cut off, on a slow connection
 * its text shows before the fonts arrive, and from any page a reader can go on to the
 * series' other briefs, its topics and the index. Checked in Chromium on a site built
 * from a series of four briefs (one of them embargoed) whose map has a tight cluster and
 * a far incident.
 */

const incident = (date: string, location: string, lat: number, lon: number, country = 'Iraq') =>
  `  - { date: ${date}, location: ${location}, country: ${country}, lat: ${lat}, lon: ${lon}, weapons: [{ type: rocket, count: 2 }], summary: "Rockets struck ${location}; no one was hurt, the base said in a statement that evening." }`;

const brief = (slug: string, title: string, date: string, topics: string, incidents: string[], extra = '') =>
  [
    `title: ${title}`,
    `date: ${date}`,
    `slug: ${slug}`,
    `topics: [${topics}]`,
    'series: baghdad',
    extra,
    'developments: |',
    '  Attacks went on.',
    'incidents:',
    ...incidents,
  ].join('\n');

const BRIEFS = {
  'earlier.yaml': brief('earlier', 'Earlier Attacks', '2024-02-01', 'Iraq', [incident('2024-01-30', 'Camp Taji', 33.52, 44.26)]),
  'cluster.yaml': brief('cluster', 'Attacks Around Baghdad', '2024-02-10', 'Iraq, Gulf Security', [
    incident('2024-02-02', 'Camp Taji', 33.52, 44.26),
    incident('2024-02-03', 'Union III', 33.31, 44.41),
    incident('2024-02-04', 'Baghdad Green Zone', 33.3, 44.38),
    incident('2024-02-05', 'Victory Base Complex', 33.29, 44.26),
    incident('2024-02-06', 'Baghdad Diplomatic Support Center', 33.26, 44.23),
    incident('2024-02-07', 'Al Dhafra Air Base', 24.25, 54.55, 'United Arab Emirates'),
  ]),
  // Dated between the two: under embargo, so no published page may lead to it yet.
  'embargoed.yaml': brief('embargoed', 'Not Yet Out', '2024-02-15', 'Iraq', [incident('2024-02-14', 'Camp Taji', 33.52, 44.26)], 'embargo: 9999-01-01T00:00Z'),
  'later.yaml': brief('later', 'Later Attacks', '2024-02-20', 'Iraq', [incident('2024-02-18', 'Camp Taji', 33.52, 44.26)]),
};

describe('brief pages on phones, on slow connections, and as part of the site', () => {
  let browser: Browser;
  let out: string;
  const pages = () => readdirSync(out).filter((f) => f.endsWith('.html'));

  beforeAll(async () => {
    const dir = projectWith(BRIEFS);
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.org/news/\n  title: Example Briefs\n');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    out = path.join(dir, 'output');
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  async function open(file: string, width: number): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 800 });
    await page.goto(pathToFileURL(path.join(out, file)).href, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return page;
  }

  it('fits a 375-pixel phone: no sideways scrolling, the chart and map scaled to the width, the incident cards full width', async () => {
    expect(pages()).toEqual(expect.arrayContaining(['cluster.html', 'earlier.html', 'later.html', 'index.html']));
    for (const file of pages()) {
      const page = await open(file, 375);
      const state = await page.evaluate(() => {
        const article = document.querySelector('.brief') as HTMLElement;
        const content = article.getBoundingClientRect().width - parseFloat(getComputedStyle(article).paddingLeft) - parseFloat(getComputedStyle(article).paddingRight);
        return {
          scroll: document.documentElement.scrollWidth,
          viewport: window.innerWidth,
          svgs: [...document.querySelectorAll('svg')].map((s) => s.getBoundingClientRect()).map((r) => ({ width: r.width, right: r.right })),
          content,
          cards: [...document.querySelectorAll('.annex__table--incidents tbody tr')].map((tr) => ({
            card: tr.getBoundingClientRect().width,
            cells: [...tr.children].map((c) => c.getBoundingClientRect().width),
          })),
        };
      });
      expect(state.scroll, file).toBeLessThanOrEqual(state.viewport);
      for (const svg of state.svgs) {
        expect(svg.width, file).toBeLessThanOrEqual(state.viewport);
        expect(svg.right, file).toBeLessThanOrEqual(state.viewport);
      }
      for (const { card, cells } of state.cards) {
        expect(card, file).toBeGreaterThan(state.content * 0.95);
        for (const cell of cells) expect(cell, file).toBeGreaterThan(card * 0.95);
      }
      if (file === 'cluster.html') {
        expect(state.svgs).toHaveLength(2);
        expect(state.cards).toHaveLength(6);
      }
      await page.close();
    }
  });

  it('shows text at once on a slow connection (font-display: swap), and the PDF still embeds the fonts', () => {
    const css = readdirSync(path.join(out, 'assets')).filter((f) => /^brief\.[0-9a-f]+\.css$/.test(f));
    expect(css).toHaveLength(1);
    const faces = readFileSync(path.join(out, 'assets', css[0] as string), 'utf8').match(/@font-face\s*\{[^}]*\}/g) ?? [];
    expect(faces.length).toBeGreaterThan(10);
    for (const face of faces) expect(face).toMatch(/font-display:\s*swap/);
    const fonts = pdfFonts(path.join(out, 'cluster.pdf'));
    expect(fonts.every((f) => f.embedded)).toBe(true);
    expect(fonts.map((f) => f.name).join(' ')).toMatch(/SourceSerif4/);
    expect(fonts.map((f) => f.name).join(' ')).toMatch(/SourceSans3/);
  });

  it('sets each map label on a plate as wide as its text, as the browser draws it', async () => {
    const page = await open('cluster.html', 1280);
    const labels = await page.evaluate(() =>
      [...document.querySelectorAll('.map__place')].flatMap((g) => {
        const text = g.querySelector('text');
        const plate = g.querySelector('rect');
        if (!text || !plate) return [];
        const box = text.getBBox();
        return [{ name: text.textContent, text: text.getComputedTextLength(), x: box.x, plate: plate.width.baseVal.value, plateX: plate.x.baseVal.value }];
      }),
    );
    expect(labels).toHaveLength(6);
    expect(await page.$('.map__inset')).not.toBeNull();
    for (const l of labels) {
      // The text fits its plate, with no more than a few units to spare either side.
      expect(l.plate - l.text, l.name ?? '').toBeGreaterThanOrEqual(1);
      expect(l.plate - l.text, l.name ?? '').toBeLessThanOrEqual(8);
      expect(l.x, l.name ?? '').toBeGreaterThanOrEqual(l.plateX);
    }
    await page.close();
  });

  it('links every brief to its topics, the index and the previous and next briefs of its series, each a file the build wrote', async () => {
    const resolves = (href: string, from: string) => {
      const url = new URL(href, pathToFileURL(path.join(out, from)));
      return url.protocol === 'file:' && existsSync(fileURLToPath(url));
    };
    const links = async (file: string) => {
      const page = await open(file, 1280);
      const found = await page.evaluate(() => ({
        topics: [...document.querySelectorAll('.topics__item a')].map((a) => [a.textContent, a.getAttribute('href')]),
        previous: document.querySelector('a[rel="prev"]')?.getAttribute('href'),
        next: document.querySelector('a[rel="next"]')?.getAttribute('href'),
        home: document.querySelector('.series-nav__home')?.getAttribute('href'),
        local: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') as string).filter((h) => !/^(https?:|mailto:|#)/.test(h)),
      }));
      await page.close();
      return found;
    };

    const cluster = await links('cluster.html');
    expect(cluster.topics).toEqual([
      ['Iraq', 'topics/iraq.html'],
      ['Gulf Security', 'topics/gulf-security.html'],
    ]);
    expect(cluster.previous).toBe('earlier.html');
    // The embargoed brief in between is skipped: the next published one is linked.
    expect(cluster.next).toBe('later.html');
    expect(cluster.home).toBe('index.html');

    const earlier = await links('earlier.html');
    expect([earlier.previous, earlier.next]).toEqual([undefined, 'cluster.html']);
    const later = await links('later.html');
    expect([later.previous, later.next]).toEqual(['cluster.html', undefined]);

    for (const file of ['cluster.html', 'earlier.html', 'later.html']) {
      const { local, home } = await links(file);
      expect(home, file).toBe('index.html');
      for (const href of local) expect(resolves(href, file), `${file} -> ${href}`).toBe(true);
    }
    // And back: the topic page lists the brief.
    const topic = await open('topics/gulf-security.html', 1280);
    expect(await topic.$$eval('.site__title a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['../cluster.html']);
    // It leads back to the one list of every topic, on the index, rather than repeating it.
    expect(await topic.$$eval('.topics__item', (items) => items.length)).toBe(0);
    expect(await topic.$eval('.topics__all', (a) => a.getAttribute('href'))).toBe('../index.html#issues');
    await topic.close();
    const index = await open('index.html', 1280);
    expect(await index.$$eval('#issues .topics__item a', (as) => as.map((a) => a.getAttribute('href')))).toContain('topics/gulf-security.html');
    await index.close();
  });

  it('points the PDF’s links to the site’s pages at the site, never at the address it was printed from', () => {
    const urls = execFileSync('pdfinfo', ['-url', path.join(out, 'cluster.pdf')], { encoding: 'utf8' });
    expect(urls).toContain('https://briefs.example.org/news/topics/gulf-security.html');
    expect(urls).not.toMatch(/\.invalid/);
  });

  it('drops those links from the PDF when the site has no address', async () => {
    const dir = projectWith({ 'earlier.yaml': BRIEFS['earlier.yaml'], 'cluster.yaml': BRIEFS['cluster.yaml'] });
    const result = await runCli(['build', '--pdf-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const pdf = path.join(dir, 'output', 'cluster.pdf');
    expect(execFileSync('pdfinfo', ['-url', pdf], { encoding: 'utf8' })).not.toMatch(/\.invalid|topics\//);
    expect(readFileSync(pdf).includes('flashbrief.invalid')).toBe(false);
  });
});
