import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import postcss from 'postcss';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { pdfFonts, pdfInfo, pdfText, projectWith, runCli, tempDir } from '../helpers.js';

describe('the site around the briefs (example project, with brief.config.yaml)', () => {
  let out: string;
  const read = (f: string) => readFileSync(path.join(out, f), 'utf8');
  beforeAll(async () => {
    out = tempDir();
    const result = await runCli(['build', '--html-only', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
  });

  it('lists every brief on the index, newest first, with its key tally', () => {
    const index = read('index.html');
    const later = index.indexOf('militia-attacks-after-us-strikes.html');
    const earlier = index.indexOf('militia-attacks-on-us-troops.html');
    expect(later).toBeGreaterThan(0);
    expect(earlier).toBeGreaterThan(later);
    expect(index).toContain('12 incidents, Oct 17 – Oct 30, 2023');
    expect(index).toContain('<a href="topics/syria.html">Syria</a>');
  });

  it('writes a page per topic with links that work from any base path', () => {
    const topic = read('topics/iran-global-threat-network.html');
    expect(topic).toMatch(/<link rel="stylesheet" href="\.\.\/assets\/brief\.[0-9a-f]{10}\.css">/);
    expect(topic).toContain('href="../militia-attacks-on-us-troops.html"');
    expect(topic).not.toContain('militia-attacks-after-us-strikes.html');
    expect(topic).not.toMatch(/href="https?:/);
  });

  it('writes an Atom feed and a JSON Feed that feed readers parse', () => {
    const atom = parseFeed(read('feed.xml'));
    expect(atom.title).toBe('Flash Briefs');
    expect(atom.items.map((i) => i.url)).toEqual([
      'https://briefs.example.org/militia-attacks-after-us-strikes.html',
      'https://briefs.example.org/militia-attacks-on-us-troops.html',
    ]);
    const json = JSON.parse(read('feed.json'));
    expect(json.version).toMatch(/^https:\/\/jsonfeed\.org\/version\/1/);
    expect(json.items).toHaveLength(2);
  });

  it('writes a sitemap of the index, topics and briefs', () => {
    const sitemap = read('sitemap.xml');
    expect(XMLValidator.validate(sitemap)).toBe(true);
    expect(XMLValidator.validate(read('feed.xml'))).toBe(true);
    expect(sitemap).toContain('<loc>https://briefs.example.org/militia-attacks-on-us-troops.html</loc><lastmod>2023-10-24</lastmod>');
    expect(sitemap).toContain('<loc>https://briefs.example.org/topics/syria.html</loc>');
  });

  it('gives each brief page its canonical URL, social cards, the configured colours and the disclaimer', () => {
    const page = read('militia-attacks-on-us-troops.html');
    expect(page).toContain('<link rel="canonical" href="https://briefs.example.org/militia-attacks-on-us-troops.html">');
    expect(page).toContain('<meta property="og:site_name" content="Example Policy Institute">');
    expect(page).toContain(':root { --accent: #0d2f57; --kicker: #a3161b; }');
    expect(page).toContain('<p class="disclaimer" dir="auto">This is an example brief made with flashbrief.');
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)?.[1] ?? '');
    expect(ld).toMatchObject({ '@type': 'Report', url: 'https://briefs.example.org/militia-attacks-on-us-troops.html', publisher: { name: 'Example Policy Institute' } });
  });

  it('embeds the configured logo, content-named, on the pages and the index', () => {
    const page = read('militia-attacks-on-us-troops.html');
    const src = /<img class="masthead__logo" src="(assets\/logo\.[0-9a-f]{10}\.svg)" alt="Example Policy Institute">/.exec(page)?.[1] as string;
    expect(readFileSync(path.join(out, src), 'utf8')).toContain('<svg');
    expect(read('index.html')).toContain(`src="${src}"`);
    expect(read('topics/syria.html')).toContain(`src="../${src}"`);
  });

  it('keeps every brief on the index when only one is rebuilt', async () => {
    const result = await runCli(['build', 'briefs/militia-attacks-on-us-troops.yaml', '--html-only', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(read('index.html')).toContain('militia-attacks-after-us-strikes.html');
  });
});

describe('brief.config.yaml', () => {
  it('runs without one, and then writes no feeds, saying why', async () => {
    const dir = projectWith({ 'a.yaml': 'title: A\ndate: 2024-01-01\ndevelopments: x\n' });
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('no site.url in brief.config.yaml: feeds and sitemap are not written');
    expect(existsSync(path.join(dir, 'output', 'index.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'output', 'feed.xml'))).toBe(false);
  });

  it('is checked with positions, and its errors stop every brief', async () => {
    const { diagnostics } = parseConfig('site:\n  url: example.org\ncolors:\n  accent: blue\npage_size: legal\nlogo_: x\n', 'brief.config.yaml');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'brief.config.yaml:2:8: site.url must be an http(s) URL ending in "/", e.g. https://example.org/briefs/',
      'brief.config.yaml:4:11: colors.accent must be a colour written #rrggbb, e.g. #0d2f57',
      'brief.config.yaml:5:12: page_size must be letter or a4',
      'brief.config.yaml:6:1: unknown key "logo_" (did you mean "logo"?)',
    ]);
    const dir = projectWith({ 'a.yaml': 'title: A\ndate: 2024-01-01\ndevelopments: x\n' });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: legal\n');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('brief.config.yaml:1:12: page_size must be letter or a4');
  });

  it('sets the page size of the PDF, and --page-size overrides it', async () => {
    const dir = projectWith({ 'a.yaml': 'title: A\ndate: 2024-01-01\ndevelopments: x\n' });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: a4\nfooter: Example Footer\n');
    expect((await runCli(['build', '--pdf-only'], { cwd: dir })).code).toBe(0);
    const pdf = path.join(dir, 'output', '2024-01-01-a.pdf');
    expect(pdfInfo(pdf)['Page size']).toMatch(/A4/);
    expect(pdfText(pdf)).toContain('EXAMPLE FOOTER');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: a4\nfooter: Example Footer\nheader: Example Header\nlogo: missing.svg\n');
    const missing = await runCli(['build', '--pdf-only'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('brief.config.yaml:4:7: logo missing.svg does not exist');
    writeFileSync(path.join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#a3161b"/></svg>');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: a4\nheader: Example Header\nlogo: logo.svg\nfonts:\n  body: Source Sans 3\n');
    expect((await runCli(['build', '--pdf-only'], { cwd: dir })).code).toBe(0);
    expect(pdfText(pdf)).toContain('EXAMPLE HEADER');
    // The body font follows the configuration: only the sans family is embedded now.
    expect(pdfFonts(pdf).map((f) => f.name).join(' ')).not.toContain('SourceSerif4');
    expect((await runCli(['build', '--pdf-only', '--page-size', 'letter'], { cwd: dir })).code).toBe(0);
    expect(pdfInfo(pdf)['Page size']).toMatch(/letter/);
  });
});

describe('newsroom habits: information cutoff, corrections, embargo', () => {
  const base = 'date: 2023-10-24\ndevelopments: x\ntopics: [Iran]\n';
  let dir: string;
  beforeAll(async () => {
    dir = projectWith({
      'open.yaml': `title: Open Brief\nslug: open\nas_of: 2023-10-24T18:00-04:00\n${base}corrections:\n  - date: 2023-10-26\n    text: An earlier version gave the wrong *base*.\n`,
      'held.yaml': `title: Held Brief\nslug: held\nembargo: 2999-01-01T06:00Z\n${base}`,
    });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://example.org/b/\n');
    const result = await runCli(['build', '--embargoed-out', 'embargoed'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
  });
  const read = (f: string) => readFileSync(path.join(dir, 'output', f), 'utf8');

  it('says "Information as of" under the title, in the zone it was written in', () => {
    expect(read('open.html')).toContain('Information as of <time datetime="2023-10-24T18:00-04:00">October 24, 2023, 18:00 (UTC−04:00)</time>');
    expect(pdfText(path.join(dir, 'output', 'open.pdf'))).toContain('Information as of October 24, 2023, 18:00 (UTC−04:00)');
  });

  it('prints corrections at the end and moves the feed entry and sitemap date', () => {
    expect(read('open.html')).toContain('<li><span><time datetime="2023-10-26">October 26, 2023</time>:</span> <bdi>An earlier version gave the wrong <em>base</em>.</bdi></li>');
    expect(pdfText(path.join(dir, 'output', 'open.pdf'))).toMatch(/CORRECTIONS\s+October 26, 2023: An earlier version gave the wrong base\./);
    const atom = parseFeed(read('feed.xml'));
    expect(atom.items[0]?.updated?.toISOString()).toBe('2023-10-26T00:00:00.000Z');
    expect(read('sitemap.xml')).toContain('<loc>https://example.org/b/open.html</loc><lastmod>2023-10-26</lastmod>');
  });

  it('marks an embargoed brief in page and PDF, written apart from output/, and keeps it out of the index, topics, feeds and sitemap', () => {
    expect(readFileSync(path.join(dir, 'embargoed', 'held.html'), 'utf8')).toContain('Embargoed until <time datetime="2999-01-01T06:00Z">January 1, 2999, 06:00 UTC</time>');
    expect(pdfText(path.join(dir, 'embargoed', 'held.pdf'))).toContain('EMBARGOED UNTIL JANUARY 1, 2999, 06:00 UTC');
    expect(readdirSync(path.join(dir, 'output')).filter((f) => f.startsWith('held'))).toEqual([]);
    for (const file of ['index.html', 'topics/iran.html', 'feed.xml', 'feed.json', 'sitemap.xml']) {
      expect(read(file), file).not.toContain('held');
      expect(read(file), file).toContain('open');
    }
  });
});

describe('fragments for a CMS', () => {
  it('writes the brief alone in a scoped wrapper, and a stylesheet whose every rule is scoped', async () => {
    const out = tempDir();
    const result = await runCli(['build', '--html-only', '--fragment', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    const fragment = readFileSync(path.join(out, 'militia-attacks-on-us-troops.fragment.html'), 'utf8');
    expect(fragment.startsWith('<div class="flashbrief" lang="en" dir="ltr">\n<article class="brief">')).toBe(true);
    expect(fragment).not.toMatch(/<(html|head|body|link|style|script)\b/);
    expect(fragment).toContain('>Latest Developments</span></h2>');
    const manifest = JSON.parse((await runCli(['build', '--html-only', '--fragment', '--json', '--out', out])).stdout);
    const scoped = (manifest.assets as string[]).find((a) => /brief\.scoped\.[0-9a-f]{10}\.css$/.test(a)) as string;
    const css = readFileSync(scoped, 'utf8');
    expect(css).not.toContain('@page');
    expect(css).not.toMatch(/(^|\})\s*(html|body|:root)\s*\{/m);
    const selectors: string[] = [];
    postcss.parse(css).walkRules((rule) => {
      selectors.push(...rule.selectors);
    });
    expect(selectors.length).toBeGreaterThan(50);
    for (const selector of selectors) expect(selector).toMatch(/^\.flashbrief\b/);
  });
});

describe('topic names that slugify alike', () => {
  it('never share or take each other\'s page: each page lists every brief of its topic', async () => {
    const topics = [['C'], ['C++'], ['C#'], ['!!!'], ['???'], ['Iran'], ['IRAN']];
    const dir = projectWith(
      Object.fromEntries(topics.map(([t], i) => [`b${i}.yaml`, `title: Brief ${i}\ndate: 2024-01-0${i + 1}\nslug: b${i}\ntopics: ["${t}"]\ndevelopments: All quiet.\n`])),
    );
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.org/\n');
    const result = await runCli(['build', '--html-only', '-q'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const pages = readdirSync(path.join(dir, 'output', 'topics'));
    // Five distinct pages for C, C++, C#, !!! and ???; Iran and IRAN are one topic written two ways.
    expect(pages).toHaveLength(6);
    for (const [i, [topic]] of topics.entries()) {
      const brief = readFileSync(path.join(dir, 'output', `b${i}.html`), 'utf8');
      const href = new RegExp(`href="(topics/[^"]+)"[^>]*>${(topic as string).replace(/[+?#!]/g, '\\$&')}<`).exec(brief)?.[1] ?? '';
      expect(href, topic).not.toBe('');
      // The brief's Issues link reaches a page that lists the brief.
      expect(readFileSync(path.join(dir, 'output', href), 'utf8'), `${topic} -> ${href}`).toContain(`Brief ${i}`);
    }
  });
});
