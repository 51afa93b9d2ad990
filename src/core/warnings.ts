import type { Gathered, Collection, ParsedBrief } from './collection.js';
import { formatPath, type Diagnostic, type Path } from './diagnostics.js';
import { findPlace, knownCountryNames } from './places.js';
import type { Brief, Incident, Place } from './schema.js';
import { betterSpelling, closestCountry, nameKey, NO_NAMES, type NameUse } from './names.js';
import { citedNames as citedNamesIn } from './placeholders.js';
import { daysBetween, type Tally } from './tally.js';
import { weaponPlural } from './format.js';

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

/**
 * Every warning about one brief, in the order of its source: advice that never stops a
 * build, each at the place to fix, so that counts stay right as a series grows.
 */
export function briefWarnings(input: WarningInput): Diagnostic[] {
  return [
    ...likelyDuplicates(input),
    ...typedCounts(input),
    ...spellings(input),
    ...citedNames(input),
    ...outsideWindow(input),
    ...emptySeriesWindow(input),
    ...lonelyEarliest(input),
    ...windowPastBrief(input),
    ...unmapped(input),
    ...plainTextPlaceholders(input),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
}


/**
 * Every listing this brief counts (its own, earlier briefs of its series, incident files)
 * compared with this brief's own: the same date, location and weapon types, where at least
 * one of the two has no id, is most likely one incident counted twice (brief-format
 * "Tallies", Once each). Two listings with the same id are one incident already; two with
 * different ids were declared different by their author. Locations are compared by
 * placeKey, so "al-Asad" and "Al Asad", and "Tanf" (an alias in places.yaml) and
 * "al-Tanf garrison", are the same place here.
 */
function likelyDuplicates({ target, gathered }: WarningInput): Diagnostic[] {
  return gathered.sameFacts().map(({ own, other }) => {
    const at = other.source.locate(other.path);
    return target.source.warning(
      own.path,
      `this incident looks like the one at ${other.source.file}:${at.line}:${at.column} (same date, location and weapons): ` +
        'give both the same id if they are one incident, so it is counted once',
    );
  });
}

const NUMBER_WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];
const TENS = ['thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
// "the first attack" and "the second strike" are narrative; from "fourth" on, an ordinal
// next to an event is a running count ("the tenth attack since October").
const ORDINAL_WORDS = [
  '', '', '', '', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth', 'thirteenth',
  'fourteenth', 'fifteenth', 'sixteenth', 'seventeenth', 'eighteenth', 'nineteenth', 'twentieth',
];
const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december';
/** Nouns whose number is a number of events: what total, new and the per-name counts give. */
const EVENT_NOUNS = ['attack', 'incident', 'strike', 'raid', 'assault', 'ambush', 'barrage', 'salvo', 'time'];
/** What attacks hit: a number of them is a number of attacks only in a sentence about attacking. */
const TARGET_NOUNS = ['vessel', 'ship', 'tanker'];
/** A sentence that tells of attacking: a verb, in the forms that cannot be a noun ("attacks" can). */
const ATTACK_VERB =
  /\b(?:attacked|attacking|struck|striking|hit|hitting|targeted|targeting|launched|launching|fired\s+(?:at|on|upon)|firing\s+(?:at|on|upon)|shelled|shelling|bombed|bombing|raided|ambushed|assaulted|(?:came|come|coming)\s+under\s+(?:attack|fire))\b/i;
/** Words in quotation marks are someone's words, as written: straight or curly, within a paragraph. */
const QUOTED = /“[^”]*”|"(?:[^"\n]|\n(?!\s*\n))*"/g;

/**
 * The sentence of `text` around position `at`: ends at . ! ? followed by a space, or a
 * blank line, except after a lone capital ("U.S. destroyers" is one sentence).
 */
function sentenceAt(text: string, at: number): string {
  let start = 0;
  let end = text.length;
  for (const m of text.matchAll(/\n\s*\n|[.!?]+["”’)]*\s+/g)) {
    if (m[0].startsWith('.') && /(?:^|[^A-Za-z])[A-Z]$/.test(text.slice(0, m.index))) continue;
    if (m.index + m[0].length <= at) start = m.index + m[0].length;
    else if (m.index >= at) {
      end = m.index;
      break;
    }
  }
  return text.slice(start, end);
}
/** Nouns whose number is a number of munitions (or of incidents using them). */
const WEAPON_NOUNS = ['drone', 'rocket', 'missile', 'mortar'];

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+|\d+(?:st|nd|rd|th)?|half\s+a\s+dozen|(?:a|one|two|three|four)\s+dozen|dozen|twice|thrice|(?:${TENS.join('|')})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|${NUMBER_WORDS.join('|')}|${ORDINAL_WORDS.filter(Boolean).join('|')}`;
/** A number, up to two words, then a noun ("10 drone attacks", "ten separate attacks", "a dozen drones"). */
const BEFORE_NOUN = new RegExp(String.raw`\b(${NUMBER})(?:\s+([A-Za-z][\w-]*))?(?:\s+([A-Za-z][\w-]*))?\s+([A-Za-z]+)\b`, 'dgi');
/** "killing 3", "wounded 2 sailors", "claimed 4 of them". */
const AFTER_VERB = new RegExp(String.raw`\b(killing|killed|kills|wounding|wounded|wounds|injuring|injured|injures|claimed|claiming)\s+(?:at\s+least\s+|responsibility\s+for\s+)?(${NUMBER})\b`, 'gi');
/**
 * "3 sailors killed", "two people wounded", "Twenty U.S. service members were injured": a
 * number, up to four words of who (not an event or a weapon: "two attacks left people
 * injured" counts attacks), then the verb.
 */
const WHO = String.raw`(?!(?:${['attack', 'incident', 'strike', 'raid', 'drone', 'rocket', 'missile', 'mortar', 'left', 'caused', 'hit', 'struck', 'and', 'but', 'or', 'no', 'none', 'nobody'].join('|')})s?\b)[A-Za-z][\w.’'-]*`;
const BEFORE_VERB = new RegExp(String.raw`\b(${NUMBER})\s+(?:${WHO}\s+){0,4}?(?:(?:were|was|are|had\s+been|have\s+been|been)\s+)?(killed|dead|wounded|injured)\b`, 'gi');
/** "3 of the incidents", "two of these attacks": a part of the events, so only a count the sentence names can be meant. */
const OF_EVENTS = new RegExp(String.raw`\b(${NUMBER})\s+of\s+(?:the|these|those|this\s+week's|all\s+the)\s+(?:[A-Za-z][\w-]*\s+)?(?:attacks|incidents|strikes|raids)\b`, 'gi');
/** After "attack", these make it a modifier ("one-way attack drones", "attack helicopters"), not a count of attacks. */
const ATTACK_AS_MODIFIER = /^\s+(?:drones?|helicopters?|boats?|aircraft|submarines?|craft|jets?|planes?|ships?|vessels?|uavs?|dogs?|units?|squadrons?|teams?|forces?|groups?|cells?|capabilit(?:y|ies)|weapons?|vehicles?)\b/i;
/** "struck twice", where no noun follows. */
const ADVERB = /\b(twice|thrice)\b(?!\s+(?:as|the|that|a|an|more|its|their|what|over|per|daily|weekly|in|on|at|since|before|after|\w+s)\b)/gi;

/** The value of a written number, and whether it is an ordinal ("10th", "tenth"). */
function numberValue(written: string): { value: number; ordinal: boolean } | undefined {
  const w = written.toLowerCase().replace(/\s+/g, ' ');
  if (/^[\d,]+$/.test(w)) return { value: Number(w.replace(/,/g, '')), ordinal: false };
  const ordinal = /^(\d+)(st|nd|rd|th)$/.exec(w);
  if (ordinal) return { value: Number(ordinal[1]), ordinal: true };
  if (w === 'twice') return { value: 2, ordinal: false };
  if (w === 'thrice') return { value: 3, ordinal: false };
  if (w === 'half a dozen') return { value: 6, ordinal: false };
  const dozens = /^(a|one|two|three|four)? ?dozen$/.exec(w);
  if (dozens) return { value: 12 * (dozens[1] === undefined || dozens[1] === 'a' ? 1 : NUMBER_WORDS.indexOf(dozens[1])), ordinal: false };
  if (NUMBER_WORDS.includes(w)) return { value: NUMBER_WORDS.indexOf(w), ordinal: false };
  if (ORDINAL_WORDS.includes(w) && w !== '') return { value: ORDINAL_WORDS.indexOf(w), ordinal: true };
  const [tens, unit] = w.split('-');
  const t = TENS.indexOf(tens ?? '');
  if (t >= 0) return { value: (t + 3) * 10 + (unit ? NUMBER_WORDS.indexOf(unit) : 0), ordinal: false };
  return undefined;
}

// "twice" mostly tells of one place ("twice at al-Asad"), so it is compared with the whole counts only.
type Counted = { kind: 'event'; modifiers: string[]; part?: boolean } | { kind: 'events' } | { kind: 'weapon'; type: string } | { kind: 'days' } | { kind: 'killed' | 'injured' | 'claimed' };

/**
 * A number typed where the tally gives one (brief-format "Tallies are computed, never
 * typed"): "10 attacks", "struck ships 10 times", "a dozen drones", "twice", "killing 3",
 * "the 10th attack", when it equals a number the tally gives for that kind of thing. The
 * placeholder keeps the text and the tally box from ever disagreeing. Dates ("October 17
 * attacks"), years, and numbers joined to a word ("10-day") are not counts; an ordinal is
 * compared with the total only.
 */
function typedCounts(input: WarningInput): Diagnostic[] {
  const weaponTypes = new Set(Object.keys(input.tally.byWeapon).map(nameKey));
  // A quote is a person's words: they cannot take a placeholder, so a number there is theirs.
  return input.fields.filter((field) => field.path[0] !== 'analysis').flatMap((field) => typedCountsIn(field, input, weaponTypes));
}

type Field = WarningInput['fields'][number];

/** A number read as a count: where it is, the phrase it was read in, and what it counts. */
interface Reading {
  /** Where the number starts: a number is read once, whatever phrases it is part of. */
  at: number;
  /** The phrase ("10 drone attacks", "killing 3"), as offsets in the text. */
  start: number;
  end: number;
  written: string;
  counted: Counted;
  /** "twice", "10 times", "2 tankers": a count of attacks only in a sentence that tells of attacking. */
  ofAttacks: boolean;
}

/** The typed counts of one field, in the order they are written. */
function typedCountsIn(field: Field, { target, tally, collection }: WarningInput, weaponTypes: ReadonlySet<string>): Diagnostic[] {
  const text = field.text;
  const quoted = [...text.matchAll(QUOTED)].map((q) => [q.index, q.index + q[0].length] as const);
  return readingsOf(text, weaponTypes).flatMap((reading) => {
    if (quoted.some(([from, to]) => reading.at > from && reading.at < to) || !readAsCount(text, reading)) return [];
    const parsed = countValue(reading.written);
    if (!parsed) return [];
    const placeholders = parsed.ordinal
      ? parsed.value === tally.total && parsed.value >= 2 ? ['tally.total'] : []
      : placeholdersFor(parsed.value, reading.counted, tally, mentionsIn(sentenceAt(text, reading.at), tally, collection));
    return placeholders.length === 0 ? [] : [handTyped(target, field, reading, parsed.value, placeholders)];
  });
}

/**
 * The phrases a number is read in, in order: where two read the same number, the first
 * reading wins.
 */
const READERS: readonly ((text: string, weaponTypes: ReadonlySet<string>) => Reading[])[] = [
  // "killing 3", "claimed 4 attacks": first, as the verb says what the number counts, whatever noun follows.
  verbThenNumber,
  // "3 sailors killed": people, before the nouns (what it leaves out, events and weapons, are theirs).
  numberThenVerb,
  // "3 of the attacks": a part of the events, which the nouns' reading stops short of ("of" ends it).
  partOfEvents,
  // "10 drone attacks", "a dozen drones", "10 times".
  numberThenNoun,
  // "struck twice": last, as "twice" before what it counts is read with it.
  adverbCount,
];

/** Every number of `text` read as a count, by position. */
function readingsOf(text: string, weaponTypes: ReadonlySet<string>): Reading[] {
  const byPosition = new Map<number, Reading>();
  for (const read of READERS) {
    for (const reading of read(text, weaponTypes)) if (!byPosition.has(reading.at)) byPosition.set(reading.at, reading);
  }
  return [...byPosition.values()].sort((a, b) => a.at - b.at);
}

/** "killing 3", "wounded 2 sailors", "claimed 4 of them". */
function verbThenNumber(text: string): Reading[] {
  return [...text.matchAll(AFTER_VERB)].map((m) => {
    const [match, verb, written] = m as unknown as [string, string, string];
    const v = verb.toLowerCase();
    const kind = v.startsWith('kill') ? 'killed' : v.startsWith('claim') ? 'claimed' : 'injured';
    return { at: m.index + match.length - written.length, start: m.index, end: m.index + match.length, written, counted: { kind }, ofAttacks: false };
  });
}

/** "3 sailors killed", "two people wounded". */
function numberThenVerb(text: string): Reading[] {
  return [...text.matchAll(BEFORE_VERB)].map((m) => {
    const [match, written, verb] = m as unknown as [string, string, string];
    const v = verb.toLowerCase();
    return { at: m.index, start: m.index, end: m.index + match.length, written, counted: { kind: v === 'killed' || v === 'dead' ? 'killed' : 'injured' }, ofAttacks: false };
  });
}

/** "3 of the incidents", "two of these attacks". */
function partOfEvents(text: string): Reading[] {
  return [...text.matchAll(OF_EVENTS)].flatMap((m) => {
    const written = m[1] as string;
    // "one of the attacks" picks one out; it is not a count.
    if (/^(?:one|1)$/i.test(written)) return [];
    return [{ at: m.index, start: m.index, end: m.index + m[0].length, written, counted: { kind: 'event', modifiers: [], part: true }, ofAttacks: false }];
  });
}

/** "10 drone attacks", "ten separate attacks", "a dozen drones", "struck ships 10 times". */
function numberThenNoun(text: string, weaponTypes: ReadonlySet<string>): Reading[] {
  return [...text.matchAll(BEFORE_NOUN)].flatMap((m) => {
    const indices = (m as RegExpMatchArray & { indices: ([number, number] | undefined)[] }).indices;
    const words = [2, 3, 4].flatMap((g) => (m[g] === undefined ? [] : [{ raw: (m[g] as string).toLowerCase(), end: (indices[g] as [number, number])[1] }]));
    const noun = countedNoun(text, words, weaponTypes);
    return noun ? [{ at: m.index, start: m.index, end: noun.end, written: m[1] as string, counted: noun.counted, ofAttacks: noun.ofAttacks }] : [];
  });
}

/**
 * The first of the words after a number that says what it counts, the words before it
 * being modifiers ("drone" in "10 drone attacks"). A word that ends the phrase ("of",
 * "the"), or "time" or "day" that counts nothing here ("3 times as many"), ends the search.
 */
function countedNoun(
  text: string,
  words: readonly { raw: string; end: number }[],
  weaponTypes: ReadonlySet<string>,
): { counted: Counted; end: number; ofAttacks: boolean } | undefined {
  const modifiers: string[] = [];
  for (const [n, word] of words.entries()) {
    if (NOT_A_MODIFIER.has(word.raw)) return undefined;
    const noun = nameKey(word.raw);
    const counted = nounCount(noun, { raw: word.raw, rest: text.slice(word.end), last: n === words.length - 1 }, modifiers, weaponTypes);
    if (counted) return { counted, end: word.end, ofAttacks: noun === 'time' || TARGET_NOUNS.includes(noun) };
    if (noun === 'time' || noun === 'day') return undefined;
    modifiers.push(noun);
  }
  return undefined;
}

/**
 * What `noun` counts after a number, if anything: `rest` is the text after it, `last`
 * whether it ends the phrase (a weapon counts munitions as a plural or as the last word).
 */
function nounCount(
  noun: string,
  { raw, rest, last }: { raw: string; rest: string; last: boolean },
  modifiers: readonly string[],
  weaponTypes: ReadonlySet<string>,
): Counted | undefined {
  if (noun === 'time') return /^\s+(as|more|higher|larger|greater|the|over)\b/i.test(rest) ? undefined : { kind: 'event', modifiers: [...modifiers] };
  if (TARGET_NOUNS.includes(noun)) return { kind: 'event', modifiers: [...modifiers] };
  if (noun === 'day') return /^\s+(later|earlier|ago|after|before|of|into|in)\b/i.test(rest) ? undefined : { kind: 'days' };
  if (EVENT_NOUNS.includes(noun) && !ATTACK_AS_MODIFIER.test(rest)) return { kind: 'event', modifiers: [...modifiers] };
  if ((WEAPON_NOUNS.includes(noun) || weaponTypes.has(noun)) && (raw.endsWith('s') || last)) return { kind: 'weapon', type: noun };
  return undefined;
}

/** "struck twice", where no noun follows. */
function adverbCount(text: string): Reading[] {
  return [...text.matchAll(ADVERB)].map((m) => ({ at: m.index, start: m.index, end: m.index + m[0].length, written: m[0], counted: { kind: 'events' }, ofAttacks: true }));
}

/**
 * Whether the text around a reading leaves it a count. "twice", "10 times", "2 tankers"
 * count attacks only where attacking is told of ("spoke twice to reporters", "escorted 2
 * tankers" do not); a date ("October 17"), an amount, a number joined to a word is none.
 */
function readAsCount(text: string, { at, written, ofAttacks }: Reading): boolean {
  if (ofAttacks && !ATTACK_VERB.test(sentenceAt(text, at))) return false;
  const before = text.slice(Math.max(0, at - 12), at);
  const after = text.slice(at + written.length);
  return !(AFTER_MONTH.test(before) || /[$#€£.-]$|\bNo\.\s*$/.test(before) || /^(?:-|%|,\s*\d{4}\b|\.\d)/.test(after));
}

/** The value of a typed number, unless it is none or a year (1900 to 2099 in four digits). */
function countValue(written: string): { value: number; ordinal: boolean } | undefined {
  const parsed = numberValue(written);
  if (!parsed || (/^\d{4}$/.test(written) && parsed.value >= 1900 && parsed.value <= 2099)) return undefined;
  return parsed;
}

/** The warning at a typed count, with the placeholders that give its number. */
function handTyped(target: Target, field: Field, { start, end }: Reading, value: number, placeholders: readonly string[]): Diagnostic {
  // Positions are found by the text's first line, as the source shows it (indentation differs below).
  const match = field.text.slice(start, end);
  const needle = match.split('\n')[0] as string;
  return {
    file: target.file,
    ...target.source.find(field.path, needle, countOccurrences(field.text.slice(0, start), needle)),
    message:
      placeholders.length === 1
        ? `"${match.replace(/\s+/g, ' ')}" is typed by hand; {{${placeholders[0]}}} gives ${value} from the incidents and stays right when they change`
        : `"${match.replace(/\s+/g, ' ')}" is typed by hand; ${placeholders.map((p) => `{{${p}}}`).join(' or ')} give ${value} from the incidents: ` +
          'use the one the sentence means, which stays right when they change',
    severity: 'warning',
  };
}

/** Words after a number that end the phrase: "one of the attacks" is not a count of one. */
const NOT_A_MODIFIER = new Set([
  'of', 'the', 'a', 'an', 'and', 'or', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'than', 'as', 'which', 'that',
  'who', 'were', 'was', 'is', 'are', 'these', 'those', 'its', 'their', 'his', 'her', 'per', 'percent',
]);
const AFTER_MONTH = new RegExp(String.raw`\b(?:${MONTHS})\.?\s+$`, 'i');

function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
  return n;
}

const segment = (name: string) => (/^[\w-]+$/.test(name) ? name : `[${name}]`);

/** A name a sentence mentions, as the placeholder that counts it and the number it gives now. */
interface Mention {
  group: Group;
  placeholder: string;
  value: number;
}

/** The most candidates a message names: more would be a list to read, not a suggestion. */
const MAX_CANDIDATES = 4;

/**
 * The placeholders that give `value` for what a typed number counts. A number in a sentence
 * that names a country, place, perpetrator or weapon is about that name ("One attack at
 * Erbil", "Drones were used in three attacks"): a named count that gives the number is the
 * one suggested. Otherwise only the whole counts (total, new) are, and in a sentence that
 * names nothing, every per-name count giving the same number is named beside them as an
 * alternative, rather than one picked arbitrarily. A number
 * of munitions ("3 drones") is compared with munitions, never with incidents, and not at
 * all in a sentence about one place or perpetrator: the tally has no munitions per place.
 */
function placeholdersFor(value: number, counted: Counted, tally: Tally, named: readonly Mention[]): string[] {
  switch (counted.kind) {
    case 'days':
      return value === tally.days ? ['tally.days'] : [];
    case 'killed':
    case 'injured':
    case 'claimed':
      return value === tally[counted.kind] ? [`tally.${counted.kind}`] : [];
    case 'weapon': {
      const type = Object.keys(tally.byWeapon).find((t) => nameKey(t) === counted.type);
      const weapon = type === undefined ? undefined : tally.byWeapon[type];
      if (!weapon || type === undefined || named.some((m) => m.group !== 'weapon')) return [];
      return weapon.exact && value === weapon.munitions ? [`tally.weapon.${segment(type)}.munitions`] : [];
    }
    case 'events':
    case 'event': {
      // "twice" mostly tells of one place ("twice at al-Asad"): compared with the whole counts only.
      const hits = counted.kind === 'event' ? [...new Set(named.filter((m) => m.value === value).map((m) => m.placeholder))] : [];
      if (hits.length > 0) return hits.slice(0, MAX_CANDIDATES);
      if (counted.kind === 'event' && counted.part) return [];
      const candidates: string[] = [];
      if (value === tally.total) candidates.push('tally.total');
      if (value === tally.new && tally.new !== tally.total) candidates.push('tally.new');
      // A per-name count the sentence does not name is only an alternative beside a whole
      // count that gives the number too, never a guess alone; and none where the sentence
      // names other things (the weapons and places it tells of are not these).
      if (counted.kind === 'event' && candidates.length > 0 && named.length === 0) {
        const groups: [string, Record<string, number>][] = [
          ['country', tally.byCountry],
          ['location', tally.byLocation],
          ['perpetrator', tally.byPerpetrator],
        ];
        for (const [name, counts] of groups) {
          for (const [key, n] of Object.entries(counts)) if (n === value) candidates.push(`tally.${name}.${segment(key)}`);
        }
      }
      return candidates.slice(0, MAX_CANDIDATES);
    }
  }
}

/** Generic words after a place's own name: "Erbil Air Base" is mentioned as "Erbil" too. */
const GENERIC_PLACE = /\s+(?:air\s+base|airbase|air\s+field|airfield|airport|base|garrison|oil\s+field|gas\s+field|field|outpost|port|harbou?r)$/i;

/** A name as looked up in a sentence: lower case, a space for any run of spaces and hyphens. */
const spaced = (name: string): string => name.trim().toLowerCase().replace(/[\s-]+/g, ' ');

interface NameFinder {
  pattern: RegExp | undefined;
  /** By the lower-cased text found: the group and the name it stands for. */
  names: Map<string, { group: Group; name: string }>;
}
const nameFinders = new WeakMap<Collection, NameFinder>();

/**
 * Every name of the collection a sentence can mention, found with one pattern per
 * collection: countries, perpetrators and weapon types (and their plurals) as the incidents
 * write them, places by name, places.yaml alias, and their own name without "Air Base",
 * "garrison" and the like. Longer names are tried first, so "Islamic Resistance in Iraq"
 * is a perpetrator, not a mention of Iraq.
 */
function nameFinder(collection: Collection): NameFinder {
  const cached = nameFinders.get(collection);
  if (cached) return cached;
  const vocabulary = vocabularyOf(collection);
  const names = new Map<string, { group: Group; name: string }>();
  const add = (text: string, group: Group, name: string) => {
    const key = spaced(text);
    if (key.length >= 3 && !names.has(key)) names.set(key, { group, name });
  };
  for (const name of vocabulary.perpetrator.keys()) add(name, 'perpetrator', name);
  for (const name of vocabulary.country.keys()) add(name, 'country', name);
  const places = collection.places?.places ?? [];
  const locations = [...vocabulary.location.keys(), ...places.map((p) => p.name)];
  for (const name of locations) {
    const place = findPlace(name, places)?.name ?? name;
    add(name, 'location', place);
    const core = name.replace(GENERIC_PLACE, '');
    if (core !== name && core.length >= 4) add(core, 'location', place);
  }
  for (const p of places) for (const alias of p.aliases ?? []) add(alias, 'location', p.name);
  for (const type of new Set([...vocabulary.weapon.keys(), ...COMMON_WEAPON_SET])) {
    add(type, 'weapon', type);
    add(`${type}s`, 'weapon', type);
    add(weaponPlural(type), 'weapon', type);
  }
  // Spaces and hyphens are one another here: "al Tanf" mentions "al-Tanf".
  const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s-]+');
  const alternatives = [...names.keys()].sort((a, b) => b.length - a.length).map(escape);
  const pattern = alternatives.length === 0 ? undefined : new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const finder = { pattern, names };
  nameFinders.set(collection, finder);
  return finder;
}

/** The names a sentence mentions, each with the placeholder that counts it and what it gives. */
function mentionsIn(sentence: string, tally: Tally, collection: Collection): Mention[] {
  const { pattern, names } = nameFinder(collection);
  if (!pattern) return [];
  const places = collection.places?.places ?? [];
  const mentions: Mention[] = [];
  for (const m of sentence.matchAll(pattern)) {
    const found = names.get(spaced(m[0]));
    if (!found) continue;
    const { group, name } = found;
    if (group === 'weapon') {
      const type = Object.keys(tally.byWeapon).find((t) => nameKey(t) === nameKey(name)) ?? name;
      mentions.push({ group, placeholder: `tally.weapon.${segment(type)}`, value: tally.byWeapon[type]?.incidents ?? 0 });
    } else if (group === 'location') {
      // The tally counts per exact string: the key whose place is the one named.
      const key = Object.keys(tally.byLocation).find((k) => k === name || findPlace(k, places)?.name === name) ?? name;
      mentions.push({ group, placeholder: `tally.location.${segment(key)}`, value: tally.byLocation[key] ?? 0 });
    } else {
      const counts = group === 'country' ? tally.byCountry : tally.byPerpetrator;
      mentions.push({ group, placeholder: `tally.${group}.${segment(name)}`, value: counts[name] ?? 0 });
    }
  }
  return mentions;
}

/** Weapon types authors commonly use, so a typo of one is caught in the first brief. */
const COMMON_WEAPON_SET: ReadonlySet<string> = new Set(['drone', 'rocket', 'missile', 'mortar', 'artillery', 'ied', 'gunfire', 'grenade', 'airstrike']);

type Group = 'country' | 'location' | 'perpetrator' | 'weapon';

/**
 * Names in use across a collection (every brief of the folder and every incident file,
 * whatever their series): per group, how many incidents list each name and the rank of
 * its first listing (incident files, then briefs by date and file, as gatherIncidents
 * orders them). Built once per collection, so checking a thousand briefs does not rebuild
 * it a thousand times.
 */
type Vocabulary = Record<Group, Map<string, NameUse>>;
const vocabularies = new WeakMap<Collection, Vocabulary>();

function vocabularyOf(collection: Collection): Vocabulary {
  const cached = vocabularies.get(collection);
  if (cached) return cached;
  const v: Vocabulary = { country: new Map(), location: new Map(), perpetrator: new Map(), weapon: new Map() };
  const briefs = collection.briefs
    .filter((b): b is ParsedBrief & { brief: Brief } => b.brief !== undefined)
    .sort((a, b) => a.brief.date.localeCompare(b.brief.date) || a.file.localeCompare(b.file));
  const lists = [...collection.incidentFiles.map((f) => f.value?.incidents ?? []), ...briefs.map((b) => b.brief.incidents ?? [])];
  let rank = 0;
  const use = (group: Group, name: string) => {
    const u = v[group].get(name);
    if (u) u.count++;
    else v[group].set(name, { count: 1, first: rank });
  };
  for (const incidents of lists) {
    for (const i of incidents) {
      rank++;
      use('country', i.country);
      use('location', i.location);
      if (i.perpetrator !== undefined) use('perpetrator', i.perpetrator);
      for (const type of new Set((i.weapons ?? []).map((w) => w.type))) use('weapon', type);
    }
  }
  vocabularies.set(collection, v);
  return v;
}

let countryNames: Set<string> | undefined;

/** The names always known per group, made once per collection: the same sets serve each of its briefs (names.ts files its candidates once per set). */
const knownNames = new WeakMap<Collection, Record<Group, ReadonlySet<string>>>();

/** The names always known for a group, whatever the collection lists. */
function alwaysKnown(group: Group, collection: Collection): ReadonlySet<string> {
  let known = knownNames.get(collection);
  if (!known) {
    const places = collection.places?.places ?? [];
    countryNames ??= new Set(knownCountryNames());
    known = {
      country: places.length > 0 ? new Set([...countryNames, ...places.map((p) => p.country)]) : countryNames,
      location: new Set(places.map((p) => p.name)),
      weapon: COMMON_WEAPON_SET,
      perpetrator: NO_NAMES,
    };
    knownNames.set(collection, known);
  }
  return known[group];
}

/**
 * A name of this brief's incidents close to a better-established one (brief-format
 * "Tallies", Counts: per exact string): "Syra" for the country Syria, "off Hodiedah"
 * beside "off Hodeidah" (even in the same brief), "Houthi" beside "Houthis", "dron" for
 * drone. The suggestion is the more-used spelling, so only the rarer one is warned about.
 */
function spellings({ target, collection }: WarningInput): Diagnostic[] {
  // The country list is in English: a brief in another language, or a name in another
  // script ("سوريا"), is only compared with the names the folder uses.
  const lang = target.brief.lang;
  const context: SpellingContext = {
    target,
    places: collection.places?.places ?? [],
    vocabulary: vocabularyOf(collection),
    known: {
      country: alwaysKnown('country', collection),
      location: alwaysKnown('location', collection),
      perpetrator: alwaysKnown('perpetrator', collection),
      weapon: alwaysKnown('weapon', collection),
    },
    checksCountries: lang === undefined || /^en\b/i.test(lang),
  };
  return (target.brief.incidents ?? []).flatMap((incident, i) => {
    const place = findPlace(incident.location, context.places);
    return [
      ...countrySpelling(context, incident, i, place),
      ...locationSpelling(context, incident, i, place),
      ...perpetratorSpelling(context, incident, i),
      ...weaponSpellings(context, incident, i),
    ];
  });
}

/** What the spelling checks of one brief look names up in. */
interface SpellingContext {
  target: Target;
  places: readonly Place[];
  vocabulary: Vocabulary;
  /** The names always known for each group: never warned about. */
  known: Record<Group, ReadonlySet<string>>;
  /** Whether countries are checked against the (English) country list. */
  checksCountries: boolean;
}

/** A better-established spelling of `name` in its group, if there is one. */
function guessSpelling({ vocabulary, known }: SpellingContext, group: Group, name: string): string | undefined {
  if (known[group].has(name)) return undefined;
  // A name is looked up once per collection: briefs of a long series repeat the same places.
  let memo = guesses.get(vocabulary[group]);
  if (!memo) guesses.set(vocabulary[group], (memo = new Map()));
  if (!memo.has(name)) memo.set(name, betterSpelling(name, vocabulary[group], known[group], true));
  return memo.get(name);
}

/**
 * The incident's country: a country its place in places.yaml is not in, or else what the
 * country check alone says (countryCheck).
 */
function countrySpelling(context: SpellingContext, incident: Incident, i: number, place: Place | undefined): Diagnostic[] {
  const { target } = context;
  const country = countryCheck(context, incident.country);
  if (place && place.country !== incident.country && country?.suggestion !== place.country) {
    // Counted in the country the incident gives, drawn at the place's position in another:
    // one of the two is wrong. (A slip whose did-you-mean is the place's country says so more simply.)
    return [
      target.source.warning(
        ['incidents', i, 'country'],
        `"${incident.location}" is in ${place.country} in places.yaml, but this incident says "${incident.country}": it would be counted in ` +
          `${incident.country} and drawn in ${place.country}; correct the country here (or the place's country in places.yaml)`,
      ),
    ];
  }
  return country ? [target.source.warning(['incidents', i, 'country'], country.message)] : [];
}

/**
 * What the country check alone would say: a name off the closed list (counted as a
 * country of its own and left off the map, however far from a known one), or a near-miss
 * of a better-established name.
 */
function countryCheck(context: SpellingContext, name: string): { suggestion?: string; message: string } | undefined {
  const { checksCountries, known } = context;
  if (checksCountries && !known.country.has(name) && /\p{Script=Latin}/u.test(name)) {
    const suggestion = closestCountry(name, known.country);
    return suggestion !== undefined
      ? { suggestion, message: `"${name}" is not a known country; did you mean "${suggestion}"?` }
      : {
          message:
            `"${name}" is not a known country: use the name the country list gives it (Natural Earth's names, e.g. "Iraq", ` +
            '"United States of America"), or add a place in that country to places.yaml; each spelling is counted as a country of its own',
        };
  }
  const suggestion = guessSpelling(context, 'country', name);
  return suggestion ? { suggestion, message: `"${name}" is not a known country; did you mean "${suggestion}"?` } : undefined;
}

/** The incident's location: written otherwise in places.yaml, or, when no place is known, close to a better-established one. */
function locationSpelling(context: SpellingContext, incident: Incident, i: number, place: Place | undefined): Diagnostic[] {
  const { target, vocabulary } = context;
  const at = ['incidents', i, 'location'];
  if (place) {
    return place.name === incident.location ? [] : [target.source.warning(at, `"${incident.location}" is written "${place.name}" in places.yaml; use that name so it is counted in one place`)];
  }
  const other = guessSpelling(context, 'location', incident.location);
  if (!other) return [];
  return [target.source.warning(at, `"${incident.location}" is close to "${other}", ${usedIn(vocabulary.location, other)}; did you mean "${other}"? Two spellings are counted as two places`)];
}

/** The incident's perpetrator, when close to a better-established one. */
function perpetratorSpelling(context: SpellingContext, incident: Incident, i: number): Diagnostic[] {
  const { target, vocabulary } = context;
  const other = incident.perpetrator === undefined ? undefined : guessSpelling(context, 'perpetrator', incident.perpetrator);
  if (!other) return [];
  return [
    target.source.warning(
      ['incidents', i, 'perpetrator'],
      `perpetrator "${incident.perpetrator}" is close to "${other}", ${usedIn(vocabulary.perpetrator, other)}; did you mean "${other}"? Two spellings are counted as two perpetrators`,
    ),
  ];
}

/** The incident's weapon types, each when close to a better-established one. */
function weaponSpellings(context: SpellingContext, incident: Incident, i: number): Diagnostic[] {
  return (incident.weapons ?? []).flatMap((w, j) => {
    const other = guessSpelling(context, 'weapon', w.type);
    return other ? [context.target.source.warning(['incidents', i, 'weapons', j, 'type'], `weapon type "${w.type}": did you mean "${other}"?`)] : [];
  });
}

const guesses = new WeakMap<ReadonlyMap<string, NameUse>, Map<string, string | undefined>>();

const usedIn = (used: ReadonlyMap<string, NameUse>, name: string): string => {
  const n = used.get(name)?.count ?? 0;
  return n === 0 ? 'a known name' : `used in ${n} incident${n === 1 ? '' : 's'}`;
};

const GROUP_WORDS: Record<Group, string> = { country: 'country', location: 'location', perpetrator: 'perpetrator', weapon: 'weapon type' };

/**
 * A placeholder citing a name that no incident of the collection has (brief-format
 * "Tallies", In prose: "a warning when the name appears in no incident of the
 * collection", with did-you-mean): it prints 0, most likely by mistake. A name written
 * differently only in case, spacing, hyphens or plural is such a name too, since counts
 * are per exact string. A known name with no incident in the window is a true 0 and
 * passes. For `perDay`, the name must be a date of the window: a day of the window with
 * no incident is a true 0; a date outside it, or not a date, always gives 0.
 */
function citedNames({ target, tally, collection, fields }: WarningInput): Diagnostic[] {
  const vocabulary = vocabularyOf(collection);
  const warnings: Diagnostic[] = [];
  for (const field of fields) {
    for (const cited of citedNamesIn(field.text)) {
      const warn = (message: string) =>
        warnings.push({ file: target.file, ...target.source.find(field.path, cited.match, cited.occurrence), message, severity: 'warning' });
      if (cited.group === 'perDay') {
        const window = tally.since === null ? 'the window is empty' : `the window is ${tally.since} to ${tally.until}`;
        if (!isRealDate(cited.name)) {
          warn(`${cited.match} cites "${cited.name}", not a date written YYYY-MM-DD; it gives 0`);
        } else if (tally.since === null || cited.name < tally.since || cited.name > tally.until) {
          warn(`${cited.match} cites ${cited.name}, outside the tally window (${window}); it gives 0`);
        }
        continue;
      }
      const used = vocabulary[cited.group];
      if (used.has(cited.name)) continue;
      const other = betterSpelling(cited.name, used, cited.group === 'perpetrator' || cited.group === 'location' ? NO_NAMES : alwaysKnown(cited.group, collection));
      const what = `no incident has ${GROUP_WORDS[cited.group]} "${cited.name}"`;
      if (other === undefined) warn(`${what}, so ${cited.match} gives 0; check the name (names are matched exactly)`);
      else if (nameKey(other) === nameKey(cited.name)) warn(`${what}; did you mean "${other}"? Names are matched exactly, case, spaces, hyphens and plurals included, so ${cited.match} gives 0`);
      else warn(`${what}; did you mean "${other}"? ${cited.match} gives 0`);
    }
  }
  return warnings;
}

/** YYYY-MM-DD naming a day of the calendar (not 2026-11-31, which Date would roll over). */
const isRealDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * This brief's own incidents that no count includes (brief-format "Tallies", Window):
 * one dated after the brief is most likely a wrong date (no rebuild of the brief will ever
 * count it, unless a tally.until past the brief's date does, which the message then says); one before `tally.since` or after `tally.until` is listed in the YAML but
 * neither counted nor shown in the incident record, so the author is told.
 */
function outsideWindow({ target, tally }: WarningInput): Diagnostic[] {
  const { brief } = target;
  // A window that ends before it starts is an error of its own (validate.ts); every incident would repeat it.
  if (tally.since !== null && tally.since > tally.until) return [];
  const warnings: Diagnostic[] = [];
  (brief.incidents ?? []).forEach((incident, i) => {
    const at = ['incidents', i, 'date'];
    if (incident.date > brief.date) {
      const days = daysBetween(brief.date, incident.date);
      const after = `this incident is dated ${incident.date}, ${days} day${days === 1 ? '' : 's'} after the brief (${brief.date})`;
      // A tally.until past the brief's date takes it in: then it is counted, and saying
      // "no count includes it" would be false (windowPastBrief warns at until as well).
      const counted = tally.since !== null && incident.date >= tally.since && incident.date <= tally.until;
      warnings.push(
        target.source.warning(
          at,
          counted
            ? `${after}: it is counted, because tally.until (${tally.until}) reaches past the brief's date, though it had not happened when the brief was published; check the date`
            : `${after}: no count includes it; check the date`,
        ),
      );
    } else if (tally.since !== null && incident.date < tally.since) {
      warnings.push(target.source.warning(at, `this incident (${incident.date}) is before tally.since (${tally.since}): it is neither counted nor shown; move tally.since or list it in an earlier brief`));
    } else if (incident.date > tally.until) {
      warnings.push(target.source.warning(at, `this incident (${incident.date}) is after tally.until (${tally.until}): it is neither counted nor shown; move tally.until or list it in a later brief`));
    }
  });
  return warnings;
}

/**
 * Days between a brief's two earliest own incidents beyond which the earliest one most
 * likely has a wrong date. A flash brief reports days to weeks of one campaign; two months
 * is well past the lulls it covers in one go, and a slipped year (about 365 days) or a
 * month slipped by two or more is still far beyond it. A slip of one month is not caught:
 * a month apart is too common in real briefs to warn about.
 */
export const LONELY_EARLIEST_DAYS = 60;

/**
 * The default window starts at the brief's earliest own incident (brief-format "Tallies",
 * Window), so one incident with a year typed wrong (2022-10-20 among October 2023) silently
 * stretches the window, and every count of the series over it, by a year. Warned at that
 * incident's date when `since` is defaulted and it is far before the next-earliest.
 */
function lonelyEarliest({ target, tally }: WarningInput): Diagnostic[] {
  const { brief } = target;
  if (brief.tally?.since !== undefined) return [];
  const own = brief.incidents ?? [];
  const dates = [...new Set(own.map((i) => i.date))].sort();
  const [earliest, next] = dates;
  if (earliest === undefined || next === undefined) return [];
  const gap = daysBetween(earliest, next);
  if (gap <= LONELY_EARLIEST_DAYS) return [];
  const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  const without = daysBetween(next, tally.until) + 1;
  const sharing = own.filter((i) => i.date === earliest).length;
  const who = sharing === 1 ? `this incident (${earliest}) alone sets` : `this incident and ${sharing - 1} other${sharing === 2 ? '' : 's'} dated ${earliest} set`;
  return own.flatMap((incident, i) =>
    incident.date !== earliest
      ? []
      : [
          target.source.warning(
            ['incidents', i, 'date'],
            `${who} the start of the tally window, ${days(gap)} before the brief's next incident (${next}): ` +
              `the window runs ${days(tally.days)} instead of ${days(without)}; check the year, or set tally.since to the start you mean`,
          ),
        ],
  );
}

/**
 * A series brief with no incidents of its own and no `tally.since` (brief-format
 * "Tallies", Window): by the contract its window is empty and every tally gives 0, even
 * while its series has incidents, so "{{tally.total}} since the campaign began" prints 0.
 * The rule stands; the author is told, at `series`, what the series holds and how to count
 * it. Only when the brief would publish a tally: it cites one (other than tally.until,
 * which is the brief's date either way) or sets `tally:` for the tally box.
 */
function emptySeriesWindow({ target, gathered, tally, fields }: WarningInput): Diagnostic[] {
  const { brief } = target;
  if (brief.series === undefined || (brief.incidents ?? []).length > 0 || brief.tally?.since !== undefined) return [];
  const cited = fields.map((f) => /(?<!\\)\{\{\s*(tally\.(?!until\s*\}\})[^}]*?)\s*\}\}/.exec(f.text)?.[1]).find((c) => c !== undefined);
  if (cited === undefined && brief.tally === undefined) return [];
  const dates = gathered.allRecords().map((r) => r.incident.date).filter((d) => d <= tally.until).sort();
  const from = dates[0];
  if (from === undefined) return [];
  const series = typeof brief.series === 'string' ? [brief.series] : brief.series;
  const named = series.length === 1 ? `series "${series[0]}" has` : `series "${series.join('", "')}" have`;
  return [
    target.source.warning(
      ['series'],
      'this brief lists no incident and gives no tally.since, so its tally window is empty and every tally gives 0 ' +
        `(${cited !== undefined ? `{{${cited}}} prints 0` : 'no tally box is shown'}); ${named} ${dates.length} incident${dates.length === 1 ? '' : 's'} ` +
        `from ${from} to ${tally.until}: set tally.since (e.g. "since: ${from}") to count them`,
    ),
  ];
}

/**
 * A window that ends after the brief's date (brief-format "Tallies", Window: until
 * defaults to the brief's date): the brief is published on its date, so `days` and the
 * window shown in the tally box would count days that had not happened yet.
 */
function windowPastBrief({ target, tally }: WarningInput): Diagnostic[] {
  const { brief } = target;
  const until = brief.tally?.until;
  if (until === undefined || until <= brief.date) return [];
  const ahead = daysBetween(brief.date, until);
  return [
    target.source.warning(
      ['tally', 'until'],
      `tally.until (${until}) is after the brief's date (${brief.date}): the window runs past the day the brief is published, ` +
        `so {{tally.days}} gives ${tally.days}, counting ${ahead} day${ahead === 1 ? '' : 's'} that had not happened yet; ` +
        "end the window at the brief's date, or leave tally.until out",
    ),
  ];
}

/** Where the Markdown fields are named for authors (compile.ts markdownFields lists them). */
const MARKDOWN_FIELDS = 'summary, developments, analysis quotes, background bodies, incident summaries, corrections';

/**
 * A placeholder in a plain-text field (title, label, a name, a heading, a location, ...):
 * only Markdown fields have their placeholders filled (brief-format "Tallies", In prose),
 * so it would be published as written, in the slug and page metadata too. Links are
 * addresses, not text a reader sees, and `\{{` is literal braces, as in prose.
 */
function plainTextPlaceholders({ target, fields }: WarningInput): Diagnostic[] {
  const markdown = new Set(fields.map((f) => f.path.join('.')));
  const warnings: Diagnostic[] = [];
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') {
      if (markdown.has(path.join('.'))) return;
      let occurrence = 0;
      for (let start = value.indexOf('{{'); start >= 0; start = value.indexOf('{{', start + 2), occurrence++) {
        if (value[start - 1] === '\\') continue;
        const end = value.indexOf('}}', start + 2);
        const written = (end < 0 ? value.slice(start) : value.slice(start, end + 2)).replace(/\s+/g, ' ');
        const field = formatPath(path);
        warnings.push({
          file: target.file,
          ...target.source.find(path, '{{', occurrence),
          message:
            `${field} is plain text, so it would print ${written} as written: placeholders are filled only in Markdown fields ` +
            `(${MARKDOWN_FIELDS}); put the number in the summary or developments`,
          severity: 'warning',
        });
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) if (key !== 'url' && key !== 'sources') walk(item, [...path, key]);
    }
  };
  walk(target.brief, []);
  return warnings;
}

/** An incident with no position of its own and no entry in places.yaml counts, but is not drawn. */
function unmapped({ target, collection }: WarningInput): Diagnostic[] {
  // Without a places file the project does not use the map; saying so per incident is noise.
  if (!collection.places) return [];
  // While places.yaml has errors its places are unknown: the error says what to fix there, and a
  // warning on every incident that it is not on the map would bury it and give the wrong fix.
  if (collection.places.diagnostics.some((d) => d.severity === 'error')) return [];
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

/**
 * The parts of a brief a page can show, as a template's template.json lists them under
 * `shows`. A template that does not list them shows every part.
 */
export const PAGE_SECTIONS = [
  'summary',
  'authors',
  'as_of',
  'embargo',
  'tally',
  'compare',
  'developments',
  'timeline',
  'map',
  'analysis',
  'background',
  'related',
  'incident-record',
  'corrections',
  'topics',
] as const;
export type PageSection = (typeof PAGE_SECTIONS)[number];

/** How a warning names each part: as the page heads it, or as the brief's key says. */
const SECTION_NAMES: Record<PageSection, string> = {
  summary: 'the summary',
  authors: 'the byline (authors)',
  as_of: '"Information as of" (as_of)',
  embargo: 'the embargo notice',
  tally: 'the tally box',
  compare: 'the other counts (compare)',
  developments: 'Latest Developments',
  timeline: 'the timeline of incidents per day',
  map: 'the map',
  analysis: 'Expert Analysis',
  background: 'the background sections',
  related: 'Related',
  'incident-record': 'the Incident Record',
  corrections: 'Corrections',
  topics: 'Issues (topics)',
};

/** What `leftOutSections` needs to know of the brief's template and the others there are. */
export interface TemplateShows {
  /** The template the brief is rendered with. */
  name: string;
  /** The parts it shows; undefined: all of them. */
  shows: readonly PageSection[] | undefined;
  /** Every template by name, with the parts it shows, to name one that shows what this one leaves out. */
  all: ReadonlyMap<string, readonly PageSection[] | undefined>;
}

/**
 * A part of the brief that its template does not show (situation-update has no Expert
 * Analysis, no Related, no Incident Record...): it would be left out of the page and the
 * PDF without a word, so each is a warning at the brief's key for it, naming a template
 * that does show it. Parts that come from the incidents (tally box, timeline, map, record)
 * are warned about at `incidents`, or at `series` when the brief counts only its series'.
 */
export function leftOutSections({ target, tally }: Pick<WarningInput, 'target' | 'tally'>, template: TemplateShows): Diagnostic[] {
  if (template.shows === undefined) return [];
  const { brief, source } = target;
  const counted = tally.total > 0;
  const fromIncidents = brief.incidents?.length ? 'incidents' : brief.series !== undefined ? 'series' : brief.tally ? 'tally' : 'developments';
  const present: [PageSection, boolean, string][] = [
    ['summary', !!brief.summary?.trim(), 'summary'],
    ['authors', !!brief.authors?.length, 'authors'],
    ['as_of', brief.as_of !== undefined, 'as_of'],
    ['embargo', brief.embargo !== undefined, 'embargo'],
    ['tally', counted, brief.tally ? 'tally' : fromIncidents],
    ['compare', !!brief.compare?.length && counted, 'compare'],
    ['developments', true, 'developments'],
    // As the timeline draws itself: two incidents or more, over more than one day (figures/timeline.ts).
    ['timeline', tally.total >= 2 && tally.days >= 2, fromIncidents],
    ['map', counted, fromIncidents],
    ['analysis', !!brief.analysis?.length, 'analysis'],
    ['background', !!brief.background?.length, 'background'],
    ['related', !!brief.related?.length, 'related'],
    ['incident-record', counted, fromIncidents],
    ['corrections', !!brief.corrections?.length, 'corrections'],
    ['topics', !!brief.topics?.length, 'topics'],
  ];
  const shown = new Set(template.shows);
  const byKey = new Map<string, PageSection[]>();
  for (const [part, has, key] of present) {
    if (has && !shown.has(part)) byKey.set(key, [...(byKey.get(key) ?? []), part]);
  }
  return [...byKey].map(([key, parts]) => {
    const names = parts.map((p) => SECTION_NAMES[p]);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    const others = [...template.all.keys()].filter((name) => {
      const shows = template.all.get(name);
      return name !== template.name && (shows === undefined || parts.every((p) => shows.includes(p)));
    });
    const instead = others.length > 0 ? `; template ${others.sort().join(' or ')} does` : '';
    const message = `template ${template.name} leaves out ${list}: the page and the PDF do not show ${parts.length === 1 ? 'this part' : 'these parts'} of the brief${instead}`;
    // At the key itself (topics:, not its first item): the whole part is what goes missing.
    return { file: source.file, ...source.locateKey([], key), message, severity: 'warning' as const };
  });
}
