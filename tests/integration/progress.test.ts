import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, projectWith, runCli } from '../helpers.js';

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
    const out = execFileSync('script', ['-qec', `"${process.execPath}" "${BIN}" build --html-only`, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/building \S+ \d+\/60 briefs \| [\d.]+\/s \| \d+s left/);
    expect(out).toMatch(/60 built, 0 failed in [\d.]+ s/);
    // The bar replaces the per-brief lines.
    expect(out).not.toContain('built briefs/m0.yaml');
  });
});
