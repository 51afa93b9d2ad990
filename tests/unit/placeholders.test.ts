import { describe, expect, it } from 'vitest';
import { expandPlaceholders } from '../../src/core/placeholders.js';
import { computeTally } from '../../src/core/tally.js';
import { parse } from '../helpers.js';

const tally = computeTally({ since: '2023-10-17', until: '2023-10-24' }, [
  { incident: { date: '2023-10-17', location: 'al-Tanf garrison', country: 'Syria', weapons: [{ type: 'drone', count: 2 }], injured: 1234, perpetrator: 'Islamic Resistance in Iraq' }, listedHere: true, listedBefore: false },
  { incident: { date: '2023-10-18', location: 'al-Asad Air Base', country: 'Iraq', weapons: [{ type: 'drone' }] }, listedHere: true, listedBefore: false },
]);

function expand(prose: string) {
  const text = `developments: |\n  ${prose.split('\n').join('\n  ')}\n`;
  const { source } = parse(text, 'p.yaml');
  return expandPlaceholders(prose, tally, source, ['developments']);
}

describe('expandPlaceholders', () => {
  it('fills every documented placeholder from the tally', () => {
    const { text, diagnostics } = expand(
      '{{tally.total}} {{tally.new}} {{tally.killed}} {{tally.injured}} {{tally.claimed}} {{tally.days}} | ' +
        '{{tally.since}} / {{tally.first}} / {{tally.last}} / {{tally.until}} | ' +
        '{{tally.country.Syria}} {{tally.country.Iraq}} {{ tally.location.[al-Tanf garrison] }} ' +
        '{{tally.perpetrator.[Islamic Resistance in Iraq]}} {{tally.weapon.drone}} {{tally.weapon.drone.munitions}} {{tally.weapon.drone.incidents}} {{tally.perDay.[2023-10-17]}}',
    );
    expect(diagnostics).toEqual([]);
    expect(text).toBe(
      '2 2 0 1,234 0 8 | October 17, 2023 / October 17, 2023 / October 18, 2023 / October 24, 2023 | 1 1 1 1 2 at least 3 2 1',
    );
  });

  it('gives 0 for a country, location or weapon with no incident in the window', () => {
    const { text, diagnostics } = expand('{{tally.country.Jordan}} {{tally.location.[Tower 22]}} {{tally.weapon.missile}} {{tally.perDay.[2023-10-20]}}');
    expect(diagnostics).toEqual([]);
    expect(text).toBe('0 0 0 0');
  });

  it('reports an unknown placeholder at its own line and column, with a suggestion', () => {
    const { diagnostics } = expand('First line.\nThere were {{tally.totl}} attacks.');
    expect(diagnostics).toEqual([
      expect.objectContaining({ file: 'p.yaml', line: 3, column: 14, message: 'unknown placeholder {{tally.totl}}; did you mean {{tally.total}}?' }),
    ]);
  });

  it('reports the second of two identical bad placeholders at the second place', () => {
    const { diagnostics } = expand('{{tally.x}} and\nagain {{tally.x}}');
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([[2, 3], [3, 9]]);
  });

  it.each([
    '{{constructor}}',
    '{{tally.constructor}}',
    '{{tally.__proto__}}',
    '{{#each tally}}x{{/each}}',
    '{{> partial}}',
    '{{{tally.total}}}',
    '{{lookup tally "total"}}',
    '{{tally.total.toString}}',
  ])('treats %s as an error, never as Handlebars', (prose) => {
    const { diagnostics } = expand(prose);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]?.message).toMatch(/^unknown placeholder/);
  });

  it('does not reach prototype properties through a name', () => {
    const { text, diagnostics } = expand('{{tally.country.__proto__}} {{tally.country.constructor}} {{tally.weapon.constructor.munitions}}');
    expect(diagnostics).toEqual([]);
    expect(text).toBe('0 0 0');
  });

  it('reports the unescaped placeholder, not an escaped one before it', () => {
    const { diagnostics } = expand('Write \\{{tally.totl}} for text; {{tally.totl}} is wrong.');
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([[2, 35]]);
  });

  it('reports an unclosed {{ and a placeholder broken over lines, on one line', () => {
    expect(expand('Total {{tally.total').diagnostics.map((d) => d.message)).toEqual(['unclosed {{: close it with }}, or write \\{{ for literal braces']);
    const broken = expand('A {{tally.\ntotl}} b');
    expect(broken.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [2, 5, 'unknown placeholder {{tally. totl}}; did you mean {{tally.total}}?'],
    ]);
  });

  it('reports an unclosed {{ at itself, not at a closed placeholder before it', () => {
    const { diagnostics } = expand('Two {{tally.total}} then {{tally.killed');
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[2, 28, 'unclosed {{: close it with }}, or write \\{{ for literal braces']]);
    // After escaped braces and on a later line, still at the one that is not closed.
    const later = expand('\\{{ and {{tally.total}}\nthen {{tally.days}} and {{tally.new');
    expect(later.diagnostics.map((d) => [d.line, d.column])).toEqual([[3, 27]]);
  });

  it('counts earlier matches of the same text when placing a bad placeholder', () => {
    const { diagnostics } = expand('{{{tally.x}} and {{tally.x}}');
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([
      [2, 3],
      [2, 20],
    ]);
  });

  it('scans a text full of braces in linear time', () => {
    const { diagnostics } = expand('{{'.repeat(100_000));
    expect(diagnostics.length).toBe(1);
  });

  it('leaves \\{{ as literal text for Markdown to unescape', () => {
    const { text, diagnostics } = expand('Write \\{{tally.total}} to cite the total.');
    expect(diagnostics).toEqual([]);
    expect(text).toBe('Write \\{{tally.total}} to cite the total.');
  });
});

describe('a misspelt placeholder of any form', () => {
  it.each([
    ['tally.contry.Yemen', 'tally.country.Yemen'],
    ['tally.Country.Iraq', 'tally.country.Iraq'],
    ['talley.country.Iraq', 'tally.country.Iraq'],
    ['tally.locaton.[Patrol Base]', 'tally.location.[Patrol Base]'],
    ['tally.location.Patrol Base', 'tally.location.[Patrol Base]'],
    ['tally.location.U.S. Embassy', 'tally.location.[U.S. Embassy]'],
    ['tally.perpetrater.[Islamic Resistance in Iraq]', 'tally.perpetrator.[Islamic Resistance in Iraq]'],
    ['tally.perday.[2023-10-19]', 'tally.perDay.[2023-10-19]'],
    ['tally.weapn.drone', 'tally.weapon.drone'],
    ['tally.weapons.drone', 'tally.weapon.drone'],
    ['tally.weapon.drone.munition', 'tally.weapon.drone.munitions'],
    ['tally.weapon.drone.incident', 'tally.weapon.drone.incidents'],
    ['tally.totl', 'tally.total'],
    ['talley.total', 'tally.total'],
    ['tally.contry', 'tally.country.<Country>'],
  ])('{{%s}} suggests {{%s}}', (written, meant) => {
    const { diagnostics } = expand(`Attacks: {{${written}}}.`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.message).toBe(`unknown placeholder {{${written}}}; did you mean {{${meant}}}?`);
  });

  it.each([
    ['tally.country.Iraq.munitions', '.munitions exists only for weapons ({{tally.weapon.<type>.munitions}}), and a country gives one count, with nothing after its name: write {{tally.country.Iraq}}'],
    ['tally.contry.Iraq.incidents', '.incidents exists only for weapons ({{tally.weapon.<type>.incidents}}), and a country gives one count, with nothing after its name: write {{tally.country.Iraq}}'],
    ['tally.country.Iraq .munitions', '.munitions exists only for weapons ({{tally.weapon.<type>.munitions}}), and a country gives one count, with nothing after its name: write {{tally.country.Iraq}}'],
    ['tally.location.[Patrol Base].total', 'a location gives one count, with nothing after its name: write {{tally.location.[Patrol Base]}}'],
    ['tally.perDay.[2023-10-19].killed', 'a day gives one count, with nothing after its name: write {{tally.perDay.[2023-10-19]}}'],
    [
      'tally.location.Camp.Buehring',
      'a location gives one count, with nothing after its name: write {{tally.location.Camp}}, or, if the dots are part of the name, put the whole name in brackets, e.g. {{tally.location.[<Location>]}}',
    ],
  ])('{{%s}}: parts after the name are explained, never bracketed into a name', (written, says) => {
    const { diagnostics } = expand(`Attacks: {{${written}}}.`);
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[2, 12, `unknown placeholder {{${written}}}: ${says}`]]);
  });

  it.each(['tally.weapon.drone.foo', 'tally.xyz.abc', 'constructor.constructor', 'tally.weapon.drone.munitions.x'])('{{%s}} gets the list of forms, no guess', (written) => {
    const { diagnostics } = expand(`{{${written}}}`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.message).not.toContain('did you mean');
    expect(diagnostics[0]?.message).toContain('placeholders are');
  });
});
