import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { FIXTURES, projectWith, tempDir } from '../helpers.js';

/*
 * What `brief serve` prints on stderr, run in this process: which configuration it uses,
 * in the words `brief build` and `brief check` use, once per start; that it found no
 * briefs; and each error once per rebuild, however many briefs it stops.
 */

const MINIMAL = readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml'), 'utf8');
const good = (slug: string) => `${MINIMAL}slug: ${slug}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `brief <argv>` in `cwd` to the end; its stderr. */
async function stderrOf(argv: string[], cwd: string): Promise<string> {
  const err: string[] = [];
  await main(argv, { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, cwd });
  return err.join('');
}

/**
 * Runs `brief serve --port 0 <args>` in `cwd`: makes each of `changes` once the build
 * before it is done, and stops once the build after the last is. Its stderr, as lines.
 */
async function serveLines(cwd: string, args: string[], changes: (() => void)[] = []): Promise<string[]> {
  const controller = new AbortController();
  const err: string[] = [];
  const io: Io = { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, cwd, signal: controller.signal };
  const running = main(['serve', '--port', '0', ...args], io);
  const lines = () => err.join('').split('\n');
  const builds = () => lines().filter((l) => l.startsWith('rebuilt ')).length;
  const waitFor = async (count: number) => {
    for (let i = 0; i < 400 && (builds() < count || !lines().some((l) => l.startsWith('serving '))); i++) await sleep(25);
    expect(builds(), `build ${count}`).toBe(count);
  };
  await waitFor(1);
  for (const [i, change] of changes.entries()) {
    // Let the watcher's settling of the last build's own writes pass.
    await sleep(150);
    change();
    await waitFor(i + 2);
  }
  controller.abort();
  expect(await running).toBe(0);
  return lines();
}

const count = (lines: readonly string[], line: string) => lines.filter((l) => l === line).length;

describe('brief serve, on stderr', () => {
  it('says once, as `brief check` does, that no brief.config.yaml was found and the defaults apply', async () => {
    const dir = projectWith({ 'a.yaml': good('a') });
    const notice = (await stderrOf(['check'], dir)).split('\n')[0] as string;
    expect(notice).toBe('no brief.config.yaml in this folder: the defaults apply');
    const file = path.join(dir, 'briefs', 'a.yaml');
    const lines = await serveLines(dir, [], [() => writeFileSync(file, good('a').replace('Minimal Brief', 'Edited')), () => writeFileSync(file, good('a'))]);
    expect(count(lines, notice)).toBe(1);
    // Before the first build's line, as `brief build` prints it before its summary.
    expect(lines.indexOf(notice)).toBeLessThan(lines.findIndex((l) => l.startsWith('rebuilt ')));
    expect(lines.filter((l) => l.startsWith('rebuilt '))).toHaveLength(3);
    expect(lines.some((l) => l.startsWith('serving http://127.0.0.1:'))).toBe(true);
    expect(lines.at(-2)).toBe('stopped');
  });

  it('names the brief.config.yaml it does not read when started outside the project, as `brief build` does', async () => {
    const dir = tempDir();
    const proj = path.join(dir, 'proj');
    mkdirSync(path.join(proj, 'briefs'), { recursive: true });
    writeFileSync(path.join(proj, 'briefs', 'a.yaml'), good('a'));
    writeFileSync(path.join(proj, 'brief.config.yaml'), 'organization: Far Institute\n');
    const notice = (await stderrOf(['build', 'proj/briefs', '--out', 'out', '--html-only'], dir)).split('\n')[0] as string;
    expect(notice).toMatch(/^proj\/brief\.config\.yaml is not read: .*\(run it in proj, or name it with --config\)/);
    const lines = await serveLines(dir, ['proj/briefs'], [() => writeFileSync(path.join(proj, 'briefs', 'a.yaml'), good('a').replace('Minimal Brief', 'Edited'))]);
    expect(count(lines, notice)).toBe(1);
  });

  it('says nothing of the configuration when it reads one', async () => {
    const dir = projectWith({ 'a.yaml': good('a') });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'organization: Near Institute\n');
    const lines = await serveLines(dir, []);
    expect(lines.filter((l) => l.includes('brief.config.yaml'))).toEqual([]);
  });

  it('says it found no briefs, as `brief build` does', async () => {
    const dir = projectWith({});
    const none = 'no briefs found (looked for .yaml and .yml files)';
    expect(await stderrOf(['build', '--out', 'out', '--html-only'], dir)).toContain(`\n${none}\n`);
    const lines = await serveLines(dir, []);
    expect(count(lines, none)).toBe(1);
  });

  it('prints an error of brief.config.yaml or places.yaml once per rebuild, not once per brief it stops', async () => {
    const dir = projectWith({ 'a.yaml': good('a'), 'b.yaml': good('b'), 'c.yaml': good('c') });
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'organization: [x\n');
    writeFileSync(path.join(dir, 'places.yaml'), '- name: "<b>"\n  bad: 1\n');
    const checked = (await stderrOf(['check'], dir)).split('\n').filter((l) => /^(brief\.config|places)\.yaml:\d+:\d+: /.test(l));
    expect(checked.length).toBeGreaterThanOrEqual(2);
    const lines = await serveLines(dir, [], [() => writeFileSync(path.join(dir, 'briefs', 'a.yaml'), good('a').replace('Minimal Brief', 'Edited'))]);
    // Two builds: each error twice, once for each.
    for (const line of checked) expect(count(lines, line), line).toBe(2);
  });
});
