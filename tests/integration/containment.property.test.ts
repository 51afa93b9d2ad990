import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/project/build.js';
import { tempDir } from '../helpers.js';

/*
 * No mistake escapes its brief: every placeholder form, cited from every kind of Markdown
 * field, crossed with every kind of mistake an author makes (one at a time and two at
 * once), gives the broken brief its own positioned errors and leaves the good brief beside
 * it untouched. The numbers of an invalid brief are never computed, so no placeholder can
 * reach code that assumes a valid one.
 */

const FORMS = [
  'tally.total', 'tally.new', 'tally.killed', 'tally.injured', 'tally.claimed', 'tally.days',
  'tally.since', 'tally.until', 'tally.first', 'tally.last',
  'tally.country.Yemen', 'tally.location.[off Hodeidah]', 'tally.perpetrator.[Houthis]',
  'tally.perDay.[2026-11-29]', 'tally.weapon.drone', 'tally.weapon.drone.munitions',
  // and forms that are themselves mistakes
  'tally.contry.Yemen', 'tally.totl', 'tally.weapon.drone.munition', 'talley.total', 'tally.until.x',
];

/** Where a placeholder may be cited: each is a Markdown field of the format. */
const FIELDS = ['summary', 'developments', 'background', 'incident', 'analysis'] as const;
type Field = (typeof FIELDS)[number];

interface Parts {
  placeholder: string;
  field: Field;
}

function briefText({ placeholder, field }: Parts): string {
  const cite = `{{${placeholder}}}`;
  return [
    'title: Houthi Attacks on Shipping',
    'date: 2026-11-30',
    'series: red-sea',
    `summary: "${field === 'summary' ? cite : 'Two strikes'} this week."`,
    'developments: |',
    `  ${field === 'developments' ? cite : 'Several'} attacks were reported.`,
    'analysis:',
    `  - quote: "${field === 'analysis' ? cite : 'Quiet'} days are rare."`,
    '    name: Dana Analyst',
    'background:',
    '  - heading: Context',
    '    body: |',
    `      ${field === 'background' ? cite : 'The campaign'} began last year.`,
    'incidents:',
    '  - id: h-1',
    '    date: 2026-11-29',
    '    location: off Hodeidah',
    '    country: Yemen',
    '    perpetrator: Houthis',
    '    weapons:',
    '      - type: drone',
    '        count: 2',
    `    summary: "${field === 'incident' ? cite : 'Two drones'} were shot down."`,
    'tally:',
    '  since: 2026-11-23',
    '',
  ].join('\n');
}

/** Each a kind of mistake, as a change to the brief's text. */
const MISTAKES: Record<string, (text: string) => string> = {
  'misspelt key': (t) => t.replace('developments:', 'developmnts:'),
  'impossible date': (t) => t.replace('date: 2026-11-30', 'date: 2026-13-45'),
  'missing title': (t) => t.replace(/^title: .*\n/m, ''),
  'count as a word': (t) => t.replace('count: 2', 'count: two'),
  'reversed window': (t) => t.replace('since: 2026-11-23', 'since: 2026-11-23\n  until: 2026-11-01'),
  'list where a mapping was': (t) => t.replace(/ {4}weapons:\n {6}- type: drone\n {8}count: 2/, '    weapons: drone'),
  'unclosed quote': (t) => t.replace('title: Houthi Attacks on Shipping', 'title: "Houthi Attacks on Shipping'),
  'tab indentation': (t) => t.replace('    name: Dana Analyst', '\tname: Dana Analyst'),
  'duplicate key': (t) => t.replace('series: red-sea', 'series: red-sea\nseries: red-sea'),
  'latitude without longitude': (t) => t.replace('    country: Yemen', '    country: Yemen\n    lat: 14.8'),
  'unknown template': (t) => t.replace('series: red-sea', 'series: red-sea\ntemplate: no-such-template'),
  'bad slug': (t) => t.replace('series: red-sea', 'series: red-sea\nslug: Not A Slug'),
  'negative casualties': (t) => t.replace('    country: Yemen', '    country: Yemen\n    killed: -3'),
  'second document': (t) => `${t}---\ntitle: x\n`,
  'everything but the first line gone': (t) => t.split('\n')[0] as string,
};

const GOOD = [
  'title: A Quiet Week',
  'date: 2026-11-30',
  'developments: |',
  '  Nothing happened on {{tally.days}} days up to {{tally.until}}.',
  'tally:',
  '  since: 2026-11-24',
  '',
].join('\n');

async function checkPair(bad: string) {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs'));
  writeFileSync(path.join(dir, 'briefs', 'bad.yaml'), bad);
  writeFileSync(path.join(dir, 'briefs', 'good.yaml'), GOOD);
  const manifest = await check({ cwd: dir });
  return {
    bad: manifest.briefs.find((b) => b.source === 'briefs/bad.yaml'),
    good: manifest.briefs.find((b) => b.source === 'briefs/good.yaml'),
    lines: bad.split('\n').length,
  };
}

function expectContained(result: Awaited<ReturnType<typeof checkPair>>): void {
  expect(result.good?.ok).toBe(true);
  expect(result.bad?.ok).toBe(false);
  for (const e of result.bad?.errors ?? []) {
    expect(e.file).toBe('briefs/bad.yaml');
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(result.lines);
    expect(e.message).not.toMatch(/unexpected error|please report/);
  }
}

describe('no mistake escapes its brief', () => {
  it('every placeholder form in every field is valid or an error of its own, in a valid brief', async () => {
    for (const placeholder of FORMS) {
      for (const field of FIELDS) {
        const { bad, good } = await checkPair(briefText({ placeholder, field }));
        expect(good?.ok).toBe(true);
        const wrongForm = /contry|totl|munition$|talley|until\.x/.test(placeholder);
        expect(bad?.ok, `${placeholder} in ${field}`).toBe(!wrongForm);
        if (wrongForm) expect(bad?.errors?.some((e) => e.message.includes('unknown placeholder'))).toBe(true);
      }
    }
  }, 120_000);

  it('every placeholder form with every kind of mistake', async () => {
    for (const placeholder of FORMS) {
      for (const [kind, mistake] of Object.entries(MISTAKES)) {
        const text = mistake(briefText({ placeholder, field: 'developments' }));
        expect(text, kind).not.toBe(briefText({ placeholder, field: 'developments' }));
        expectContained(await checkPair(text));
      }
    }
  }, 120_000);

  it('any form, in any field, with any one or two mistakes (random combinations)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMS),
        fc.constantFrom(...FIELDS),
        fc.uniqueArray(fc.constantFrom(...Object.keys(MISTAKES)), { minLength: 1, maxLength: 2 }),
        async (placeholder, field, kinds) => {
          const text = kinds.reduce((t, k) => (MISTAKES[k] as (s: string) => string)(t), briefText({ placeholder, field }));
          expectContained(await checkPair(text));
        },
      ),
      { numRuns: 150, seed: 20261130 },
    );
  }, 120_000);
});
