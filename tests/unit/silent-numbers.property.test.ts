import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betterSpelling, similarNames, type NameUse } from '../../src/core/names.js';
import { compileBrief, finishBrief, parseBrief } from '../../src/page/compile.js';
import { createPageRenderer } from '../../src/page/renderer.js';

// No placeholder prints a silent 0 for a misspelt name, and no re-listing is counted twice
// unnoticed. CI runs a fixed number of cases from a fixed seed; FAST_CHECK_RUNS and
// FAST_CHECK_SEED explore more.
const runs = Number(process.env.FAST_CHECK_RUNS ?? 150);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20261130);

const renderer = createPageRenderer({ name: 't', layout: '<main>{{title}}</main>', partials: {}, stylesheet: 'assets/x.css' });
const context = { pageRenderers: new Map([['flash-brief', renderer]]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;

const incidents = [
  { date: '2026-11-23', location: 'off Hodeidah', country: 'Yemen', perpetrator: 'Houthis', weapon: 'drone' },
  { date: '2026-11-24', location: 'Bab el-Mandeb Strait', country: 'Djibouti', perpetrator: 'Ansar Allah', weapon: 'missile' },
  { date: '2026-11-26', location: 'al-Asad Air Base', country: 'Iraq', perpetrator: 'Islamic Resistance in Iraq', weapon: 'rocket' },
  { date: '2026-11-27', location: 'Tower 22', country: 'Jordan', perpetrator: 'Kataib Hezbollah', weapon: 'usv' },
];
const yamlIncident = (i: (typeof incidents)[number], id?: string) =>
  `  - ${id ? `id: ${id}\n    ` : ''}date: ${i.date}\n    location: ${i.location}\n    country: ${i.country}\n    perpetrator: ${i.perpetrator}\n    weapons: [{ type: ${i.weapon} }]\n`;
const brief = (prose: string) =>
  `title: T\ndate: 2026-11-30\ndevelopments: |\n  First line.\n  ${prose}\nincidents:\n${incidents.map((i) => yamlIncident(i)).join('')}`;

type Group = 'country' | 'location' | 'perpetrator' | 'weapon' | 'perDay';
const groups: Group[] = ['country', 'location', 'perpetrator', 'weapon', 'perDay'];
/** The names a placeholder may cite without a warning: for perDay, every day of the window (2026-11-23 to 30). */
const known = (group: Group) =>
  group === 'perDay' ? Array.from({ length: 8 }, (_, d) => `2026-11-${23 + d}`) : incidents.map((i) => (group === 'weapon' ? i.weapon : i[group]));
/** The names the mistakes start from: those of the incidents. */
const listed = (group: Group) => incidents.map((i) => (group === 'weapon' ? i.weapon : group === 'perDay' ? i.date : i[group]));

/** The kinds of slip a name suffers. */
const mistakes: Record<string, (name: string, at: number) => string> = {
  typo: (n, at) => {
    const i = 1 + (at % Math.max(1, n.length - 1));
    const c = n[i] ?? 'x';
    return n.slice(0, i) + (c === 'q' ? 'z' : /[0-9]/.test(c) ? String((Number(c) + 1) % 10) : 'q') + n.slice(i + 1);
  },
  transposition: (n, at) => {
    const i = at % Math.max(1, n.length - 1);
    return n.slice(0, i) + (n[i + 1] ?? '') + (n[i] ?? '') + n.slice(i + 2);
  },
  case: (n) => (n === n.toLowerCase() ? n.toUpperCase() : n.toLowerCase()),
  spacing: (n) => (n.includes('-') ? n.replace(/-/g, ' ') : n.includes(' ') ? n.replace(/ /g, '-') : `${n} `.trim() + 's'),
  plural: (n) => (n.endsWith('s') ? n.slice(0, -1) : `${n}s`),
  unknown: () => 'Zanzibar Point',
  exact: (n) => n,
};

const cite = (group: Group, name: string) => (group === 'weapon' ? `{{tally.weapon.[${name}]}}` : `{{tally.${group}.[${name}]}}`);

describe('placeholder names', () => {
  it('a mistaken name warns at its line, an exact one never does: never a silent 0 for an unknown name', () => {
    fc.assert(
      fc.property(fc.constantFrom(...groups), fc.constantFrom(...Object.keys(mistakes)), fc.nat(3), fc.nat(20), (group, mistake, which, at) => {
        const original = listed(group)[which] as string;
        const name = (mistakes[mistake] as (n: string, at: number) => string)(original, at);
        const r = compileBrief(brief(`There were ${cite(group, name)} of them.`), 'p.yaml', context);
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const warnings = r.diagnostics.filter((d) => d.severity === 'warning' && d.line === 5);
        if (known(group).includes(name)) expect(warnings).toEqual([]);
        else expect(warnings.length).toBe(1);
        if (warnings.length === 0) expect(known(group)).toContain(name);
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('likely duplicates', () => {
  it('re-listing any incident of a series without its id always warns at the re-listing', () => {
    fc.assert(
      fc.property(fc.nat(3), fc.boolean(), (which, sameCase) => {
        const ids = incidents.map((_, i) => `x-${i}`);
        const a = parseBrief(
          `title: A\ndate: 2026-11-30\nseries: s\ndevelopments: x\nincidents:\n${incidents.map((inc, i) => yamlIncident(inc, ids[i])).join('')}`,
          'a.yaml',
        );
        const chosen = incidents[which] as (typeof incidents)[number];
        const again = sameCase ? chosen : { ...chosen, location: chosen.location.toLowerCase() };
        const b = parseBrief(`title: B\ndate: 2026-12-01\nseries: s\ndevelopments: x\nincidents:\n${yamlIncident(again)}`, 'b.yaml');
        const r = finishBrief(b, { briefs: [a, b], incidentFiles: [] }, context);
        const duplicate = r.diagnostics.filter((d) => d.severity === 'warning' && d.message.includes('looks like the one at a.yaml'));
        expect(duplicate).toEqual([expect.objectContaining({ file: 'b.yaml', line: 6, column: 5 })]);
      }),
      { numRuns: runs, seed },
    );
  });
});

describe('the suggested spelling, looked up among filed candidates', () => {
  // The plain rule: every name of both sets tried in first-seen order, the best-ranked kept.
  const naive = (name: string, used: ReadonlyMap<string, NameUse>, always: ReadonlySet<string>, onlyBetter: boolean): string | undefined => {
    const own = used.get(name);
    const rank = (c: string): [number, number, number] => [used.get(c)?.count ?? 0, always.has(c) ? 1 : 0, -(used.get(c)?.first ?? Infinity)];
    const beats = (x: number[], y: number[]) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number) || (x[2] as number) - (y[2] as number);
    let best: string | undefined;
    for (const c of new Set([...used.keys(), ...always])) {
      if (!similarNames(name, c)) continue;
      if (onlyBetter && own && !always.has(c) && beats(rank(c), rank(name)) <= 0) continue;
      if (best === undefined || beats(rank(c), rank(best)) > 0) best = c;
    }
    return best;
  };
  // Names made of a few close spellings, cases, hyphens, plurals and numbers, so that many pairs are near.
  const word = fc.constantFrom('Hodeidah', 'Hodiedah', 'hodeidah', 'Asad', 'Assad', 'al-Asad', 'Base', 'Bases', 'Camp', 'Aden', 'Eden', 'Tanf', 'Tower', 'Syria', 'Syra', 'drone', 'drones', 'A', 'B');
  const number = fc.constantFrom('', ' 2', ' 3', ' 22', ' 12');
  const aName = fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), number).map(([words, n]) => `${words.join(' ')}${n}`);

  it('is what trying every name gives (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(aName, { maxLength: 30 }),
        fc.uniqueArray(aName, { maxLength: 8 }),
        fc.array(fc.nat({ max: 5 }), { minLength: 30, maxLength: 30 }),
        fc.boolean(),
        (usedNames, alwaysNames, counts, onlyBetter) => {
          const used = new Map(usedNames.map((n, i) => [n, { count: 1 + (counts[i] ?? 0), first: i }] as const));
          const always = new Set(alwaysNames);
          for (const name of [...usedNames, ...alwaysNames, 'Hodeidah 2', 'Syria']) {
            expect(betterSpelling(name, used, always, onlyBetter), name).toBe(naive(name, used, always, onlyBetter));
          }
        },
      ),
      { numRuns: runs, seed },
    );
  });
});
