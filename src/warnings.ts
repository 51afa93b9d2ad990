import { distance } from 'fastest-levenshtein';
import type { Gathered, Collection, ParsedBrief } from './collection.js';
import type { Diagnostic, Path } from './diagnostics.js';
import { findPlace, knownCountryNames } from './map.js';
import type { Brief, Incident } from './schema.js';
import type { Tally } from './tally.js';

/*
 * Advice that does not stop a build: what `brief check` (and `brief build`) warn about
 * so that counts stay right as a series grows. Each warning has the position to fix.
 */

type Target = ParsedBrief & { brief: Brief };

export interface WarningInput {
  target: Target;
  gathered: Gathered;
  tally: Tally;
  collection: Collection;
  /** The brief's Markdown fields as written, before placeholders are filled. */
  fields: readonly { path: Path; text: string }[];
}

export function briefWarnings(input: WarningInput): Diagnostic[] {
  return [...likelyDuplicates(input), ...typedCounts(input), ...spellings(input), ...unmapped(input)].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
}

const weaponKey = (i: Incident) => [...new Set((i.weapons ?? []).map((w) => w.type))].sort().join('+');

/** Two listings without an id on the same date, at the same place, with the same weapons. */
function likelyDuplicates({ target, gathered }: WarningInput): Diagnostic[] {
  const byKey = new Map<string, typeof gathered.listings>();
  for (const listing of gathered.listings) {
    if (listing.incident.id !== undefined) continue;
    const { date, location } = listing.incident;
    const key = `${date}|${location}|${weaponKey(listing.incident)}`;
    byKey.set(key, [...(byKey.get(key) ?? []), listing]);
  }
  const warnings: Diagnostic[] = [];
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    group.forEach((listing, i) => {
      if (listing.source !== target.source) return;
      const other = group[i === 0 ? 1 : 0] as (typeof group)[number];
      const at = other.source.locate(other.path);
      warnings.push(
        target.source.warning(
          listing.path,
          `this incident looks like the one at ${other.source.file}:${at.line}:${at.column} (same date, location and weapons): ` +
            'give both the same id if they are one incident, so it is counted once',
        ),
      );
    });
  }
  return warnings;
}

const NUMBER_WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];
const TYPED = new RegExp(
  String.raw`\b(\d{1,3}(?:,\d{3})*|\d+|${NUMBER_WORDS.join('|')})\s+(?:[A-Za-z-]+\s+)?(attacks?|incidents?|strikes?|drones?|rockets?|missiles?|mortars?)\b`,
  'gi',
);

/**
 * A number typed next to a word such as "attacks" or "drones" that equals a number the
 * tally gives: the placeholder keeps the text and the tally box from ever disagreeing.
 */
function typedCounts({ target, tally, fields }: WarningInput): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const field of fields) {
    const seen = new Map<string, number>();
    for (const m of field.text.matchAll(TYPED)) {
      const [match, written, noun] = m as unknown as [string, string, string];
      const occurrence = seen.get(match) ?? 0;
      seen.set(match, occurrence + 1);
      const word = NUMBER_WORDS.indexOf(written.toLowerCase());
      const value = word >= 0 ? word : Number(written.replace(/,/g, ''));
      const placeholder = placeholderFor(value, noun.toLowerCase().replace(/s$/, ''), tally);
      if (!placeholder) continue;
      warnings.push({
        file: target.file,
        ...target.source.find(field.path, match, occurrence),
        message: `"${match}" is typed by hand; {{${placeholder}}} gives ${value} from the incidents and stays right when they change`,
        severity: 'warning',
      });
    }
  }
  return warnings;
}

function placeholderFor(value: number, noun: string, tally: Tally): string | undefined {
  if (['attack', 'incident', 'strike'].includes(noun)) {
    if (value === tally.total) return 'tally.total';
    if (value === tally.new && tally.new !== tally.total) return 'tally.new';
    const groups: [string, Record<string, number>][] = [
      ['country', tally.byCountry],
      ['location', tally.byLocation],
      ['perpetrator', tally.byPerpetrator],
    ];
    for (const [name, counts] of groups) {
      const hit = Object.entries(counts).find(([, n]) => n === value);
      if (hit) return `tally.${name}.${/^[\w-]+$/.test(hit[0]) ? hit[0] : `[${hit[0]}]`}`;
    }
    return undefined;
  }
  const weapon = Object.hasOwn(tally.byWeapon, noun) ? tally.byWeapon[noun] : undefined;
  if (!weapon) return undefined;
  if (weapon.exact && value === weapon.munitions) return `tally.weapon.${noun}.munitions`;
  if (value === weapon.incidents) return `tally.weapon.${noun}`;
  return undefined;
}

/** Weapon types authors commonly use, so a typo of one is caught in the first brief. */
const COMMON_WEAPON_SET: ReadonlySet<string> = new Set(['drone', 'rocket', 'missile', 'mortar', 'artillery', 'ied', 'gunfire', 'grenade', 'airstrike']);

/** A name close to, but not the same as, a known one is most likely the same thing misspelt. */
/**
 * Names in use across a collection, and how many sources (briefs, incident files) use
 * each: built once per collection, so checking a thousand briefs does not rebuild the
 * lists a thousand times.
 */
interface Vocabulary {
  locations: Map<string, number>;
  weapons: Map<string, number>;
}
const vocabularies = new WeakMap<Collection, Vocabulary>();

function vocabularyOf(collection: Collection): Vocabulary {
  let vocabulary = vocabularies.get(collection);
  if (vocabulary) return vocabulary;
  vocabulary = { locations: new Map(), weapons: new Map() };
  const sources = [...collection.briefs.map((b) => b.brief?.incidents ?? []), ...collection.incidentFiles.map((f) => f.value?.incidents ?? [])];
  for (const incidents of sources) {
    for (const name of new Set(incidents.map((i) => i.location))) vocabulary.locations.set(name, (vocabulary.locations.get(name) ?? 0) + 1);
    for (const type of weaponTypes(incidents)) vocabulary.weapons.set(type, (vocabulary.weapons.get(type) ?? 0) + 1);
  }
  vocabularies.set(collection, vocabulary);
  return vocabulary;
}

const weaponTypes = (incidents: readonly Incident[]) => new Set(incidents.flatMap((i) => (i.weapons ?? []).map((w) => w.type)));

/**
 * The name close enough to be a misspelling of this one, among the names known from
 * elsewhere: always-known names, and names some other source uses (`used` counts the
 * sources, `own` is what this brief uses itself). Only names of a near length can be
 * within the distance, so the others are not compared.
 */
function suggest(name: string, always: ReadonlySet<string>, used: ReadonlyMap<string, number> = new Map(), own: ReadonlySet<string> = new Set()): string | undefined {
  const known = (c: string) => always.has(c) || (used.get(c) ?? 0) > (own.has(c) ? 1 : 0);
  if (known(name)) return undefined;
  const limit = Math.max(1, Math.min(2, Math.floor(name.length / 4)));
  // The nearest name as written (the first of equals), accepted if it is near ignoring case.
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidates of [always.keys(), used.keys()]) {
    for (const c of candidates) {
      if (Math.abs(c.length - name.length) > limit || !known(c)) continue;
      const d = distance(name, c);
      if (d < bestDistance) [best, bestDistance] = [c, d];
    }
  }
  return best !== undefined && distance(name.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

let countryNames: Set<string> | undefined;

function spellings({ target, collection }: WarningInput): Diagnostic[] {
  const places = collection.places?.places ?? [];
  const vocabulary = vocabularyOf(collection);
  const own = target.brief.incidents ?? [];
  const ownLocations = new Set(own.map((i) => i.location));
  const ownWeapons = weaponTypes(own);
  countryNames ??= new Set(knownCountryNames());
  const countries = places.length > 0 ? new Set([...countryNames, ...places.map((p) => p.country)]) : countryNames;
  const placeNames = new Set(places.map((p) => p.name));

  const warnings: Diagnostic[] = [];
  own.forEach((incident, i) => {
    const at = (key: string | number, ...rest: (string | number)[]) => ['incidents', i, key, ...rest];
    const country = suggest(incident.country, countries);
    if (country) warnings.push(target.source.warning(at('country'), `"${incident.country}" is not a known country; did you mean "${country}"?`));

    const place = findPlace(incident.location, places);
    if (place && place.name !== incident.location) {
      warnings.push(
        target.source.warning(at('location'), `"${incident.location}" is written "${place.name}" in places.yaml; use that name so it is counted in one place`),
      );
    } else if (!place) {
      const guess = suggest(incident.location, placeNames, vocabulary.locations, ownLocations);
      if (guess) warnings.push(target.source.warning(at('location'), `"${incident.location}" is close to "${guess}", used elsewhere; is it the same place?`));
    }
    (incident.weapons ?? []).forEach((w, j) => {
      const guess = suggest(w.type, COMMON_WEAPON_SET, vocabulary.weapons, ownWeapons);
      if (guess) warnings.push(target.source.warning(at('weapons', j, 'type'), `weapon type "${w.type}": did you mean "${guess}"?`));
    });
  });
  return warnings;
}

/** An incident with no position of its own and no entry in places.yaml counts, but is not drawn. */
function unmapped({ target, collection }: WarningInput): Diagnostic[] {
  // Without a places file the project does not use the map; saying so per incident is noise.
  if (!collection.places) return [];
  const places = collection.places.places;
  return (target.brief.incidents ?? []).flatMap((incident, i) =>
    incident.lat !== undefined || findPlace(incident.location, places)
      ? []
      : [
          target.source.warning(
            ['incidents', i, 'location'],
            `"${incident.location}" will not be on the map: add lat and lon to the incident, or the place to places.yaml`,
          ),
        ],
  );
}
