import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { projectWith, runCli } from '../helpers.js';

/*
 * SECURITY.md promises a Content-Security-Policy on every page. Here a brief carries a
 * script and an event handler in its fields, and the pages are opened in Chromium: with
 * the bundled templates (which escape every field), and with overrides that print the
 * fields unescaped and forget the policy's {{csp}} tag, so that only the policy the build
 * adds stands between the brief and the reader's browser.
 */

const SCRIPT = '<script>window.ranScript = (window.ranScript || 0) + 1</script>';
const HANDLER = '<img src="missing.png" onerror="window.ranHandler = 1">';
const BRIEF = [
  `title: 'Hostile ${SCRIPT}'`,
  'date: 2024-03-11',
  'slug: hostile',
  `summary: 'Summary ${SCRIPT.replace(/'/g, "''")}'`,
  'topics:',
  `  - '${HANDLER}'`,
  '  - Plain topic',
  'developments: Quiet.',
  '',
].join('\n');

// Overrides that print fields raw (a triple-stash) and leave out the policy tag.
const RAW_INDEX =
  '<!DOCTYPE html>\n<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{title}}</title></head>\n' +
  '<body><h1>{{{heading}}}</h1>\n{{#each briefs}}<p><a href="{{href}}">{{{title}}}</a></p>{{/each}}\n' +
  '{{#each topics}}<a href="{{href}}">{{{name}}}</a>{{/each}}\n</body></html>\n';
const RAW_LAYOUT = '<!DOCTYPE html>\n<html lang="{{lang}}"><head><meta charset="utf-8"><title>{{title}}</title></head>\n<body><h1>{{{title}}}</h1></body></html>\n';

/** Every .html file under `dir`, relative. */
const htmlFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.html')).sort();

/** The policies in the page's head, where browsers read them. */
const headPolicies = (html: string): string[] =>
  [...new JSDOM(html).window.document.head.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.getAttribute('http-equiv')?.toLowerCase() === 'content-security-policy')
    .map((m) => m.getAttribute('content') ?? '');

describe('the Content-Security-Policy of every page, in Chromium', () => {
  let browser: Browser;
  let bundled: string;
  let raw: string;

  beforeAll(async () => {
    bundled = projectWith({ 'hostile.yaml': BRIEF });
    raw = projectWith({ 'hostile.yaml': BRIEF });
    mkdirSync(path.join(raw, 'own', 'flash-brief'), { recursive: true });
    writeFileSync(path.join(raw, 'own', 'flash-brief', 'index.hbs'), RAW_INDEX);
    writeFileSync(path.join(raw, 'own', 'flash-brief', 'layout.hbs'), RAW_LAYOUT);
    const [a, b, found] = await Promise.all([
      runCli(['build', '--html-only', '-q'], { cwd: bundled }),
      runCli(['build', '--html-only', '-q', '--templates', 'own'], { cwd: raw }),
      findBrowser(),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    browser = await launchBrowser(found);
  });
  afterAll(() => closeBrowser(browser));

  /** What running the page did: the flags its injected script and handler set, and the policy violations reported. */
  async function open(file: string) {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // The missing image's error event comes after load; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ran = await page.evaluate(() => ({
      script: (window as unknown as { ranScript?: number }).ranScript ?? 0,
      handler: (window as unknown as { ranHandler?: number }).ranHandler ?? 0,
    }));
    await page.close();
    return { ...ran, violations };
  }

  it('is in the head of every HTML page the build writes, with the bundled templates and with templates that forgot it', () => {
    for (const dir of [bundled, raw]) {
      const out = path.join(dir, 'output');
      const pages = htmlFiles(out);
      // The brief, the index and a page for each of its two topics.
      expect(pages, dir).toHaveLength(4);
      expect(pages).toContain('index.html');
      for (const file of pages) {
        const policies = headPolicies(readFileSync(path.join(out, file), 'utf8'));
        expect(policies, `${dir}: ${file}`).toHaveLength(1);
        expect(policies[0]).toContain("script-src 'none'");
        expect(policies[0]).toContain("default-src 'none'");
      }
    }
  });

  it('with the bundled templates, no injected script or handler runs on the index, topic or brief pages', async () => {
    const out = path.join(bundled, 'output');
    for (const file of htmlFiles(out)) {
      const ran = await open(path.join(out, file));
      expect(ran, file).toMatchObject({ script: 0, handler: 0 });
    }
  });

  it('with templates that print fields raw and forget {{csp}}, the added policy stops the script and the handler', async () => {
    const out = path.join(raw, 'output');
    const pages = htmlFiles(out);
    const topicPage = pages.find((f) => f.startsWith('topics/') && readFileSync(path.join(out, f), 'utf8').includes('onerror')) as string;
    expect(topicPage).toBeDefined();
    for (const file of ['index.html', topicPage, 'hostile.html']) {
      const html = readFileSync(path.join(out, file), 'utf8');
      // The injection is really there, raw, and would run without the policy: the same
      // page with its policy tag taken out, beside it, runs it.
      expect(html, file).toContain(file === topicPage ? HANDLER : SCRIPT);
      const control = path.join(path.dirname(path.join(out, file)), `control-${path.basename(file)}`);
      writeFileSync(control, html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''));
      const without = await open(control);
      expect(without, `${file} without its policy`).toMatchObject(file === topicPage ? { handler: 1 } : { script: 1 });

      const ran = await open(path.join(out, file));
      expect(ran, file).toMatchObject({ script: 0, handler: 0 });
      expect(ran.violations.length, file).toBeGreaterThan(0);
    }
  });
});
