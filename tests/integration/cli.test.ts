import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, copyFixtures, FIXTURES, projectWith, runCliProcess as runCli, tempDir } from '../helpers.js';

const GOOD = 'title: Good Brief\ndate: 2024-03-11\nslug: good\ndevelopments: |\n  All well.\n';
const BAD = 'title: Bad Brief\ndate: 2024-03-11\nslug: bad\ndevelopments: |\n  Count {{tally.totl}}.\nincidents:\n  - date: 2024-03-10\n    location: Base\n    country: Land\n    weapons: [{ type: drone, count: 0 }]\n';

const project = projectWith;

// The CLI as a separate process: real exit statuses, the environment, files left behind.
// What needs no process of its own (help, schema, each command's output) is in
// cli-inprocess.test.ts.

describe('a failing brief loses nothing', () => {
  it('keeps the previous good output, builds the others, lists the failure and exits 1', async () => {
    const dir = project({ 'good.yaml': GOOD, 'bad.yaml': BAD });
    mkdirSync(path.join(dir, 'output'));
    writeFileSync(path.join(dir, 'output', 'bad.html'), 'previous good output');
    writeFileSync(path.join(dir, 'output', 'bad.pdf'), 'previous good pdf');

    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('briefs/bad.yaml:5:9: unknown placeholder {{tally.totl}}; did you mean {{tally.total}}?');
    expect(result.stderr).toContain('briefs/bad.yaml:10:37: incidents[0].weapons[0].count must be a whole number >= 1');
    expect(result.stderr).toMatch(/1 built, 1 failed in [\d.]+ s: briefs\/bad.yaml/);
    expect(readFileSync(path.join(dir, 'output', 'bad.html'), 'utf8')).toBe('previous good output');
    expect(readFileSync(path.join(dir, 'output', 'bad.pdf'), 'utf8')).toBe('previous good pdf');
    expect(readFileSync(path.join(dir, 'output', 'good.html'), 'utf8')).toContain('All well.');
    // Nothing temporary is left beside the outputs.
    expect(readdirSync(path.join(dir, 'output')).sort()).toEqual(['.flashbrief-cache.json', 'assets', 'bad.html', 'bad.pdf', 'good.html', 'index.html']);
  });

  it('reports the failure in the --json manifest with positions', async () => {
    const dir = project({ 'good.yaml': GOOD, 'bad.yaml': BAD });
    const result = await runCli(['build', '--html-only', '--json'], { cwd: dir });
    const manifest = JSON.parse(result.stdout);
    expect(manifest.ok).toBe(false);
    expect(manifest.briefs).toEqual([
      {
        source: 'briefs/bad.yaml', slug: 'bad', ok: false, outputs: [],
        errors: [
          { file: 'briefs/bad.yaml', line: 5, column: 9, message: 'unknown placeholder {{tally.totl}}; did you mean {{tally.total}}?', severity: 'error' },
          { file: 'briefs/bad.yaml', line: 10, column: 37, message: 'incidents[0].weapons[0].count must be a whole number >= 1', severity: 'error' },
        ].sort((a, b) => a.line - b.line),
      },
      expect.objectContaining({ source: 'briefs/good.yaml', slug: 'good', ok: true, outputs: ['output/good.html'] }),
    ]);
  });

  it('rejects two briefs that would write the same file', async () => {
    const dir = project({ 'a.yaml': GOOD, 'b.yaml': GOOD.replace('Good Brief', 'Other Brief') });
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('briefs/b.yaml:3:7: slug "good" is already used by briefs/a.yaml; give this brief its own slug');
  });
});

describe('brief check', () => {
  it('refuses invalid UTF-8 at its position instead of publishing replacement characters', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    writeFileSync(path.join(dir, 'briefs', 'latin1.yaml'), Buffer.from('title: Caf\xe9 attack\ndate: 2024-01-01\ndevelopments: x\n', 'latin1'));
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('briefs/latin1.yaml:1:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8');
  });

  it('prints every problem as file:line:column and exits 1', async () => {
    const result = await runCli(['check', 'invalid'], { cwd: FIXTURES });
    expect(result.code).toBe(1);
    const expected = readdirSync(path.join(FIXTURES, 'invalid'))
      .filter((f) => f.endsWith('.expected'))
      .flatMap((f) => readFileSync(path.join(FIXTURES, 'invalid', f), 'utf8').trim().split('\n'));
    for (const line of expected) expect(result.stderr).toContain(line);
  });

  it('exits 0 on valid briefs and writes nothing', async () => {
    const dir = copyFixtures('valid');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('2 ok, 0 failed');
    expect(readdirSync(dir)).toEqual(['briefs']);
  });
});

describe('brief new', () => {
  it('scaffolds a valid brief dated as asked, with every section, and will not overwrite it', async () => {
    const dir = tempDir();
    const made = await runCli(['new', 'Rocket Fire on Northern Bases', '--date', '2024-05-01'], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    const file = path.join(dir, 'briefs', '2024-05-01-rocket-fire-on-northern-bases.yaml');
    const text = readFileSync(file, 'utf8');
    for (const key of ['title:', 'date: 2024-05-01', 'authors:', 'summary:', 'topics:', 'developments:', 'analysis:', 'background:', 'related:', 'incidents:']) {
      expect(text).toContain(key);
    }
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=.*schema\/brief\.schema\.json$/);
    expect((await runCli(['check'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['build', '--html-only'], { cwd: dir })).code).toBe(0);
    const again = await runCli(['new', 'Rocket Fire on Northern Bases', '--date', '2024-05-01'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; use --force to overwrite');
  });
});

describe('output into a pipe closed early', () => {
  it('ends quietly, as `brief export | head -1` expects', async () => {
    // Several times what a pipe buffers, so the command is still writing when the pipe closes.
    const rows = Array.from({ length: 1500 }, (_, i) => `  - { date: 2024-01-${String(1 + (i % 28)).padStart(2, '0')}, location: Erbil Air Base, country: Iraq, lat: 36.24, lon: 43.96, weapons: [{ type: drone, count: 2 }] }`);
    const dir = projectWith({ 'many.yaml': `title: Many\ndate: 2024-01-30\ndevelopments: Many.\nincidents:\n${rows.join('\n')}\n` });
    const child = spawn(process.execPath, [BIN, 'export', '--format', 'geojson'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});

describe('usage and exit codes', () => {
  it('exits 2 on wrong usage', async () => {
    expect((await runCli(['build', '--html-only', '--pdf-only'])).code).toBe(2);
    expect((await runCli(['build', '--page-size', 'legal'])).code).toBe(2);
    expect((await runCli(['build', 'no-such-folder'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
  });

  it('exits 3 with instructions when no browser can be found, and needs none for HTML', async () => {
    const dir = copyFixtures('valid');
    const env = { FLASHBRIEF_BROWSER: '/nonexistent/chrome' };
    const pdf = await runCli(['build'], { cwd: dir, env });
    expect(pdf.code).toBe(3);
    expect(pdf.stderr).toContain('FLASHBRIEF_BROWSER names /nonexistent/chrome');
    expect(pdf.stderr).toContain('sudo apt-get install chromium');
    expect(pdf.stderr).toContain('npx @puppeteer/browsers install chrome@stable');
    const html = await runCli(['build', '--html-only'], { cwd: dir, env });
    expect(html.code, html.stderr).toBe(0);
  });

  it.each(['FLASHBRIEF_BROWSER', 'PUPPETEER_EXECUTABLE_PATH'])('exits 3 when %s names no browser though nothing needs printing, but not for HTML', async (name) => {
    const dir = projectWith({ 'bad.yaml': BAD });
    const env = { [name]: '/nonexistent/chrome' };
    const pdf = await runCli(['build'], { cwd: dir, env });
    expect(pdf.code).toBe(3);
    expect(pdf.stderr).toContain(`brief: ${name} names /nonexistent/chrome, which is not an executable file.`);
    const html = await runCli(['build', '--html-only'], { cwd: dir, env });
    expect(html.code).toBe(1);
    expect(html.stderr).not.toContain('/nonexistent/chrome');
  });
});
