import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runCli } from '../helpers.js';

describe('brief check warnings', () => {
  it('warns, with positions, about duplicates, typed counts, spellings and unmapped places, and still exits 0', async () => {
    const dir = path.join(FIXTURES, 'warnings');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(0);
    const expected = readFileSync(path.join(dir, 'expected.txt'), 'utf8').trim().split('\n');
    expect(result.stderr.trim().split('\n').slice(0, -1)).toEqual(expected);
  });

  it('gives the example briefs no warning', async () => {
    const result = await runCli(['check']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('warning');
  });
});
