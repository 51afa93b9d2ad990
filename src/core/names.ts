/*
 * When are two names one thing misspelt? Counts are kept per exact string (contract,
 * "Tallies are computed, never typed": byCountry, byLocation, byPerpetrator per exact
 * string), so "off Hodiedah" beside "off Hodeidah" silently splits one place in two.
 * These rules decide which pairs of names deserve a did-you-mean, and which of the two
 * to suggest. Pure and small, so the rules can be tested on their own.
 */

/**
 * The form of a name that case, spacing, hyphens and a plural "s" do not change:
 * "Al Asad" and "al-Asad", "drones" and "drone", "Houthis" and "Houthi" share one key.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-_\u2010-\u2015]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word))
    .join(' ');
}

/** Weapon types as a set; spelling variants ("drones", "Drone") count as one type here. */
export const weaponKey = (incident: { weapons?: readonly { type: string }[] }): string =>
  [...new Set((incident.weapons ?? []).map((w) => nameKey(w.type)))].sort().join('+');

/**
 * Two ids that most likely name one incident with a slip of the keyboard ("tanf-1" and
 * "tanf-l"), or that differ as numbered ids of a series do ("x-1" and "x-2", "x" and
 * "x-2", "asad-a" and "asad-b"): 'typo' when they are one or two edits apart and the ids
 * are long enough for that to be a slip, not a different name; 'sequence' when they share
 * a stem and differ only in a trailing number or a trailing single letter; else undefined.
 */
export function idsLookAlike(a: string, b: string): 'typo' | 'sequence' | undefined {
  if (a === b) return undefined;
  const x = numbered(a);
  const y = numbered(b);
  if (x.stem === y.stem && (x.kind === y.kind || x.kind === 'none' || y.kind === 'none')) return 'sequence';
  const d = typoDistance(a, b);
  return d <= 2 && d * 3 <= Math.min(a.length, b.length) ? 'typo' : undefined;
}

/** "x-12" is stem "x", a number; "asad-b" is stem "asad", a letter; "tanf" has no suffix. */
function numbered(id: string): { stem: string; kind: 'number' | 'letter' | 'none' } {
  const number = /^(.*?)-?(\d+)$/.exec(id);
  if (number?.[1]) return { stem: number[1], kind: 'number' };
  const letter = /^(.+)-([a-z])$/.exec(id);
  if (letter?.[1]) return { stem: letter[1], kind: 'letter' };
  return { stem: id, kind: 'none' };
}

/**
 * Edit distance where swapping two neighbouring letters costs one, as a typist's slip
 * does ("Hodiedah" for "Hodeidah"): the optimal string alignment distance.
 */
export function typoDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[i - 1]?.[j] ?? 0) + 1, (d[i]?.[j - 1] ?? 0) + 1, (d[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? 0;
}

const digitsOf = (name: string) => (name.match(/\d+/g) ?? []).join(' ');

/**
 * Whether two different names are most likely one name written two ways: the same key,
 * or a slip of one letter (two in long names). Genuinely different short names stay
 * apart: names of four letters or fewer are compared by key only ("Aden" and "Eden"),
 * names whose numbers differ are different places ("Base 2" and "Base 3"), and so are
 * names that differ only in one short word ("Camp A" and "Camp B").
 */
export function similarNames(a: string, b: string): boolean {
  return similarShapes(shapeOf(a), shapeOf(b));
}

/** What similarNames compares of a name, worked out once per name. */
interface NameShape {
  name: string;
  key: string;
  digits: string;
}

const shapeOf = (name: string): NameShape => ({ name, key: nameKey(name), digits: digitsOf(name) });

/** similarNames on names whose key and digits are already known. */
function similarShapes(a: NameShape, b: NameShape): boolean {
  if (a.name === b.name) return false;
  const ka = a.key;
  const kb = b.key;
  if (ka === kb) return true;
  if (a.digits !== b.digits) return false;
  const wa = ka.split(' ');
  const wb = kb.split(' ');
  if (wa.length === wb.length) {
    const differing = wa.map((w, i) => [w, wb[i] as string] as const).filter(([x, y]) => x !== y);
    if (differing.length === 1 && differing.every(([x, y]) => x.length <= 2 && y.length <= 2)) return false;
  }
  const longest = Math.max(ka.length, kb.length);
  const limit = longest <= 4 ? 0 : longest <= 8 ? 1 : 2;
  // Names whose lengths differ by more than the limit cannot be within it: not compared.
  return limit > 0 && Math.abs(ka.length - kb.length) <= limit && typoDistance(ka, kb) <= limit;
}

/** The most a key's length may differ from another's for similarShapes to hold: its largest limit. */
const MOST_EDITS = 2;

/**
 * Candidate names filed by what similarShapes needs to hold, so that a name is compared
 * only with those it can be similar to: the same key, or the same digits and a key
 * length within MOST_EDITS. Without it a folder of n place names costs n^2 comparisons
 * (4,000 numbered bases took 20 s). `order` keeps the candidates' first-seen order, which
 * decides ties.
 */
interface Candidates {
  byKey: Map<string, NameShape[]>;
  byDigitsAndLength: Map<string, NameShape[]>;
  order: Map<string, number>;
  sizes: [number, number];
}

const lengthSlot = (digits: string, length: number) => `${digits}\u0000${length}`;

function fileCandidates(used: ReadonlyMap<string, NameUse>, always: ReadonlySet<string>): Candidates {
  const c: Candidates = { byKey: new Map(), byDigitsAndLength: new Map(), order: new Map(), sizes: [used.size, always.size] };
  const file = (map: Map<string, NameShape[]>, slot: string, shape: NameShape) => {
    const list = map.get(slot);
    if (list) list.push(shape);
    else map.set(slot, [shape]);
  };
  for (const name of [...used.keys(), ...always]) {
    if (c.order.has(name)) continue;
    c.order.set(name, c.order.size);
    const shape = shapeOf(name);
    file(c.byKey, shape.key, shape);
    file(c.byDigitsAndLength, lengthSlot(shape.digits, shape.key.length), shape);
  }
  return c;
}

/** Candidates are filed once per pair of name sets (a collection's, checked for each of its briefs), again if either grew. */
const filed = new WeakMap<ReadonlyMap<string, NameUse>, WeakMap<ReadonlySet<string>, Candidates>>();

function candidatesOf(used: ReadonlyMap<string, NameUse>, always: ReadonlySet<string>): Candidates {
  let byAlways = filed.get(used);
  if (!byAlways) filed.set(used, (byAlways = new WeakMap()));
  const cached = byAlways.get(always);
  if (cached && cached.sizes[0] === used.size && cached.sizes[1] === always.size) return cached;
  const fresh = fileCandidates(used, always);
  byAlways.set(always, fresh);
  return fresh;
}

/** The candidates similar to `shape`, in first-seen order. */
function similarAmong(shape: NameShape, c: Candidates): string[] {
  const near = new Set<NameShape>(c.byKey.get(shape.key));
  for (let d = -MOST_EDITS; d <= MOST_EDITS; d++) for (const other of c.byDigitsAndLength.get(lengthSlot(shape.digits, shape.key.length + d)) ?? []) near.add(other);
  return [...near]
    .filter((other) => similarShapes(shape, other))
    .map((other) => other.name)
    .sort((x, y) => (c.order.get(x) as number) - (c.order.get(y) as number));
}

/** No names: the default set of names always known. */
export const NO_NAMES: ReadonlySet<string> = new Set();

/** How a name is used across a collection: incidents listing it, and the rank of its first listing. */
export interface NameUse {
  count: number;
  first: number;
}

/**
 * The spelling to suggest for `name`: among the similar names that are always known
 * (`always`, e.g. the country list) or used in the collection (`used`), the most used one,
 * then an always-known one, then the one listed first. With `onlyBetter`, a suggestion is
 * made only when the other name is better established than this one (more incidents, or
 * as many and listed earlier), so of two spellings only the newer, rarer one is warned
 * about. Undefined when no name is close.
 */
export function betterSpelling(
  name: string,
  used: ReadonlyMap<string, NameUse>,
  always: ReadonlySet<string> = NO_NAMES,
  onlyBetter = false,
): string | undefined {
  const own = used.get(name);
  const rank = (c: string): [number, number, number] => {
    const u = used.get(c);
    return [u?.count ?? 0, always.has(c) ? 1 : 0, -(u?.first ?? Infinity)];
  };
  const beats = (x: [number, number, number], y: [number, number, number]) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  let best: string | undefined;
  for (const c of similarAmong(shapeOf(name), candidatesOf(used, always))) {
    if (onlyBetter && own && !always.has(c) && beats(rank(c), rank(name)) <= 0) continue;
    if (best === undefined || beats(rank(c), rank(best)) > 0) best = c;
  }
  return best;
}

/**
 * Other names for countries that the country list spells differently, by their letters
 * alone (so "U.S.", "US" and "u.s." are one entry). Small on purpose: the names authors
 * reach for in news prose, not a gazetteer.
 */
const COUNTRY_ALIASES: Record<string, string> = {
  us: 'United States of America',
  usa: 'United States of America',
  unitedstates: 'United States of America',
  america: 'United States of America',
  uk: 'United Kingdom',
  britain: 'United Kingdom',
  greatbritain: 'United Kingdom',
  uae: 'United Arab Emirates',
  irak: 'Iraq',
  ksa: 'Saudi Arabia',
  saudi: 'Saudi Arabia',
  türkiye: 'Turkey',
  turkiye: 'Turkey',
  burma: 'Myanmar',
  southsudan: 'S. Sudan',
  drc: 'Dem. Rep. Congo',
  ivorycoast: "Côte d'Ivoire",
  czechrepublic: 'Czechia',
  northmacedonia: 'Macedonia',
};

const letters = (name: string) => name.normalize('NFKC').toLowerCase().replace(/[^\p{L}]/gu, '');

/**
 * The country of a closed list (`known`) that an unknown country name most likely
 * means, or undefined: another name for it ("U.S.", "Irak"), the name with a note in
 * parentheses ("Yemen (Houthi)"), the same name in other case or spacing, or the one
 * nearest name within a few slips. Unlike similarNames, short names are compared too:
 * the list is closed, so a name not on it is wrong whatever its length; a tie between
 * two nearest names that the first letter does not settle ("Iraq" and "Iran" for
 * "Iraz") gives no suggestion rather than a guess.
 */
export function closestCountry(name: string, known: ReadonlySet<string>): string | undefined {
  const tryName = (n: string): string | undefined => {
    if (known.has(n)) return n;
    const alias = COUNTRY_ALIASES[letters(n)];
    if (alias !== undefined && known.has(alias)) return alias;
    return [...known].find((k) => nameKey(k) === nameKey(n) || (letters(k) !== '' && letters(k) === letters(n)));
  };
  const direct = tryName(name) ?? tryName(name.replace(/\s*\([^)]*\)\s*/g, ' ').trim());
  if (direct !== undefined) return direct;
  const own = name.toLowerCase();
  const limit = own.length <= 4 ? 1 : own.length <= 10 ? 2 : 3;
  let best: string[] = [];
  let bestDistance = limit + 1;
  for (const k of known) {
    if (Math.abs(k.length - own.length) > limit) continue;
    const d = typoDistance(own, k.toLowerCase());
    if (d > limit) continue;
    if (d < bestDistance) [best, bestDistance] = [[k], d];
    else if (d === bestDistance) best.push(k);
  }
  // A slip rarely changes the first letter: "Sirya" is Syria, not Libya, at the same distance.
  if (best.length > 1) best = best.filter((k) => k[0]?.toLowerCase() === own[0]);
  return best.length === 1 ? best[0] : undefined;
}
