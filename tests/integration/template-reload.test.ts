import { cpSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TEMPLATES, loadTemplates } from '../../src/project/templates.js';
import { tempDir } from '../helpers.js';

/*
 * A process that loads the templates again and again (serve, a library caller) keeps a
 * loaded template while none of its files changed, and never serves a stale one: any
 * edit, even one that keeps the file's size, a new file, a file replaced by another, is
 * seen at the next load.
 */

async function load(dir: string) {
  const t = (await loadTemplates([dir], { cwd: dir })).get('flash-brief');
  if (!t) throw new Error('flash-brief not loaded');
  return t;
}

describe('templates loaded again', () => {
  it('are kept while unchanged and read again after any change', async () => {
    const dir = path.join(tempDir(), 'templates');
    cpSync(BUNDLED_TEMPLATES, dir, { recursive: true });
    const first = await load(dir);
    expect(await load(dir)).toBe(first);

    // Same size, new text, the modification time set back to the old one's second.
    const masthead = path.join(dir, 'flash-brief', 'partials', 'masthead.hbs');
    const before = first.partials.masthead as string;
    const edited = before.replace(/<header/, '<HEADER');
    expect(edited).not.toBe(before);
    expect(edited.length).toBe(before.length);
    writeFileSync(masthead, edited);
    const second = await load(dir);
    expect(second.partials.masthead).toBe(edited);

    // A new partial, and a file swapped for another by rename (new inode).
    writeFileSync(path.join(dir, 'flash-brief', 'partials', 'extra.hbs'), '<p>extra</p>\n');
    const third = await load(dir);
    expect(third.partials.extra).toBe('<p>extra</p>\n');
    const css = path.join(dir, 'flash-brief', 'brief.css');
    writeFileSync(`${css}.new`, 'body { color: rebeccapurple; }\n');
    renameSync(`${css}.new`, css);
    const fourth = await load(dir);
    expect(fourth.stylesheet).not.toBe(third.stylesheet);
    expect([...fourth.assets.values()].some((b) => b.toString().includes('rebeccapurple'))).toBe(true);

    // A mistake is reported at every load (never kept), and its fix seen.
    const layout = path.join(dir, 'flash-brief', 'layout.hbs');
    const good = (await import('node:fs')).readFileSync(layout, 'utf8');
    writeFileSync(layout, `${good}{{#if title}}\n`);
    expect((await load(dir)).diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect((await load(dir)).diagnostics.some((d) => d.severity === 'error')).toBe(true);
    writeFileSync(layout, good);
    const past = new Date(Date.now() - 60_000);
    utimesSync(layout, past, past);
    expect((await load(dir)).diagnostics).toEqual([]);
  });
});
