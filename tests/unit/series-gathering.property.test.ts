import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  folderIds,
  gatherIncidents,
  parseIncidentFile,
  parsePlaces,
  placeKey,
  placeOf,
  seriesOf,
  type Collection,
  type FolderIds,
  type FolderListing,
  type ParsedBrief,
  type ParsedIncidentFile,
} from '../../src/core/collection.js';
import { hasErrors, type Diagnostic } from '../../src/core/diagnostics.js';
import { weaponKey } from '../../src/core/names.js';
import type { Brief, Incident } from '../../src/core/schema.js';
import { computeTally, describeDifferences, differingFacts, inWindow, tallyWindow, type ListedIncident, type TalliedIncident, type Window } from '../../src/core/tally.js';
import { parseBrief } from '../../src/page/compile.js';

// Gathering a brief's incidents through the series index (collection.ts) against the way
// it was done before the index: every brief filtering and sorting the whole collection
// and walking every listing of its series. The reference below is that code, kept as it
// was; the two must agree on everything a build uses, over random folders with
// duplicates, re-listed and revised incidents, several series per brief, incident files
// (some broken), windows and dates in any order. FAST_CHECK_RUNS raises the number of cases.
const runs = Number(process.env.FAST_CHECK_RUNS ?? 100);

type ValidBrief = ParsedBrief & { brief: Brief };

// ---- The reference: gathering as it was, once per brief over the whole series ----

interface ReferenceGathered {
  records: TalliedIncident[];
  listings: ListedIncident[];
  previous?: ValidBrief;
  earlier: ValidBrief[];
  later: ValidBrief[];
  diagnostics: Diagnostic[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const shares = (a: readonly string[], b: readonly string[]) => a.some((s) => b.includes(s));
const versionOf = (incident: Incident): string => incident.revised ?? '';

function referenceGather(target: ValidBrief, collection: Collection): ReferenceGathered {
  const series = seriesOf(target.brief);
  const date = target.brief.date;
  const related = relatedBriefs(target, collection, series);
  const listings = listingsInOrder(target, collection, series, related);
  const ids = folderIds(collection.briefs.includes(target) ? collection : { ...collection, briefs: [...collection.briefs, target] });
  const counted = countedRecords(target, listings, ids, idsListedBefore(related, date));
  const diagnostics = [
    ...brokenFileErrors(target, collection, series),
    ...counted.diagnostics,
    ...[...ids.revisesNothing, ...ids.lookAlikes, ...ids.repeatedInFile].filter((r) => r.listing.origin === target).map((r) => r.diagnostic),
  ];
  const earlier = related.filter((b) => b.brief.date < date);
  const previous = earlier.at(-1);
  diagnostics.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column);
  return { records: counted.records, listings, previous, earlier, later: laterBriefs(target, collection, series), diagnostics };
}

function laterBriefs(target: ValidBrief, collection: Collection, series: readonly string[]): ValidBrief[] {
  if (series.length === 0) return [];
  return collection.briefs
    .filter((b): b is ValidBrief => b.brief !== undefined && b !== target)
    .filter((b) => shares(seriesOf(b.brief), series) && b.brief.date > target.brief.date)
    .sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
}

function relatedBriefs(target: ValidBrief, collection: Collection, series: readonly string[]): ValidBrief[] {
  if (series.length === 0) return [];
  return collection.briefs
    .filter((b): b is ValidBrief => b.brief !== undefined && b !== target)
    .filter((b) => shares(seriesOf(b.brief), series) && b.brief.date <= target.brief.date)
    .sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
}

function listingsInOrder(target: ValidBrief, collection: Collection, series: readonly string[], related: readonly ValidBrief[]): ListedIncident[] {
  const files = series.length === 0 ? [] : collection.incidentFiles.filter((f) => f.value && shares(seriesOf(f.value), series));
  const listings: ListedIncident[] = [];
  for (const f of files) f.value?.incidents.forEach((incident, i) => listings.push({ incident, source: f.source, path: ['incidents', i] }));
  const byDate = [...related, target].sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
  for (const b of byDate) b.brief.incidents?.forEach((incident, i) => listings.push({ incident, source: b.source, path: ['incidents', i] }));
  return listings;
}

function brokenFileErrors(target: ValidBrief, collection: Collection, series: readonly string[]): Diagnostic[] {
  if (series.length === 0) return [];
  return collection.incidentFiles.flatMap((f) => {
    if (f.value || !hasErrors(f.diagnostics)) return [];
    if (f.series && !shares(f.series, series)) return [];
    const why = f.series ? `holds incidents of series "${f.series.filter((s) => series.includes(s)).join('", "')}"` : 'may hold incidents of this series';
    return [target.source.error(['series'], `${f.file} has errors and ${why}; fix it so this brief's numbers can be counted`)];
  });
}

function idsListedBefore(related: readonly ValidBrief[], date: string): Set<string> {
  const ids = new Set<string>();
  for (const b of related) if (b.brief.date < date) for (const i of b.brief.incidents ?? []) if (i.id) ids.add(i.id);
  return ids;
}

function countedRecords(target: ValidBrief, listings: readonly ListedIncident[], ids: FolderIds, listedBefore: ReadonlySet<string>) {
  const date = target.brief.date;
  const ownObjects = new Set<Incident>(target.brief.incidents ?? []);
  const ownIds = new Set((target.brief.incidents ?? []).map((i) => i.id).filter((id): id is string => !!id));
  const records: TalliedIncident[] = [];
  const diagnostics: Diagnostic[] = [];
  const counted = new Set<string>();
  for (const { incident } of listings) {
    const id = incident.id;
    if (id === undefined) {
      records.push({ incident, listedHere: ownObjects.has(incident), listedBefore: false });
      continue;
    }
    if (counted.has(id)) continue;
    counted.add(id);
    const seen = (ids.listings.get(id) ?? []).filter((l) => visibleTo(target, l));
    for (const c of ids.conflicts.get(id) ?? []) if (visibleTo(target, c.first) && visibleTo(target, c.later)) diagnostics.push(c.diagnostic);
    const [current, previous] = latestVersions(seen, date);
    if (!current) continue;
    diagnostics.push(...staleOwnListings(seen, current, target));
    records.push({
      incident: current.incident,
      listedHere: ownIds.has(id),
      listedBefore: listedBefore.has(id),
      ...(current.incident.revised !== undefined && previous ? { previous: previous.incident } : {}),
    });
  }
  return { records, diagnostics };
}

const visibleTo = (target: ValidBrief, l: FolderListing): boolean => l.origin === target || l.date === null || l.date <= target.brief.date;

function staleOwnListings(seen: readonly FolderListing[], current: FolderListing, target: ParsedBrief): Diagnostic[] {
  const counted = versionOf(current.incident);
  return seen
    .filter((l) => l.origin === target && versionOf(l.incident) < counted)
    .flatMap((l) => {
      const differences = differingFacts(l.incident, current.incident);
      if (differences.length === 0) return [];
      const { id, revised } = current.incident;
      const message =
        `this brief publishes the revision of "${id}" dated ${revised} at ${placeOf(current)}, not the facts listed here: ` +
        `${describeDifferences(differences)}. To publish the revision as this brief shows it, give this listing the revised facts ` +
        `and revised: ${revised}; if the facts here are newer, mark this listing revised: YYYY-MM-DD (the day they became known)`;
      return [l.source.warning(l.path, message)];
    });
}

function latestVersions(listings: readonly FolderListing[], date: string): [FolderListing?, FolderListing?] {
  const firstOf = new Map<string, FolderListing>();
  for (const listing of listings) {
    const version = versionOf(listing.incident);
    if (version <= date && !firstOf.has(version)) firstOf.set(version, listing);
  }
  const versions = [...firstOf.keys()].sort();
  const at = (i: number) => (i >= 0 ? firstOf.get(versions[i] as string) : undefined);
  return [at(versions.length - 1), at(versions.length - 2)];
}

/** warnings.ts likelyDuplicates as it was, over the reference's listings: each own listing with the listing it looks like. */
function referenceSameFacts(target: ValidBrief, listings: readonly ListedIncident[], collection: Collection): { own: ListedIncident; other: ListedIncident }[] {
  const places = collection.places?.places ?? [];
  const byKey = new Map<string, ListedIncident[]>();
  for (const listing of listings) {
    const { date, location } = listing.incident;
    const key = `${date}|${placeKey(location, places)}|${weaponKey(listing.incident)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), listing]);
  }
  const found: { own: ListedIncident; other: ListedIncident }[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    for (const listing of group) {
      if (listing.source !== target.source) continue;
      const id = listing.incident.id;
      const other = group.find((o) => o !== listing && (id === undefined || o.incident.id === undefined));
      if (other) found.push({ own: listing, other });
    }
  }
  return found;
}

// ---- Random folders ----

const dayOf = (n: number) => `2024-03-${String(n).padStart(2, '0')}`;
const day = fc.integer({ min: 1, max: 16 });
const names = fc.oneof(
  fc.constantFrom('a', 'b', 'c'),
  fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
);
const weapon = fc.record({ type: fc.constantFrom('drone', 'rocket'), count: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['type'] });
const listing = fc
  .record(
    {
      id: fc.constantFrom('x1', 'x2', 'x3', 'x4', 'x5'),
      // Few dates and places, so that listings alike in date, place and weapons are common.
      date: fc.integer({ min: 1, max: 8 }),
      location: fc.constantFrom('Base A', 'base-a', 'Port C', 'Tanf', 'al-Tanf garrison'),
      country: fc.constantFrom('Iraq', 'Syria'),
      weapons: fc.array(weapon, { maxLength: 2 }),
      injured: fc.integer({ min: 0, max: 2 }),
      revisedAfter: fc.integer({ min: 0, max: 6 }),
    },
    { requiredKeys: ['date', 'location', 'country'] },
  )
  .map(({ date, revisedAfter, ...rest }) => ({
    ...rest,
    date: dayOf(date),
    ...(revisedAfter === undefined ? {} : { revised: dayOf(date + revisedAfter) }),
  }));
// Many distinct sets of series names, each sharing a name with most briefs: the indexes of
// all of them do not fit in the room kept for indexes, so some are dropped and made again.
const manyNames = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 2, maxLength: 4 });
const briefSpecOf = (series: fc.Arbitrary<string | string[]>) => fc.record(
  {
    day,
    series,
    incidents: fc.array(listing, { maxLength: 5 }),
    since: day,
    until: day,
    invalid: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  },
  { requiredKeys: ['day', 'incidents'] },
);
const briefSpec = briefSpecOf(names);
const fileSpec = fc.record({ series: fc.option(names, { nil: undefined }), incidents: fc.array(listing, { maxLength: 4 }), broken: fc.boolean() });
const folder = fc.record({
  briefs: fc.array(briefSpec, { minLength: 1, maxLength: 9 }),
  files: fc.array(fileSpec, { maxLength: 2 }),
  places: fc.boolean(),
  rotate: fc.nat(),
  outside: fc.option(briefSpec, { nil: undefined }),
});

interface BriefSpec {
  day: number;
  series?: string | string[];
  incidents: object[];
  since?: number;
  until?: number;
  invalid?: boolean;
}

function briefOf(spec: BriefSpec, file: string): ParsedBrief {
  const tally = { ...(spec.since === undefined ? {} : { since: dayOf(spec.since) }), ...(spec.until === undefined ? {} : { until: dayOf(spec.until) }) };
  return parseBrief(
    stringify({
      title: file,
      date: dayOf(spec.day),
      ...(spec.series === undefined ? {} : { series: spec.series }),
      // A brief without developments does not validate: it takes part in nothing.
      ...(spec.invalid ? {} : { developments: 'x' }),
      ...(Object.keys(tally).length > 0 ? { tally } : {}),
      ...(spec.incidents.length > 0 ? { incidents: spec.incidents } : {}),
    }),
    file,
  );
}

function fileOf(spec: { series?: string | string[]; incidents: object[]; broken: boolean }, file: string): ParsedIncidentFile {
  // A broken file: an incident without its country, so the file counts for no brief.
  const incidents = spec.broken ? [...spec.incidents, { date: '2024-03-02', location: 'Base A' }] : spec.incidents;
  return parseIncidentFile(stringify({ ...(spec.series === undefined ? { series: 5 } : { series: spec.series }), incidents }), file);
}

const PLACES = '- {name: al-Tanf garrison, country: Syria, lat: 33.5, lon: 38.6, aliases: [Tanf]}\n- {name: Base A, country: Iraq, lat: 33, lon: 44}\n';

const where = (l: ListedIncident) => `${l.source.file}:${l.path.join('.')}`;
const files = (briefs: readonly ParsedBrief[]) => briefs.map((b) => b.file);

/** Every record the same: same objects (incident and revised-from), same flags, same order. */
function expectSameRecords(actual: readonly TalliedIncident[], expected: readonly TalliedIncident[]): void {
  expect(actual).toEqual(expected);
  actual.forEach((r, i) => {
    expect(r.incident).toBe(expected[i]?.incident);
    expect(r.previous).toBe(expected[i]?.previous);
  });
}

function compare(target: ValidBrief, collection: Collection, windows: readonly Window[]): void {
  const expected = referenceGather(target, collection);
  const actual = gatherIncidents(target, collection);
  expectSameRecords(actual.allRecords(), expected.records);
  for (const w of [tallyWindow(target.brief), ...windows]) {
    const inside = actual.recordsIn(w);
    expectSameRecords(inside, inWindow(w, expected.records));
    // Byte for byte, key order included: the tally box lists names in the order met.
    expect(JSON.stringify(computeTally(w, inside))).toBe(JSON.stringify(computeTally(w, expected.records)));
  }
  expect(actual.diagnostics).toEqual(expected.diagnostics);
  expect(actual.previous).toBe(expected.previous);
  expect(files(actual.earlier())).toEqual(files(expected.earlier));
  expect(actual.earlier().every((b, i) => b === expected.earlier[i])).toBe(true);
  expect(files(actual.later())).toEqual(files(expected.later));
  expect(actual.later().every((b, i) => b === expected.later[i])).toBe(true);
  // The links a page makes skip some briefs (those under embargo): any rule will do here.
  const odd = (b: ValidBrief) => Number(b.brief.date.slice(-1)) % 2 === 1;
  expect(actual.nearestEarlier(odd)).toBe(expected.earlier.findLast(odd));
  expect(actual.nearestLater(odd)).toBe(expected.later.find(odd));
  const pairs = (list: { own: ListedIncident; other: ListedIncident }[]) => list.map(({ own, other }) => `${where(own)} ~ ${where(other)}`);
  expect(pairs(actual.sameFacts())).toEqual(pairs(referenceSameFacts(target, expected.listings, collection)));
}

describe('gathering a series through its index', () => {
  it('gives every brief the records, windows, tallies, links and diagnostics the whole-series walk gave', () => {
    fc.assert(
      fc.property(folder, fc.array(fc.tuple(day, day), { maxLength: 3 }), (spec, spans) => {
        const made = spec.briefs.map((b, i) => briefOf(b, `briefs/b${i}.yaml`));
        const k = spec.rotate % made.length;
        const briefs = [...made.slice(k), ...made.slice(0, k)];
        const collection: Collection = {
          briefs,
          incidentFiles: spec.files.map((f, i) => fileOf(f, `incidents/f${i}.yaml`)),
          ...(spec.places ? { places: parsePlaces(PLACES, 'places.yaml') } : {}),
        };
        const windows: Window[] = [{ since: null, until: dayOf(16) }, ...spans.map(([a, b]) => ({ since: dayOf(a), until: dayOf(b) }))];
        for (const target of briefs) if (target.brief) compare(target as ValidBrief, collection, windows);
        // A brief checked on its own, beside a folder it is not part of.
        const outside = spec.outside && briefOf(spec.outside, 'briefs/zz.yaml');
        if (outside?.brief) compare(outside as ValidBrief, collection, windows);
      }),
      { numRuns: runs },
    );
  });

  it('lists likely duplicates grouped as the whole-series walk grouped them', () => {
    // The first own listing looks like the third; the second like an earlier brief's: the
    // group met first in the series (the earlier brief's) comes first.
    const a = { date: '2024-03-02', location: 'Base A', country: 'Iraq' };
    const b = { date: '2024-03-01', location: 'Port C', country: 'Syria' };
    const earlier = briefOf({ day: 3, series: 's', incidents: [b] }, 'briefs/a.yaml');
    const target = briefOf({ day: 5, series: 's', incidents: [a, b, a] }, 'briefs/b.yaml') as ValidBrief;
    const collection: Collection = { briefs: [earlier, target], incidentFiles: [] };
    const found = gatherIncidents(target, collection).sameFacts().map(({ own, other }) => `${where(own)} ~ ${where(other)}`);
    expect(found).toEqual(['briefs/b.yaml:incidents.1 ~ briefs/a.yaml:incidents.0', 'briefs/b.yaml:incidents.0 ~ briefs/b.yaml:incidents.2', 'briefs/b.yaml:incidents.2 ~ briefs/b.yaml:incidents.0']);
    compare(target, collection, []);
  });

  it('gives the same answers however often each brief asks, in any order, with many sets of series names', () => {
    fc.assert(
      fc.property(fc.array(briefSpecOf(manyNames), { minLength: 6, maxLength: 14 }), fc.array(fileSpec, { maxLength: 2 }), fc.array(fc.nat(), { minLength: 15, maxLength: 30 }), (briefSpecs, fileSpecs, picks) => {
        const briefs = briefSpecs.map((b, i) => briefOf(b, `briefs/b${i}.yaml`));
        const collection: Collection = { briefs, incidentFiles: fileSpecs.map((f, i) => fileOf(f, `incidents/f${i}.yaml`)) };
        const valid = briefs.filter((b): b is ValidBrief => b.brief !== undefined);
        // Asked in a random order, so indexes are kept, dropped and made again in between.
        for (const n of picks) {
          const target = valid[n % Math.max(1, valid.length)];
          if (target) compare(target, collection, []);
        }
      }),
      { numRuns: Math.ceil(runs / 4) },
    );
  });
});
