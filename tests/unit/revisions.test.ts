import { describe, expect, it } from 'vitest';
import { gatherIncidents, incidentFileProblems, parseIncidentFile, type Collection, type ParsedBrief } from '../../src/collection.js';
import { parseBrief, type CompiledBrief } from '../../src/compile.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { exportRows, exportText, select } from '../../src/report.js';
import type { Brief } from '../../src/schema.js';
import { computeTally, tallyWindow } from '../../src/tally.js';

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
  return { ...gathered, tally: computeTally(tallyWindow(target.brief as Brief), gathered.records) };
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
