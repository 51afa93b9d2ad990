import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlaces } from '../../src/core/collection.js';
import { compileBrief, finishBrief, parseBrief } from '../../src/page/compile.js';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import { betterSpelling, similarNames } from '../../src/core/names.js';
import { createPageRenderer } from '../../src/page/renderer.js';
import { FIXTURES } from '../helpers.js';

// The cases of "No number changes silently": each input, with the warning or error it must get.
const renderer = createPageRenderer({ name: 't', layout: '<main>{{title}}</main>', partials: {}, stylesheet: 'assets/x.css' });
export const context = { pageRenderers: new Map([['flash-brief', renderer]]), pages: false, options: { pageSize: 'Letter', generator: 't', config: {}, pdf: false, now: new Date(0) } } as const;

const caseText = (name: string) => readFileSync(path.join(FIXTURES, 'cases', name), 'utf8');
const check = (name: string, text = caseText(name)) => compileBrief(text, name, context);
// The case files link to example.org throughout; that warning is about links, not numbers.
const warnings = (r: { diagnostics: Diagnostic[] }) => r.diagnostics.filter((d) => d.severity === 'warning' && !d.message.includes('is a sample address'));

describe('placeholder names no incident has', () => {
  it('warns at {{tally.country.Yeman}} with did-you-mean Yemen', () => {
    const r = check('placeholder-country-misspelt.yaml');
    expect(warnings(r)).toEqual([
      expect.objectContaining({ line: 23, column: 20, message: 'no incident has country "Yeman"; did you mean "Yemen"? {{tally.country.Yeman}} gives 0' }),
    ]);
  });

  const base = caseText('hand-typed-count-times.yaml').replace('ships 10 times', 'ships {{tally.total}} times');
  const cite = (placeholder: string) => check('p.yaml', base.replace('{{tally.country.Yemen}}', placeholder));

  it.each([
    ['{{tally.country.yemen}}', 'no incident has country "yemen"; did you mean "Yemen"?'],
    ['{{tally.location.[off hodeidah]}}', 'no incident has location "off hodeidah"; did you mean "off Hodeidah"?'],
    ['{{tally.location.[Bab el Mandeb Strait]}}', 'did you mean "Bab el-Mandeb Strait"?'],
    ['{{tally.perpetrator.Houthi}}', 'no incident has perpetrator "Houthi"; did you mean "Houthis"?'],
    ['{{tally.weapon.drones}}', 'no incident has weapon type "drones"; did you mean "drone"?'],
    ['{{tally.weapon.misile.munitions}}', 'did you mean "missile"?'],
    ['{{tally.country.Oman}}', 'no incident has country "Oman", so {{tally.country.Oman}} gives 0'],
    ['{{tally.perDay.[2026-12-05]}}', 'outside the tally window (the window is 2026-11-23 to 2026-11-30)'],
    ['{{tally.perDay.[2026-11-31]}}', 'not a date written YYYY-MM-DD'],
  ])('warns at %s on its line', (placeholder, message) => {
    const found = warnings(cite(placeholder));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 23, column: 20 });
    expect(found[0]?.message).toContain(message);
  });

  it('gives no warning for an exact name, in the window or only elsewhere in the collection', () => {
    for (const p of ['{{tally.country.Israel}}', '{{tally.location.[off Mokha]}}', '{{tally.perDay.[2026-11-25]}}', '{{tally.perDay.[2026-11-23]}}', '{{tally.weapon.usv}}']) {
      expect(warnings(cite(p))).toEqual([]);
    }
    // Djibouti is in the collection (an earlier brief) but not in this brief's window: a true 0.
    const narrow = base.replace('since: 2026-11-23', 'since: 2026-11-29').replace(/- id: 2026-11-2[3-8][\s\S]*?(?= {2}- id: 2026-11-29)/g, '');
    const earlier = parseBrief(base, 'a.yaml');
    const later = parseBrief(narrow.replace('date: 2026-11-30', 'date: 2026-12-01').replace('{{tally.country.Yemen}}', '{{tally.country.Djibouti}}'), 'b.yaml');
    const r = finishBrief(later, { briefs: [earlier, later], incidentFiles: [] }, context);
    expect(r.tally?.byCountry.Djibouti).toBeUndefined();
    expect(warnings(r)).toEqual([]);
  });
});

describe('likely duplicates across every listing', () => {
  const folder = (b = readFileSync(path.join(FIXTURES, 'cases/relisted-without-id/briefs/b.yaml'), 'utf8')) => {
    const a = parseBrief(readFileSync(path.join(FIXTURES, 'cases/relisted-without-id/briefs/a.yaml'), 'utf8'), 'briefs/a.yaml');
    const parsedB = parseBrief(b, 'briefs/b.yaml');
    return finishBrief(parsedB, { briefs: [a, parsedB], incidentFiles: [] }, context);
  };

  it("warns at b.yaml:37 naming a.yaml's listing, which has an id", () => {
    const r = folder();
    expect(r.tally?.total).toBe(14);
    expect(warnings(r)).toEqual([
      expect.objectContaining({ file: 'briefs/b.yaml', line: 37, column: 5, message: expect.stringContaining('looks like the one at briefs/a.yaml:172:5') }),
    ]);
  });

  it('counts 13 once the re-listing has the same id, and does not warn', () => {
    const text = readFileSync(path.join(FIXTURES, 'cases/relisted-without-id/briefs/b.yaml'), 'utf8').replace(
      '  - date: 2026-11-29\n    location: off Hodeidah\n    country: Yemen\n    weapons: [{ type: drone, count: 3 }]\n    perpetrator: Houthis\n    summary: Late report of the Nordic Helm strike.\n',
      '',
    );
    const r = folder(text);
    expect(r.tally?.total).toBe(13);
    expect(warnings(r)).toEqual([]);
  });

  it('treats "Off hodeidah" as the same location for this comparison', () => {
    const text = readFileSync(path.join(FIXTURES, 'cases/relisted-without-id/briefs/b.yaml'), 'utf8').replace('    location: off Hodeidah\n    country: Yemen\n    weapons: [{ type: drone, count: 3 }]', '    location: Off hodeidah\n    country: Yemen\n    weapons: [{ type: drones, count: 3 }]');
    expect(warnings(folder(text)).map((d) => d.line)).toContain(37);
  });
});

describe('windows and dates', () => {
  it('is an error at since when it is after the brief date and until is absent', () => {
    const r = check('window-reversed.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([
      expect.objectContaining({ line: 80, column: 10, message: expect.stringContaining("tally.since (2026-12-05) is after the brief's date (2026-11-30)") }),
    ]);
    expect(warnings(r)).toEqual([]);
  });

  it('is an error when until is before the first incident and since defaults', () => {
    const text = caseText('hand-typed-count-times.yaml').replace('  since: 2026-11-23', '  until: 2026-11-01');
    const errors = check('u.yaml', text).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ line: 80, message: expect.stringContaining('tally.until (2026-11-01) is before the brief\'s earliest incident (2026-11-23)') })]);
  });

  it('warns at an incident dated after the brief', () => {
    expect(warnings(check('incident-after-brief-date.yaml'))).toEqual([
      expect.objectContaining({ line: 163, column: 11, message: expect.stringContaining('dated 2026-12-28, 28 days after the brief (2026-11-30): no count includes it') }),
    ]);
  });

  it('says an incident dated after the brief is counted when tally.until reaches past the brief', () => {
    const text = 'title: L\ndate: 2023-10-27\ndevelopments: |\n  {{tally.total}} attacks.\nincidents:\n  - { date: 2023-10-20, location: Baghdad, country: Iraq }\n  - { date: 2023-10-28, location: Erbil, country: Iraq }\n';
    const past = check('l.yaml', `${text}tally:\n  until: 2023-11-30\n`);
    expect(past.tally?.total).toBe(2);
    const at7 = warnings(past).filter((d) => d.line === 7);
    expect(at7).toEqual([expect.objectContaining({ message: expect.stringContaining("after the brief (2023-10-27): it is counted, because tally.until (2023-11-30) reaches past the brief's date") })]);
    expect(at7[0]?.message).not.toContain('no count includes it');
    const plain = check('l.yaml', text);
    expect(plain.tally?.total).toBe(1);
    expect(warnings(plain)).toEqual([expect.objectContaining({ line: 7, message: expect.stringContaining('no count includes it') })]);
  });

  it('warns at an own incident before since: listed, neither counted nor shown', () => {
    const text = caseText('hand-typed-count-times.yaml').replace('ships 10 times', 'ships {{tally.total}} times').replace('since: 2026-11-23', 'since: 2026-11-24');
    expect(warnings(check('s.yaml', text))).toEqual([expect.objectContaining({ line: 84, column: 11, message: expect.stringContaining('before tally.since (2026-11-24)') })]);
  });
});

describe('near-miss names from the collection itself', () => {
  it('warns at "off Hodiedah" beside "off Hodeidah", suggesting the earlier spelling', () => {
    expect(warnings(check('location-near-miss.yaml'))).toEqual([
      expect.objectContaining({ line: 174, column: 15, message: expect.stringContaining('"off Hodiedah" is close to "off Hodeidah", used in 1 incident; did you mean "off Hodeidah"?') }),
    ]);
  });

  it('suggests the more-used spelling and warns only at the rarer one', () => {
    const text = caseText('location-near-miss.yaml')
      .replace(/location: off Mokha/g, 'location: Al Mokha')
      .replace('location: Eilat', 'location: al-Mokha')
      .replace(/perpetrator: Houthis\n {4}claimed: true\n {4}killed: 1/, 'perpetrator: Houthi\n    claimed: true\n    killed: 1');
    const found = warnings(check('m.yaml', text)).map((d) => `${d.line}: ${d.message}`);
    expect(found).toContainEqual(expect.stringMatching(/^118: "al-Mokha" is close to "Al Mokha", used in 2 incidents/));
    expect(found).toContainEqual(expect.stringMatching(/^145: perpetrator "Houthi" is close to "Houthis"/));
    expect(found.filter((f) => f.includes('"Al Mokha" is close'))).toEqual([]);
  });

  it.each([
    ['off Hodiedah', 'off Hodeidah', true],
    ['Al-Asad', 'al Asad', true],
    ['Houthis', 'Houthi', true],
    ['drones', 'drone', true],
    ['Yeman', 'Yemen', true],
    ['Base 2', 'Base 3', false],
    ['Camp A', 'Camp B', false],
    ['Aden', 'Eden', false],
    ['Iraq', 'Iran', false],
    ['Tower 22', 'Tower 2', false],
    ['Erbil', 'Mosul', false],
  ])('%s and %s similar: %s', (a, b, expected) => {
    expect(similarNames(a, b)).toBe(expected);
  });

  it('does not warn about genuinely different short names used side by side', () => {
    const used = new Map([['Base 2', { count: 3, first: 1 }], ['Base 3', { count: 1, first: 2 }], ['Aden', { count: 2, first: 3 }], ['Eden', { count: 1, first: 4 }]]);
    expect(betterSpelling('Base 3', used, new Set(), true)).toBeUndefined();
    expect(betterSpelling('Eden', used, new Set(), true)).toBeUndefined();
  });
});

describe('hand-typed counts in the ways people write them', () => {
  it('warns at "ships 10 times" (22:30)', () => {
    expect(warnings(check('hand-typed-count-times.yaml'))).toEqual([
      expect.objectContaining({ line: 22, column: 30, message: '"10 times" is typed by hand; {{tally.total}} gives 10 from the incidents and stays right when they change' }),
    ]);
  });

  // The case brief counts 10 incidents: 8 in Yemen, 5 drone incidents, 1 killed, 9 injured, 6 claimed, over 8 days.
  const base = caseText('hand-typed-count-times.yaml').replace('ships 10 times', 'ships {{tally.total}} times');
  const typed = (sentence: string) =>
    warnings(check('t.yaml', base.replace('  Two sailors aboard', `  ${sentence}\n\n  Two sailors aboard`))).map((d) => d.message);

  it.each([
    ['They struck ships ten times.', '{{tally.total}}'],
    ['There were ten attacks.', '{{tally.total}}'],
    ['It was the 10th attack.', '{{tally.total}}'],
    ['Eight separate attacks hit Yemen.', '{{tally.country.Yemen}}'],
    ['There were 5 drone attacks.', '{{tally.weapon.drone}}'],
    ['Gunmen attacked 10 vessels.', '{{tally.total}}'],
    ['The strikes went on for eight consecutive days.', '{{tally.days}}'],
    ['One sailor was killed and 9 injured.', '{{tally.injured}}'],
    ['The attacks wounded 9 sailors.', '{{tally.injured}}'],
    ['Saree claimed six of them.', '{{tally.claimed}}'],
  ])('"%s" gives %s', (sentence, placeholder) => {
    expect(typed(sentence).some((m) => m.includes(placeholder))).toBe(true);
  });

  it.each([
    'On October 17 attacks resumed.',
    'The U.S. Fifth Fleet patrols the area.',
    'The conflict has lasted two decades.',
    'In 2010 attacks were rarer.',
    'The first attack came two days later.',
    'One of the attacks hit Eilat.',
    'A 10-day pause ended.',
    'Traffic fell 10 percent.',
    'The carrier was hit twice at Mokha.',
  ])('"%s" is not a typed count', (sentence) => {
    expect(typed(sentence)).toEqual([]);
  });
});

describe('hand-typed counts only where a sentence tells of attacking, never in quotes', () => {
  // 10 incidents in the window (see above); the typed numbers below equal tally.total.
  const base = caseText('hand-typed-count-times.yaml').replace('ships 10 times', 'ships {{tally.total}} times');
  const typed = (sentence: string) =>
    warnings(check('t.yaml', base.replace('  Two sailors aboard', `  ${sentence}\n\n  Two sailors aboard`))).map((d) => d.message);

  it.each([
    '10 U.S. destroyers escorted 10 tankers through the strait.',
    'Officials spoke 10 times to reporters.',
    'The navy escorted 10 vessels.',
    'The spokesman said "we hit ten ships" on television.',
    'Saree said “ten attacks were launched” last week.',
  ])('"%s" is not a typed count', (sentence) => {
    expect(typed(sentence)).toEqual([]);
  });

  it.each([
    ['Gunmen attacked 10 tankers.', '"10 tankers"'],
    ['The Houthis fired at ships 10 times.', '"10 times"'],
    ['Missiles struck 10 vessels off Mokha.', '"10 vessels"'],
  ])('"%s" is a typed count', (sentence, quoted) => {
    expect(typed(sentence).filter((m) => m.startsWith(quoted))).toHaveLength(1);
  });

  it('takes "U.S." inside a sentence as part of it, not its end', () => {
    expect(typed('U.S. forces struck back; the Houthis hit ships 10 times.').some((m) => m.startsWith('"10 times"'))).toBe(true);
  });

  it('never warns in an analysis quote, which holds a person\'s words', () => {
    const text = base.replace('Escort\n      missions alone', 'Ten attacks in a week.\n      Escort missions alone');
    expect(warnings(check('q.yaml', text))).toEqual([]);
  });

  it('with 2 incidents, warns about neither "2 tankers" nor "twice" outside attacking', () => {
    const two = 'title: Two\ndate: 2024-01-10\ndevelopments: |\n  2 U.S. destroyers escorted 2 tankers. Officials spoke twice to reporters.\n  Militias struck twice.\nincidents:\n' +
      '  - { date: 2024-01-09, location: Baghdad, country: Iraq }\n  - { date: 2024-01-10, location: Erbil, country: Iraq }\n';
    expect(warnings(check('two.yaml', two))).toEqual([
      expect.objectContaining({ line: 5, column: 19, message: expect.stringMatching(/^"twice" is typed by hand; \{\{tally.total\}\} gives 2/) }),
    ]);
  });
});

describe('placeholders in plain-text fields', () => {
  const brief = (extra: string) => `title: Brief\ndate: 2024-01-10\n${extra}developments: |\n  {{tally.total}} attacks.\nincidents:\n  - { date: 2024-01-10, location: Baghdad, country: Iraq }\n`;

  it.each([
    ['title: "{{tally.total}} Attacks"\n', 'title', 1, 9],
    ['label: "Day {{tally.days}}"\n', 'label', 3, 13],
    ['authors:\n  - name: "{{tally.total}}"\n    role: Fellow\n', 'authors[0].name', 4, 12],
    ['background:\n  - heading: Attack {{tally.new}}\n    body: Text.\n', 'background[0].heading', 4, 21],
    ['compare:\n  - source: Pentagon\n    figure: 1\n    as_of: 2024-01-10\n    note: ours gives {{tally.total}}\n', 'compare[0].note', 7, 22],
    ['related:\n  - title: Earlier\n    url: https://www.csis.org/x\n    source: "{{tally.total}} briefs"\n', 'related[0].source', 6, 14],
  ])('warns at the {{ of %j', (yaml, field, line, column) => {
    const text = yaml.startsWith('title:') ? brief('').replace('title: Brief\n', yaml) : brief(yaml);
    expect(check('p.yaml', text).diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line,
        column,
        message: expect.stringMatching(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')} is plain text, so it would print \\{\\{tally\\.\\w+\\}\\} as written: placeholders are filled only in Markdown fields \\(summary, developments, .*\\); put the number in the summary or developments$`)),
      }),
    ]);
  });

  it('warns at an incident location, and not at escaped braces, Markdown fields or links', () => {
    const text = brief('label: \\{{not a placeholder}}\nsummary: "{{tally.total}} attacks"\n').replace('location: Baghdad', 'location: "Camp {{tally.total}}"');
    expect(check('p.yaml', text).diagnostics.map((d) => `${d.line}:${d.column}: ${d.message.split(' is plain')[0]}`)).toEqual(['8:41: incidents[0].location']);
  });
});

describe('countries not on the list', () => {
  const withCountry = (country: string, extra = '') =>
    check('c.yaml', `title: C\ndate: 2024-01-10\n${extra}developments: |\n  Text.\nincidents:\n  - date: 2024-01-10\n    location: Somewhere\n    country: ${country}\n`);

  it.each([
    ['Irak', 'Iraq'],
    ['Sirya', 'Syria'],
    ['Yemen (Houthi)', 'Yemen'],
    ['U.S.', 'United States of America'],
    ['USA', 'United States of America'],
    ['UK', 'United Kingdom'],
    ['syria', 'Syria'],
    ['Syra', 'Syria'],
    ['Isreal', 'Israel'],
    ['Lebannon', 'Lebanon'],
  ])('"%s" warns, suggesting "%s"', (country, suggestion) => {
    expect(warnings(withCountry(country))).toEqual([
      expect.objectContaining({ line: 8, column: 14, message: `"${country}" is not a known country; did you mean "${suggestion}"?` }),
    ]);
  });

  it('"Narnia" warns with no suggestion, saying how to fix it', () => {
    expect(warnings(withCountry('Narnia'))).toEqual([
      expect.objectContaining({ line: 8, message: expect.stringMatching(/^"Narnia" is not a known country: use the name the country list gives it .* or add a place in that country to places.yaml/) }),
    ]);
  });

  it.each(['Iraq', 'Syria', 'Jordan', 'United States of America', 'Yemen'])('"%s" is known: no warning', (country) => {
    expect(warnings(withCountry(country))).toEqual([]);
  });

  it('leaves names in another script, or in a brief of another language, to the near-miss check', () => {
    expect(warnings(withCountry('سوريا'))).toEqual([]);
    expect(warnings(withCountry('Irak', 'lang: fr\n'))).toEqual([]);
  });
});

describe('a window that ends after the brief', () => {
  it('warns at until that days would count days not yet happened', () => {
    const text = 'title: W\ndate: 2024-01-10\ndevelopments: |\n  {{tally.days}} days.\nincidents:\n  - { date: 2024-01-05, location: Baghdad, country: Iraq }\ntally:\n  since: 2024-01-01\n  until: 2024-12-31\n';
    const r = check('w.yaml', text);
    expect(r.tally?.days).toBe(366);
    expect(warnings(r)).toEqual([
      expect.objectContaining({
        line: 9,
        column: 10,
        message:
          "tally.until (2024-12-31) is after the brief's date (2024-01-10): the window runs past the day the brief is published, so {{tally.days}} gives 366, counting 356 days that had not happened yet; end the window at the brief's date, or leave tally.until out",
      }),
    ]);
    expect(warnings(check('w.yaml', text.replace('2024-12-31', '2024-01-10')))).toEqual([]);
    expect(warnings(check('w.yaml', text.replace('2024-12-31', '2024-01-08')))).toEqual([]);
  });
});

describe('a series brief whose window is empty', () => {
  const earlier = parseBrief(
    'title: E\ndate: 2023-10-24\nseries: s\ndevelopments: |\n  {{tally.total}} attacks.\nincidents:\n' +
      '  - { id: a, date: 2023-10-17, location: Baghdad, country: Iraq }\n  - { id: b, date: 2023-10-20, location: Erbil, country: Iraq }\n',
    'briefs/e.yaml',
  );
  const later = (text: string) => {
    const parsed = parseBrief(text, 'briefs/q.yaml');
    return finishBrief(parsed, { briefs: [earlier, parsed], incidentFiles: [] }, context);
  };
  const quiet = (extra = '', prose = 'No new attacks; {{tally.total}} since the campaign began.') =>
    `title: Q\ndate: 2023-10-31\n${extra}developments: |\n  ${prose}\n`;

  it('warns at series that the window is empty, what the series has, and to set tally.since', () => {
    const r = later(quiet('series: s\n'));
    expect(r.tally?.total).toBe(0);
    expect(warnings(r)).toEqual([
      expect.objectContaining({
        line: 3,
        column: 9,
        message:
          'this brief lists no incident and gives no tally.since, so its tally window is empty and every tally gives 0 ({{tally.total}} prints 0); ' +
          'series "s" has 2 incidents from 2023-10-17 to 2023-10-31: set tally.since (e.g. "since: 2023-10-17") to count them',
      }),
    ]);
  });

  it('warns when the brief sets a tally box but cites no tally', () => {
    expect(warnings(later(quiet('series: s\ntally:\n  heading: Attacks\n', 'No new attacks.'))).map((d) => d.message)).toEqual([
      expect.stringContaining('(no tally box is shown); series "s" has 2 incidents'),
    ]);
  });

  it.each([
    ['no tally cited and no tally box', quiet('series: s\n', 'No new attacks today.')],
    ['only tally.until cited', quiet('series: s\n', 'As of {{tally.until}}, no new attacks.')],
    ['tally.since given', quiet('series: s\ntally:\n  since: 2023-10-17\n')],
    ['no series', quiet('')],
  ])('does not warn with %s', (_, text) => {
    expect(warnings(later(text))).toEqual([]);
  });

  it('does not warn when the brief lists incidents of its own', () => {
    const text = `${quiet('series: s\n')}incidents:\n  - { id: c, date: 2023-10-30, location: Baghdad, country: Iraq }\n`;
    expect(warnings(later(text))).toEqual([]);
  });
});

describe('one id listed twice in one file', () => {
  const listing = (id: string, extra = '') => `  - id: ${id}\n    date: 2023-10-20\n    location: al-Tanf garrison\n    country: Syria\n    weapons: [{ type: drone }]\n${extra}`;
  const brief = (incidents: string) => `title: T\ndate: 2023-10-24\ndevelopments: |\n  {{tally.total}} attacks.\nincidents:\n${incidents}`;

  it('warns at the second listing, naming the "#" that cut both ids to one', () => {
    const r = check('t.yaml', brief(listing('tanf #1') + listing('tanf #2')));
    expect(r.tally?.total).toBe(1);
    expect(warnings(r)).toEqual([
      expect.objectContaining({
        line: 11,
        column: 9,
        message:
          'incident "tanf" is listed twice in this file, the first time at line 6 ("- id: tanf #2" is read as id "tanf": a "#" after a space starts a comment; quote the id or drop the "#"): ' +
          'the two count as one incident; if they are two incidents, give each its own id, else remove this listing',
      }),
    ]);
  });

  it('says nothing of "#" when no id line has one', () => {
    const found = warnings(check('t.yaml', brief(listing('tanf') + listing('tanf'))));
    expect(found).toEqual([expect.objectContaining({ line: 11, message: expect.stringMatching(/^incident "tanf" is listed twice in this file, the first time at line 6: /) })]);
  });

  it('adds the hint to the error when the two listings differ', () => {
    const r = check('t.yaml', brief(listing('tanf #1') + listing('tanf #2').replace('Syria', 'Iraq')));
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringContaining('"- id: tanf #2" is read as id "tanf"'),
    ]);
  });

  it('does not warn for one id in two briefs, nor for a revision in the same file', () => {
    const a = parseBrief(brief(listing('tanf')), 'briefs/a.yaml');
    const b = parseBrief(brief(listing('tanf')).replace('2023-10-24', '2023-10-25'), 'briefs/b.yaml');
    expect(warnings(finishBrief(b, { briefs: [a, b], incidentFiles: [] }, context))).toEqual([]);
    // (The own older listing gets the existing stale-listing warning; not "listed twice".)
    const revised = warnings(check('t.yaml', brief(listing('tanf') + listing('tanf', '    injured: 2\n    revised: 2023-10-22\n'))));
    expect(revised.filter((d) => d.message.includes('listed twice'))).toEqual([]);
  });
});

describe('countries and places.yaml', () => {
  const placesText = '- name: al-Asad Air Base\n  country: Iraq\n  lat: 33.79\n  lon: 42.44\n  aliases: [Ain al-Asad]\n- name: al-Tanf garrison\n  country: Syria\n  lat: 33.5\n  lon: 38.63\n';
  const at = (country: string, location = 'al-Asad Air Base', places = placesText) => {
    const parsed = parseBrief(`title: P\ndate: 2023-10-24\ndevelopments: |\n  Text.\nincidents:\n  - date: 2023-10-20\n    location: ${location}\n    country: ${country}\n`, 'p.yaml');
    return finishBrief(parsed, { briefs: [parsed], incidentFiles: [], places: parsePlaces(places, 'places.yaml') }, context);
  };

  it("warns at an incident's country that places.yaml contradicts", () => {
    expect(warnings(at('Syria'))).toEqual([
      expect.objectContaining({
        file: 'p.yaml',
        line: 8,
        column: 14,
        message: '"al-Asad Air Base" is in Iraq in places.yaml, but this incident says "Syria": it would be counted in Syria and drawn in Iraq; correct the country here (or the place\'s country in places.yaml)',
      }),
    ]);
    // Through an alias too; one warning, not a second "not a known country" for a misspelling.
    expect(warnings(at('Sirya', 'Ain al-Asad')).filter((d) => d.line === 8).map((d) => d.message)).toEqual([expect.stringMatching(/^"Ain al-Asad" is in Iraq in places.yaml, but this incident says "Sirya"/)]);
  });

  it('does not warn when the country agrees, or the place is not in places.yaml', () => {
    expect(warnings(at('Iraq'))).toEqual([]);
    expect(warnings(at('Syria', 'al-Tanf garrison'))).toEqual([]);
    expect(warnings(at('Iraq', 'Baghdad')).map((d) => d.message)).toEqual([expect.stringContaining('will not be on the map')]);
  });

  it("warns at places.yaml's own country when it is not on the list, with did-you-mean", () => {
    const places = parsePlaces(placesText.replace('country: Syria', 'country: Sirya').replace('country: Iraq', 'country: Narnia'), 'places.yaml');
    expect(places.diagnostics).toEqual([
      expect.objectContaining({ file: 'places.yaml', line: 2, column: 12, severity: 'warning', message: expect.stringMatching(/^"Narnia" is not a known country: use the name the country list gives it/) }),
      expect.objectContaining({ file: 'places.yaml', line: 7, column: 12, severity: 'warning', message: '"Sirya" is not a known country; did you mean "Syria"?' }),
    ]);
    expect(parsePlaces(placesText, 'places.yaml').diagnostics).toEqual([]);
  });
});

describe('one early incident stretching the default window', () => {
  const brief = (dates: string[], extra = '') =>
    `title: Y\ndate: 2023-10-24\ndevelopments: |\n  {{tally.total}} attacks in {{tally.days}} days.\nincidents:\n${dates.map((d, i) => `  - { date: ${d}, location: Place ${i + 1}, country: Iraq }\n`).join('')}${extra}`;

  it('warns at the date of an incident a year before the others', () => {
    const r = check('y.yaml', brief(['2023-10-17', '2022-10-20', '2023-10-21']));
    expect(r.tally?.days).toBe(370);
    expect(warnings(r)).toEqual([
      expect.objectContaining({
        line: 7,
        column: 13,
        message:
          "this incident (2022-10-20) alone sets the start of the tally window, 362 days before the brief's next incident (2023-10-17): " +
          'the window runs 370 days instead of 8 days; check the year, or set tally.since to the start you mean',
      }),
    ]);
  });

  it('warns at each of several incidents of the early date, and at 61 days', () => {
    expect(warnings(check('y.yaml', brief(['2022-10-20', '2022-10-20', '2023-10-21']))).map((d) => d.message)).toEqual([
      expect.stringMatching(/^this incident and 1 other dated 2022-10-20 set the start/),
      expect.stringMatching(/^this incident and 1 other dated 2022-10-20 set the start/),
    ]);
    expect(warnings(check('y.yaml', brief(['2023-08-21', '2023-10-21'])))).toHaveLength(1);
  });

  it.each([
    ['a gap of 60 days', ['2023-08-22', '2023-10-21'], ''],
    ['tally.since given', ['2022-10-20', '2023-10-21'], 'tally:\n  since: 2022-10-01\n'],
    ['one incident', ['2023-01-20'], ''],
  ])('does not warn with %s', (_, dates, extra) => {
    expect(warnings(check('y.yaml', brief(dates, extra)))).toEqual([]);
  });
});

describe('duplicates compared through places.yaml aliases', () => {
  const places = parsePlaces('- name: al-Tanf garrison\n  country: Syria\n  lat: 33.5\n  lon: 38.63\n  aliases: [Tanf]\n', 'places.yaml');
  const brief = (date: string, listing: string) =>
    `title: T\ndate: ${date}\nseries: s\ndevelopments: |\n  {{tally.total}} attacks.\nincidents:\n  - ${listing}date: 2023-10-23\n    location: LOC\n    country: Syria\n    weapons: [{ type: drone, count: 2 }]\n`;
  const folder = (a: string, b: string, location = 'Tanf') => {
    const first = parseBrief(brief('2023-10-23', a).replace('LOC', 'al-Tanf garrison'), 'briefs/a.yaml');
    const second = parseBrief(brief('2023-10-24', b).replace('LOC', location), 'briefs/b.yaml');
    return warnings(finishBrief(second, { briefs: [first, second], incidentFiles: [], places }, context)).filter((d) => !d.message.includes('is written "al-Tanf garrison"'));
  };

  it('flags a listing at an alias as a likely duplicate of one at the place name', () => {
    expect(folder('id: 2023-10-23-tanf\n    ', '')).toEqual([
      expect.objectContaining({ file: 'briefs/b.yaml', line: 7, column: 5, message: expect.stringContaining('looks like the one at briefs/a.yaml:7:5') }),
    ]);
  });

  it('flags an id slip at an alias too', () => {
    expect(folder('id: tanf-1\n    ', 'id: tanf-l\n    ')).toEqual([
      expect.objectContaining({ file: 'briefs/b.yaml', line: 7, message: expect.stringContaining('id "tanf-l" differs by one character from "tanf-1"') }),
    ]);
  });

  it('does not flag a listing at another place', () => {
    expect(folder('id: 2023-10-23-tanf\n    ', '', 'Rukban').filter((d) => d.message.includes('looks like'))).toEqual([]);
  });
});

describe('hand-typed counts: which placeholder the sentence means', () => {
  // 4 incidents: Iraq 3 (al-Asad Air Base 2, Erbil Air Base 1), Syria 1 (al-Tanf garrison);
  // drone in 3 incidents (munitions at least 6), rocket in 1; 20 injured.
  const places = parsePlaces('- name: Erbil Air Base\n  country: Iraq\n  lat: 36.24\n  lon: 43.96\n- name: al-Asad Air Base\n  country: Iraq\n  lat: 33.79\n  lon: 42.44\n', 'places.yaml');
  const incidents =
    'incidents:\n' +
    '  - { id: a, date: 2023-10-20, location: al-Tanf garrison, country: Syria, weapons: [{ type: drone, count: 2 }], injured: 20 }\n' +
    '  - { id: b, date: 2023-10-21, location: al-Asad Air Base, country: Iraq, weapons: [{ type: drone, count: 3 }] }\n' +
    '  - { id: c, date: 2023-10-22, location: al-Asad Air Base, country: Iraq, weapons: [{ type: rocket }] }\n' +
    '  - { id: d, date: 2023-10-23, location: Erbil Air Base, country: Iraq, weapons: [{ type: drone }] }\n';
  const typed = (sentence: string, more = '') => {
    const parsed = parseBrief(`title: C\ndate: 2023-10-24\ndevelopments: |\n  ${sentence}\n${incidents}${more}`, 'c.yaml');
    return warnings(finishBrief(parsed, { briefs: [parsed], incidentFiles: [], places }, context))
      .filter((d) => !d.message.includes('will not be on the map'))
      .map((d) => d.message);
  };

  it.each([
    ['Drones were used in three attacks.', '"three attacks" is typed by hand; {{tally.weapon.drone}} gives 3'],
    ['One attack at Erbil caused no damage.', '"One attack" is typed by hand; {{tally.location.[Erbil Air Base]}} gives 1'],
    ['Militias hit al-Asad Air Base in two attacks.', '"two attacks" is typed by hand; {{tally.location.[al-Asad Air Base]}} gives 2'],
    ['Iraq saw 3 of the incidents.', '"3 of the incidents" is typed by hand; {{tally.country.Iraq}} gives 3'],
    ['Twenty U.S. service members were injured.', '"Twenty U.S. service members were injured" is typed by hand; {{tally.injured}} gives 20'],
    ['There were four attacks in all.', '"four attacks" is typed by hand; {{tally.total}} gives 4'],
  ])('"%s" warns: %s', (sentence, message) => {
    expect(typed(sentence)).toEqual([expect.stringContaining(message)]);
  });

  it.each([
    'Two one-way attack drones struck the al-Tanf garrison.',
    'Two attack helicopters flew over the base.',
    '3 drones hit al-Asad.',
    'There were three attacks in all.',
    'Syria saw 3 of the incidents.',
    'One of the attacks hit Erbil.',
    'Two attacks left people injured.',
  ])('"%s" is not a typed count of anything the tally gives', (sentence) => {
    expect(typed(sentence)).toEqual([]);
  });

  it('names every placeholder that gives the number when the sentence names none of them', () => {
    const three = incidents.replace(/ {2}- \{ id: a[^\n]*\n/, '');
    // Without the Syrian incident: total 3, Iraq 3 (drone now 2).
    const parsed = parseBrief(`title: C\ndate: 2023-10-24\ndevelopments: |\n  Militias attacked three times.\n${three}`, 'c.yaml');
    const found = warnings(finishBrief(parsed, { briefs: [parsed], incidentFiles: [], places }, context)).map((d) => d.message);
    expect(found).toEqual([
      '"three times" is typed by hand; {{tally.total}} or {{tally.country.Iraq}} give 3 from the incidents: use the one the sentence means, which stays right when they change',
    ]);
  });
});
