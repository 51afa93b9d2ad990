import { hasErrors, type Diagnostic, type Path, type YamlPositions } from './diagnostics.js';
import type { Incident } from './schema.js';
import { loadYaml } from './load.js';
import { findPlace, knownCountryNames } from './places.js';
import { closestCountry, idsLookAlike, nameKey, typoDistance, weaponKey } from './names.js';
import { IncidentFile, Places, type Brief, type Place } from './schema.js';
import { describeDifferences, differingFacts, type ListedIncident, type TalliedIncident, type Window } from './tally.js';
import { checkRevisionDate, validateWith } from './validate.js';
import type { ImageLookup } from './markdown.js';

/*
 * A brief's tally may reach beyond the brief: the contract counts the incidents of every
 * brief of the same folder that shares a series name and is dated on or before it, and
 * of the incident files that share a series name. And an id names one incident in the
 * whole folder, series or not, so its facts (and their revisions) are looked up across
 * every brief and incident file. This module gathers them, purely, from what the edges
 * have read.
 */

/** A brief after loading and validation; `brief` is absent when it is invalid. */
export interface ParsedBrief {
  file: string;
  source: YamlPositions;
  data: unknown;
  brief?: Brief;
  diagnostics: Diagnostic[];
  /** The local images its Markdown shows, as the project found them (none read: every local path prints its alt text). */
  images?: ImageLookup;
}

/**
 * Lets a brief's YAML syntax tree go once the brief is compiled, keeping the positions
 * asked for after that (YamlPositions.release): each top-level value (the build reports
 * a held embargo or a template at its key), and each incident with its `id` and
 * `revised` (the warnings and id conflicts of other briefs, and `brief tally`, point at
 * them). A folder of a thousand briefs then keeps a few numbers per brief instead of a
 * tree each.
 */
export function releaseSyntax(parsed: ParsedBrief): void {
  const data = parsed.data;
  const paths: Path[] = [];
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const key of Object.keys(data)) paths.push([key]);
    const incidents = (data as { incidents?: unknown }).incidents;
    if (Array.isArray(incidents)) incidents.forEach((_, i) => paths.push(['incidents', i], ['incidents', i, 'id'], ['incidents', i, 'revised']));
  }
  parsed.source.release(paths);
}

/** A brief that passed validation: what tallies are gathered for. */
type ValidBrief = ParsedBrief & { brief: Brief };

export interface ParsedIncidentFile {
  file: string;
  source: YamlPositions;
  /** Absent when the file has errors: none of its incidents count. */
  value?: IncidentFile;
  /** When `value` is absent: the file's series, if that much can be read for certain. */
  series?: string[];
  diagnostics: Diagnostic[];
}

export interface ParsedPlaces {
  file: string;
  source: YamlPositions;
  places: Place[];
  diagnostics: Diagnostic[];
}

/** Everything beside the briefs being built that their tallies and maps may draw on. */
export interface Collection {
  briefs: readonly ParsedBrief[];
  incidentFiles: readonly ParsedIncidentFile[];
  places?: ParsedPlaces;
  /** Errors of files every brief depends on (brief.config.yaml): each brief reports them. */
  shared?: readonly Diagnostic[];
}

/** The series a brief belongs to, as a list: `series:` may give one name or several. */
export const seriesOf = (brief: Pick<Brief, 'series'>): string[] =>
  brief.series === undefined ? [] : Array.isArray(brief.series) ? brief.series : [brief.series];

const shares = (a: readonly string[], b: readonly string[]) => a.some((s) => b.includes(s));

/**
 * An incident file (`{series, incidents}`) loaded and validated. Its incidents count only
 * when it has no error; otherwise its series is kept when it can be read for certain, so
 * that only the briefs of that series wait for the file to be fixed.
 */
export function parseIncidentFile(text: string, file: string): ParsedIncidentFile {
  const loaded = loadYaml(text, file);
  if (loaded.data === undefined) return { file, source: loaded.source, diagnostics: loaded.diagnostics };
  // A bare list of incidents is the likeliest mistake (it is how a brief lists them): say
  // what the file should look like rather than only what it is not.
  if (Array.isArray(loaded.data)) {
    const message =
      'the incident file is a bare list; it must be a mapping of two keys: "series: <name>" (the series whose briefs count ' +
      'these incidents) and "incidents:" with the list under it, each "- " indented below "incidents:"';
    return { file, source: loaded.source, diagnostics: [...loaded.diagnostics, loaded.source.error([], message)] };
  }
  const { value, diagnostics } = validateWith(IncidentFile, loaded.data, loaded.source, 'the incident file');
  value?.incidents.forEach((incident, i) => diagnostics.push(...checkRevisionDate(incident, loaded.source, ['incidents', i])));
  const all = [...loaded.diagnostics, ...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  if (!hasErrors(diagnostics)) return { file, source: loaded.source, value, diagnostics: all };
  // A file with errors counts for no brief, but when its series can still be read for
  // certain (valid, and no YAML syntax error that might have cut it), only the briefs of
  // that series must wait for it; the others can be counted (see gatherIncidents).
  const series = hasErrors(loaded.diagnostics) ? undefined : readableSeries(loaded.data);
  return { file, source: loaded.source, diagnostics: all, ...(series ? { series } : {}) };
}

function readableSeries(data: unknown): string[] | undefined {
  if (!data || typeof data !== 'object' || !('series' in data)) return undefined;
  const parsed = IncidentFile.shape.series.safeParse(data.series);
  return parsed.success ? seriesOf({ series: parsed.data }) : undefined;
}

/**
 * places.yaml loaded and validated, with the names and aliases that could mean two places
 * (errors) and the countries off the country list (warnings). An invalid file gives no
 * places: nothing is drawn at a position that may be wrong.
 */
export function parsePlaces(text: string, file: string): ParsedPlaces {
  const loaded = loadYaml(text, file);
  if (loaded.data === undefined) return { file, source: loaded.source, places: [], diagnostics: loaded.diagnostics };
  const { value, diagnostics } = validateWith(Places, loaded.data, loaded.source, 'the places file');
  const places = value ?? [];
  return {
    file,
    source: loaded.source,
    places,
    diagnostics: [...loaded.diagnostics, ...diagnostics, ...ambiguousPlaces(places, loaded.source), ...unknownPlaceCountries(places, loaded.source)],
  };
}

/**
 * A place's country not on the country list: a country named in places.yaml is taken as
 * known for every incident (warnings.ts), so a slip here ("Irak") would make the same slip
 * in the incidents pass silently, each spelling counted as a country of its own. The same
 * check and did-you-mean as for an incident's country; names in another script are left alone.
 */
function unknownPlaceCountries(places: readonly Place[], source: YamlPositions): Diagnostic[] {
  const known = new Set(knownCountryNames());
  return places.flatMap((place, i) => {
    if (known.has(place.country) || !/\p{Script=Latin}/u.test(place.country)) return [];
    const country = closestCountry(place.country, known);
    const message =
      country !== undefined
        ? `"${place.country}" is not a known country; did you mean "${country}"?`
        : `"${place.country}" is not a known country: use the name the country list gives it (Natural Earth's names, e.g. "Iraq", "United States of America"); ` +
          'incidents at this place in that country are counted as a country of its own and left off the map';
    return [source.warning([i, 'country'], message)];
  });
}

/**
 * A name or alias that could mean two places. An incident's location is looked up by name
 * and alias, ignoring case (places.ts findPlace), and the first match wins, so each of these
 * would put incidents on a place the author did not mean, with nothing to show it: they are
 * errors. A repeated name or a shared alias is reported at the later entry, naming the first;
 * an alias that is another place's name at the alias, since a name always wins over an
 * alias and that alias can never match.
 */
function ambiguousPlaces(places: readonly Place[], source: YamlPositions): Diagnostic[] {
  const key = (name: string) => name.trim().toLowerCase();
  const line = (i: number) => source.locate([i, 'name']).line;
  const diagnostics: Diagnostic[] = [];
  const names = new Map<string, number>();
  places.forEach((place, i) => {
    const first = names.get(key(place.name));
    if (first === undefined) names.set(key(place.name), i);
    else {
      diagnostics.push(
        source.error([i, 'name'], `"${place.name}" is already the name of the place at line ${line(first)}: incidents at "${place.name}" go to that place and this entry is never used; merge the two entries, or rename one`),
      );
    }
  });
  const aliases = new Map<string, number>();
  places.forEach((place, i) => {
    (place.aliases ?? []).forEach((alias, k) => {
      const named = names.get(key(alias));
      const aliased = aliases.get(key(alias));
      if (named !== undefined && named !== i) {
        const other = places[named] as Place;
        diagnostics.push(
          source.error([i, 'aliases', k], `alias "${alias}" is the name of another place ("${other.name}", line ${line(named)}): incidents at "${alias}" go to that place, never to "${place.name}"; remove the alias or rename one place`),
        );
      } else if (aliased !== undefined && aliased !== i) {
        const other = places[aliased] as Place;
        diagnostics.push(
          source.error([i, 'aliases', k], `alias "${alias}" is also an alias of "${other.name}" (line ${line(aliased)}): incidents at "${alias}" go to "${other.name}", never to "${place.name}"; keep the alias on one place only`),
        );
      } else if (aliased === undefined) aliases.set(key(alias), i);
    });
  });
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A location as compared when looking for one incident listed twice: the place it names in
 * places.yaml (by name or alias, as the map finds it), so "Tanf" and "al-Tanf garrison" are
 * one place; else the name itself, ignoring case, spaces, hyphens and plurals.
 */
export const placeKey = (location: string, places: readonly Place[]): string => nameKey(findPlace(location, places)?.name ?? location);

/** One listing of an incident with an id, anywhere in the folder. */
export interface FolderListing extends ListedIncident {
  /** The date of the brief it is in; null in an incident file, which has none. */
  date: string | null;
  /** The brief or incident file it is in. */
  origin: ParsedBrief | ParsedIncidentFile;
}

/** Two listings of one id and one revision (or both unrevised) whose facts differ. */
export interface Conflict {
  first: FolderListing;
  later: FolderListing;
  /** Reported at the later listing, naming the first. */
  diagnostic: Diagnostic;
}

/** Every listing with an id in a folder, and the conflicts among them, found once per collection. */
export interface FolderIds {
  /** Every listing of the folder, with an id or not, in the fixed order below. */
  all: readonly FolderListing[];
  /** By id, in the fixed order: incident files by name, then briefs by date and file name. */
  listings: ReadonlyMap<string, readonly FolderListing[]>;
  conflicts: ReadonlyMap<string, readonly Conflict[]>;
  /** Warnings at listings marked `revised` that revise nothing, each with its listing. */
  revisesNothing: readonly ListingWarning[];
  /** Warnings at listings whose id looks like a slip for an earlier listing's id. */
  lookAlikes: readonly ListingWarning[];
  /** Warnings at the second listing of an id, with the same facts, in the same file. */
  repeatedInFile: readonly ListingWarning[];
}

export interface ListingWarning {
  listing: FolderListing;
  diagnostic: Diagnostic;
}

/** Which revision a listing gives: its `revised` date, or '' for the facts as first listed. */
const versionOf = (incident: Incident): string => incident.revised ?? '';

/** `briefs/a.yaml:7:5`: where a listing is, for messages that name another place. */
export const placeOf = (l: ListedIncident): string => {
  const at = l.source.locate(l.path);
  return `${l.source.file}:${at.line}:${at.column}`;
};

const folderIdsCache = new WeakMap<Collection, FolderIds>();

/** The source line of a listing's id, as typed. */
const idLine = (l: ListedIncident): string => l.source.text.split(/\r?\n/)[l.source.locate([...l.path, 'id']).line - 1] ?? '';

/**
 * `id: tanf #2` is the id "tanf": YAML starts a comment at " #". When an id line of the
 * two listings has one, that is most likely how two ids became one, so the message says so.
 */
function commentHint(...listings: ListedIncident[]): string {
  const line = listings.map(idLine).find((l) => /\sid:\s*[^#\s][^#]*\s#/.test(l));
  return line === undefined ? '' : ` ("${line.trim()}" is read as id "${listings[0]?.incident.id}": a "#" after a space starts a comment; quote the id or drop the "#")`;
}

function repeatedMessage(id: string, first: FolderListing, later: FolderListing): string {
  return (
    `incident "${id}" is listed twice in this file, the first time at line ${first.source.locate(first.path).line}${commentHint(later, first)}: ` +
    'the two count as one incident; if they are two incidents, give each its own id, else remove this listing'
  );
}

/**
 * brief-format "Once each" and "Revisions": an id names one incident in the whole folder
 * (every brief and every incident file, whatever their series). Listings are put in a
 * fixed order (incident files, which have no date, first by name; then briefs by date,
 * then file name; then as listed) and compared within each revision: a listing whose
 * facts differ from the first listing of the same id and the same `revised` date (or,
 * both, none) is a conflict, reported at the later listing, naming the first and the
 * facts that differ. A listing marked `revised` with no earlier version of its id
 * anywhere in the folder (or with no id at all) revises nothing: a warning, since the
 * author most likely meant another id, or the mark is a leftover.
 * Computed once per collection: a thousand briefs share one index.
 */
export function folderIds(collection: Collection): FolderIds {
  const cached = folderIdsCache.get(collection);
  if (cached) return cached;
  const all: FolderListing[] = [];
  const files = [...collection.incidentFiles].sort((a, b) => compareText(a.file, b.file));
  for (const f of files) {
    f.value?.incidents.forEach((incident, i) => all.push({ incident, source: f.source, path: ['incidents', i], date: null, origin: f }));
  }
  const briefs = collection.briefs
    .filter((b): b is ValidBrief => b.brief !== undefined)
    .sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
  for (const b of briefs) {
    b.brief.incidents?.forEach((incident, i) => all.push({ incident, source: b.source, path: ['incidents', i], date: b.brief.date, origin: b }));
  }

  const listings = new Map<string, FolderListing[]>();
  for (const l of all) {
    if (l.incident.id === undefined) continue;
    const list = listings.get(l.incident.id);
    if (list) list.push(l);
    else listings.set(l.incident.id, [l]);
  }
  const conflicts = new Map<string, Conflict[]>();
  const repeatedInFile: ListingWarning[] = [];
  for (const [id, list] of listings) {
    const firstOf = new Map<string, FolderListing>();
    for (const later of list) {
      const version = versionOf(later.incident);
      const first = firstOf.get(version);
      if (!first) {
        firstOf.set(version, later);
        continue;
      }
      const differences = differingFacts(later.incident, first.incident);
      if (differences.length === 0) {
        // Equal facts under one id are one incident, which is right across files (a later
        // brief re-listing it). Twice in one file, the author meant two incidents or
        // pasted one twice; either way one of them silently counts for nothing.
        if (first.origin === later.origin) repeatedInFile.push({ listing: later, diagnostic: later.source.warning([...later.path, 'id'], repeatedMessage(id, first, later)) });
        continue;
      }
      const what = describeDifferences(differences);
      const message =
        version === ''
          ? `incident "${id}" is listed again with different facts from its first listing at ${placeOf(first)}: ${what}` +
            (first.origin === later.origin ? `${commentHint(later, first)}; if they are two incidents, give each its own id` : ' (if the facts changed, mark this listing revised: YYYY-MM-DD)')
          : `incident "${id}" is revised on ${version} again with different facts from its first revision of that date at ${placeOf(first)}: ${what}`;
      const conflict = { first, later, diagnostic: later.source.error(later.path, message) };
      const list = conflicts.get(id);
      if (list) list.push(conflict);
      else conflicts.set(id, [conflict]);
    }
  }

  const revisesNothing: ListingWarning[] = [];
  for (const listing of all) {
    const { id, revised } = listing.incident;
    if (revised === undefined) continue;
    const at = [...listing.path, 'revised'];
    if (id === undefined) {
      const message = 'revised, but this incident has no id: a revision replaces the earlier listing with the same id; give it that id, or remove revised';
      revisesNothing.push({ listing, diagnostic: listing.source.warning(at, message) });
    } else if (!(listings.get(id) ?? []).some((l) => versionOf(l.incident) < revised)) {
      const message =
        `revised, but no earlier listing of "${id}" exists in this folder: there is nothing it revises; ` +
        'check the id, or remove revised if these are the first facts reported';
      revisesNothing.push({ listing, diagnostic: listing.source.warning(at, message) });
    }
  }
  const ids: FolderIds = { all, listings, conflicts, revisesNothing, lookAlikes: lookAlikeIds(all, collection.places?.places ?? []), repeatedInFile };
  folderIdsCache.set(collection, ids);
  return ids;
}

/**
 * brief-format "Once each": different ids are different incidents, so an id mistyped in
 * one listing ("tanf-l" for "tanf-1") counts one incident twice, in every brief and export
 * that sees both. Warned at the later listing's id when the earlier one's id is a slip
 * away and the two give the same date, location and weapon types (as likely duplicates
 * without ids are). Ids that differ only in a trailing number or letter ("x-1", "x-2")
 * are how authors number several incidents of one day at one place, so they are warned
 * about only when every fact is the same.
 */
function lookAlikeIds(all: readonly FolderListing[], places: readonly Place[]): ListingWarning[] {
  const byKey = new Map<string, { listings: FolderListing[]; ids: Set<string> }>();
  const warnings: ListingWarning[] = [];
  for (const listing of all) {
    const { id, date, location } = listing.incident;
    if (id === undefined) continue;
    const key = `${date}|${placeKey(location, places)}|${weaponKey(listing.incident)}`;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { listings: [], ids: new Set() }));
    // An id listed before with these facts is the established one, whatever looks like it.
    const established = group.ids.has(id);
    for (const other of established ? [] : group.listings) {
      const otherId = other.incident.id as string;
      const kind = idsLookAlike(id, otherId);
      if (kind === undefined || (kind === 'sequence' && differingFacts(listing.incident, other.incident).length > 0)) continue;
      const how = kind === 'sequence' ? 'only in its number or letter' : typoDistance(id, otherId) === 1 ? 'by one character' : 'by two characters';
      const same = kind === 'sequence' ? 'every fact is the same' : 'both give the same date, location and weapons';
      const message =
        `id "${id}" differs ${how} from "${otherId}" at ${placeOf(other)}, and ${same}: likely one incident, counted twice under two ids; ` +
        'give both the same id (if they are two incidents, tell them apart in their facts)';
      warnings.push({ listing, diagnostic: listing.source.warning([...listing.path, 'id'], message) });
      break;
    }
    group.listings.push(listing);
    group.ids.add(id);
  }
  return warnings;
}

/**
 * Problems that belong to an incident file rather than to a brief, each listed once:
 * its own errors (it cannot be read, or is not `{series, incidents}`), id conflicts
 * whose later listing is in it, and its revisions that revise nothing. brief-format "Every file is checked": every file of
 * `incidents/` is checked, whether or not a brief names its series.
 */
export function incidentFileProblems(collection: Collection): { file: string; diagnostics: Diagnostic[] }[] {
  const { conflicts, revisesNothing, lookAlikes, repeatedInFile } = folderIds(collection);
  const later = [...[...conflicts.values()].flat().map((c) => ({ origin: c.later.origin, diagnostic: c.diagnostic })), ...[...revisesNothing, ...lookAlikes, ...repeatedInFile].map((r) => ({ origin: r.listing.origin, diagnostic: r.diagnostic }))];
  return [...collection.incidentFiles]
    .sort((a, b) => compareText(a.file, b.file))
    .map((f) => ({
      file: f.file,
      diagnostics: [...f.diagnostics, ...later.filter((c) => c.origin === f).map((c) => c.diagnostic)].sort(
        (a, b) => a.line - b.line || a.column - b.column,
      ),
    }));
}

/**
 * What a brief counts and links to, looked up in the index of its series (seriesIndexOf):
 * records are found by window, so a brief costs what its window holds, not what its
 * series holds, and a series of a thousand briefs is gathered once, not a thousand times.
 */
export interface Gathered {
  /**
   * The records whose incident date is in `window` (both ends inclusive; none when
   * `since` is null), each incident once, in the fixed order (see gatherIncidents).
   */
  recordsIn(window: Window): TalliedIncident[];
  /**
   * Every record the brief draws on, inside its window or not, in the same order: for
   * `brief tally` and `brief export`, which may move the window. Costs the size of the series.
   */
  allRecords(): TalliedIncident[];
  /**
   * The brief's own listings that give the same date, location (placeKey) and weapon types
   * as another listing it counts (its own, earlier briefs of its series, incident files),
   * where at least one of the two has no id: most likely one incident listed twice. Each
   * with the first such listing in the fixed order; grouped by those facts, in the order
   * of their first listing, then as listed.
   */
  sameFacts(): { own: ListedIncident; other: ListedIncident }[];
  /** The latest brief of the series dated before this one: what "new" is new since. */
  previous?: ValidBrief;
  /** The briefs of the series dated before this one, earliest first (`previous` is the last); a new array each call. */
  earlier(): ValidBrief[];
  /**
   * The briefs of the series dated after this one, earliest first: the first is where a
   * reader goes on to (the caller skips those not yet published). A new array each call.
   */
  later(): ValidBrief[];
  /** The nearest brief of `earlier()` for which `accept` holds, looking back from `previous`. */
  nearestEarlier(accept: (b: ValidBrief) => boolean): ValidBrief | undefined;
  /** The nearest brief of `later()` for which `accept` holds. */
  nearestLater(accept: (b: ValidBrief) => boolean): ValidBrief | undefined;
  diagnostics: Diagnostic[];
}

/**
 * The incidents a brief counts, each once, with whether it is its own and whether an
 * earlier brief of its series listed it (brief-format "Which incidents", "Once each",
 * "Revisions").
 *
 * Which incidents: its own, those of the briefs sharing a series dated on or before it,
 * and those of the incident files sharing a series. Which facts, for an incident with an
 * id: the latest revision dated on or before the brief's date, among the listings of the
 * whole folder the brief can see (its own, incident files, and briefs dated on or before
 * it), so a later brief never changes an earlier brief's numbers. An id conflict is this
 * brief's error when it counts the id and can see both listings; a conflict made by a
 * later brief is that brief's, and leaves this one as published.
 *
 * The fixed order of records: the incident files of its series (as the collection lists
 * them), then its series' briefs and itself by date and file, each as listed; an id at its
 * first listing. The work is done once per collection and set of series names (the
 * index); per brief it costs its own incidents, its window's records and its id conflicts.
 */
export function gatherIncidents(target: ValidBrief, collection: Collection): Gathered {
  let index = collectionIndexOf(collection);
  // The target is normally one of the collection's briefs; a brief checked on its own is added.
  if (!index.members.has(target)) index = collectionIndexOf({ ...collection, briefs: [...collection.briefs, target] });
  const series = seriesOf(target.brief);
  const date = target.brief.date;
  const s = series.length === 0 ? seriesIndex(index, [], [target]) : seriesIndexFor(index, collection, series);
  const own = target.brief.incidents ?? [];
  const rank = s.rank.get(target) as number;
  const start = rank === 0 ? s.filesEnd : (s.ends[rank - 1] as number);
  // The listings the brief can see end with the last brief of its series dated on or before it.
  const visible = upperBound(s.dates, date);
  const end = visible === 0 ? s.filesEnd : (s.ends[visible - 1] as number);
  const ownObjects = new Set<Incident>(own);
  const ownIds = new Set(own.map((i) => i.id).filter((id): id is string => !!id));

  const recordAt = (position: number): TalliedIncident | undefined => {
    const { incident } = s.listings[position] as FolderListing;
    const id = incident.id;
    if (id === undefined) return { incident, listedHere: ownObjects.has(incident), listedBefore: false };
    const [current, previous] = versionsAt(index, id, date);
    // Facts revised only after this brief's date were not known to it: it does not count them.
    if (!current) return undefined;
    const firstListed = s.firstListed.get(id);
    return {
      incident: current.incident,
      listedHere: ownIds.has(id),
      listedBefore: firstListed !== undefined && firstListed < date,
      ...(current.incident.revised !== undefined && previous ? { previous: previous.incident } : {}),
    };
  };
  const recordsAt = (positions: readonly number[], keep: (r: TalliedIncident) => boolean = () => true): TalliedIncident[] => {
    const records: TalliedIncident[] = [];
    for (const p of positions) {
      const r = recordAt(p);
      if (r && keep(r)) records.push(r);
    }
    return records;
  };

  const diagnostics = [...brokenFileErrors(target, index, series), ...countedProblems(target, index, s, end), ...(index.ownWarnings.get(target) ?? [])];
  // As the files read, whatever order the ids were met in.
  diagnostics.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column);
  const before = lowerBound(s.dates, date);
  const after = upperBound(s.dates, date);
  return {
    recordsIn({ since, until }) {
      if (since === null) return [];
      // Entries whose date is fixed, found by date; those an id's revisions may move, each looked at.
      const positions: number[] = [];
      for (let k = lowerBound(s.fixedDates, since), to = upperBound(s.fixedDates, until); k < to; k++) {
        const p = s.fixedPositions[k] as number;
        if (p < end) positions.push(p);
      }
      for (const p of s.moving) if (p < end) positions.push(p);
      positions.sort((a, b) => a - b);
      return recordsAt(positions, ({ incident: i }) => i.date >= since && i.date <= until);
    },
    allRecords: () => recordsAt(s.entries.slice(0, lowerBound(s.entries, end))),
    sameFacts() {
      const found: { own: FolderListing; other: FolderListing; group: number }[] = [];
      for (let position = start; position < (s.ends[rank] as number); position++) {
        const own = s.listings[position] as FolderListing;
        const group = s.sameFacts.get(factKey(index, own)) as SameFacts;
        // The first listing of these facts other than this one; for a listing with an id, the first without one.
        const other = own.incident.id === undefined ? (group.first === position ? group.second : group.first) : group.firstWithoutId;
        if (other !== undefined && other < end) found.push({ own, other: s.listings[other] as FolderListing, group: group.first });
      }
      return found.sort((a, b) => a.group - b.group).map(({ own, other }) => ({ own, other }));
    },
    previous: s.briefs[before - 1],
    earlier: () => s.briefs.slice(0, before),
    later: () => s.briefs.slice(after),
    nearestEarlier(accept) {
      for (let k = before - 1; k >= 0; k--) if (accept(s.briefs[k] as ValidBrief)) return s.briefs[k];
      return undefined;
    },
    nearestLater(accept) {
      for (let k = after; k < s.briefs.length; k++) if (accept(s.briefs[k] as ValidBrief)) return s.briefs[k];
      return undefined;
    },
    diagnostics,
  };
}

/**
 * The id conflicts a brief can see among the ids it counts, and its own listings older
 * than what it counts (staleOwnListings), in the order of the ids' first listings. Only
 * the ids with a conflict somewhere and the brief's own need looking at.
 */
function countedProblems(target: ValidBrief, index: CollectionIndex, s: SeriesIndex, end: number): Diagnostic[] {
  const date = target.brief.date;
  const own = (index.listingsOf.get(target) ?? []).filter((l) => l.incident.id !== undefined);
  const positions = new Set<number>();
  for (const p of s.conflicted) if (p < end) positions.add(p);
  for (const l of own) positions.add(s.entryOf.get(l.incident.id as string) as number);
  const diagnostics: Diagnostic[] = [];
  for (const p of [...positions].sort((a, b) => a - b)) {
    const id = (s.listings[p] as FolderListing).incident.id as string;
    for (const c of index.ids.conflicts.get(id) ?? []) if (visibleTo(target, c.first) && visibleTo(target, c.later)) diagnostics.push(c.diagnostic);
    const [current] = versionsAt(index, id, date);
    if (current) diagnostics.push(...staleOwnListings(own.filter((l) => l.incident.id === id), current, target));
  }
  return diagnostics;
}

/** What gathering needs of a whole collection, found once (collectionIndexOf). */
interface CollectionIndex {
  ids: FolderIds;
  /** The collection's briefs, to tell a brief of it from one checked on its own. */
  members: ReadonlySet<ParsedBrief>;
  /** Each brief's and incident file's listings, as listed. */
  listingsOf: ReadonlyMap<ParsedBrief | ParsedIncidentFile, readonly FolderListing[]>;
  /** Incident files with errors and no incidents: they stop the briefs of their series (brokenFileErrors). */
  broken: readonly ParsedIncidentFile[];
  /** Revisions of nothing, look-alike ids and ids repeated in a file, by the brief or file they are in. */
  ownWarnings: ReadonlyMap<ParsedBrief | ParsedIncidentFile, readonly Diagnostic[]>;
  /** By id, each revision's first listing in the folder's fixed order, oldest revision first; filled as ids are met. */
  versions: Map<string, readonly FolderListing[]>;
  /** By id, the one incident date all its listings give; null when they give several. Filled as ids are met. */
  fixedDate: Map<string, string | null>;
  /** Each listing's date, place and weapon types (likely duplicates); filled as listings are met. */
  factKeys: Map<FolderListing, string>;
  places: readonly Place[];
  /** The series indexes kept, by their series names, least recently used first. */
  series: Map<string, SeriesIndex>;
  /** Each series name's briefs and incident files (their positions), made when first needed: see membersBySeries. */
  bySeries?: { briefs: Map<string, ValidBrief[]>; files: Map<string, number[]> };
  /** Listings and briefs the kept series indexes hold, and how many they may hold: see seriesIndexFor. */
  held: number;
  budget: number;
}

/** What every brief of one set of series names counts from, found once (seriesIndex). */
interface SeriesIndex {
  /** The briefs sharing a series name with the set, by date and file, and their dates. */
  briefs: readonly ValidBrief[];
  dates: readonly string[];
  rank: ReadonlyMap<ValidBrief, number>;
  /** Every listing the set's briefs count, in the fixed order: its incident files, then its briefs. */
  listings: readonly FolderListing[];
  /** Where the incident files' listings end, and where each brief's end. */
  filesEnd: number;
  ends: readonly number[];
  /** The listings that make a record (each without an id, and the first of each id), in order. */
  entries: readonly number[];
  /** By id, where its first listing is. */
  entryOf: ReadonlyMap<string, number>;
  /** By id, the date of the earliest brief of the set that lists it: incidents listed before a brief are not new in it. */
  firstListed: ReadonlyMap<string, string>;
  /** The entries whose incident date is fixed, by that date (then position): a window is a range of them. */
  fixedDates: readonly string[];
  fixedPositions: readonly number[];
  /** The entries of ids whose listings give different dates: the counted revision decides, so each is looked at. */
  moving: readonly number[];
  /** The entries of ids with a conflict somewhere in the folder. */
  conflicted: readonly number[];
  /** By date, place and weapon types: the first two listings, and the first without an id. */
  sameFacts: ReadonlyMap<string, SameFacts>;
}

interface SameFacts {
  first: number;
  second?: number;
  firstWithoutId?: number;
}

const collectionIndexes = new WeakMap<Collection, CollectionIndex>();

function collectionIndexOf(collection: Collection): CollectionIndex {
  const cached = collectionIndexes.get(collection);
  if (cached) return cached;
  const ids = folderIds(collection);
  const listingsOf = new Map<ParsedBrief | ParsedIncidentFile, FolderListing[]>();
  for (const l of ids.all) {
    const list = listingsOf.get(l.origin);
    if (list) list.push(l);
    else listingsOf.set(l.origin, [l]);
  }
  const ownWarnings = new Map<ParsedBrief | ParsedIncidentFile, Diagnostic[]>();
  for (const { listing, diagnostic } of [...ids.revisesNothing, ...ids.lookAlikes, ...ids.repeatedInFile]) {
    ownWarnings.set(listing.origin, [...(ownWarnings.get(listing.origin) ?? []), diagnostic]);
  }
  const index: CollectionIndex = {
    ids,
    members: new Set(collection.briefs),
    listingsOf,
    broken: collection.incidentFiles.filter((f) => !f.value && hasErrors(f.diagnostics)),
    ownWarnings,
    versions: new Map(),
    fixedDate: new Map(),
    factKeys: new Map(),
    places: collection.places?.places ?? [],
    series: new Map(),
    held: 0,
    // Room for every listing and brief of the folder a few times over: a handful of
    // overlapping sets of series names all stay; only a folder of many distinct sets
    // rebuilds some.
    budget: 4 * (ids.all.length + collection.briefs.length),
  };
  collectionIndexes.set(collection, index);
  return index;
}

/**
 * The index of a set of series names, kept while the listings of the kept indexes stay
 * within the budget (least recently used dropped first), so that memory stays linear
 * even when every brief names a set of its own.
 */
function seriesIndexFor(index: CollectionIndex, collection: Collection, series: readonly string[]): SeriesIndex {
  const key = JSON.stringify([...new Set(series)].sort(compareText));
  const cached = index.series.get(key);
  if (cached) {
    index.series.delete(key);
    index.series.set(key, cached);
    return cached;
  }
  // The members of each name, listed once per collection: looking through every brief for
  // each set of names made a folder of many small series quadratic (3,000 briefs in 901
  // series spent 4 s here).
  const members = (index.bySeries ??= membersBySeries(index, collection));
  const names = [...new Set(series)];
  const files = [...new Set(names.flatMap((n) => members.files.get(n) ?? []))].sort((a, b) => a - b).map((i) => collection.incidentFiles[i] as ParsedIncidentFile);
  const briefs = [...new Set(names.flatMap((n) => members.briefs.get(n) ?? []))].sort(
    (a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file),
  );
  const made = seriesIndex(index, files, briefs);
  for (const [k, kept] of index.series) {
    if (index.held + sizeOf(made) <= index.budget) break;
    index.series.delete(k);
    index.held -= sizeOf(kept);
  }
  index.series.set(key, made);
  index.held += sizeOf(made);
  return made;
}

/**
 * For each series name, the valid briefs that name it and the positions (in
 * collection.incidentFiles) of the readable incident files of it: what `shares` found
 * by looking through all of them, found for every name in one pass.
 */
function membersBySeries(index: CollectionIndex, collection: Collection): NonNullable<CollectionIndex['bySeries']> {
  const briefs = new Map<string, ValidBrief[]>();
  const files = new Map<string, number[]>();
  const add = <T>(map: Map<string, T[]>, name: string, item: T) => {
    const list = map.get(name);
    if (list) list.push(item);
    else map.set(name, [item]);
  };
  for (const b of index.members) if (b.brief !== undefined) for (const name of new Set(seriesOf(b.brief))) add(briefs, name, b as ValidBrief);
  collection.incidentFiles.forEach((f, i) => {
    if (f.value) for (const name of new Set(seriesOf(f.value))) add(files, name, i);
  });
  return { briefs, files };
}

/** What a series index holds, in listings and briefs: what the budget counts. */
const sizeOf = (s: SeriesIndex): number => s.listings.length + s.briefs.length;

/** The index of the listings of some incident files and briefs (briefs by date and file). */
function seriesIndex(index: CollectionIndex, files: readonly ParsedIncidentFile[], briefs: readonly ValidBrief[]): SeriesIndex {
  const listings: FolderListing[] = [];
  for (const f of files) listings.push(...(index.listingsOf.get(f) ?? []));
  const filesEnd = listings.length;
  const ends: number[] = [];
  for (const b of briefs) {
    listings.push(...(index.listingsOf.get(b) ?? []));
    ends.push(listings.length);
  }
  const entries: number[] = [];
  const entryOf = new Map<string, number>();
  const firstListed = new Map<string, string>();
  const fixed: [string, number][] = [];
  const moving: number[] = [];
  const conflicted: number[] = [];
  const sameFacts = new Map<string, SameFacts>();
  listings.forEach((l, p) => {
    const id = l.incident.id;
    if (id !== undefined && l.date !== null && !firstListed.has(id)) firstListed.set(id, l.date);
    const key = factKey(index, l);
    const group = sameFacts.get(key);
    if (!group) sameFacts.set(key, { first: p, ...(id === undefined ? { firstWithoutId: p } : {}) });
    else {
      group.second ??= p;
      if (id === undefined) group.firstWithoutId ??= p;
    }
    if (id !== undefined && entryOf.has(id)) return;
    entries.push(p);
    if (id === undefined) {
      fixed.push([l.incident.date, p]);
      return;
    }
    entryOf.set(id, p);
    if (index.ids.conflicts.has(id)) conflicted.push(p);
    const date = fixedDateOf(index, id);
    if (date === null) moving.push(p);
    else fixed.push([date, p]);
  });
  fixed.sort((a, b) => compareText(a[0], b[0]) || a[1] - b[1]);
  return {
    briefs,
    dates: briefs.map((b) => b.brief.date),
    rank: new Map(briefs.map((b, i) => [b, i])),
    listings,
    filesEnd,
    ends,
    entries,
    entryOf,
    firstListed,
    fixedDates: fixed.map(([d]) => d),
    fixedPositions: fixed.map(([, p]) => p),
    moving,
    conflicted,
    sameFacts,
  };
}

/** A listing's date, place (as the map finds it) and weapon types: two listings alike in all three are likely one incident. */
function factKey(index: CollectionIndex, l: FolderListing): string {
  let key = index.factKeys.get(l);
  if (key === undefined) {
    key = `${l.incident.date}|${placeKey(l.incident.location, index.places)}|${weaponKey(l.incident)}`;
    index.factKeys.set(l, key);
  }
  return key;
}

/** The incident date every listing of an id gives, or null when they give several (a revision moved it). */
function fixedDateOf(index: CollectionIndex, id: string): string | null {
  let date = index.fixedDate.get(id);
  if (date === undefined) {
    const dates = new Set((index.ids.listings.get(id) ?? []).map((l) => l.incident.date));
    date = dates.size === 1 ? ([...dates][0] as string) : null;
    index.fixedDate.set(id, date);
  }
  return date;
}

/**
 * The version of an incident a brief dated `date` counts (the latest revision dated on or
 * before it; the facts as first listed count from the start) and the version before that,
 * each the first listing of its revision in the fixed order that the brief can see. The
 * listings a brief can see are a beginning of the fixed order (incident files, then briefs
 * dated on or before it), so a revision's first listing is seen or none of it is.
 */
function versionsAt(index: CollectionIndex, id: string, date: string): [FolderListing?, FolderListing?] {
  let versions = index.versions.get(id);
  if (!versions) {
    const firstOf = new Map<string, FolderListing>();
    for (const l of index.ids.listings.get(id) ?? []) if (!firstOf.has(versionOf(l.incident))) firstOf.set(versionOf(l.incident), l);
    versions = [...firstOf.keys()].sort().map((v) => firstOf.get(v) as FolderListing);
    index.versions.set(id, versions);
  }
  const found: FolderListing[] = [];
  for (let k = versions.length - 1; k >= 0 && found.length < 2; k--) {
    const first = versions[k] as FolderListing;
    if (versionOf(first.incident) <= date && (first.date === null || first.date <= date)) found.push(first);
  }
  return [found[0], found[1]];
}

/**
 * A file with errors counts for no brief. When its series can be read, the briefs of
 * that series cannot be counted until it is fixed; when it cannot, the file might hold
 * incidents of any series, and every series brief waits. Its own errors are reported
 * once, with the file (incidentFileProblems); here the brief says why it cannot be built.
 */
function brokenFileErrors(target: ValidBrief, index: CollectionIndex, series: readonly string[]): Diagnostic[] {
  if (series.length === 0) return [];
  return index.broken.flatMap((f) => {
    if (f.series && !shares(f.series, series)) return [];
    const why = f.series ? `holds incidents of series "${f.series.filter((s) => series.includes(s)).join('", "')}"` : 'may hold incidents of this series';
    return [target.source.error(['series'], `${f.file} has errors and ${why}; fix it so this brief's numbers can be counted`)];
  });
}

/** Whether a brief can see a listing: its own, or one of a file or brief dated on or before it. */
const visibleTo = (target: ValidBrief, l: FolderListing): boolean => l.origin === target || l.date === null || l.date <= target.brief.date;

/**
 * brief-format "Revisions": a brief counts the latest revision on or before its date, even
 * where its own listing of the id gives older facts. Then the page publishes facts its
 * YAML does not show; the count stands (an old brief must keep its numbers, a new one
 * must not lose a correction), but the author is told, at the own listing, which facts
 * differ and where the counted revision is. `own`: the brief's listings of the id.
 */
function staleOwnListings(own: readonly FolderListing[], current: FolderListing, target: ParsedBrief): Diagnostic[] {
  const counted = versionOf(current.incident);
  return own
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

/** The first index of a sorted list whose value is `value` or after it. */
function lowerBound<T extends string | number>(sorted: readonly T[], value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index of a sorted list whose value is after `value`. */
function upperBound<T extends string | number>(sorted: readonly T[], value: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Dates and file names compare by code point, the same on every machine. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
