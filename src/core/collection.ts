import { hasErrors, type Diagnostic, type YamlPositions } from './diagnostics.js';
import type { Incident } from './schema.js';
import { loadYaml } from './load.js';
import { findPlace, knownCountryNames } from './places.js';
import { closestCountry, idsLookAlike, nameKey, typoDistance, weaponKey } from './names.js';
import { IncidentFile, Places, type Brief, type Place } from './schema.js';
import { describeDifferences, differingFacts, type ListedIncident, type TalliedIncident } from './tally.js';
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
    if (l.incident.id !== undefined) listings.set(l.incident.id, [...(listings.get(l.incident.id) ?? []), l]);
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
      conflicts.set(id, [...(conflicts.get(id) ?? []), { first, later, diagnostic: later.source.error(later.path, message) }]);
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
  const byKey = new Map<string, FolderListing[]>();
  const warnings: ListingWarning[] = [];
  for (const listing of all) {
    const { id, date, location } = listing.incident;
    if (id === undefined) continue;
    const key = `${date}|${placeKey(location, places)}|${weaponKey(listing.incident)}`;
    const earlier = byKey.get(key) ?? [];
    // An id listed before with these facts is the established one, whatever looks like it.
    const established = earlier.some((o) => o.incident.id === id);
    for (const other of established ? [] : earlier) {
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
    byKey.set(key, [...earlier, listing]);
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

export interface Gathered {
  records: TalliedIncident[];
  /** Every listing that fed the records, for warnings that look across briefs. */
  listings: ListedIncident[];
  /** The latest brief of the series dated before this one: what "new" is new since. */
  previous?: ValidBrief;
  /** The briefs of the series dated before this one, earliest first (`previous` is the last). */
  earlier: ValidBrief[];
  /**
   * The briefs of the series dated after this one, earliest first: the first is where a
   * reader goes on to (the caller skips those not yet published).
   */
  later: ValidBrief[];
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
 */
export function gatherIncidents(target: ValidBrief, collection: Collection): Gathered {
  const series = seriesOf(target.brief);
  const date = target.brief.date;
  const related = relatedBriefs(target, collection, series);
  const listings = listingsInOrder(target, collection, series, related);
  // The target is normally one of the collection's briefs; a brief checked on its own is added.
  const ids = folderIds(collection.briefs.includes(target) ? collection : { ...collection, briefs: [...collection.briefs, target] });
  const counted = countedRecords(target, listings, ids, idsListedBefore(related, date));
  const diagnostics = [
    ...brokenFileErrors(target, collection, series),
    ...counted.diagnostics,
    ...[...ids.revisesNothing, ...ids.lookAlikes, ...ids.repeatedInFile].filter((r) => r.listing.origin === target).map((r) => r.diagnostic),
  ];
  const earlier = related.filter((b) => b.brief.date < date);
  const previous = earlier.at(-1);
  // As the files read, whatever order the ids were met in.
  diagnostics.sort((a, b) => compareText(a.file, b.file) || a.line - b.line || a.column - b.column);
  return { records: counted.records, listings, previous, earlier, later: laterBriefs(target, collection, series), diagnostics };
}

/** The briefs sharing a series and dated after a brief, by date and file: the mirror of its previous ones. */
function laterBriefs(target: ValidBrief, collection: Collection, series: readonly string[]): ValidBrief[] {
  if (series.length === 0) return [];
  return collection.briefs
    .filter((b): b is ValidBrief => b.brief !== undefined && b !== target)
    .filter((b) => shares(seriesOf(b.brief), series) && b.brief.date > target.brief.date)
    .sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
}

/** The other briefs whose incidents a brief counts: sharing a series and dated on or before it, by date and file. */
function relatedBriefs(target: ValidBrief, collection: Collection, series: readonly string[]): ValidBrief[] {
  if (series.length === 0) return [];
  return collection.briefs
    .filter((b): b is ValidBrief => b.brief !== undefined && b !== target)
    .filter((b) => shares(seriesOf(b.brief), series) && b.brief.date <= target.brief.date)
    .sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
}

/**
 * Every listing that decides what a brief counts, in the fixed order: the incident files
 * of its series, then its related briefs and itself by date and file.
 */
function listingsInOrder(target: ValidBrief, collection: Collection, series: readonly string[], related: readonly ValidBrief[]): ListedIncident[] {
  const files = series.length === 0 ? [] : collection.incidentFiles.filter((f) => f.value && shares(seriesOf(f.value), series));
  const listings: ListedIncident[] = [];
  for (const f of files) {
    f.value?.incidents.forEach((incident, i) => listings.push({ incident, source: f.source, path: ['incidents', i] }));
  }
  const byDate = [...related, target].sort((a, b) => compareText(a.brief.date, b.brief.date) || compareText(a.file, b.file));
  for (const b of byDate) b.brief.incidents?.forEach((incident, i) => listings.push({ incident, source: b.source, path: ['incidents', i] }));
  return listings;
}

/**
 * A file with errors counts for no brief. When its series can be read, the briefs of
 * that series cannot be counted until it is fixed; when it cannot, the file might hold
 * incidents of any series, and every series brief waits. Its own errors are reported
 * once, with the file (incidentFileProblems); here the brief says why it cannot be built.
 */
function brokenFileErrors(target: ValidBrief, collection: Collection, series: readonly string[]): Diagnostic[] {
  if (series.length === 0) return [];
  return collection.incidentFiles.flatMap((f) => {
    if (f.value || !hasErrors(f.diagnostics)) return [];
    if (f.series && !shares(f.series, series)) return [];
    const why = f.series ? `holds incidents of series "${f.series.filter((s) => series.includes(s)).join('", "')}"` : 'may hold incidents of this series';
    return [target.source.error(['series'], `${f.file} has errors and ${why}; fix it so this brief's numbers can be counted`)];
  });
}

/** The ids the related briefs dated before this one listed: those incidents are not new. */
function idsListedBefore(related: readonly ValidBrief[], date: string): Set<string> {
  const ids = new Set<string>();
  for (const b of related) {
    if (b.brief.date < date) for (const i of b.brief.incidents ?? []) if (i.id) ids.add(i.id);
  }
  return ids;
}

/**
 * Each incident of the listings once, as the brief counts it: one without an id as
 * listed; one with an id as its latest revision the brief can see (latestVersions), in
 * the place of the id's first listing. With them, the id conflicts the brief can see and
 * its own listings older than what it counts (staleOwnListings).
 */
function countedRecords(
  target: ValidBrief,
  listings: readonly ListedIncident[],
  ids: FolderIds,
  listedBefore: ReadonlySet<string>,
): { records: TalliedIncident[]; diagnostics: Diagnostic[] } {
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
    // Facts revised only after this brief's date were not known to it: it does not count them.
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

/** Whether a brief can see a listing: its own, or one of a file or brief dated on or before it. */
const visibleTo = (target: ValidBrief, l: FolderListing): boolean => l.origin === target || l.date === null || l.date <= target.brief.date;

/**
 * brief-format "Revisions": a brief counts the latest revision on or before its date, even
 * where its own listing of the id gives older facts. Then the page publishes facts its
 * YAML does not show; the count stands (an old brief must keep its numbers, a new one
 * must not lose a correction), but the author is told, at the own listing, which facts
 * differ and where the counted revision is.
 */
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

/**
 * The version of an incident a brief dated `date` counts (the latest revision dated on or
 * before it; the facts as first listed count from the start) and the version before that,
 * each the first listing of its revision in the fixed order.
 */
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

/** Dates and file names compare by code point, the same on every machine. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
