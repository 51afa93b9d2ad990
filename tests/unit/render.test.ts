import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cssString, joinNames } from '../../src/page/renderer.js';
import { defaultSlug } from '../../src/core/slug.js';
import { ROOT } from '../helpers.js';

describe('templates', () => {
  const dir = path.join(ROOT, 'templates', 'flash-brief');
  const files = [path.join(dir, 'layout.hbs'), ...readdirSync(path.join(dir, 'partials')).map((f) => path.join(dir, 'partials', f))];

  it('never use a triple-stash: only our SafeString Markdown is unescaped', () => {
    for (const f of files) expect(readFileSync(f, 'utf8'), f).not.toContain('{{{');
  });

  it('have a partial for each section of a brief', () => {
    expect(readdirSync(path.join(dir, 'partials')).sort()).toEqual(
      ['analysis.hbs', 'annex.hbs', 'brief.hbs', 'corrections.hbs', 'developments.hbs', 'figures.hbs', 'masthead.hbs', 'related.hbs', 'section.hbs', 'series-nav.hbs', 'tally-box.hbs', 'topics.hbs'],
    );
  });
});

describe('cssString', () => {
  it('escapes everything that could end the string or the style element', () => {
    const s = cssString('A "quoted" </style><script>\\ title');
    expect(s).not.toMatch(/<|>|"[^"]*"[^"]*"/);
    expect(s.startsWith('"') && s.endsWith('"')).toBe(true);
    expect(s).toContain('\\22 quoted\\22 ');
  });
});

describe('joinNames', () => {
  it('joins names as a byline reads', () => {
    expect([joinNames(['A']), joinNames(['A', 'B']), joinNames(['A', 'B', 'C'])]).toEqual(['A', 'A and B', 'A, B and C']);
  });
});

describe('defaultSlug', () => {
  it('derives a slug from date and title', () => {
    expect(defaultSlug({ date: '2023-10-24', title: 'Militia Drone Attacks on Coalition Bases Continue' })).toBe(
      '2023-10-24-militia-drone-attacks-on-coalition-bases-continue',
    );
  });
  it('keeps slugs short, cut at a word', () => {
    const slug = defaultSlug({ date: '2023-10-24', title: 'word '.repeat(40) });
    expect(slug.length).toBeLessThanOrEqual(81);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});
