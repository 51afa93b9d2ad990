import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { FIXTURES, pdfText, projectWith, runCli } from '../helpers.js';

// What authors write in Markdown (notes, images, links, lists, quotes), as the page and the PDF show it.

const fixture = (...parts: string[]) => readFileSync(path.join(FIXTURES, ...parts), 'utf8');
const FOOTNOTES = 'print-footnotes-literal.yaml';
const REMOTE_IMAGE = 'print-remote-image-broken-icon.yaml';
const FOOTNOTES_SLUG = '2024-01-29-drone-strike-on-tower-22-kills-three-u-s-soldiers';
const REMOTE_SLUG = '2024-02-10-satellite-imagery-shows-damage-at-tower-22';

/** Every URL that print gives in full; the page shows them only as links. */
const PRINTED_URLS = [
  'https://example.org/news/2024/01/28/tower-22-drone-attack-jordan',
  'https://www.example.org/releases/2024/01/28/statement-on-tower-22',
  'https://example.org/houthi-strikes',
  'https://example.org/centcom/targets',
];

describe('notes, images and links, built', () => {
  let dir: string;
  let out: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = projectWith({
      [FOOTNOTES]: fixture('cases', FOOTNOTES),
      [REMOTE_IMAGE]: fixture('cases', REMOTE_IMAGE),
      'notes-everywhere.yaml': fixture('prose', 'notes-everywhere.yaml'),
    });
    out = path.join(dir, 'output');
    const result = await runCli(['build', '--fragment'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  const open = async (file: string): Promise<Page> => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(out, file)).href, { waitUntil: 'load' });
    return page;
  };

  it('prints footnotes as numbered notes in the PDF, not as [^1]', () => {
    const text = pdfText(path.join(out, `${FOOTNOTES_SLUG}.pdf`));
    expect(text).not.toContain('[^');
    expect(text).toMatch(/1\.\s+U\.S\. Central Command statement, January 28, 2024\./);
    expect(text).toMatch(/2\.\s+Islamic Resistance in Iraq channel, January 28, 2024\./);
  });

  it('numbers notes on through the summary, developments and background, in the PDF too', () => {
    const text = pdfText(path.join(out, 'notes-everywhere.pdf'));
    expect(text).not.toContain('[^');
    const order = [
      /1\.\s+U\.S\. Central Command, statement of January 28, 2024\./,
      /2\.\s+Department of Defense briefing, January 29, 2024\./,
      /3\.\s+U\.S\. Central Command statement, February 2, 2024/,
      /4\.\s+Its existence was not publicly acknowledged/,
    ].map((re) => text.search(re));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('gives every source, related item and link in the text its full address in the PDF', () => {
    const text = pdfText(path.join(out, 'notes-everywhere.pdf')).replace(/\s+/g, '');
    for (const url of PRINTED_URLS) expect(text).toContain(url);
    // A long address wraps inside its column instead of being cut off.
    expect(text).toContain('https://example.net/a-very-long-path/with/many/segments/that/should/wrap/inside/the/column?ref=feed&lang=en');
  });

  it('keeps the page to clickable links: the addresses are not shown on screen', async () => {
    const page = await open('notes-everywhere.html');
    const shown = await page.evaluate(() => document.body.innerText);
    const hrefs = await page.evaluate(() => [...document.querySelectorAll('a')].map((a) => a.href));
    for (const url of PRINTED_URLS) {
      expect(shown).not.toContain(url);
      expect(hrefs).toContain(url);
    }
    expect(shown).toContain('Source: example.org, example.net');
    await page.close();
  });

  it('links each note marker to its note and the note back to the marker', async () => {
    const page = await open('notes-everywhere.html');
    const marker = 'a#note-notes-everywhere-ref-3';
    expect(await page.$eval(marker, (a) => a.textContent)).toBe('3');
    await page.click(marker);
    const target = await page.evaluate(() => ({ hash: location.hash, text: document.querySelector(':target')?.textContent }));
    expect(target.hash).toBe('#note-notes-everywhere-3');
    expect(target.text).toContain('U.S. Central Command statement, February 2, 2024');
    await page.click('#note-notes-everywhere-3 a.notes__back');
    const back = await page.evaluate(() => ({ hash: location.hash, inView: (document.querySelector(':target') as Element).getBoundingClientRect().top }));
    expect(back.hash).toBe('#note-notes-everywhere-ref-3');
    expect(back.inView).toBeGreaterThanOrEqual(0);
    await page.close();
  });

  it('styles lists and quotes in the summary as in the sections', async () => {
    const page = await open('notes-everywhere.html');
    const styles = await page.evaluate(() => {
      const quote = getComputedStyle(document.querySelector('.dek blockquote') as Element);
      const list = getComputedStyle(document.querySelector('.dek ul') as Element);
      return { rule: quote.borderInlineStartWidth, quoteMargin: quote.marginInlineStart, listIndent: list.paddingInlineStart };
    });
    expect(styles).toEqual({ rule: '3px', quoteMargin: '0px', listIndent: styles.listIndent });
    expect(parseFloat(styles.listIndent)).toBeLessThan(30);
    await page.close();
  });

  it('gives notes ids that are unique in a page and across briefs sharing one CMS page', async () => {
    const fragments = [FOOTNOTES_SLUG, 'notes-everywhere'].map((slug) => readFileSync(path.join(out, `${slug}.fragment.html`), 'utf8'));
    const cms = path.join(out, 'cms.html');
    writeFileSync(cms, `<!DOCTYPE html><html lang="en"><head><title>CMS</title></head><body>${fragments.join('\n')}</body></html>`);
    const page = await open('cms.html');
    const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((el) => el.id));
    const notes = ids.filter((id) => id.startsWith('note-'));
    expect(notes.length).toBeGreaterThan(8);
    expect(new Set(notes).size).toBe(notes.length);
    // Every marker's link reaches a note of its own brief.
    const broken = await page.evaluate(() =>
      [...document.querySelectorAll('.note-ref a, a.notes__back')].filter((a) => !document.getElementById((a.getAttribute('href') ?? '').slice(1))).length,
    );
    expect(broken).toBe(0);
    await page.close();
  });

  it('prints a placeholder with the alt text for a remote image, never the broken-image icon', async () => {
    const pdf = path.join(out, `${REMOTE_SLUG}.pdf`);
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Image not printed: Satellite image of Tower 22 after the strike (https://example.org/tower22.png)');
    // The icon is a small raster image: the PDF has none.
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toEqual([]);
    // On screen the image itself is there and the placeholder is not.
    const page = await open(`${REMOTE_SLUG}.html`);
    const screen = await page.evaluate(() => ({ text: document.body.innerText, img: document.querySelector('.prose img')?.getAttribute('alt') }));
    expect(screen.text).not.toContain('Image not printed');
    expect(screen.img).toBe('Satellite image of Tower 22 after the strike');
    await page.close();
  });
});

describe('brief check on images and notes', () => {
  it('warns at the line of a remote image', async () => {
    const dir = projectWith({ [REMOTE_IMAGE]: fixture('cases', REMOTE_IMAGE) });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`briefs/${REMOTE_IMAGE}:6:3: warning: image https://example.org/tower22.png is on the web`);
  });

  it('stops on an image without alt text, at its line and column, in any field', async () => {
    const dir = projectWith({
      'no-alt.yaml': [
        'title: Images Without Words',
        'date: 2024-02-10',
        'developments: |',
        '  Before. ![](https://example.org/a.png)',
        'background:',
        '  - heading: Map',
        '    body: |',
        '      See ![ ](https://example.org/map.png "The base").',
        'incidents:',
        '  - date: 2024-02-01',
        '    location: Tower 22',
        '    country: Jordan',
        '    summary: Damage ![](https://example.org/c.png) seen.',
      ].join('\n'),
    });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((l) => l.includes(': image '));
    expect(errors.map((l) => l.split(': image ')[0])).toEqual(['briefs/no-alt.yaml:4:11', 'briefs/no-alt.yaml:8:11', 'briefs/no-alt.yaml:13:21']);
    expect(errors[0]).toContain('image https://example.org/a.png has no alt text');
  });

  it('warns about a note marker without a note and a note never cited', async () => {
    const dir = projectWith({
      'notes.yaml': ['title: Notes Gone Astray', 'date: 2024-02-10', 'developments: |', '  Killed.[^1] Claimed.[^2]', '', '  [^1]: Statement.', '  [^3]: Never cited.'].join('\n'),
    });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('briefs/notes.yaml:4:23: warning: [^2] has no note and prints as written');
    expect(result.stderr).toContain('briefs/notes.yaml:7:3: warning: note [^3] is not cited');
  });
});
