import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, projectWith, runCli } from '../helpers.js';

/** The environment of a person's terminal: none of the settings that ask for plain lines, then `extra`. */
const terminal = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env.CI;
  delete env.NO_COLOR;
  return { ...env, ...extra };
};

const briefs = Object.fromEntries(
  Array.from({ length: 6 }, (_, i) => [`b${i}.yaml`, `title: Brief ${i}\ndate: 2024-03-11\nslug: brief-${i}\ndevelopments: |\n  Text.\n`]),
);

describe('what a build shows while it runs', () => {
  it('prints plain lines without control characters when not on a terminal', async () => {
    const result = await runCli(['build', '--html-only'], { cwd: projectWith(briefs) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('built briefs/b0.yaml -> output/brief-0.html');
    expect(result.stderr).toMatch(/^6 built, 0 failed in [\d.]+ s$/m);
    // eslint-disable-next-line no-control-regex -- looking for terminal escapes is the point
    expect(result.stderr).not.toMatch(/[\u001b\r]/);
  });

  // `script` (util-linux) runs the command on a pseudo-terminal, as a person would.
  it.runIf(existsSync('/usr/bin/script'))('draws a progress bar on a terminal and ends with the summary', () => {
    // Enough briefs that the bar is drawn at least once (it redraws ten times a second).
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`m${i}.yaml`, (briefs['b0.yaml'] as string).replace('brief-0', `m-${i}`)]));
    const dir = projectWith(many);
    const out = execFileSync('script', ['-qec', `"${process.execPath}" "${BIN}" build --html-only`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: terminal({}) });
    expect(out).toMatch(/building \S+ \d+\/60 briefs \| [\d.]+\/s \| \d+s left/);
    expect(out).toMatch(/60 built, 0 failed in [\d.]+ s/);
    // The bar replaces the per-brief lines.
    expect(out).not.toContain('built briefs/m0.yaml');
  });

  it.runIf(existsSync('/usr/bin/script')).each([
    ['NO_COLOR=1', { NO_COLOR: '1' }, []],
    ['TERM=dumb', { TERM: 'dumb' }, []],
    ['CI=true', { CI: 'true' }, []],
    ['--verbose', {}, ['--verbose']],
  ] as [string, NodeJS.ProcessEnv, string[]][])('prints plain lines on a terminal too with %s', (_name, env, flags) => {
    const many = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`m${i}.yaml`, (briefs['b0.yaml'] as string).replace('brief-0', `m-${i}`)]));
    const out = execFileSync('script', ['-qec', `"${process.execPath}" "${BIN}" build --html-only ${flags.join(' ')}`, '/dev/null'], { cwd: projectWith(many), encoding: 'utf8', env: terminal(env) });
    expect(out).toContain('built briefs/m0.yaml -> output/m-0.html');
    expect(out).toMatch(/3 built, 0 failed in [\d.]+ s/);
    // A terminal ends lines with CR LF; anything else that moves the cursor is a fault.
    // eslint-disable-next-line no-control-regex -- looking for terminal escapes is the point
    expect(out.replace(/\r\n/g, '\n')).not.toMatch(/[\u001b\r]/);
  });

  it('says nothing but problems and the summary with -q, on every command', async () => {
    const dir = projectWith(briefs);
    for (const args of [['build', '--html-only', '-q'], ['check', '-q'], ['tally', '-q', '--format', 'json']]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toEqual(args[0] === 'tally' ? [''] : [expect.stringMatching(/^6 (built|ok), 0 failed/)]);
    }
    const both = await runCli(['check', '-q', '--verbose'], { cwd: dir });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("'--verbose' cannot be used with option '-q, --quiet'");
  });
});
