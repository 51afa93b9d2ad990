import { describe, expect, it } from 'vitest';
import { gatherIncidents, incidentFileProblems, parseIncidentFile, type Collection, type ParsedBrief } from '../../src/core/collection.js';
import { parseBrief, type CompiledBrief } from '../../src/page/compile.js';
import { formatDiagnostic } from '../../src/core/diagnostics.js';
import { idsLookAlike } from '../../src/core/names.js';
import { exportRows, exportText, select } from '../../src/cli/report.js';
import { Incident, type Brief } from '../../src/core/schema.js';
import { computeTally, differingFacts, tallyWindow } from '../../src/core/tally.js';

// brief-format "Once each" (an id names one incident in the whole folder) and "Revisions".

const brief = (file: string, date: string, series: string | null, incidents: string) =>
  parseBrief(`title: ${file}\ndate: ${date}\n${series ? `series: ${series}\n` : ''}developments: x\ntally:\n  since: 2023-10-01\nincidents:\n${incidents}`, file);
const tanf = (more = '') => `  - id: tanf\n    date: 2023-10-18\n    location: al-Tanf garrison\n    country: Syria\n    injured: 0\n${more}`;
const revisedTanf = (revised: string, injured = 20, note = '') =>
  `  - id: tanf\n    date: 2023-10-18\n    location: al-Tanf garrison\n    country: Syria\n    injured: ${injured}\n    revised: ${revised}\n${note ? `    revision_note: ${note}\n` : ''}`;
const other = (id: string, date: string) => `  - id: ${id}\n    date: ${date}\n    location: Erbil\n    country: Iraq\n`;

/** A brief as compile.ts leaves it, for the report functions. */
const compiledOf = (file: string, target: ParsedBrief, collection: Collection): CompiledBrief => {
  const { records, tally } = counted(target, collection);
  return { file, brief: target.brief, diagnostics: [], records, tally };
};

function counted(target: ParsedBrief, collection: Collection) {
  const gathered = gatherIncidents(target as ParsedBrief & { brief: Brief }, collection);
  const window = tallyWindow(target.brief as Brief);
  return { ...gathered, records: gathered.allRecords(), tally: computeTally(window, gathered.recordsIn(window)) };
}
const lines = (diagnostics: readonly Parameters<typeof formatDiagnostic>[0][]) => diagnostics.map(formatDiagnostic);

describe('revisions', () => {
  const old = brief('a.yaml', '2023-10-24', 'camp', tanf() + other('e1', '2023-10-20'));
  const revising = brief('b.yaml', '2023-10-30', 'camp', revisedTanf('2023-10-26', 20, 'CENTCOM raised the injured count') + other('e2', '2023-10-28'));
  const folder: Collection = { briefs: [old, revising], incidentFiles: [] };

  it('an old brief keeps the numbers it was published with; a later one counts the revision', () => {
    expect(old.diagnostics).toEqual([]);
    expect(revising.diagnostics).toEqual([]);
    const before = counted(old, folder);
    expect(before.diagnostics).toEqual([]);
    expect(before.tally).toEqual(counted(old, { briefs: [old], incidentFiles: [] }).tally);
    expect([before.tally.total, before.tally.injured]).toEqual([2, 0]);
    const after = counted(revising, folder);
    expect(after.diagnostics).toEqual([]);
    expect([after.tally.total, after.tally.injured]).toEqual([3, 20]);
  });

  it('a revised incident is not new, and its record knows the version it revises', () => {
    const { tally, records } = counted(revising, folder);
    expect(tally.new).toBe(1);
    const record = records.find((r) => r.incident.id === 'tanf');
    expect(record?.incident).toMatchObject({ injured: 20, revised: '2023-10-26' });
    expect(record?.previous).toMatchObject({ injured: 0 });
    expect(record?.previous?.revised).toBeUndefined();
  });

  it('takes revisions from the whole folder, but never from a brief dated after the one counted', () => {
    // c lists the incident as first reported, without a series: the revision in b still applies to it,
    // and c is told that it publishes facts its own listing does not give.
    const later = brief('c.yaml', '2023-11-02', null, tanf());
    const { tally, diagnostics } = counted(later, { briefs: [old, revising, later], incidentFiles: [] });
    expect(lines(diagnostics)).toEqual([
      'c.yaml:7:5: warning: this brief publishes the revision of "tanf" dated 2023-10-26 at b.yaml:8:5, not the facts listed here: injured 0 here, 20 there. ' +
        'To publish the revision as this brief shows it, give this listing the revised facts and revised: 2023-10-26; if the facts here are newer, mark this listing revised: YYYY-MM-DD (the day they became known)',
    ]);
    expect(tally.injured).toBe(20);
    const earlier = brief('d.yaml', '2023-10-25', null, tanf());
    expect(counted(earlier, { briefs: [old, revising, earlier], incidentFiles: [] }).tally.injured).toBe(0);
  });

  it('counts an incident file revision only for briefs dated on or after it', () => {
    const file = parseIncidentFile(`series: camp\nincidents:\n${revisedTanf('2023-10-27', 7)}`, 'incidents/camp.yaml');
    expect(file.diagnostics).toEqual([]);
    const collection: Collection = { briefs: [old, revising], incidentFiles: [file] };
    expect(counted(old, collection).tally.injured).toBe(0);
    // The file's revision (Oct 27) is later than the brief's own (Oct 26): it is the one counted.
    expect(counted(revising, collection).tally.injured).toBe(7);
  });

  it('exports the counted facts with a revised column', () => {
    const compiled = compiledOf('b.yaml', revising, folder);
    const rows = exportRows(select([compiled]), []);
    expect(rows.map((r) => [r.event_id, r.injuries, r.revised])).toEqual([
      ['tanf', 20, '2023-10-26'],
      ['e1', null, null],
      ['e2', null, null],
    ]);
    const csv = exportText(rows, 'csv').split('\n');
    expect(csv[0]).toMatch(/,revised$/);
    expect(csv[1]).toMatch(/,2023-10-26$/);
    expect(csv[2]).toMatch(/,$/);
  });

  it('gives several briefs together the latest revision they count', () => {
    const a = compiledOf('a.yaml', old, folder);
    const b = compiledOf('b.yaml', revising, folder);
    for (const order of [[a, b], [b, a]]) {
      const rows = exportRows(select(order), []);
      expect(rows.find((r) => r.event_id === 'tanf')).toMatchObject({ injuries: 20, revised: '2023-10-26' });
    }
  });

  it('two revisions of one id on the same date with different facts are an error naming both places', () => {
    const one = brief('a.yaml', '2023-10-27', null, tanf() + revisedTanf('2023-10-26', 20));
    const two = brief('b.yaml', '2023-10-30', null, revisedTanf('2023-10-26', 25));
    const { diagnostics } = counted(two, { briefs: [one, two], incidentFiles: [] });
    expect(lines(diagnostics)).toEqual([
      'b.yaml:7:5: incident "tanf" is revised on 2023-10-26 again with different facts from its first revision of that date at a.yaml:12:5: injured 25 here, 20 there',
    ]);
  });

  it('the same revision listed twice with the same facts is fine, whatever its note or key order', () => {
    const one = brief('a.yaml', '2023-10-27', null, revisedTanf('2023-10-26', 20, 'first note'));
    const two = brief('b.yaml', '2023-10-30', null, '  - injured: 20\n    revised: 2023-10-26\n    country: Syria\n    location: al-Tanf garrison\n    date: 2023-10-18\n    id: tanf\n');
    expect(counted(two, { briefs: [one, two], incidentFiles: [] }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('revised after the brief date is an error', () => {
    const early = brief('a.yaml', '2023-10-24', null, revisedTanf('2023-10-26'));
    expect(lines(early.diagnostics)).toEqual([
      "a.yaml:12:14: incidents[0].revised (2023-10-26) is after the brief's date (2023-10-24); a brief reports only revisions known by its date",
    ]);
  });

  it('revision_note without revised is an error, in briefs and incident files', () => {
    const noted = brief('a.yaml', '2023-10-24', null, tanf('    revision_note: raised\n'));
    expect(lines(noted.diagnostics)).toEqual([
      'a.yaml:12:20: incidents[0].revision_note is given without revised: add revised: YYYY-MM-DD (the day the new facts became known), or remove the note',
    ]);
    const file = parseIncidentFile(`series: camp\nincidents:\n${tanf('    revision_note: raised\n')}`, 'incidents/x.yaml');
    expect(lines(file.diagnostics)).toEqual([
      'incidents/x.yaml:8:20: incidents[0].revision_note is given without revised: add revised: YYYY-MM-DD (the day the new facts became known), or remove the note',
    ]);
  });
});

describe('ids across the whole folder', () => {
  const a = brief('a.yaml', '2023-10-22', null, tanf());
  const b = brief('b.yaml', '2023-10-24', null, tanf().replace('injured: 0', 'injured: 3'));
  const folder: Collection = { briefs: [a, b], incidentFiles: [] };

  it('the same id with different facts in briefs without series is an error at the later listing, naming the first', () => {
    expect(lines(counted(b, folder).diagnostics)).toEqual([
      'b.yaml:7:5: incident "tanf" is listed again with different facts from its first listing at a.yaml:7:5: injured 3 here, 0 there (if the facts changed, mark this listing revised: YYYY-MM-DD)',
    ]);
  });

  it('a conflict made by a later brief leaves the earlier one as published', () => {
    const { diagnostics, tally } = counted(a, folder);
    expect(diagnostics).toEqual([]);
    expect(tally.injured).toBe(0);
  });

  it('a conflict between incident files is the later file\'s problem, and every brief counting the id reports it', () => {
    const f1 = parseIncidentFile(`series: camp\nincidents:\n${tanf()}`, 'incidents/1.yaml');
    const f2 = parseIncidentFile(`series: other\nincidents:\n${tanf().replace('Syria', 'Iraq')}`, 'incidents/2.yaml');
    const user = brief('c.yaml', '2023-10-24', 'camp', other('e1', '2023-10-20'));
    const collection: Collection = { briefs: [user], incidentFiles: [f2, f1] };
    const expected =
      'incidents/2.yaml:3:5: incident "tanf" is listed again with different facts from its first listing at incidents/1.yaml:3:5: country "Iraq" here, "Syria" there (if the facts changed, mark this listing revised: YYYY-MM-DD)';
    expect(incidentFileProblems(collection).map((p) => [p.file, lines(p.diagnostics)])).toEqual([
      ['incidents/1.yaml', []],
      ['incidents/2.yaml', [expected]],
    ]);
    expect(lines(counted(user, collection).diagnostics)).toEqual([expected]);
  });

  it('checks an incident file no brief names, and explains the shape a bare list should have', () => {
    const bare = parseIncidentFile(`# a comment\n${tanf()}`, 'incidents/feed.yaml');
    expect(lines(incidentFileProblems({ briefs: [], incidentFiles: [bare] })[0]?.diagnostics ?? [])).toEqual([
      'incidents/feed.yaml:2:3: the incident file is a bare list; it must be a mapping of two keys: "series: <name>" (the series whose briefs count these incidents) and "incidents:" with the list under it, each "- " indented below "incidents:"',
    ]);
    // It cannot say which series it feeds, so no series brief can be counted; a brief without series can.
    const loner = brief('c.yaml', '2023-10-24', null, other('e1', '2023-10-20'));
    expect(counted(loner, { briefs: [loner], incidentFiles: [bare] }).diagnostics).toEqual([]);
    const member = brief('d.yaml', '2023-10-24', 'camp', other('e1', '2023-10-20'));
    expect(lines(counted(member, { briefs: [member], incidentFiles: [bare] }).diagnostics)).toEqual([
      "d.yaml:3:9: incidents/feed.yaml has errors and may hold incidents of this series; fix it so this brief's numbers can be counted",
    ]);
  });
});

// Slips found in a user trial: each changed a published number without a word.
describe('slips with ids and revisions', () => {
  const at = (id: string, date: string, location = 'Base A', more = '') =>
    `  - id: ${id}\n    date: ${date}\n    location: ${location}\n    country: Iraq\n${more}`;
  const errors = (diagnostics: readonly Parameters<typeof formatDiagnostic>[0][]) => lines(diagnostics.filter((d) => d.severity === 'error'));

  it('revised on the only listing of an id keeps it new, and is warned at revised', () => {
    const earlier = brief('z.yaml', '2024-01-02', 'camp', at('i1', '2024-01-01'));
    const a = brief(
      'a.yaml',
      '2024-01-10',
      'camp',
      at('i1', '2024-01-01') + at('i2', '2024-01-06') + at('i3', '2024-01-07', 'Base C', '    revised: 2024-01-08\n') + at('i4', '2024-01-08', 'Base D', '    revised: 2024-01-09\n'),
    );
    const { tally, diagnostics } = counted(a, { briefs: [earlier, a], incidentFiles: [] });
    expect([tally.total, tally.new]).toEqual([4, 3]);
    expect(lines(diagnostics)).toEqual([
      'a.yaml:20:14: warning: revised, but no earlier listing of "i3" exists in this folder: there is nothing it revises; check the id, or remove revised if these are the first facts reported',
      'a.yaml:25:14: warning: revised, but no earlier listing of "i4" exists in this folder: there is nothing it revises; check the id, or remove revised if these are the first facts reported',
    ]);
  });

  it('a revision of an incident an earlier brief of the series listed is still not new', () => {
    const a = brief('a.yaml', '2024-01-10', 'camp', at('i1', '2024-01-05', 'Base A', '    injured: 0\n'));
    const b = brief('b.yaml', '2024-01-20', 'camp', at('i1', '2024-01-05', 'Base A', '    injured: 2\n    revised: 2024-01-12\n'));
    const { tally, diagnostics } = counted(b, { briefs: [a, b], incidentFiles: [] });
    expect(diagnostics).toEqual([]);
    expect([tally.total, tally.new, tally.injured]).toEqual([1, 0, 2]);
  });

  it('revised without an id revises nothing, and is warned at revised', () => {
    const a = brief('a.yaml', '2024-01-10', null, '  - date: 2024-01-05\n    location: Base A\n    country: Iraq\n    revised: 2024-01-06\n');
    expect(lines(counted(a, { briefs: [a], incidentFiles: [] }).diagnostics)).toEqual([
      'a.yaml:10:14: warning: revised, but this incident has no id: a revision replaces the earlier listing with the same id; give it that id, or remove revised',
    ]);
  });

  it('a revision dated before the incident is an error at revised, in a brief and in an incident file', () => {
    const a = brief('a.yaml', '2024-01-20', null, at('x-1', '2024-01-09', 'Base A', '    revised: 2024-01-02\n'));
    expect(errors(a.diagnostics)).toEqual([
      "a.yaml:11:14: incidents[0].revised (2024-01-02) is before the incident's own date (2024-01-09): facts cannot be revised before the incident happened; check both dates",
    ]);
    const file = parseIncidentFile(`series: camp\nincidents:\n${at('x-1', '2024-01-09', 'Base A', '    revised: 2024-01-02\n')}`, 'incidents/x.yaml');
    expect(file.value).toBeUndefined();
    expect(errors(file.diagnostics)).toEqual([
      "incidents/x.yaml:7:14: incidents[0].revised (2024-01-02) is before the incident's own date (2024-01-09): facts cannot be revised before the incident happened; check both dates",
    ]);
    // On the incident's own day is when facts can first be known.
    expect(brief('b.yaml', '2024-01-20', null, at('x-1', '2024-01-09', 'Base A', '    revised: 2024-01-09\n')).diagnostics).toEqual([]);
  });

  it('a brief whose own listing is older than the revision it counts is told which facts it publishes, and from where', () => {
    const a = brief('a.yaml', '2024-01-10', null, at('tanf-1', '2024-01-08', 'al-Tanf garrison', '    injured: 0\n'));
    const b = brief('b.yaml', '2024-01-20', null, at('tanf-1', '2024-01-08', 'al-Tanf garrison', '    injured: 20\n    killed: 1\n    revised: 2024-01-15\n'));
    const c = brief('c.yaml', '2024-01-25', null, at('tanf-1', '2024-01-08', 'al-Tanf garrison', '    injured: 0\n'));
    const folder: Collection = { briefs: [a, b, c], incidentFiles: [] };
    const { tally, diagnostics } = counted(c, folder);
    // The count follows the contract (the latest revision on or before the brief's date) ...
    expect([tally.injured, tally.killed]).toEqual([20, 1]);
    // ... and the brief is told.
    expect(lines(diagnostics)).toEqual([
      'c.yaml:7:5: warning: this brief publishes the revision of "tanf-1" dated 2024-01-15 at b.yaml:7:5, not the facts listed here: ' +
        'killed not given here, 1 there; injured 0 here, 20 there. To publish the revision as this brief shows it, give this listing the revised facts and revised: 2024-01-15; ' +
        'if the facts here are newer, mark this listing revised: YYYY-MM-DD (the day they became known)',
    ]);
    // Either fix silences it: the revision's facts with its date, or a newer revision of its own.
    const updated = brief('c.yaml', '2024-01-25', null, at('tanf-1', '2024-01-08', 'al-Tanf garrison', '    injured: 20\n    killed: 1\n    revised: 2024-01-15\n'));
    expect(counted(updated, { briefs: [a, b, updated], incidentFiles: [] }).diagnostics).toEqual([]);
    const newer = brief('c.yaml', '2024-01-25', null, at('tanf-1', '2024-01-08', 'al-Tanf garrison', '    injured: 0\n    revised: 2024-01-24\n'));
    const after = counted(newer, { briefs: [a, b, newer], incidentFiles: [] });
    expect(after.diagnostics).toEqual([]);
    expect(after.tally.injured).toBe(0);
    // The earlier brief is not told: it counts the facts it lists.
    expect(counted(a, folder).diagnostics).toEqual([]);
  });

  it('a conflict names each fact that differs, with both values', () => {
    const a = brief('a.yaml', '2024-01-10', null, at('e-1', '2024-01-08', 'Erbil', '    injured: 0\n    weapons: [{type: drone, count: 2}]\n'));
    const b = brief('b.yaml', '2024-01-20', null, at('e-1', '2024-01-08', 'Erbil Air Base', '    injured: 20\n    weapons: [{type: drone}]\n    claimed: true\n'));
    expect(lines(counted(b, { briefs: [a, b], incidentFiles: [] }).diagnostics)).toEqual([
      'b.yaml:7:5: incident "e-1" is listed again with different facts from its first listing at a.yaml:7:5: location "Erbil Air Base" here, "Erbil" there; ' +
        'weapons [drone] here, [drone 2] there; claimed true here, not given there; injured 20 here, 0 there (if the facts changed, mark this listing revised: YYYY-MM-DD)',
    ]);
  });

  it('empty values equal none, and the order of weapons and sources is not a fact', () => {
    const a = brief('a.yaml', '2024-01-10', null, at('e-2', '2024-01-09', 'Erbil', '    weapons: [{type: drone}, {type: rocket, count: 2}]\n    sources: [https://example.org/a, https://example.org/b]\n'));
    const b = brief(
      'b.yaml',
      '2024-01-20',
      null,
      at('e-2', '2024-01-09', 'Erbil', '    weapons: [{count: 2, type: rocket}, {type: drone}]\n    sources: [https://example.org/b, https://example.org/a]\n    summary: ""\n'),
    );
    expect(counted(b, { briefs: [a, b], incidentFiles: [] }).diagnostics).toEqual([]);
    const c = brief('c.yaml', '2024-01-10', null, at('e-3', '2024-01-09'));
    const d = brief('d.yaml', '2024-01-20', null, at('e-3', '2024-01-09', 'Base A', '    weapons: []\n    summary: "  "\n    sources: []\n'));
    expect(counted(d, { briefs: [c, d], incidentFiles: [] }).diagnostics).toEqual([]);
  });

  describe('an id mistyped in one listing', () => {
    const drone = '    weapons: [{type: drone}]\n';
    const a = brief('a.yaml', '2024-01-10', 'camp', at('tanf-1', '2024-01-08', 'al-Tanf garrison', drone));

    it('is warned at the later listing\'s id when date, location and weapons match', () => {
      const b = brief('b.yaml', '2024-01-12', 'camp', at('tanf-l', '2024-01-08', 'al-Tanf garrison', '    weapons: [{type: drone, count: 2}]\n    injured: 3\n'));
      const { tally, diagnostics } = counted(b, { briefs: [a, b], incidentFiles: [] });
      expect(tally.total).toBe(2);
      expect(lines(diagnostics)).toEqual([
        'b.yaml:8:9: warning: id "tanf-l" differs by one character from "tanf-1" at a.yaml:8:5, and both give the same date, location and weapons: ' +
          'likely one incident, counted twice under two ids; give both the same id (if they are two incidents, tell them apart in their facts)',
      ]);
      expect(counted(a, { briefs: [a, b], incidentFiles: [] }).diagnostics).toEqual([]);
    });

    it('is not warned when the facts differ, or when the ids are clearly different', () => {
      const elsewhere = brief('b.yaml', '2024-01-12', 'camp', at('tanf-l', '2024-01-09', 'al-Tanf garrison', drone));
      expect(counted(elsewhere, { briefs: [a, elsewhere], incidentFiles: [] }).diagnostics).toEqual([]);
      const other = brief('c.yaml', '2024-01-12', 'camp', at('asad-7', '2024-01-08', 'al-Tanf garrison', drone));
      expect(counted(other, { briefs: [a, other], incidentFiles: [] }).diagnostics).toEqual([]);
    });

    it('numbered ids are two incidents unless every fact is the same', () => {
      const one = brief('a.yaml', '2024-01-10', 'camp', at('x-1', '2024-01-09', 'Erbil', '    injured: 1\n'));
      const two = brief('b.yaml', '2024-01-12', 'camp', at('x-2', '2024-01-09', 'Erbil', '    injured: 2\n') + at('x-3', '2024-01-09', 'Erbil', '    injured: 1\n'));
      expect(lines(counted(two, { briefs: [one, two], incidentFiles: [] }).diagnostics)).toEqual([
        'b.yaml:13:9: warning: id "x-3" differs only in its number or letter from "x-1" at a.yaml:8:5, and every fact is the same: ' +
          'likely one incident, counted twice under two ids; give both the same id (if they are two incidents, tell them apart in their facts)',
      ]);
    });

    it('a later listing of the established id is not warned, even beside the slip', () => {
      const slip = brief('b.yaml', '2024-01-12', null, at('tanf-l', '2024-01-08', 'al-Tanf garrison', drone));
      const again = brief('c.yaml', '2024-01-14', null, at('tanf-1', '2024-01-08', 'al-Tanf garrison', drone));
      const folder: Collection = { briefs: [a, slip, again], incidentFiles: [] };
      expect(counted(again, folder).diagnostics).toEqual([]);
      expect(counted(slip, folder).diagnostics).toHaveLength(1);
    });
  });

  describe('an incident file with errors', () => {
    const broken = parseIncidentFile(`series: zz\nincidents:\n${at('z2', '2024-13-01')}`, 'incidents/x.yaml');
    const good = brief('good-a.yaml', '2024-01-10', 's1', at('g1', '2024-01-08'));
    const member = brief('zz.yaml', '2024-01-10', '[zz, other]', at('z1', '2024-01-08'));

    it('stops only the briefs of its series when its series can be read', () => {
      const collection: Collection = { briefs: [good, member], incidentFiles: [broken] };
      expect(broken.series).toEqual(['zz']);
      const { tally, diagnostics } = counted(good, collection);
      expect(diagnostics).toEqual([]);
      expect(tally.total).toBe(1);
      expect(lines(counted(member, collection).diagnostics)).toEqual([
        'zz.yaml:3:9: incidents/x.yaml has errors and holds incidents of series "zz"; fix it so this brief\'s numbers can be counted',
      ]);
      // Its own errors are still reported, once, with the file.
      expect(incidentFileProblems(collection).map((p) => [p.file, errors(p.diagnostics)])).toEqual([
        ['incidents/x.yaml', ['incidents/x.yaml:4:11: incidents[0].date must be a real date written YYYY-MM-DD, e.g. 2023-10-24']],
      ]);
    });

    it('stops every series brief when its series cannot be read', () => {
      for (const text of [`series: Not A Name\nincidents:\n${at('z2', '2024-13-01')}`, `incidents:\n${at('z2', '2024-13-01')}`, `series: zz\nseries: s1\nincidents: [`]) {
        const unreadable = parseIncidentFile(text, 'incidents/x.yaml');
        expect(unreadable.series, text).toBeUndefined();
        expect(lines(counted(good, { briefs: [good], incidentFiles: [unreadable] }).diagnostics), text).toEqual([
          "good-a.yaml:3:9: incidents/x.yaml has errors and may hold incidents of this series; fix it so this brief's numbers can be counted",
        ]);
      }
    });
  });
});

describe('idsLookAlike', () => {
  it('tells a slip of the keyboard from numbered ids and from different names', () => {
    const cases: [string, string, ReturnType<typeof idsLookAlike>][] = [
      ['tanf-1', 'tanf-l', 'typo'],
      ['2023-10-23-tanf', '2023-10-23-tnaf', 'typo'],
      ['x-1', 'x-2', 'sequence'],
      ['asad', 'asad-2', 'sequence'],
      ['asad-a', 'asad-b', 'sequence'],
      ['e1', 'e12', 'sequence'],
      ['a', 'b', undefined],
      ['tanf-1', 'asad-1', undefined],
      ['tanf-1', 'tanf-1', undefined],
    ];
    for (const [a, b, kind] of cases) expect(idsLookAlike(a, b), `${a} ${b}`).toBe(kind);
  });
});

describe('differingFacts', () => {
  it('compares every key of an incident except the ones that name or date a listing', () => {
    const base: Incident = { date: '2024-01-08', location: 'Erbil', country: 'Iraq' };
    const changed: Record<string, Partial<Incident>> = {
      date: { date: '2024-01-09' },
      location: { location: 'Erbil Air Base' },
      country: { country: 'Syria' },
      weapons: { weapons: [{ type: 'drone' }] },
      perpetrator: { perpetrator: 'Group 1' },
      claimed: { claimed: false },
      killed: { killed: 0 },
      injured: { injured: 0 },
      summary: { summary: 'Shot down.' },
      lat: { lat: 36.2 },
      lon: { lon: 44 },
      sources: { sources: ['https://example.org/a'] },
    };
    // A key added to the schema is a fact unless it is added to this list, on purpose.
    expect(Object.keys(Incident.shape).filter((k) => !['id', 'revised', 'revision_note'].includes(k))).toEqual(Object.keys(changed));
    for (const [key, value] of Object.entries(changed)) expect(differingFacts(base, { ...base, ...value }).map((d) => d.key), key).toEqual([key]);
    expect(differingFacts(base, { ...base, id: 'x', revised: '2024-01-09', revision_note: 'n' })).toEqual([]);
  });
});
