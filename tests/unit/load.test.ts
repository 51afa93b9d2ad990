import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/core/load.js';

describe('loadYaml', () => {
  it('reads plain YAML and keeps dates as text', () => {
    const { data, diagnostics } = loadYaml('title: T\ndate: 2023-10-24\n', 'a.yaml');
    expect(diagnostics).toEqual([]);
    expect(data).toEqual({ title: 'T', date: '2023-10-24' });
  });

  it('reports a duplicate key at the second occurrence', () => {
    const { diagnostics } = loadYaml('title: A\ndate: 2023-10-24\ntitle: B\n', 'a.yaml');
    expect(diagnostics).toEqual([
      expect.objectContaining({ file: 'a.yaml', line: 3, column: 1, severity: 'error', message: expect.stringContaining('duplicate key') }),
    ]);
  });

  it('reports every independent syntax mistake of a file, each once, at the bracket or quote to close', () => {
    const { diagnostics, data } = loadYaml('a: [1, 2\nb: "x\nc: {\n', 'bad.yaml');
    expect(data).toBeUndefined();
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining('end it with "]"'),
      expect.stringContaining('add the closing "'),
      expect.stringContaining('end it with "}"'),
    ]);
  });

  it('accepts a byte-order mark and CRLF line ends, with positions still right', () => {
    const { data, diagnostics, source } = loadYaml('\uFEFFtitle: T\r\ndate: 2023-10-24\r\nx: 1\r\n', 'win.yaml');
    expect(diagnostics).toEqual([]);
    expect(data).toEqual({ title: 'T', date: '2023-10-24', x: 1 });
    expect(source.locate(['x'])).toEqual({ line: 3, column: 4 });
  });

  it('keeps YAML 1.1 words such as "no" and "yes" as text, not booleans', () => {
    const { data } = loadYaml('country: NO\nclaimed: yes\n', 'a.yaml');
    expect(data).toEqual({ country: 'NO', claimed: 'yes' });
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10).fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`).join(', ')}]`);
    const { diagnostics, data } = loadYaml(lines.join('\n'), 'bomb.yaml');
    expect(data).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    // At the alias where the expansion passed the limit, in words an author can act on.
    expect(diagnostics[0]).toMatchObject({ line: 3, column: 42 });
    expect(diagnostics[0]?.message).toBe(
      'the alias *b repeats the value of the anchor &b, and with the aliases inside that value this file expands aliases more than 100 times: write the values out, or use fewer aliases',
    );
  });
});
