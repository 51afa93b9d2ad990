import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/core/config.js';
import { contentSecurityPolicy } from '../../src/page/csp.js';
import { topicPath } from '../../src/page/renderer.js';
import { createIndexRenderer, siteFiles, type SiteBrief } from '../../src/site/site.js';
import { ROOT } from '../helpers.js';

// The site's pages with the bundled index.hbs, as the build writes them (pure: no disk but the template).
const template = path.join(ROOT, 'templates', 'flash-brief');
const render = createIndexRenderer({
  name: 'flash-brief',
  layout: '',
  index: readFileSync(path.join(template, 'index.hbs'), 'utf8'),
  partials: {},
  stylesheet: 'assets/brief.css',
}) as (view: object) => string;
const config = { site: { url: 'https://briefs.example.org/' } } as Config;

/** `count` briefs with `per` topics each: every topic a brief's own, or drawn from a shared pool of `pool` names. */
function briefs(count: number, per: number, pool = 0): SiteBrief[] {
  return Array.from({ length: count }, (_, b) => ({
    slug: `brief-${b}`,
    title: `Brief number ${b}`,
    label: 'Flash Brief',
    date: `2024-01-${String(1 + (b % 28)).padStart(2, '0')}`,
    summary: `A one-line summary of brief ${b}.`,
    topics: [...new Set(Array.from({ length: per }, (_, k) => (pool > 0 ? `Topic ${(b * 7 + k * 13) % pool}` : `Topic ${b}-${k}`)))],
    authors: ['A. Analyst'],
    pdf: true,
  }));
}

const bytes = (files: Map<string, string>) => [...files.values()].reduce((n, text) => n + Buffer.byteLength(text), 0);

describe('the site grows with its content, not with its square', () => {
  it('doubling the topics of one brief at most doubles the site, and no topic page lists the other topics', () => {
    const small = siteFiles(briefs(1, 250), config, render, 'assets/brief.css', 'g');
    const large = siteFiles(briefs(1, 500), config, render, 'assets/brief.css', 'g');
    expect(small.size).toBe(250 + 4);
    expect(large.size).toBe(500 + 4);
    // Linear: 2 (plus the fixed part of each page); quadratic, as when every topic page listed every topic, would be about 4.
    expect(bytes(large) / bytes(small)).toBeLessThan(2.1);
    const page = large.get(topicPath('Topic 0-7')) as string;
    expect(page).toContain('href="../brief-0.html"');
    expect(page).toContain('<a class="topics__all" href="../index.html#issues">All issues</a>');
    expect(page).not.toContain('Topic 0-8');
    expect(page.length).toBeLessThan(4000);
    // The index has the one list of every topic, under the anchor the topic pages link to.
    const index = large.get('index.html') as string;
    expect(index).toContain('id="issues"');
    for (const k of [0, 250, 499]) expect(index).toContain(`>Topic 0-${k}</a>`);
    expect(index).not.toContain('All issues');
  });

  it('doubling the briefs (50 topics each) at most doubles the site, shared topics or not', () => {
    for (const pool of [0, 300]) {
      const small = bytes(siteFiles(briefs(40, 50, pool), config, render, 'assets/brief.css', 'g'));
      const large = bytes(siteFiles(briefs(80, 50, pool), config, render, 'assets/brief.css', 'g'));
      expect(large / small, `pool ${pool}`).toBeLessThan(2.1);
    }
  });

  it('lists each brief on the page of each of its topics, and each page once in the sitemap', () => {
    const list = [
      { ...briefs(1, 0)[0], slug: 'a', date: '2024-02-01', topics: ['Iran', 'Iraq'] },
      { ...briefs(1, 0)[0], slug: 'b', date: '2024-03-01', topics: ['IRAN'] },
      { ...briefs(1, 0)[0], slug: 'c', date: '2024-01-01', topics: ['Iraq'] },
    ] as SiteBrief[];
    const files = siteFiles(list, config, render, 'assets/brief.css', 'g');
    // "Iran" and "IRAN" share a page, newest first; Iraq's page lists a and c.
    const iran = files.get(topicPath('Iran')) as string;
    expect(topicPath('IRAN')).toBe(topicPath('Iran'));
    expect(iran.indexOf('href="../b.html"')).toBeGreaterThan(0);
    expect(iran.indexOf('href="../a.html"')).toBeGreaterThan(iran.indexOf('href="../b.html"'));
    expect(iran).not.toContain('href="../c.html"');
    const iraq = files.get(topicPath('Iraq')) as string;
    expect([iraq.includes('../a.html'), iraq.includes('../b.html'), iraq.includes('../c.html')]).toEqual([true, false, true]);
    const sitemap = files.get('sitemap.xml') as string;
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>(?:<lastmod>([^<]+)<\/lastmod>)?/g)].map((m) => [m[1], m[2]]);
    expect(locs).toEqual([
      ['https://briefs.example.org/index.html', '2024-03-01'],
      [`https://briefs.example.org/${topicPath('Iran')}`, '2024-03-01'],
      [`https://briefs.example.org/${topicPath('Iraq')}`, '2024-02-01'],
      ['https://briefs.example.org/b.html', '2024-03-01'],
      ['https://briefs.example.org/a.html', '2024-02-01'],
      ['https://briefs.example.org/c.html', '2024-01-01'],
    ]);
    expect(sitemap.split('\n')[1]).toBe('<!-- generator: g -->');
  });
});

describe('the Content-Security-Policy of the index and topic pages', () => {
  const tag = (policy: string) => `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/'/g, '&#x27;')}">`;

  it('is on the index and every topic page, allowing no inline style', () => {
    const files = siteFiles(briefs(2, 3), config, render, 'assets/brief.css', 'g');
    const pages = [...files].filter(([file]) => file.endsWith('.html'));
    expect(pages).toHaveLength(1 + 6);
    for (const [file, html] of pages) {
      expect(html.match(/Content-Security-Policy/g), file).toHaveLength(1);
      expect(html, file).toContain(tag(contentSecurityPolicy()));
    }
    expect(contentSecurityPolicy()).toContain("style-src 'self';");
    expect(contentSecurityPolicy()).toContain("script-src 'none'");
  });

  it('is added to the head of a page whose index.hbs forgot it', () => {
    const forgetful = createIndexRenderer({
      name: 'own',
      layout: '',
      index: '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{{title}}</title></head><body>{{#each briefs}}<p>{{title}}</p>{{/each}}</body></html>',
      partials: {},
      stylesheet: 'assets/brief.css',
    }) as (view: object) => string;
    const files = siteFiles(briefs(1, 2), config, forgetful, 'assets/brief.css', 'g');
    for (const [file, html] of [...files].filter(([f]) => f.endsWith('.html'))) {
      expect(html, file).toContain(`<meta charset="utf-8">\n${tag(contentSecurityPolicy())}<title>`);
    }
  });
});
