import { isDeepStrictEqual } from 'node:util';
import type { YamlPositions } from './diagnostics.js';
import { asUtc } from './format.js';
import type { Brief, Incident } from './schema.js';

/** The contract's tally object (brief-format "Machine-readable outputs"): every key always present. */
/** The breakdowns a tally is counted by (`brief tally --by`), in the order tables list them. */
export type Dimension = 'country' | 'location' | 'weapon' | 'perpetrator';
export const DIMENSIONS: readonly Dimension[] = ['country', 'location', 'weapon', 'perpetrator'];

export interface Tally {
  since: string | null;
  until: string;
  days: number;
  total: number;
  new: number;
  first: string | null;
  last: string | null;
  killed: number;
  injured: number;
  claimed: number;
  byCountry: Record<string, number>;
  byLocation: Record<string, number>;
  byPerpetrator: Record<string, number>;
  byWeapon: Record<string, WeaponTally>;
  perDay: Record<string, number>;
}

export interface WeaponTally {
  /** Incidents that list this type at least once. */
  incidents: number;
  /** At least this many: known counts, plus one for each listing without a count. */
  munitions: number;
  /** True only when every listing of the type has a count. */
  exact: boolean;
}

/** An incident as the tally sees it: where it is listed decides whether it is "new". */
export interface TalliedIncident {
  incident: Incident;
  /** The brief being tallied lists it. */
  listedHere: boolean;
  /** A brief of the same series dated before this one lists it. */
  listedBefore: boolean;
  /**
   * When `incident` is a revision (it carries `revised`): the version it revises, as the
   * brief counted it before (brief-format "Revisions"), so the record can say what changed.
   */
  previous?: Incident;
}

export interface Window {
  since: string | null;
  until: string;
}

/**
 * The window, by the contract: `since` defaults to the earliest of the brief's own
 * incidents, `until` to the brief's date; both inclusive.
 */
export function tallyWindow(brief: Brief): Window {
  const own = (brief.incidents ?? []).map((i) => i.date).sort();
  return { since: brief.tally?.since ?? own[0] ?? null, until: brief.tally?.until ?? brief.date };
}

/** The records the window counts: both ends inclusive; none when the window is empty. */
export function inWindow<T extends TalliedIncident>(window: Window, records: readonly T[]): T[] {
  const { since, until } = window;
  return since === null ? [] : records.filter(({ incident: { date } }) => date >= since && date <= until);
}

/** Counts exactly by the contract's rules, over the incidents inside the window. */
export function computeTally(window: Window, records: readonly TalliedIncident[]): Tally {
  const { since, until } = window;
  const counted = inWindow(window, records);

  const byCountry = new Map<string, number>();
  const byLocation = new Map<string, number>();
  const byPerpetrator = new Map<string, number>();
  const byWeapon = new Map<string, WeaponTally>();
  const perDay = new Map<string, number>();
  let killed = 0;
  let injured = 0;
  let claimed = 0;
  let fresh = 0;

  for (const { incident, listedHere, listedBefore } of counted) {
    bump(byCountry, incident.country);
    bump(byLocation, incident.location);
    if (incident.perpetrator !== undefined) bump(byPerpetrator, incident.perpetrator);
    bump(perDay, incident.date);
    killed += incident.killed ?? 0;
    injured += incident.injured ?? 0;
    if (incident.claimed === true) claimed++;
    // brief-format "Counts", new: listed here and by no earlier brief of the series. A
    // revision of an incident an earlier brief of the series listed is therefore not new
    // ("Revisions"); a `revised:` on the only listing there is does not make it old.
    if (listedHere && !listedBefore) fresh++;

    const types = new Set<string>();
    for (const { type, count } of incident.weapons ?? []) {
      const w = byWeapon.get(type) ?? { incidents: 0, munitions: 0, exact: true };
      // A listing without a count still proves one munition, so the sum becomes "at least".
      w.munitions += count ?? 1;
      w.exact &&= count !== undefined;
      if (!types.has(type)) {
        w.incidents++;
        types.add(type);
      }
      byWeapon.set(type, w);
    }
  }

  const dates = counted.map(({ incident }) => incident.date).sort();
  return {
    since,
    until,
    // A reversed window is an error elsewhere; here it is at least never negative days.
    days: since === null || since > until ? 0 : daysBetween(since, until) + 1,
    total: counted.length,
    new: fresh,
    first: dates[0] ?? null,
    last: dates.at(-1) ?? null,
    killed,
    injured,
    claimed,
    byCountry: byCount(byCountry),
    byLocation: byCount(byLocation),
    byPerpetrator: byCount(byPerpetrator),
    byWeapon: Object.fromEntries(
      [...byWeapon].sort(([a, x], [b, y]) => y.incidents - x.incidents || y.munitions - x.munitions || compare(a, b)),
    ),
    perDay: Object.fromEntries([...perDay].sort(([a], [b]) => compare(a, b))),
  };
}

/** Where an incident was listed, so a conflict can name both places. */
export interface ListedIncident {
  incident: Incident;
  source: YamlPositions;
  path: readonly (string | number)[];
}

/**
 * Whether two listings give the same facts (brief-format "Once each"). Key order and
 * formatting are not facts; nor are `id` (which names the incident, not what happened),
 * `revised` and `revision_note` (which say when and who revised, not what), nor the
 * difference between an empty value and none (`weapons: []`, `summary: ""`).
 */
export function sameFacts(a: Incident, b: Incident): boolean {
  return differingFacts(a, b).length === 0;
}

/** One fact two listings give differently, each as an author would read it ("not given" for none). */
export interface FactDifference {
  key: string;
  a: string;
  b: string;
}

/** The keys of an incident that are facts, in the order the format lists them. */
const FACT_KEYS = ['date', 'location', 'country', 'weapons', 'perpetrator', 'claimed', 'killed', 'injured', 'summary', 'lat', 'lon', 'sources'] as const;

/** The facts two listings give differently, in the format's order; none when they agree (see sameFacts). */
export function differingFacts(a: Incident, b: Incident): FactDifference[] {
  const out: FactDifference[] = [];
  for (const key of FACT_KEYS) {
    const x = factValue(a, key);
    const y = factValue(b, key);
    if (!isDeepStrictEqual(x, y)) out.push({ key, a: showFact(x), b: showFact(y) });
  }
  return out;
}

/** `injured 0 here, 20 there; country "Iraq" here, "Syria" there`: the first place's values come first. */
export const describeDifferences = (differences: readonly FactDifference[], here = 'here', there = 'there'): string =>
  differences.map((d) => `${d.key} ${d.a} ${here}, ${d.b} ${there}`).join('; ');

/**
 * A fact as compared: absent, an empty list and empty text are one value (none); the
 * weapons and sources of an incident are a set, not a sequence (no count depends on their
 * order); a summary's surrounding whitespace is formatting.
 */
function factValue(incident: Incident, key: (typeof FACT_KEYS)[number]): unknown {
  const value = incident[key];
  if (key === 'weapons') {
    const weapons = (incident.weapons ?? []).map((w) => (w.count === undefined ? w.type : `${w.type} ${w.count}`)).sort();
    return weapons.length === 0 ? undefined : weapons;
  }
  if (key === 'sources') {
    const sources = [...(incident.sources ?? [])].sort();
    return sources.length === 0 ? undefined : sources;
  }
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  return value;
}

function showFact(value: unknown): string {
  if (value === undefined) return 'not given';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  // A date reads as a date; other text is quoted, so its spaces and ends can be seen.
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  return String(value);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Largest first, then by name, so tables and JSON read the same way every time. */
function byCount(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort(([a, x], [b, y]) => y - x || compare(a, b)));
}

/** Names sort as a reader expects (al-Asad before Conoco), the same on every machine. */
const collator = new Intl.Collator('en', { sensitivity: 'variant', numeric: true });
const compare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export function daysBetween(from: string, to: string): number {
  return Math.round((asUtc(to).getTime() - asUtc(from).getTime()) / 86_400_000);
}
