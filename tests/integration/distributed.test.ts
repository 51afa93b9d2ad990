import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/print/browser.js';
import { pdfInfo, projectWith, runCli, tempDir } from '../helpers.js';

/** Five briefs of one series: each counts the incidents of those before it. */
function series(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 5; i++) {
    files[`b${i}.yaml`] = [
      `title: Brief ${i}`,
      `date: 2024-03-${String(i * 2).padStart(2, '0')}`,
      `slug: brief-${i}`,
      'series: s',
      'tally:',
      '  since: 2024-02-25',
      'developments: |',
      `  Day ${i}: {{tally.total}} incidents so far.`,
      'incidents:',
      `  - {id: i${i}, date: 2024-03-${String(i * 2 - 1).padStart(2, '0')}, location: Base ${i}, country: Iraq}`,
    ].join('\n');
  }
  return files;
}

const read = (dir: string, name: string) => readFileSync(path.join(dir, name));
const briefPages = (dir: string) => readdirSync(dir).filter((n) => /^brief-\d\.html$/.test(n)).sort();

describe('sharded builds', () => {
  it('split the briefs between shards, count the whole series in each, and merge into the full site', async () => {
    const dir = projectWith(series());
    for (const [args, out] of [
      [['--shard', '1/2'], 'out1'],
      [['--shard', '2/2'], 'out2'],
      [[], 'full'],
    ] as const) {
      const result = await runCli(['build', '--html-only', '--out', out, ...args], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
    }
    const [one, two, full] = ['out1', 'out2', 'full'].map((o) => path.join(dir, o)) as [string, string, string];
    expect(briefPages(one)).toEqual(['brief-1.html', 'brief-3.html', 'brief-5.html']);
    expect(briefPages(two)).toEqual(['brief-2.html', 'brief-4.html']);
    // Each page is the page a full build makes: brief 4 still counts briefs 1 to 3.
    for (const name of briefPages(full)) expect(read(existsIn(one, name) ? one : two, name).equals(read(full, name))).toBe(true);
    expect(read(two, 'brief-4.html').toString()).toContain('Day 4: 4 incidents so far.');
    // Every shard writes the same site pages and assets, so merging the folders never conflicts.
    for (const name of ['index.html', ...readdirSync(path.join(full, 'assets')).map((a) => `assets/${a}`)]) {
      expect(read(one, name).equals(read(full, name))).toBe(true);
      expect(read(two, name).equals(read(full, name))).toBe(true);
    }
    // Their caches are kept apart for the same reason.
    expect(readdirSync(one).filter((n) => n.startsWith('.'))).toEqual(['.flashbrief-cache.1-of-2.json']);
  });

  it('refuses a shard that does not exist', async () => {
    const result = await runCli(['build', '--shard', '3/2'], { cwd: projectWith(series()) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must be i/n with 1 <= i <= n');
  });
});

const existsIn = (dir: string, name: string) => readdirSync(dir).includes(name);

describe('a remote browser (--browser-ws)', () => {
  let chromium: ChildProcess;
  let endpoint: string;

  beforeAll(async () => {
    // A Chrome serving the DevTools protocol on loopback, as a browser pool would.
    const { executablePath } = await findBrowser();
    const profile = tempDir();
    chromium = spawn(
      executablePath,
      ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    endpoint = await new Promise<string>((resolve, reject) => {
      let err = '';
      chromium.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m) resolve(m[1] as string);
      });
      chromium.on('exit', () => reject(new Error(`chromium exited: ${err}`)));
    });
  });
  afterAll(() => {
    chromium.kill('SIGKILL');
  });

  it('prints through it, blocks requests the same way, and leaves it running', async () => {
    let hits = 0;
    const listener = createServer((_req, res) => {
      hits += 1;
      res.end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as AddressInfo).port;
    const dir = projectWith({
      ...series(),
      'remote.yaml': `title: Remote image\ndate: 2024-03-11\nslug: remote\ndevelopments: |\n  ![map](http://127.0.0.1:${port}/map.png)\n`,
    });
    mkdirSync(path.join(dir, 'output'));
    const result = await runCli(['build', '--browser-ws', endpoint], { cwd: dir, env: { FLASHBRIEF_BROWSER: '/nonexistent/so-no-local-browser-is-used' } });
    listener.close();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`printing 6 PDF(s) with the remote browser at ${endpoint}`);
    for (const slug of ['brief-1', 'brief-5', 'remote']) expect(pdfInfo(path.join(dir, 'output', `${slug}.pdf`)).Title).toMatch(/^(Brief \d|Remote image)$/);
    expect(hits).toBe(0);
    // The build closed its own pages and disconnected; the browser is someone else's and still serves.
    expect(chromium.exitCode).toBeNull();
    const targets = (await (await fetch(`http://${new URL(endpoint).host}/json/list`)).json()) as { type: string; url: string }[];
    expect(targets.filter((t) => t.type === 'page').map((t) => t.url)).toEqual(['about:blank']);
  });

  it('takes the endpoint from brief.config.yaml too', async () => {
    const dir = projectWith({ 'b1.yaml': series()['b1.yaml'] as string });
    writeFileSync(path.join(dir, 'brief.config.yaml'), `browser_ws: ${endpoint}\n`);
    const result = await runCli(['build', '--pdf-only'], { cwd: dir, env: { FLASHBRIEF_BROWSER: '/nonexistent/so-no-local-browser-is-used' } });
    expect(result.code, result.stderr).toBe(0);
    expect(pdfInfo(path.join(dir, 'output', 'brief-1.pdf')).Title).toBe('Brief 1');
    // The build says where the pages go, and that embargoed ones go there too.
    expect(result.stderr).toContain(`printing with the remote browser at ${endpoint} (--browser-ws or browser_ws): the HTML of every brief printed (embargoed ones too, with --embargoed-out) is sent to it`);
  });
});
