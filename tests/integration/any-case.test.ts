import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { parseConfig } from '../../src/core/config.js';
import { jsonSchema } from '../../src/core/json-schema.js';
import { FIXTURES, pdfInfo, projectWith } from '../helpers.js';

/*
 * Fixed words in the configuration and on the command line are read in any case: "A4" is
 * how page sizes are printed on paper packs, and a value that differs only in case is not
 * a mistake worth stopping a build for.
 */

async function brief(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const minimal = () => projectWith({ 'minimal.yaml': readFileSync(path.join(FIXTURES, 'valid', 'minimal.yaml')) });
const PDF = path.join('output', '2024-03-11-minimal-brief.pdf');

describe('fixed words in any case', () => {
  it.each([
    ['A4', 'a4'],
    ['a4', 'a4'],
    ['Letter', 'letter'],
    ['LETTER', 'letter'],
  ])('reads page_size: %s in brief.config.yaml as %s', (written, read) => {
    const { config, diagnostics } = parseConfig(`page_size: ${written}\n`, 'brief.config.yaml');
    expect(diagnostics).toEqual([]);
    expect(config.page_size).toBe(read);
  });

  it('still refuses a page size it does not know, at its position, in any case', () => {
    for (const written of ['legal', 'A5', 'A 4', '"a4 "']) {
      const { diagnostics } = parseConfig(`page_size: ${written}\n`, 'brief.config.yaml');
      expect(diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual(['1:12: page_size must be letter or a4']);
    }
  });

  it('tells editors the same: the JSON Schema takes any case and nothing else', () => {
    const pageSize = (jsonSchema('config').properties as Record<string, { pattern: string }>).page_size;
    const pattern = new RegExp(pageSize?.pattern ?? '');
    for (const ok of ['a4', 'A4', 'letter', 'Letter', 'LETTER']) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['legal', 'a5', 'A4 ', 'letters']) expect(pattern.test(bad), bad).toBe(false);
  });

  it('prints on A4 with page_size: A4 in brief.config.yaml', async () => {
    const dir = minimal();
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: A4\n');
    const result = await brief(['build', '--pdf-only'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(pdfInfo(path.join(dir, PDF))['Page size']).toContain('(A4)');
  });

  it('prints at the size --page-size asks for in any case, and says the choices for one it does not know', async () => {
    const dir = minimal();
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: a4\n');
    const result = await brief(['build', '--pdf-only', '--page-size', 'LETTER'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(pdfInfo(path.join(dir, PDF))['Page size']).toContain('(letter)');
    const wrong = await brief(['build', '--pdf-only', '--page-size', 'Legal'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("error: option '--page-size <size>' argument 'Legal' is invalid. Allowed choices are letter, a4.\n");
  });

  it('reads the other fixed words of the command line in any case: tally --format and --by, export --format, schema kind', async () => {
    const dir = minimal();
    const tally = await brief(['tally', '--format', 'JSON', '--by', 'Country'], dir);
    expect(tally.code, tally.stderr).toBe(0);
    expect(JSON.parse(tally.stdout)).toBeTypeOf('object');
    const exported = await brief(['export', '--format', 'GeoJSON'], dir);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).type).toBe('FeatureCollection');
    const schema = await brief(['schema', 'Config'], dir);
    expect(schema.code, schema.stderr).toBe(0);
    expect(JSON.parse(schema.stdout).title).toBe('flashbrief configuration');
  });
});
