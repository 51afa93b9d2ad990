import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, projectWith, runCli, tempDir } from '../helpers.js';

// The "no number changes silently" cases through the real CLI, as a user meets them.
const relisted = () => {
  const dir = tempDir();
  cpSync(path.join(FIXTURES, 'cases', 'relisted-without-id'), dir, { recursive: true });
  return dir;
};

describe('no number changes silently, through the CLI', () => {
  it('check warns at b.yaml:37 about the re-listed incident, naming a.yaml:172:5, and exits 0', async () => {
    const result = await runCli(['check'], { cwd: relisted() });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('briefs/b.yaml:37:5: warning: this incident looks like the one at briefs/a.yaml:172:5 (same date, location and weapons)');
  });

  it('check reports a reversed window as an error at tally.since (80:10), exit 1', async () => {
    const dir = projectWith({});
    cpSync(path.join(FIXTURES, 'cases', 'window-reversed.yaml'), path.join(dir, 'briefs', 'window-reversed.yaml'));
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("briefs/window-reversed.yaml:80:10: tally.since (2026-12-05) is after the brief's date (2026-11-30)");
  });

  it('tally refuses --since after --until in plain words (exit 2)', async () => {
    const result = await runCli(['tally', '--since', '2026-12-05', '--until', '2026-11-30'], { cwd: relisted() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--since 2026-12-05 is after --until 2026-11-30: the window would end before it starts');
    expect(result.stdout).toBe('');
  });

  it('tally says which series it counts together, and --series counts one (exit 2 for a series no brief has)', async () => {
    const dir = relisted();
    const examples = path.join(FIXTURES, '..', '..', 'briefs');
    for (const f of readdirSync(examples)) cpSync(path.join(examples, f), path.join(dir, 'briefs', f));
    const mixed = await runCli(['tally', '--format', 'json'], { cwd: dir });
    expect(mixed.code).toBe(0);
    expect(mixed.stderr).toContain('counting together series iraq-syria-militia-attacks, series red-sea-shipping-attacks');
    const one = await runCli(['tally', '--format', 'json', '--series', 'red-sea-shipping-attacks'], { cwd: dir });
    expect(one.code).toBe(0);
    expect((JSON.parse(one.stdout) as { total: number; byCountry: Record<string, number> }).byCountry).toEqual({ Yemen: 11, Israel: 2, Djibouti: 1 });
    const none = await runCli(['tally', '--series', 'nope'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no brief has series "nope"; series here: iraq-syria-militia-attacks, red-sea-shipping-attacks');
  });
});
