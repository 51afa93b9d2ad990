import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/core/config.js';
import { topicPath } from '../../src/page/renderer.js';
import { createIndexRenderer, siteFiles, type SiteBrief } from '../../src/site/site.js';
import { ROOT } from '../helpers.js';

/*
 * issue 13: every topic gets a page of its own, whose file name the file system takes.
 * Two names share a page only when they differ in case alone (Iran, IRAN); `a-b`, `a b`,
 * `a_b` and `a/b` once shared topics/a-b.html, `index` and `../index` topics/index.html,
 * and a 400-character name gave ENAMETOOLONG.
 */

// Separators, punctuation, case, digits, hex letters (a slug can end like a hash), and
// Unicode that transliterates, folds oddly or vanishes from a slug.
const TRICKY = [...'aAbBcCeEfF019 -_/.\\:+#!?\'"()[]', 'İ', 'ı', 'ß', 'ẞ', 'é', 'e\u0301', 'Σ', 'ς', 'σ', 'ﬁ', '中', '😀', '\u200b', '\t', '-'];
const name = fc.array(fc.constantFrom(...TRICKY), { minLength: 1, maxLength: 40 }).map((cs) => cs.join(''));
const longName = fc.array(fc.constantFrom(...TRICKY), { minLength: 200, maxLength: 600 }).map((cs) => cs.join(''));
const runs = Number(process.env.FAST_CHECK_RUNS ?? 300);

/** The file name of a topic's page, and that it is one the file system takes. */
function fileName(topic: string): string {
  const rel = topicPath(topic);
  expect(rel).toMatch(/^topics\/[a-z0-9-]+\.html$/);
  expect(Buffer.byteLength(path.posix.basename(rel))).toBeLessThanOrEqual(255);
  return rel;
}

describe('topic page file names', () => {
  it('two names share one only when they are the same up to case; none is longer than 255 bytes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof({ weight: 4, arbitrary: name }, { weight: 1, arbitrary: longName }), { minLength: 2, maxLength: 30 }), (names) => {
        const byFile = new Map<string, string>();
        for (const n of names) {
          const file = fileName(n);
          const other = byFile.get(file);
          if (other !== undefined) expect(other.toLowerCase(), `${JSON.stringify(other)} and ${JSON.stringify(n)} -> ${file}`).toBe(n.toLowerCase());
          byFile.set(file, n);
        }
      }),
      { numRuns: runs },
    );
  });

  it('names that differ in case alone (the same in lower case) share one', () => {
    fc.assert(
      fc.property(name, (n) => {
        expect(fileName(n)).toBe(fileName(n.toLowerCase()));
        // Upper case that lowers back to the same name ("ﬁ" upper-cases to "FI", another name).
        if (n.toUpperCase().toLowerCase() === n.toLowerCase()) expect(fileName(n.toUpperCase())).toBe(fileName(n));
      }),
      { numRuns: runs },
    );
  });

  it('the cases that shared a page have their own now, and plain names keep theirs', () => {
    const files = ['a-b', 'a b', 'a_b', 'a/b', 'A B', 'index', '../index', 'Index'].map(fileName);
    expect(new Set(files).size).toBe(6);
    expect(fileName('a b')).toBe('topics/a-b.html');
    expect(fileName('A B')).toBe('topics/a-b.html');
    expect(fileName('index')).toBe('topics/index.html');
    expect(fileName('Middle East')).toBe('topics/middle-east.html');
    // A name that spells a hashed page's name is hashed itself, so it never takes that page.
    const hashed = fileName('a-b');
    const spelt = path.posix.basename(hashed, '.html').replace(/-/g, ' ');
    expect(fileName(spelt)).not.toBe(hashed);
  });

  it('a 400-character name gets a page of a short name', () => {
    const file = fileName('Long '.repeat(80));
    expect(Buffer.byteLength(path.posix.basename(file))).toBeLessThan(100);
  });
});

describe('the site built from random topic names', () => {
  const template = path.join(ROOT, 'templates', 'flash-brief');
  const render = createIndexRenderer({ name: 'flash-brief', layout: '', index: readFileSync(path.join(template, 'index.hbs'), 'utf8'), partials: {}, stylesheet: 'assets/brief.css' }) as (view: object) => string;

  it('has one page per name up to case, and each lists the briefs of its name', () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 1, maxLength: 12 }), (names) => {
        const briefs: SiteBrief[] = names.map((t, i) => ({ slug: `b${i}`, title: `Brief ${i}`, label: 'Flash Brief', date: '2024-01-01', topics: [t], authors: [], pdf: false }));
        const files = siteFiles(briefs, {} as Config, render, 'assets/brief.css', 'g');
        const pages = [...files.keys()].filter((f) => f.startsWith('topics/'));
        expect(pages.length).toBe(new Set(names.map((n) => n.toLowerCase())).size);
        for (const [i, t] of names.entries()) expect(files.get(topicPath(t)), t).toContain(`>Brief ${i}<`);
      }),
      { numRuns: Math.ceil(runs / 10) },
    );
  });
});
