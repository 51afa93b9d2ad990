import type { Diagnostic, SourceMap } from './diagnostics.js';
import { loadYaml } from './load.js';
import { IncidentFile, Places, type Brief, type Place } from './schema.js';
import { mergeById, type ListedIncident, type TalliedIncident } from './tally.js';
import { validateWith } from './validate.js';

/*
 * A brief's tally may reach beyond the brief: the contract counts the incidents of every
 * brief of the same folder that shares a series name and is dated on or before it, and
 * of the incident files that share a series name. This module gathers them, purely,
 * from what the edges have read.
 */

/** A brief after loading and validation; `brief` is absent when it is invalid. */
export interface ParsedBrief {
  file: string;
  source: SourceMap;
  data: unknown;
  brief?: Brief;
  diagnostics: Diagnostic[];
}

export interface ParsedIncidentFile {
  file: string;
  source: SourceMap;
  value?: IncidentFile;
  diagnostics: Diagnostic[];
}

export interface ParsedPlaces {
  file: string;
  source: SourceMap;
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

export const seriesOf = (brief: Pick<Brief, 'series'>): string[] =>
  brief.series === undefined ? [] : Array.isArray(brief.series) ? brief.series : [brief.series];

const shares = (a: readonly string[], b: readonly string[]) => a.some((s) => b.includes(s));

export function parseIncidentFile(text: string, file: string): ParsedIncidentFile {
  const loaded = loadYaml(text, file);
  if (loaded.data === undefined) return { file, source: loaded.source, diagnostics: loaded.diagnostics };
  const { value, diagnostics } = validateWith(IncidentFile, loaded.data, loaded.source, 'the incident file');
  return { file, source: loaded.source, value, diagnostics: [...loaded.diagnostics, ...diagnostics] };
}

export function parsePlaces(text: string, file: string): ParsedPlaces {
  const loaded = loadYaml(text, file);
  if (loaded.data === undefined) return { file, source: loaded.source, places: [], diagnostics: loaded.diagnostics };
  const { value, diagnostics } = validateWith(Places, loaded.data, loaded.source, 'the places file');
  return { file, source: loaded.source, places: value ?? [], diagnostics: [...loaded.diagnostics, ...diagnostics] };
}

export interface Gathered {
  records: TalliedIncident[];
  /** Every listing that fed the records, for warnings that look across briefs. */
  listings: ListedIncident[];
  /** The latest brief of the series dated before this one: what "new" is new since. */
  previous?: ParsedBrief & { brief: Brief };
  diagnostics: Diagnostic[];
}

/**
 * The incidents a brief counts, each once, with whether it is its own and whether an
 * earlier brief of its series listed it. Listings are taken in a fixed order (incident
 * files, then briefs by date and file name) so that the first listing of an id wins and
 * a conflict is always reported at the later one.
 */
export function gatherIncidents(target: ParsedBrief & { brief: Brief }, collection: Collection): Gathered {
  const series = seriesOf(target.brief);
  const diagnostics: Diagnostic[] = [];
  const own: ListedIncident[] = (target.brief.incidents ?? []).map((incident, i) => ({
    incident,
    source: target.source,
    path: ['incidents', i],
  }));
  if (series.length === 0) {
    const merged = mergeById(own);
    return {
      records: merged.unique.map(({ incident }) => ({ incident, listedHere: true, listedBefore: false })),
      listings: own,
      diagnostics: merged.diagnostics,
    };
  }

  const related = collection.briefs
    .filter((b): b is ParsedBrief & { brief: Brief } => b.brief !== undefined && b !== target)
    .filter((b) => shares(seriesOf(b.brief), series) && b.brief.date <= target.brief.date)
    .sort((a, b) => a.brief.date.localeCompare(b.brief.date) || a.file.localeCompare(b.file));
  const files = collection.incidentFiles.filter((f) => f.value && shares(seriesOf(f.value), series));
  // An incident file that cannot be read might belong to any series: its errors stop every series brief.
  for (const f of collection.incidentFiles) if (!f.value || files.includes(f)) diagnostics.push(...f.diagnostics);

  const listings: ListedIncident[] = [];
  for (const f of files) {
    f.value?.incidents.forEach((incident, i) => listings.push({ incident, source: f.source, path: ['incidents', i] }));
  }
  const byDate = [...related, target].sort(
    (a, b) => a.brief.date.localeCompare(b.brief.date) || a.file.localeCompare(b.file),
  );
  for (const b of byDate) {
    if (b === target) listings.push(...own);
    else b.brief.incidents?.forEach((incident, i) => listings.push({ incident, source: b.source, path: ['incidents', i] }));
  }

  const earlierIds = new Set<string>();
  for (const b of related) {
    if (b.brief.date < target.brief.date) for (const i of b.brief.incidents ?? []) if (i.id) earlierIds.add(i.id);
  }
  const ownIds = new Set((target.brief.incidents ?? []).map((i) => i.id).filter((id): id is string => !!id));
  const ownObjects = new Set<unknown>(target.brief.incidents ?? []);

  const merged = mergeById(listings);
  diagnostics.push(...merged.diagnostics);
  const records = merged.unique.map(({ incident }) => ({
    incident,
    listedHere: ownObjects.has(incident) || (incident.id !== undefined && ownIds.has(incident.id)),
    listedBefore: incident.id !== undefined && earlierIds.has(incident.id),
  }));
  const previous = related.filter((b) => b.brief.date < target.brief.date).at(-1);
  return { records, listings, previous, diagnostics };
}
