import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carriesFlashbriefMark } from '../../src/project/ownership.js';
import { projectWith, runCli } from '../helpers.js';

/*
 * issue 13: a build never overwrites a file it did not write. An output folder may hold
 * someone else's files (a docs/ folder a site is served from, with its own index.html);
 * the build replaces only what its record names or what carries a flashbrief output's mark.
 */

const BRIEF = 'title: Ownership\ndate: 2024-01-05\nslug: owned\ntopics: [Iraq]\ndevelopments: All quiet.\n';
const CONFIG = 'site:\n  url: https://briefs.example.org/\n';

/** Every file under a folder, relative to it, with forward slashes. */
function filesIn(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesIn(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name)).split(path.sep).join('/')],
  );
}

describe('an output folder that holds files flashbrief did not write', () => {
  it('leaves each of them as it is, says so at its name, and writes everything else', async () => {
    const dir = projectWith({ 'owned.yaml': BRIEF });
    writeFileSync(path.join(dir, 'brief.config.yaml'), CONFIG);
    const docs = path.join(dir, 'docs');
    mkdirSync(path.join(docs, 'topics'), { recursive: true });
    const theirs: Record<string, string> = {
      'index.html': '<!DOCTYPE html><title>Our home page</title><h1>Welcome</h1>\n',
      'owned.html': '<p>a page of the web team</p>\n',
      'feed.xml': '<?xml version="1.0"?><rss><channel><title>Their feed</title></channel></rss>\n',
      'sitemap.xml': '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n',
      'topics/iraq.html': '<p>their topic page</p>\n',
    };
    for (const [rel, text] of Object.entries(theirs)) writeFileSync(path.join(docs, rel), text);
    const result = await runCli(['build', '--html-only', '-o', 'docs'], { cwd: dir });
    expect(result.code).toBe(1);
    for (const [rel, text] of Object.entries(theirs)) {
      expect(readFileSync(path.join(docs, rel), 'utf8'), rel).toBe(text);
      expect(result.stderr).toContain(`did not write docs/${rel}: a file is there that flashbrief did not write`);
    }
    expect(result.stderr).not.toMatch(/unexpected error/);
    // What was not in the way is written: the shared assets and the JSON feed.
    expect(filesIn(docs).some((f) => f.startsWith('assets/'))).toBe(true);
    expect(readFileSync(path.join(docs, 'feed.json'), 'utf8')).toContain('"_flashbrief"');
  });

  it('rebuilds its own files without its record (the cache deleted): every default output carries its mark', async () => {
    const dir = projectWith({ 'owned.yaml': BRIEF });
    writeFileSync(path.join(dir, 'brief.config.yaml'), CONFIG);
    expect((await runCli(['build', '--fragment'], { cwd: dir })).code).toBe(0);
    const output = path.join(dir, 'output');
    const before = new Map(filesIn(output).map((f) => [f, statSync(path.join(output, f)).mtimeMs]));
    // Every file the build wrote is known as its own by content alone.
    for (const rel of before.keys()) {
      if (rel === '.flashbrief-cache.json') continue;
      expect(carriesFlashbriefMark(rel, readFileSync(path.join(output, rel))), rel).toBe(true);
    }
    rmSync(path.join(output, '.flashbrief-cache.json'));
    writeFileSync(path.join(dir, 'briefs', 'owned.yaml'), BRIEF.replace('All quiet.', 'Two strikes were reported.').replace('2024-01-05', '2024-01-06'));
    const again = await runCli(['build', '--fragment'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    for (const rel of ['owned.html', 'owned.pdf', 'owned.fragment.html', 'index.html', 'feed.xml', 'feed.json', 'sitemap.xml']) {
      expect(statSync(path.join(output, rel)).mtimeMs, rel).toBeGreaterThan(before.get(rel) as number);
    }
    expect(readFileSync(path.join(output, 'owned.html'), 'utf8')).toContain('Two strikes were reported.');
  }, 60_000);

  it("replaces a custom template's pages that carry no mark, because its record names them", async () => {
    const dir = projectWith({ 'owned.yaml': BRIEF });
    const mine = path.join(dir, 'templates', 'flash-brief');
    mkdirSync(mine, { recursive: true });
    writeFileSync(path.join(mine, 'index.hbs'), '<!DOCTYPE html><html lang="en"><title>{{title}}</title><ul>{{#each briefs}}<li>{{title}}</li>{{/each}}</ul></html>\n');
    const build = () => runCli(['build', '--html-only', '--templates', 'templates'], { cwd: dir });
    expect((await build()).code).toBe(0);
    writeFileSync(path.join(dir, 'briefs', 'owned.yaml'), BRIEF.replace('title: Ownership', 'title: Renamed'));
    const again = await build();
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'output', 'index.html'), 'utf8')).toContain('<li>Renamed</li>');
  });
});

describe('the marks', () => {
  it('no text without a mark is taken for an output of flashbrief, whatever its name', () => {
    const names = fc.constantFrom('index.html', 'x.html', 'topics/x.html', 'x.pdf', 'feed.xml', 'sitemap.xml', 'feed.json', 'x.fragment.html', 'assets/logo.png', 'assets/brief.css', 'notes.txt');
    fc.assert(
      fc.property(names, fc.string({ maxLength: 400 }), (rel, text) => {
        fc.pre(!/flashbrief/i.test(text));
        expect(carriesFlashbriefMark(rel, Buffer.from(text))).toBe(false);
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it('a mark counts only where flashbrief writes it: in a page\'s head, not quoted in its text', () => {
    expect(carriesFlashbriefMark('x.html', Buffer.from('<p>built with flashbrief</p>'))).toBe(false);
    expect(carriesFlashbriefMark('x.html', Buffer.from('<meta name="generator" content="flashbriefer 2">'))).toBe(false);
    expect(carriesFlashbriefMark('x.html', Buffer.from('<head><meta name="generator" content="flashbrief 0.1.0">'))).toBe(true);
    expect(carriesFlashbriefMark('assets/brief.0123456789.css', Buffer.from('body{}'))).toBe(true);
    expect(carriesFlashbriefMark('assets/brief.css', Buffer.from('body{}'))).toBe(false);
  });
});
