import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkfifoSync, ROOT, projectWith, runCli } from '../helpers.js';

/*
 * issue 13: no read may hang past Ctrl-C. A read blocked in one of Node's threads holds
 * the process even through process.exit(), so every input is opened without waiting and
 * refused by its kind, and a signal ends the process even when something is still blocked.
 */

const BRIEF = 'title: Pipes\ndate: 2024-01-05\nslug: pipes\nseries: s\ndevelopments: All quiet.\nincidents:\n  - date: 2024-01-04\n    location: Erbil\n    country: Iraq\n    weapons: [{type: drone}]\n';

/** Every file a build reads, as a place a named pipe can take, with the words that must name it. */
const PLACES: Record<string, { file: string; config?: string; said: RegExp }> = {
  'a brief': { file: 'briefs/other.yaml', said: /briefs\/other\.yaml:1:1: this is a named pipe \(FIFO\)/ },
  'an incident file': { file: 'incidents/more.yaml', said: /incidents\/more\.yaml:1:1: this is a named pipe/ },
  'places.yaml': { file: 'places.yaml', said: /places\.yaml:1:1: this is a named pipe/ },
  'brief.config.yaml': { file: 'brief.config.yaml', said: /brief\.config\.yaml:1:1: this is a named pipe/ },
  'the logo': { file: 'logo.png', config: 'logo: logo.png\n', said: /logo logo\.png is a named pipe \(FIFO\), not a file/ },
  'a font file': { file: 'brand/font.woff2', config: 'fonts:\n  body: Brand\n  files: [brand/font.woff2]\n', said: /brand\/font\.woff2 is a named pipe \(FIFO\), not a font file/ },
  "a template's layout": { file: 'templates/flash-brief/layout.hbs', said: /templates\/flash-brief\/layout\.hbs:1:1: this is a named pipe/ },
  "a template's template.json": { file: 'templates/flash-brief/template.json', said: /template\.json:1:1: this is a named pipe/ },
};

describe.runIf(process.platform === 'linux')('a named pipe in place of an input', () => {
  for (const [where, { file, config, said }] of Object.entries(PLACES)) {
    it(`${where}: the build says so at once and ends, never waiting on the pipe`, async () => {
      const dir = projectWith({ 'pipes.yaml': BRIEF });
      if (config) writeFileSync(path.join(dir, 'brief.config.yaml'), config);
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      mkfifoSync(path.join(dir, file));
      const templates = file.startsWith('templates/') ? ['--templates', 'templates'] : [];
      const started = Date.now();
      const result = await runCli(['build', '--html-only', ...templates], { cwd: dir });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(result.code, result.stderr).not.toBe(0);
      expect(result.stderr).toMatch(said);
      expect(result.stderr).not.toMatch(/unexpected error/);
    }, 30_000);
  }
});

/** Runs the CLI in-process beside a read that blocks one of Node's threads on a pipe, as a stalled network drive would. */
const BLOCKED = `
import { readFile } from 'node:fs/promises';
const { run } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'main.js'))});
readFile(process.argv[1]).then(() => {}, () => {});
process.exitCode = await run(['serve', process.argv[2], '--port', '0']);
`;

async function serveBesideBlockedRead(): Promise<{ interrupt: () => void; ended: Promise<{ code: number | null; signal: string | null; ms: number }>; stderr: () => string }> {
  const dir = projectWith({ 'pipes.yaml': BRIEF });
  const pipe = path.join(dir, 'stalled');
  mkfifoSync(pipe);
  const child = spawn(process.execPath, ['--input-type=module', '-e', BLOCKED, pipe, path.join(dir, 'briefs')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  let interruptedAt = 0;
  const ended = new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, ms: Date.now() - interruptedAt })),
  );
  await new Promise<void>((resolve, reject) => {
    const look = () => (/http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+/.test(out + err) ? resolve() : undefined);
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), look()));
    child.stderr.on('data', (d: Buffer) => ((err += d.toString()), look()));
    child.on('close', () => reject(new Error(`serve ended before it listened:\n${err}`)));
  });
  return {
    interrupt: () => {
      interruptedAt ||= Date.now();
      child.kill('SIGINT');
    },
    ended,
    stderr: () => err,
  };
}

describe.runIf(process.platform === 'linux')('Ctrl-C while a read is blocked in a thread', () => {
  it('ends the process within the grace period, with the signal', async () => {
    const served = await serveBesideBlockedRead();
    served.interrupt();
    const { signal, code, ms } = await served.ended;
    // The command stops at once; the blocked read holds the process until the grace ends.
    expect(ms).toBeLessThan(9_000);
    expect(signal === 'SIGINT' || code === 130).toBe(true);
    expect(served.stderr()).toMatch(/still not stopped 5 s after SIGINT; quitting now/);
  }, 30_000);

  it('a second Ctrl-C ends it at once', async () => {
    const served = await serveBesideBlockedRead();
    served.interrupt();
    await new Promise((r) => setTimeout(r, 300));
    served.interrupt();
    const { signal, ms } = await served.ended;
    expect(signal).toBe('SIGINT');
    expect(ms).toBeLessThan(2_000);
  }, 30_000);
});
