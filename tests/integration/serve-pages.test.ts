import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuiltPages } from '../../src/serve/pages.js';
import { FIXTURES, projectWith, tempDir } from '../helpers.js';

/*
 * What the preview remembers between builds, without a server or a browser: serve.test.ts
 * sees the overlay come and go on the page; this sees the memory behind it, and that a
 * broken brief's PDF is refused rather than printed from its last good job.
 */

describe("the preview's pages", () => {
  it('keep each page by slug through a broken build: errors while broken, the print job only while good', async () => {
    const good = `${readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8')}slug: a\n`;
    const dir = projectWith({ 'a.yaml': good });
    const file = path.join(dir, 'briefs', 'a.yaml');
    const lines: string[] = [];
    const pages = new BuiltPages({ cwd: dir, inputs: ['briefs'], folder: tempDir(), log: (line) => lines.push(line) });

    const first = await pages.rebuild();
    expect(first.briefs.map((b) => b.slug)).toEqual(['a']);
    expect(readFileSync(path.join(pages.folder, 'a.html'), 'utf8')).toContain('Minimal Brief');
    expect(pages.failure('a')).toBeUndefined();
    const job = pages.printJob('a');
    expect(job?.name).toBe('a.html');
    expect(job?.metadata.title).toContain('Minimal Brief');
    expect(lines).toEqual([expect.stringMatching(/^rebuilt 1 brief\(s\) in \d+ ms$/)]);

    // Nothing changed: the brief is not rendered again, and its page keeps its print job.
    await pages.rebuild();
    expect(pages.printJob('a')).toBe(job);

    // Too broken to have a slug: the errors still belong to the page it had.
    lines.length = 0;
    writeFileSync(file, `${good}\ntitle: [broken\n`);
    const broken = await pages.rebuild();
    expect(broken.briefs[0]?.slug).toBeNull();
    expect(pages.failure('a')?.source).toBe('briefs/a.yaml');
    expect(pages.failure('a')?.errors?.length).toBeGreaterThan(0);
    expect(pages.printJob('a')).toBeUndefined();
    expect(lines[0]).toMatch(/^briefs\/a\.yaml:\d+:\d+: /);
    expect(lines.at(-1)).toMatch(/^rebuilt 1 brief\(s\) in \d+ ms$/);

    writeFileSync(file, good.replace('Minimal Brief', 'Minimal Brief Again'));
    await pages.rebuild();
    expect(pages.failure('a')).toBeUndefined();
    // The job of the build after the fix, not the one from before the break.
    expect(pages.printJob('a')?.metadata.title).toContain('Minimal Brief Again');
  });

  it("log an incident file's own errors, which belong to no page", async () => {
    const good = readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8');
    const dir = projectWith({ 'a.yaml': good });
    mkdirSync(path.join(dir, 'incidents'));
    writeFileSync(path.join(dir, 'incidents', 'feed.yaml'), 'series: s\nincidents: [broken\n');
    const lines: string[] = [];
    const pages = new BuiltPages({ cwd: dir, inputs: ['briefs'], folder: tempDir(), log: (line) => lines.push(line) });
    await pages.rebuild();
    expect(lines.filter((l) => l.startsWith('incidents/feed.yaml:'))).not.toEqual([]);
    expect(pages.failure('minimal-brief')).toBeUndefined();
  });

  it('tell which configuration applies after the first build, then only when that changes', async () => {
    const dir = projectWith({ 'a.yaml': `${readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8')}slug: a\n` });
    const told: string[] = [];
    const lines: string[] = [];
    const pages = new BuiltPages({ cwd: dir, inputs: ['briefs'], folder: tempDir(), log: (line) => lines.push(line), notice: (line) => told.push(line) });
    const none = 'no brief.config.yaml in this folder: the defaults apply';
    await pages.rebuild();
    expect(told).toEqual([none]);
    await pages.rebuild();
    expect(told).toEqual([none]);
    // Read now: nothing to tell; removed again: told again.
    const config = path.join(dir, 'brief.config.yaml');
    writeFileSync(config, 'organization: Near Institute\n');
    await pages.rebuild();
    rmSync(config);
    await pages.rebuild();
    expect(told).toEqual([none, none]);
    // The notices go to `notice` only; the log has the builds.
    expect(lines.filter((l) => !l.startsWith('rebuilt '))).toEqual([]);
  });

  it('preview a brief under embargo, marked, with its PDF print job, though a build holds it back', async () => {
    const good = readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8');
    const dir = projectWith({ 'a.yaml': `${good}slug: a\nembargo: 2999-01-01T06:00Z\n` });
    const pages = new BuiltPages({ cwd: dir, inputs: ['briefs'], folder: tempDir(), log: () => undefined });
    const manifest = await pages.rebuild();
    expect(manifest.briefs[0]).toMatchObject({ ok: true, outputs: [expect.stringMatching(/a\.html$/)], embargo: { held: false } });
    expect(readFileSync(path.join(pages.folder, 'a.html'), 'utf8')).toContain('Embargoed until');
    expect(pages.printJob('a')?.metadata.title).toContain('Minimal Brief');
  });

  it('forget a brief whose file was removed: its page is gone, with no errors or print job', async () => {
    const good = readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8');
    const dir = projectWith({ 'a.yaml': `${good}slug: a\n`, 'b.yaml': `${good}slug: b\nnope: 1\n` });
    const pages = new BuiltPages({ cwd: dir, inputs: ['briefs'], folder: tempDir(), log: () => undefined });
    await pages.rebuild();
    expect(pages.gone('a')).toBe(false);
    expect(pages.failing().map((f) => [f.entry.source, f.slug])).toEqual([['briefs/b.yaml', 'b']]);
    rmSync(path.join(dir, 'briefs', 'a.yaml'));
    rmSync(path.join(dir, 'briefs', 'b.yaml'));
    await pages.rebuild();
    expect(pages.gone('a')).toBe(true);
    expect(pages.gone('b')).toBe(true);
    expect(pages.gone('never')).toBe(false);
    expect(pages.printJob('a')).toBeUndefined();
    expect(pages.failure('b')).toBeUndefined();
    expect(pages.failing()).toEqual([]);
  });
});
