import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/project/version.js';
import { main, type Io } from '../../src/cli/main.js';
import { jsonSchemaText, SCHEMAS } from '../../src/core/json-schema.js';
import { briefJsonSchemaText } from '../../src/index.js';
import { copyFixtures, FIXTURES, pdfInfo, projectWith, ROOT, tempDir } from '../helpers.js';

/** What a run in a folder without brief.config.yaml says first. */
const NO_CONFIG = 'no brief.config.yaml in this folder: the defaults apply\n';

/*
 * The command line run in this process: main(argv, io) with stdout and stderr collected
 * into strings and a temporary project as the working directory. tests/integration/cli.test.ts
 * and signals.test.ts run the real process for what only a process shows (exit status,
 * signals, the environment).
 */

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** An Io whose streams are collected, and what they hold so far. */
function collectingIo(cwd: string, signal?: AbortSignal): { io: Io; stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd, signal },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

async function brief(argv: string[], cwd: string, signal?: AbortSignal): Promise<Result> {
  const { io, stdout, stderr } = collectingIo(cwd, signal);
  const code = await main(argv, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** The first line `text()` holds, without its newline, once it has one (checked every 50 ms for 20 s). */
async function lineOf(text: () => string): Promise<string> {
  for (let i = 0; i < 400 && !text().includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
  return text().split('\n')[0] ?? '';
}

/** A copy of the repository's example series (two briefs of one series) and its places.yaml. */
function exampleSeries(): string {
  const dir = tempDir();
  cpSync(path.join(ROOT, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
  cpSync(path.join(ROOT, 'places.yaml'), path.join(dir, 'places.yaml'));
  return dir;
}

/** A folder with a plain file in it, for outputs that cannot be written ("a file is in the way"). */
function withFileInTheWay(dir = tempDir()): string {
  writeFileSync(path.join(dir, 'afile'), 'not a folder');
  return dir;
}

/** A loopback port nobody listens on (it was free a moment ago): a browser there cannot be reached. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A folder of two briefs of one series and an incident file that lists one of their incidents with other facts: each brief carries the conflict. */
function sharedConflict(): string {
  const incident = (location: string) => `  - id: x-dup-1\n    date: 2023-10-21\n    location: ${location}\n    country: Iraq\n    weapons:\n      - type: drone\n        count: 2\n`;
  const briefOf = (title: string, date: string, slug: string) =>
    `title: ${title}\ndate: ${date}\nslug: ${slug}\nseries: campaign\ndevelopments: |\n  Attacks so far: {{tally.total}}.\nincidents:\n${incident('al-Asad Air Base')}`;
  const dir = projectWith({ 'a.yaml': briefOf('Earlier brief', '2023-10-22', 'earlier'), 'b.yaml': briefOf('Later brief', '2023-10-23', 'later') });
  mkdirSync(path.join(dir, 'incidents'));
  writeFileSync(path.join(dir, 'incidents', 'feed.yaml'), `series: campaign\nincidents:\n${incident('Erbil')}`);
  return dir;
}
const CONFLICT_A =
  'briefs/a.yaml:8:5: incident "x-dup-1" is listed again with different facts from its first listing at incidents/feed.yaml:3:5: ' +
  'location "al-Asad Air Base" here, "Erbil" there (if the facts changed, mark this listing revised: YYYY-MM-DD)';

const GOOD = 'title: Good Brief\ndate: 2024-03-11\nslug: good\ndevelopments: |\n  All well.\n';
const BAD = 'title: Bad Brief\ndate: 2024-03-11\nslug: bad\ndevelopments: |\n  Count {{tally.totl}}.\nincidents:\n  - date: 2024-03-10\n    location: Base\n    country: Land\n    weapons: [{ type: drone, count: 0 }]\n';
const PLACEHOLDER_ERROR = 'briefs/bad.yaml:5:9: unknown placeholder {{tally.totl}}; did you mean {{tally.total}}?';
const COUNT_ERROR = 'briefs/bad.yaml:10:37: incidents[0].weapons[0].count must be a whole number >= 1';
const MINIMAL_HTML = 'output/2024-03-11-minimal-brief.html';
const SERIES = 'iraq-syria-militia-attacks';
const COMMAND_NAMES = ['build', 'check', 'tally', 'export', 'serve', 'new', 'schema'];

describe('brief (the program)', () => {
  it('lists every command and the exit codes in the main help, on stdout', async () => {
    const result = await brief(['--help'], tempDir());
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const name of COMMAND_NAMES) expect(result.stdout).toMatch(new RegExp(`^  ${name} \\[options\\]`, 'm'));
    expect(result.stdout).toContain('Exit codes: 0 success, 1 a brief, a template or a file they read has errors, or a brief could not be written or printed, 2 wrong usage, 3 no browser found');
    // A broken template exits 1, as the README says, not 3.
    expect(result.stdout).not.toContain('broken template');
  });

  it.each(COMMAND_NAMES)('has --help for %s', async (command) => {
    const result = await brief([command, '--help'], tempDir());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: brief ${command}`);
    expect(result.stderr).toBe('');
  });

  it('prints its version with -v', async () => {
    const result = await brief(['-v'], tempDir());
    expect(result).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('exits 2 with the help on stderr when no command is given, and names an unknown command', async () => {
    const none = await brief([], tempDir());
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: brief [options] [command]');
    const unknown = await brief(['frobnicate'], tempDir());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("error: unknown command 'frobnicate'\n(run with --help for usage)\n");
  });
});

describe('brief build', () => {
  it('writes the HTML, lists each brief and the summary on stderr and nothing on stdout', async () => {
    const dir = copyFixtures('valid');
    const result = await brief(['build', '--html-only'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`built briefs/minimal.yaml -> ${MINIMAL_HTML}\n`);
    expect(result.stderr).toMatch(/^2 built, 0 failed in [\d.]+ s$/m);
    expect(readFileSync(path.join(dir, MINIMAL_HTML), 'utf8')).toContain('Minimal Brief');
    expect(readdirSync(path.join(dir, 'output')).filter((f) => f.endsWith('.pdf'))).toEqual([]);
  });

  it('prints a PDF at the page size asked for, with --pdf-only and no HTML page of the brief', async () => {
    const dir = projectWith({ 'minimal.yaml': readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml')) });
    const result = await brief(['build', '--pdf-only', '--page-size', 'a4'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^1 built, 0 failed in [\d.]+ s$/m);
    const pdf = path.join(dir, 'output', '2024-03-11-minimal-brief.pdf');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfInfo(pdf)['Page size']).toContain('(A4)');
    expect(existsSync(path.join(dir, MINIMAL_HTML))).toBe(false);
  });

  it('builds the others, prints every error as file:line:column on stderr and exits 1 when a brief has errors', async () => {
    const dir = projectWith({ 'good.yaml': GOOD, 'bad.yaml': BAD });
    const result = await brief(['build', '--html-only'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${PLACEHOLDER_ERROR}\n`);
    expect(result.stderr).toContain(`${COUNT_ERROR}\n`);
    expect(result.stderr).toMatch(/^1 built, 1 failed in [\d.]+ s: briefs\/bad\.yaml$/m);
    expect(existsSync(path.join(dir, 'output', 'good.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'output', 'bad.html'))).toBe(false);
  });

  it('prints the manifest, and only it, on stdout with --json, and no progress lines', async () => {
    const dir = projectWith({ 'good.yaml': GOOD, 'bad.yaml': BAD });
    const result = await brief(['build', '--html-only', '--json'], dir);
    expect(result.code).toBe(1);
    const manifest = JSON.parse(result.stdout);
    expect(result.stdout).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
    expect(manifest.ok).toBe(false);
    expect(manifest.briefs.map((b: { source: string; ok: boolean }) => [b.source, b.ok])).toEqual([['briefs/bad.yaml', false], ['briefs/good.yaml', true]]);
    expect(manifest.briefs[0].errors).toContainEqual({ file: 'briefs/bad.yaml', line: 5, column: 9, message: 'unknown placeholder {{tally.totl}}; did you mean {{tally.total}}?', severity: 'error' });
    expect(result.stderr).not.toContain('built briefs/');
    expect(result.stderr).toContain(`${PLACEHOLDER_ERROR}\n`);
  });

  it('prints only diagnostics and the summary with -q', async () => {
    const result = await brief(['build', '--html-only', '-q'], copyFixtures('valid'));
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('built briefs/');
    expect(result.stderr).toContain('briefs/full.yaml:34:10: warning: https://example.org/related is a sample address');
    expect(result.stderr).toMatch(/^2 built, 0 failed in [\d.]+ s$/m);
  });

  it('prints the time per stage and peak memory with --profile, or puts them in the manifest with --json', async () => {
    const table = await brief(['build', '--html-only', '--profile'], copyFixtures('valid'));
    expect(table.code).toBe(0);
    expect(table.stderr).toMatch(/^stage {8}ms\n(\w+ +[\d.]+\n)+total +[\d.]+\npeak memory \(RSS\) \d+ MB\n$/m);
    const json = await brief(['build', '--html-only', '--profile', '--json'], copyFixtures('valid'));
    expect(json.code).toBe(0);
    const manifest = JSON.parse(json.stdout);
    expect(manifest.profile.totalMs).toBeGreaterThan(0);
    expect(Object.keys(manifest.profile.stages)).toContain('render');
    expect(json.stderr).not.toContain('peak memory');
  });

  it('builds one shard, with CMS fragments when asked, into the folder -o names', async () => {
    const dir = copyFixtures('valid');
    const result = await brief(['build', '--html-only', '--fragment', '--shard', '1/2', '-o', 'site'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^1 built, 0 failed in [\d.]+ s$/m);
    const written = readdirSync(path.join(dir, 'site'));
    expect(written.filter((f) => f.endsWith('.fragment.html'))).toHaveLength(1);
    expect(written.filter((f) => /\.html$/.test(f) && f !== 'index.html' && !f.endsWith('.fragment.html'))).toHaveLength(1);
  });

  it.each([
    [['--html-only', '--pdf-only'], 'brief: --html-only and --pdf-only exclude each other\n'],
    [['--bogus'], "error: unknown option '--bogus'\n(run with --help for usage)\n"],
    [['--page-size', 'legal'], "error: option '--page-size <size>' argument 'legal' is invalid. Allowed choices are letter, a4.\n"],
    [['--concurrency', '0'], "error: option '--concurrency <n>' argument '0' is invalid. must be a whole number >= 1\n"],
    [['--timeout', 'soon'], "error: option '--timeout <seconds>' argument 'soon' is invalid. must be a whole number >= 1\n"],
    [['--shard', '3/2'], "error: option '--shard <i/n>' argument '3/2' is invalid. must be i/n with 1 <= i <= n, e.g. 2/4 (part 3 of 2 does not exist)\n"],
    [['--shard', '0'], "error: option '--shard <i/n>' argument '0' is invalid. must be i/n with 1 <= i <= n (e.g. 2/4), or n alone to take i from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX\n"],
    [['--browser-ws', 'foo'], "error: option '--browser-ws <endpoint>' argument 'foo' is invalid. must be a ws://, wss://, http:// or https:// URL, e.g. "],
    [['--browser-ws', 'ws://[::1/x'], "error: option '--browser-ws <endpoint>' argument 'ws://[::1/x' is invalid. must be a ws://, wss://, http:// or https:// URL, e.g. "],
    [['no-such-folder'], 'no-such-folder'],
  ])('exits 2 on wrong usage: build %j', async (args, message) => {
    const dir = copyFixtures('valid');
    const result = await brief(['build', ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('exits 3 when the templates folder, the browser or the output folder is not there', async () => {
    const dir = withFileInTheWay(copyFixtures('valid'));
    const templates = await brief(['build', '--html-only', '--templates', 'nope'], dir);
    expect(templates.code).toBe(3);
    expect(templates.stderr).toBe(`brief: templates folder ${path.join(dir, 'nope')} does not exist\n`);
    const browser = await brief(['build', '--browser', '/nonexistent/chrome'], dir);
    expect(browser.code).toBe(3);
    expect(browser.stderr).toContain('brief: --browser names /nonexistent/chrome, which is not an executable file.');
    expect(browser.stderr).toContain('HTML needs no browser: brief build --html-only');
    const output = await brief(['build', '--html-only', '-o', 'afile/out'], dir);
    expect(output.code).toBe(3);
    expect(output.stderr).toMatch(/^brief: could not write afile\/out.*ENOTDIR/m);
  });

  it('says --templates names a file, not a folder, when it does', async () => {
    const dir = withFileInTheWay(copyFixtures('valid'));
    for (const command of ['build', 'check']) {
      const result = await brief([command, '--templates', 'afile'], dir);
      expect(result.code).toBe(3);
      expect(result.stderr).toBe('brief: --templates names afile, which is a file, not a folder\n');
    }
    expect(existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('exits 3 once, before printing, when the remote browser cannot be reached, from the flag or brief.config.yaml', async () => {
    const port = await closedPort();
    for (const endpoint of [`ws://127.0.0.1:${port}/devtools/browser/x`, `http://127.0.0.1:${port}`]) {
      const dir = copyFixtures('valid');
      const result = await brief(['build', '--browser-ws', endpoint], dir);
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`^brief: could not connect to the browser at ${endpoint.replace(/[.]/g, '\\.')}: .*(ECONNREFUSED|fetch failed)`, 'm'));
      // The browser's problem is not blamed on the briefs.
      expect(result.stderr).not.toMatch(/PDF printing failed|trying it again|briefs\/\w+\.yaml:/);
      expect(existsSync(path.join(dir, MINIMAL_HTML))).toBe(false);
    }
    const dir = copyFixtures('valid');
    writeFileSync(path.join(dir, 'brief.config.yaml'), `browser_ws: ws://127.0.0.1:${port}/devtools/browser/x\n`);
    const configured = await brief(['build', '--pdf-only'], dir);
    expect(configured.code, configured.stderr).toBe(3);
    expect(configured.stderr).toContain(`brief: could not connect to the browser at ws://127.0.0.1:${port}/devtools/browser/x: `);
  });

  it('refuses a --browser that is not there though every brief is unchanged, and looks for none with --html-only', async () => {
    const dir = projectWith({ 'minimal.yaml': readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml')) });
    const first = await brief(['build', '--pdf-only'], dir);
    expect(first.code, first.stderr).toBe(0);
    const again = await brief(['build', '--pdf-only', '--browser', '/nonexistent/chrome'], dir);
    expect(again.stderr).toContain('unchanged briefs/minimal.yaml');
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('brief: --browser names /nonexistent/chrome, which is not an executable file.');
    const html = await brief(['build', '--html-only', '--browser', '/nonexistent/chrome'], dir);
    expect(html.code, html.stderr).toBe(0);
  });

  it('exits 130 and says so when its signal is aborted', async () => {
    const dir = copyFixtures('valid');
    const result = await brief(['build', '--html-only'], dir, AbortSignal.abort(new Error('test')));
    expect(result.code).toBe(130);
    // Stopped before it began: nothing is said about the project, only that it stopped.
    expect(result.stderr).toBe('brief: interrupted; outputs written so far are complete, nothing half-written was left\n');
    expect(existsSync(path.join(dir, MINIMAL_HTML))).toBe(false);
  });
});

describe('where brief.config.yaml is read from', () => {
  it('says the defaults apply when there is none, and which one is not read when it sits beside the briefs', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'proj', 'briefs'), { recursive: true });
    writeFileSync(path.join(root, 'proj', 'briefs', 'good.yaml'), GOOD);
    const none = await brief(['check', 'proj/briefs'], root);
    // No project marker here or above (a temporary folder): the search went to the top.
    expect(none.stderr).toBe('no brief.config.yaml in this folder or any above it: the defaults apply\n1 ok, 0 failed\n');

    writeFileSync(path.join(root, 'proj', 'brief.config.yaml'), 'label: Situation Report\n');
    const beside = await brief(['check', 'proj/briefs'], root);
    expect(beside.code).toBe(0);
    expect(beside.stderr).toBe(
      'proj/brief.config.yaml is not read: brief.config.yaml is read from the folder the command runs in or one above it (run it in proj, or name it with --config); the defaults apply\n1 ok, 0 failed\n',
    );
    // Run where it is, it is read, and nothing is said about it.
    const inside = await brief(['build', '--html-only', '-q'], path.join(root, 'proj'));
    expect(inside.stderr).not.toContain('brief.config.yaml');
    expect(readFileSync(path.join(root, 'proj', 'output', 'good.html'), 'utf8')).toContain('Situation Report');
  });
});

describe('brief check', () => {
  it('prints the summary on stderr, nothing on stdout, and writes nothing', async () => {
    const dir = copyFixtures('valid');
    const result = await brief(['check'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^2 ok, 0 failed$/m);
    expect(readdirSync(dir)).toEqual(['briefs']);
  });

  it('prints every problem as file:line:column and exits 1', async () => {
    const result = await brief(['check', 'invalid'], FIXTURES);
    expect(result.code).toBe(1);
    const expected = readdirSync(path.join(FIXTURES, 'invalid'))
      .filter((f) => f.endsWith('.expected'))
      .flatMap((f) => readFileSync(path.join(FIXTURES, 'invalid', f), 'utf8').trim().split('\n'));
    expect(expected.length).toBeGreaterThan(5);
    for (const line of expected) expect(result.stderr).toContain(`${line}\n`);
    expect(result.stderr).toMatch(/^0 ok, \d+ failed: invalid\/\S+\.yaml/m);
  });

  it('prints the result, and only it, as JSON on stdout with --json', async () => {
    const ok = await brief(['check', '--json'], copyFixtures('valid'));
    expect(ok.code).toBe(0);
    const manifest = JSON.parse(ok.stdout);
    expect(ok.stdout).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
    expect(manifest).toMatchObject({ ok: true, briefs: [{ source: 'briefs/full.yaml', ok: true }, { source: 'briefs/minimal.yaml', ok: true }] });
    const failed = await brief(['check', '--json'], projectWith({ 'bad.yaml': BAD }));
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout).ok).toBe(false);
    expect(failed.stderr).toContain(`${COUNT_ERROR}\n`);
  });

  it('prints a problem that stops several briefs once, though each brief carries it', async () => {
    const dir = copyFixtures('valid');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: legal\n');
    const result = await brief(['check', '--json'], dir);
    expect(result.code).toBe(1);
    const problem = { file: 'brief.config.yaml', line: 1, column: 12, message: 'page_size must be letter or a4', severity: 'error' };
    const briefs: { errors?: unknown[] }[] = JSON.parse(result.stdout).briefs;
    expect(briefs).toHaveLength(2);
    for (const b of briefs) expect(b.errors).toContainEqual(problem);
    expect(result.stderr.split('\n').filter((line) => line === 'brief.config.yaml:1:12: page_size must be letter or a4')).toHaveLength(1);
    expect(result.stderr).toMatch(/^0 ok, 2 failed: briefs\/full\.yaml, briefs\/minimal\.yaml$/m);
  });

  it('reports a browser_ws in brief.config.yaml that is not a URL at its position', async () => {
    const dir = copyFixtures('valid');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'browser_ws: "ws://[::1/x"\n');
    const result = await brief(['check'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('brief.config.yaml:1:13: browser_ws is not a valid URL\n');
  });

  it('says when it found no briefs', async () => {
    const result = await brief(['check'], projectWith({}));
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(NO_CONFIG + '0 ok, 0 failed\nno briefs found (looked for .yaml and .yml files)\n');
  });
});

describe('brief tally', () => {
  it("prints one brief's tally as its build counts it (the reviewed golden file) as JSON on stdout", async () => {
    const slug = 'militia-attacks-after-us-strikes';
    const result = await brief(['tally', `briefs/${slug}.yaml`, '--format', 'json'], exampleSeries());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(readFileSync(path.join(ROOT, 'tests', 'golden', `${slug}.tally.json`), 'utf8'));
    expect(result.stderr).toBe(NO_CONFIG);
  });

  it('prints the combined tally as tables, one per breakdown, or one with --by', async () => {
    const dir = exampleSeries();
    const all = await brief(['tally'], dir);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.split('\n')[0]).toBe('Oct 17 – Oct 30, 2023 (14 days): 12 incidents, 12 new, 0 killed, 20 injured, 5 claimed');
    for (const header of ['│ country │ incidents │', '│ weapon │ incidents │  munitions │', '│ Iraq    │         6 │']) expect(all.stdout).toContain(header);
    const weapons = await brief(['tally', '--by', 'weapon'], dir);
    expect(weapons.stdout).toContain('│ drone  │         8 │         15 │');
    expect(weapons.stdout).not.toContain('│ country');
  });

  it('prints CSV with a header and one row per name', async () => {
    const result = await brief(['tally', '--format', 'csv'], exampleSeries());
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('dimension,name,incidents,munitions,munitions_exact');
    expect(lines).toContain('weapon,drone,8,15,true');
    expect(lines).toContain('country,Syria,6,,');
  });

  it('says on stderr when it counts several series together, and counts one with --series', async () => {
    const dir = exampleSeries();
    cpSync(path.join(FIXTURES, 'valid', 'full.yaml'), path.join(dir, 'briefs', 'full.yaml'));
    const together = await brief(['tally', '--format', 'json'], dir);
    expect(together.code).toBe(0);
    expect(together.stderr).toBe(NO_CONFIG + `counting together series ${SERIES}, 1 brief without a series; --series NAME counts one series only\n`);
    const one = await brief(['tally', '--format', 'json', '--series', SERIES], dir);
    expect(one.stderr).toBe(NO_CONFIG + `counting series ${SERIES}: 2 briefs\n`);
    expect(JSON.parse(one.stdout).total).toBe(12);
    expect(JSON.parse(together.stdout).total).toBeGreaterThan(12);
  });

  it('prints the errors and no numbers, and exits 1, when a brief has errors', async () => {
    const result = await brief(['tally'], projectWith({ 'good.yaml': GOOD, 'bad.yaml': BAD }));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${PLACEHOLDER_ERROR}\n`);
    expect(result.stderr).toContain('brief: fix the errors above; no numbers were printed\n');
  });

  it('prints a problem several briefs share once, as check does', async () => {
    const dir = sharedConflict();
    for (const command of ['tally', 'export']) {
      const result = await brief([command], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n').filter((line) => line === CONFLICT_A), command).toHaveLength(1);
    }
    const check = await brief(['check'], dir);
    expect(check.stderr.split('\n').filter((line) => line === CONFLICT_A)).toHaveLength(1);
  });

  it.each([
    [['--since', '2024-13-01'], "error: option '--since <date>' argument '2024-13-01' is invalid. must be a real date written YYYY-MM-DD\n"],
    [['--until', '2024-02-30'], 'must be a real date written YYYY-MM-DD'],
    [['--since', '2024-05-01', '--until', '2024-01-01'], 'brief: --since 2024-05-01 is after --until 2024-01-01: the window would end before it starts\n'],
    [['--since', '2030-01-01'], "brief: --since 2030-01-01 is after the window's end (2023-10-30): the window would end before it starts; move one of them\n"],
    [['--series', 'nope'], `brief: no brief has series "nope"; series here: ${SERIES}\n`],
    [['--by', 'colour'], "error: option '--by <dimension>' argument 'colour' is invalid. Allowed choices are country, location, weapon, perpetrator.\n"],
    [['--format', 'xml'], 'Allowed choices are table, json, csv.'],
  ])('exits 2 on wrong usage: tally %j', async (args, message) => {
    const result = await brief(['tally', ...args], exampleSeries());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });
});

describe('brief export', () => {
  it('prints the incidents as CSV on stdout, one row each', async () => {
    const result = await brief(['export'], exampleSeries());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(NO_CONFIG);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('event_id,event_date,country,location,latitude,longitude,actor,claimed,weapons,fatalities,injuries,notes,source,revised');
    expect(lines).toHaveLength(13);
    expect(lines[1]).toMatch(/^2023-10-17-al-asad,2023-10-17,Iraq,al-Asad Air Base,33\.\d+,42\.\d+,/);
  });

  it('prints JSON and GeoJSON', async () => {
    const dir = exampleSeries();
    const json = await brief(['export', '--format', 'json'], dir);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout);
    expect(rows).toHaveLength(12);
    expect(rows[0]).toMatchObject({ event_id: '2023-10-17-al-asad', country: 'Iraq' });
    const geo = await brief(['export', '--format', 'geojson'], dir);
    const collection = JSON.parse(geo.stdout);
    expect(collection.type).toBe('FeatureCollection');
    expect(collection.features).toHaveLength(12);
    expect(collection.features[0].geometry.type).toBe('Point');
  });

  it('writes the file -o names instead of stdout, and exits 3 when it cannot', async () => {
    const dir = withFileInTheWay(exampleSeries());
    const result = await brief(['export', '-o', 'incidents.csv', '--since', '2023-10-25'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const lines = readFileSync(path.join(dir, 'incidents.csv'), 'utf8').trim().split('\n');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['2023-10-26', '2023-10-27', '2023-10-27', '2023-10-29', '2023-10-29', '2023-10-30']);
    const blocked = await brief(['export', '-o', 'afile/x.csv'], dir);
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toMatch(/^no brief\.config\.yaml in this folder: the defaults apply\nbrief: could not write afile\/x\.csv: .*ENOTDIR/);
  });

  it('exits 1 without rows when a brief has errors, and 2 on a bad format', async () => {
    const errors = await brief(['export'], projectWith({ 'bad.yaml': BAD }));
    expect(errors.code).toBe(1);
    expect(errors.stdout).toBe('');
    expect(errors.stderr).toContain(`${COUNT_ERROR}\n`);
    const usage = await brief(['export', '--format', 'xlsx'], exampleSeries());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Allowed choices are csv, json, geojson.');
  });
});

describe('brief serve', () => {
  it('prints its address on stdout, serves the briefs, and stops with 0 when its signal is aborted', async () => {
    const controller = new AbortController();
    const { io, stdout, stderr } = collectingIo(copyFixtures('valid'), controller.signal);
    const running = main(['serve', '--port', '0'], io);
    // The address is printed once the first build is done; if serve ends instead, say how.
    const url = await Promise.race([lineOf(stdout), running.then((code) => `exited ${code}: ${stderr()}`)]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(url)).text()).toContain('2024-03-11-minimal-brief.html');
    controller.abort();
    expect(await running).toBe(0);
    expect(stdout()).toBe(`${url}\n`);
    expect(stderr()).toContain(`serving ${url} (Ctrl-C stops)\n`);
    expect(stderr().endsWith('stopped\n')).toBe(true);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('exits 3 with words, not a stack trace, when the port is taken', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as AddressInfo).port;
      const result = await brief(['serve', '--port', String(port)], copyFixtures('valid'));
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`brief: cannot serve on 127.0.0.1:${port}: another program uses that port; choose another with --port, or --port 0 for any free one\n`);
      expect(result.stderr).not.toMatch(/unexpected error|\bat \S+:\d+:\d+/);
    } finally {
      busy.close();
    }
  });

  it.each([
    ['70000', "error: option '--port <n>' argument '70000' is invalid. must be a port number, 0 to 65535\n"],
    ['http', "error: option '--port <n>' argument 'http' is invalid. must be a port number, 0 to 65535\n"],
  ])('exits 2 on a bad --port %s', async (port, message) => {
    const result = await brief(['serve', '--port', port], copyFixtures('valid'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});

describe('brief new', () => {
  it('writes a brief that checks, prints its path on stdout, and will not overwrite it without --force', async () => {
    const dir = tempDir();
    const made = await brief(['new', '  Rocket Fire on Northern Bases ', '--date', '2024-05-01'], dir);
    const relative = 'briefs/2024-05-01-rocket-fire-on-northern-bases.yaml';
    expect(made).toEqual({ code: 0, stdout: `${relative}\n`, stderr: `wrote ${relative}\n` });
    const text = readFileSync(path.join(dir, relative), 'utf8');
    expect(text).toContain('title: "Rocket Fire on Northern Bases"\n');
    expect(text).toContain('date: 2024-05-01\n');
    expect((await brief(['check'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, relative), 'edited');
    const again = await brief(['new', 'Rocket Fire on Northern Bases', '--date', '2024-05-01'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`brief: ${relative} exists; use --force to overwrite\n`);
    expect(readFileSync(path.join(dir, relative), 'utf8')).toBe('edited');
    const forced = await brief(['new', 'Rocket Fire on Northern Bases', '--date', '2024-05-01', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, relative), 'utf8')).toBe(text);
  });

  it('dates a brief today by default', async () => {
    const made = await brief(['new', 'Today'], tempDir());
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect(made.stdout.trim()).toBe(`briefs/${today}-today.yaml`);
  });

  it('makes the folder -d names, with the schema comment pointing at the schema from there', async () => {
    const dir = tempDir();
    const made = await brief(['new', 'Deep', '-d', 'a/b', '--date', '2024-05-01'], dir);
    expect(made.code, made.stderr).toBe(0);
    const text = readFileSync(path.join(dir, 'a', 'b', '2024-05-01-deep.yaml'), 'utf8');
    // Outside the package's own folder and with no flashbrief in a node_modules of its
    // own, the comment gives the schema's address for this version, which does not move.
    const schema = /^# yaml-language-server: \$schema=(.*)$/m.exec(text)?.[1] ?? '';
    expect(schema).toBe(`https://unpkg.com/flashbrief@${VERSION}/schema/brief.schema.json`);
  });

  it.each([
    [['  '], 'brief: the title must not be empty\n'],
    [[], "error: missing required argument 'title'\n"],
    [['T', '--date', '2024-02-30'], "error: option '--date <date>' argument '2024-02-30' is invalid. must be a real date written YYYY-MM-DD\n"],
    [['Two', 'Titles'], 'error: too many arguments for \'new\'. Expected 1 argument but got 2.\n'],
  ])('exits 2 and writes nothing on wrong usage: new %j', async (args, message) => {
    const dir = tempDir();
    const result = await brief(['new', ...args], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits 3 when the folder cannot be made', async () => {
    const result = await brief(['new', 'T', '-d', 'afile/x'], withFileInTheWay());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^brief: could not write afile\/x\/\S+\.yaml: .*ENOTDIR/);
  });
});

describe('brief schema', () => {
  it('prints the JSON Schema of a brief on stdout', async () => {
    const result = await brief(['schema'], tempDir());
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(briefJsonSchemaText());
    expect(JSON.parse(result.stdout)).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' });
    expect(JSON.parse(result.stdout).required).toContain('title');
  });

  it.each(['incidents', 'places', 'config'] as const)('prints the schema of %s files', async (kind) => {
    const result = await brief(['schema', kind], tempDir());
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(jsonSchemaText(kind));
    expect(result.stdout).not.toBe(briefJsonSchemaText());
  });

  it('writes the file -o names, exits 3 when it cannot, and 2 for an unknown kind', async () => {
    const dir = withFileInTheWay();
    const written = await brief(['schema', 'places', '-o', 'places.schema.json'], dir);
    expect(written).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path.join(dir, 'places.schema.json'), 'utf8')).toBe(jsonSchemaText('places'));
    const blocked = await brief(['schema', '-o', 'afile/x.json'], dir);
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toBe('brief: could not write afile/x.json: a file is in the way of the folder (ENOTDIR); the previous file, if any, is unchanged\n');
    const unknown = await brief(['schema', 'feeds'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: command-argument value 'feeds' is invalid for argument 'kind'. Allowed choices are brief, incidents, places, config.");
  });
});

describe("the README's CLI reference agrees with the command line", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## CLI reference');
  const reference = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const words = (text: string) => text.replace(/\s+/g, ' ').trim();

  it('says what -q prints in the words of build --help', async () => {
    const help = (await brief(['build', '--help'], tempDir())).stdout;
    const row = /^\| `-q, --quiet` \| (.*) \|$/m.exec(reference)?.[1];
    const option = /-q, --quiet\s+([\s\S]*?)\n\s+--verbose/.exec(help)?.[1];
    expect(row).toBeDefined();
    expect(words(option ?? '')).toBe(row);
  });

  it('names every kind brief schema takes', () => {
    expect(reference).toContain(`brief schema [${Object.keys(SCHEMAS).join('|')}]`);
  });

  it('lists every cause of exit 3', () => {
    const exitCodes = words(/\*\*Exit codes:\*\*([\s\S]*?)\n\n/.exec(reference)?.[1] ?? '');
    for (const cause of ['no browser found', 'will not start', 'cannot be reached', 'is not a folder', 'cannot be written', '`export -o`', 'cannot listen', 'in use', 'not allowed', 'not a loopback address of this machine']) {
      expect(exitCodes).toContain(cause);
    }
  });
});

describe("the README's list of what a brief's page is given", () => {
  it('names exactly the keys the page view has', async () => {
    const { sampleBriefView } = await import('../../src/template/template-check.js');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.split("**What a brief's page is given.**")[1]?.split('\n\n')[1] ?? '';
    const listed = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...(m[1] ?? '').matchAll(/`(\w+)`/g)].map((n) => n[1]));
    expect(listed.sort()).toEqual(Object.keys(sampleBriefView() as object).sort());
  });
});
