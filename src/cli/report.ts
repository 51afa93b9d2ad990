import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import Table from 'cli-table3';
import type { CompiledBrief } from '../page/compile.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { formatNumber, formatRange } from '../core/format.js';
import { findPlace } from '../core/places.js';
import type { Incident, Place } from '../core/schema.js';
import { computeTally, describeDifferences, differingFacts, inWindow, type Dimension, type Tally, type TalliedIncident, type Window } from '../core/tally.js';

/*
 * The numbers for analysts: `brief tally` and `brief export`. Both start from the same
 * records the build counts, so a figure in a spreadsheet is the figure in the PDF.
 */


export interface Selection {
  window: Window;
  records: TalliedIncident[];
  /**
   * Ids two briefs of different folders list with different facts at the same revision:
   * ids are checked within a folder, so counting folders together cannot tell which is
   * right, and a number that picked one would be silently wrong (the caller exits 1).
   */
  conflicts: string[];
}

/**
 * Where an incident is listed, as `file:line:column` when a brief of the selection lists
 * it, else as an incident file beside the folder of the brief that counts it.
 */
function listingsOf(compiled: readonly CompiledBrief[]): (incident: Incident, countedBy: CompiledBrief) => string {
  const where = new Map<Incident, string>();
  for (const c of compiled) {
    (c.brief?.incidents ?? []).forEach((incident, i) => {
      const at = c.positions?.locate(['incidents', i]);
      if (at) where.set(incident, `${c.file}:${at.line}:${at.column}`);
    });
  }
  return (incident, countedBy) => where.get(incident) ?? `an incident file beside ${path.posix.dirname(countedBy.file)} (counted by ${countedBy.file})`;
}

/**
 * One brief: its own records and window, exactly as its build counts them. Several:
 * every incident they count, once each by id, over the span of them all. Either window
 * end can be moved.
 */
export function select(compiled: readonly CompiledBrief[], since?: string, until?: string): Selection {
  const only = compiled.length === 1 ? compiled[0] : undefined;
  if (only?.tally && only.records) {
    return { window: { since: since ?? only.tally.since, until: until ?? only.tally.until }, records: only.records, conflicts: [] };
  }
  // Once each by id; of an id's versions, the latest revision any of the briefs counts
  // (brief-format "Revisions": each brief's records already hold only what its date allows).
  const byId = new Map<string, number>();
  const conflicts: string[] = [];
  const records: TalliedIncident[] = [];
  const seenObjects = new Set<Incident>();
  const listing = listingsOf(compiled);
  for (const c of compiled) {
    for (const r of c.records ?? []) {
      if (seenObjects.has(r.incident)) continue;
      seenObjects.add(r.incident);
      const record = { incident: r.incident, listedHere: true, listedBefore: false, ...(r.previous ? { previous: r.previous } : {}) };
      const id = r.incident.id;
      const at = id === undefined ? undefined : byId.get(id);
      if (at === undefined) {
        if (id !== undefined) byId.set(id, records.length);
        records.push(record);
        continue;
      }
      const kept = (records[at] as TalliedIncident).incident;
      if ((r.incident.revised ?? '') > (kept.revised ?? '')) {
        records[at] = record;
      } else if ((r.incident.revised ?? '') === (kept.revised ?? '')) {
        const differences = differingFacts(r.incident, kept);
        if (differences.length > 0) {
          conflicts.push(
            `${listing(r.incident, c)}: incident "${id}" is listed with different facts from ${listing(kept, c)}: ${describeDifferences(differences)}; ` +
              'ids are checked within one folder, so these folders cannot be counted together: count them apart, or make the listings agree',
          );
        }
      }
    }
  }
  const dates = records.map((r) => r.incident.date).sort();
  const briefDates = compiled.flatMap((c) => (c.brief ? [c.brief.date] : [])).sort();
  return {
    window: { since: since ?? dates[0] ?? null, until: until ?? briefDates.at(-1) ?? dates.at(-1) ?? since ?? '' },
    records,
    conflicts,
  };
}

export const tallyOf = ({ window, records }: Selection): Tally => computeTally(window, records);

type Row = { name: string; incidents: number; munitions?: number; exact?: boolean };

function rows(tally: Tally, dimension: Dimension): Row[] {
  if (dimension === 'weapon') return Object.entries(tally.byWeapon).map(([name, w]) => ({ name, ...w }));
  const counts = { country: tally.byCountry, location: tally.byLocation, perpetrator: tally.byPerpetrator }[dimension];
  return Object.entries(counts).map(([name, incidents]) => ({ name, incidents }));
}

/** "1 incident", "2 incidents": the headline is read as a sentence. */
const counted = (n: number, noun: string): string => `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`;

/** For a terminal: a headline, then one table per dimension. */
export function tallyTable(tally: Tally, dimensions: readonly Dimension[]): string {
  const head =
    tally.since === null
      ? 'No incidents in the window.'
      : `${formatRange(tally.since, tally.until)} (${counted(tally.days, 'day')}): ${counted(tally.total, 'incident')}, ` +
        `${formatNumber(tally.new)} new, ${formatNumber(tally.killed)} killed, ${formatNumber(tally.injured)} injured, ` +
        `${formatNumber(tally.claimed)} claimed`;
  const tables = dimensions.map((dimension) => {
    const weapon = dimension === 'weapon';
    const table = new Table({
      head: weapon ? [dimension, 'incidents', 'munitions'] : [dimension, 'incidents'],
      colAligns: weapon ? ['left', 'right', 'right'] : ['left', 'right'],
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const r of rows(tally, dimension)) {
      const munitions = r.munitions === undefined ? '' : `${r.exact ? '' : 'at least '}${formatNumber(r.munitions)}`;
      table.push(weapon ? [r.name, formatNumber(r.incidents), munitions] : [r.name, formatNumber(r.incidents)]);
    }
    return table.toString();
  });
  return [head, ...tables].join('\n\n') + '\n';
}

/** For spreadsheets: one row per name, with the dimension as a column when there are several. */
export function tallyCsv(tally: Tally, dimensions: readonly Dimension[]): string {
  const records = dimensions.flatMap((dimension) =>
    rows(tally, dimension).map((r) => ({
      dimension,
      name: r.name,
      incidents: r.incidents,
      munitions: r.munitions ?? '',
      munitions_exact: r.exact === undefined ? '' : r.exact,
    })),
  );
  const columns = dimensions.length === 1 ? ['name', 'incidents', 'munitions', 'munitions_exact'] : ['dimension', 'name', 'incidents', 'munitions', 'munitions_exact'];
  if (dimensions.length === 1 && dimensions[0] !== 'weapon') columns.splice(2, 2);
  return stringify(records, { header: true, columns, cast: csvCast });
}

/** The columns analysts' tools expect (the ACLED convention), one incident per row. */
export interface ExportRow {
  event_id: string;
  event_date: string;
  country: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
  actor: string;
  /** Whether the perpetrator claimed it; null (empty in CSV) when the brief does not say. */
  claimed: boolean | null;
  weapons: string;
  fatalities: number | null;
  injuries: number | null;
  notes: string;
  source: string;
  /** brief-format "Revisions": the date of the revision whose facts the row gives; null (empty in CSV) for facts as first listed. */
  revised: string | null;
}

export function exportRows({ window, records }: Selection, places: readonly Place[]): ExportRow[] {
  return inWindow(window, records)
    .map(({ incident: i }) => {
      const place = findPlace(i.location, places);
      return {
        event_id: i.id ?? '',
        event_date: i.date,
        country: i.country,
        location: i.location,
        latitude: i.lat ?? place?.lat ?? null,
        longitude: i.lon ?? place?.lon ?? null,
        actor: i.perpetrator ?? '',
        claimed: i.claimed ?? null,
        weapons: (i.weapons ?? []).map((w) => (w.count === undefined ? w.type : `${w.type}:${w.count}`)).join(';'),
        fatalities: i.killed ?? null,
        injuries: i.injured ?? null,
        notes: i.summary ?? '',
        source: (i.sources ?? []).join(' '),
        revised: i.revised ?? null,
      };
    })
    .sort((a, b) => a.event_date.localeCompare(b.event_date) || a.location.localeCompare(b.location));
}

/**
 * Spreadsheets run a cell that starts with =, +, - or @ as a formula; brief text is
 * untrusted, so such cells get a leading apostrophe (the OWASP advice) and stay text.
 */
const inert = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
const csvCast = { boolean: (b: boolean) => String(b), string: inert };

export function exportText(rows: readonly ExportRow[], format: 'csv' | 'json' | 'geojson'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') {
    return stringify(rows as unknown as Record<string, unknown>[], {
      header: true,
      columns: Object.keys(exportColumns),
      cast: csvCast,
    });
  }
  // Incidents without a position keep their row, with a null geometry, as GeoJSON allows.
  const features = rows.map(({ latitude, longitude, ...properties }) => ({
    type: 'Feature',
    geometry: latitude === null || longitude === null ? null : { type: 'Point', coordinates: [longitude, latitude] },
    properties,
  }));
  return `${JSON.stringify({ type: 'FeatureCollection', features }, null, 2)}\n`;
}

const exportColumns: Record<keyof ExportRow, true> = {
  event_id: true, event_date: true, country: true, location: true, latitude: true, longitude: true, actor: true,
  claimed: true, weapons: true, fatalities: true, injuries: true, notes: true, source: true, revised: true,
};

/** Problems that make numbers untrustworthy: any error in the briefs the numbers come from. */
export const blockingErrors = (compiled: readonly CompiledBrief[]): Diagnostic[] =>
  compiled.flatMap((c) => c.diagnostics.filter((d) => d.severity === 'error'));
