import { createRequire } from 'node:module';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Place } from './schema.js';

/*
 * Places and countries by name: the lookups the checks and the locator map share.
 * Country names and borders come from Natural Earth's 1:50m data (the world-atlas
 * package), loaded as a module, never read from a path.
 */

let topology: Topology | undefined;

/** Natural Earth's 1:50m countries as TopoJSON, loaded once per process. */
export function worldTopology(): Topology {
  topology ??= createRequire(import.meta.url)('world-atlas/countries-50m.json') as Topology;
  return topology;
}

/** Country names as Natural Earth spells them, for spelling suggestions. */
export const knownCountryNames = (): string[] =>
  (worldTopology().objects.countries as GeometryCollection).geometries.flatMap((g) => {
    const name = (g.properties as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' ? [name] : [];
  });

/** Each places list indexed once by lower-cased name and alias: lookups are per incident, and many. */
const placeIndexes = new WeakMap<readonly Place[], Map<string, Place>>();

/** Finds a place by name or alias, ignoring case, so "Tanf" finds "al-Tanf garrison". */
export function findPlace(name: string, places: readonly Place[]): Place | undefined {
  let index = placeIndexes.get(places);
  if (!index) {
    index = new Map();
    // Names win over aliases, and the first entry over later ones, as a scan in order would find them.
    for (const p of places) if (!index.has(p.name.toLowerCase())) index.set(p.name.toLowerCase(), p);
    for (const p of places) for (const a of p.aliases ?? []) if (!index.has(a.toLowerCase())) index.set(a.toLowerCase(), p);
    placeIndexes.set(places, index);
  }
  return index.get(name.trim().toLowerCase());
}
