import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serve, type Server } from '../../src/serve/serve.js';
import { FIXTURES, projectWith } from '../helpers.js';

/*
 * What the preview serves for briefs that are not good: one with errors is listed on the
 * index and its PDF is refused with its errors; one whose file was removed is gone. No
 * PDF is printed here, so no browser starts. Error messages hold the author's text: a
 * `<script>` in one is shown, escaped, never run.
 */

const MINIMAL = readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8');
const good = (slug: string) => `${MINIMAL}slug: ${slug}\n`;
/** A brief with one error whose message quotes the author's text: an unknown key. */
const SCRIPT_KEY = '"<script>alert(1)</script>"';
const broken = (slug: string) => `${good(slug)}${SCRIPT_KEY}: 1\n`;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Serves `files` (in briefs/) and counts its builds by their `rebuilt` lines. */
async function serving(files: Record<string, string>) {
  const dir = projectWith(files);
  const lines: string[] = [];
  const server = await serve({ cwd: dir, port: 0, log: (line) => lines.push(line) });
  servers.push(server);
  const builds = () => lines.filter((l) => l.startsWith('rebuilt ')).length;
  /** Makes a change and resolves once the build after it is done. */
  const change = async (act: () => void) => {
    const before = builds();
    await new Promise((r) => setTimeout(r, 100));
    act();
    for (let i = 0; i < 200 && builds() === before; i++) await new Promise((r) => setTimeout(r, 25));
    expect(builds(), 'a build after the change').toBeGreaterThan(before);
  };
  const get = async (rel: string) => {
    const res = await fetch(`${server.url}${rel}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  return { dir, server, lines, change, get };
}

describe('brief serve, for briefs that are not good', () => {
  it('lists a brief with errors at the start on the index, with its first error escaped and a link to its page', async () => {
    const { dir, get } = await serving({ 'a.yaml': good('a'), 'b.yaml': broken('b') });
    const index = await get('');
    expect(index.status).toBe(200);
    // The index as built: the good brief only.
    expect(index.text).toContain('a.html');
    expect(index.text).toContain('id="flashbrief-failing"');
    expect(index.text).toContain('this brief has errors');
    expect(index.text).toMatch(/<li><a href="b\.html">briefs\/b\.yaml<\/a> — briefs\/b\.yaml:\d+:\d+: unknown key &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;<\/li>/);
    expect(index.text).not.toContain('<script>alert');
    // Its link leads to its errors.
    const page = await get('b.html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="flashbrief-errors"');
    expect(page.text).not.toContain('<script>alert');
    // The preview builds in a folder of its own: nothing is published.
    expect(existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('serves an index listing the briefs when brief.config.yaml stops them all, though no index was written', async () => {
    const dir = projectWith({ 'a.yaml': good('a'), 'b.yaml': good('b') });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'organization: [x\n');
    const lines: string[] = [];
    const server = await serve({ cwd: dir, port: 0, log: (line) => lines.push(line) });
    servers.push(server);
    const index = await fetch(server.url);
    expect(index.status).toBe(200);
    const text = await index.text();
    expect(text).toContain('these 2 briefs have errors');
    expect(text).toMatch(/<a href="a\.html">briefs\/a\.yaml<\/a> — brief\.config\.yaml:1:\d+: /);
    expect(text).toMatch(/<a href="b\.html">briefs\/b\.yaml<\/a> — brief\.config\.yaml:1:\d+: /);
  });

  it('takes a brief off the index list once it is fixed', async () => {
    const { dir, change, get } = await serving({ 'a.yaml': good('a'), 'b.yaml': broken('b') });
    await change(() => writeFileSync(path.join(dir, 'briefs', 'b.yaml'), good('b')));
    const index = await get('');
    expect(index.text).toContain('b.html');
    expect(index.text).not.toContain('flashbrief-failing');
  });

  it("refuses a brief's PDF while it has errors with a 409 page of them, escaped, that reloads", async () => {
    const { dir, change, get } = await serving({ 'a.yaml': good('a'), 'b.yaml': broken('b') });
    const pdf = await get('b.pdf');
    expect(pdf.status).toBe(409);
    expect(pdf.type).toBe('text/html; charset=utf-8');
    expect(pdf.text).toContain('briefs/b.yaml has errors, so its PDF is not printed; fix them and this page reloads');
    expect(pdf.text).toMatch(/<li>briefs\/b\.yaml:\d+:\d+: unknown key &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;&quot;<\/li>/);
    expect(pdf.text).not.toContain('<script>alert');
    expect(pdf.text).toContain('__flashbrief/events');
    // A brief that was good and broke: no PDF of its last good version either.
    await change(() => writeFileSync(path.join(dir, 'briefs', 'a.yaml'), broken('a')));
    const stale = await get('a.pdf');
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('briefs/a.yaml has errors, so its PDF is not printed');
  });

  it('answers 404 for the page and PDF of a brief whose file was removed, and serves it again once it is back', async () => {
    const { dir, change, get } = await serving({ 'a.yaml': good('a'), 'b.yaml': good('b') });
    const file = path.join(dir, 'briefs', 'b.yaml');
    expect((await get('b.html')).status).toBe(200);
    await change(() => rmSync(file));
    for (const rel of ['b.html', 'b.pdf']) {
      const gone = await get(rel);
      expect(gone.status, rel).toBe(404);
      expect(gone.text, rel).toContain('b no longer exists: its brief was removed or its slug changed');
      // It reloads with the next build, so the brief put back shows again.
      expect(gone.text, rel).toContain('__flashbrief/events');
    }
    expect((await get('')).text).not.toContain('b.html');
    expect((await get('a.html')).status).toBe(200);

    await change(() => writeFileSync(file, good('b')));
    const back = await get('b.html');
    expect(back.status).toBe(200);
    expect(back.text).toContain('Minimal Brief');
  });

  it('answers 404 for the old page of a brief whose slug changed', async () => {
    const { dir, change, get } = await serving({ 'a.yaml': good('a') });
    await change(() => writeFileSync(path.join(dir, 'briefs', 'a.yaml'), good('renamed')));
    expect((await get('a.html')).status).toBe(404);
    expect((await get('renamed.html')).status).toBe(200);
  });

  it('answers 404 for the page of a broken brief whose file was then removed, and lists it no more', async () => {
    const { dir, change, get } = await serving({ 'a.yaml': good('a'), 'b.yaml': broken('b') });
    await change(() => rmSync(path.join(dir, 'briefs', 'b.yaml')));
    expect((await get('b.html')).status).toBe(404);
    expect((await get('b.pdf')).status).toBe(404);
    expect((await get('')).text).not.toContain('flashbrief-failing');
  });
});
