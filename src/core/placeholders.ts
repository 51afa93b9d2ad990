import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic, Path, YamlPositions } from './diagnostics.js';
import { formatDate, formatNumber } from './format.js';
import type { Tally } from './tally.js';

/*
 * Prose cites tallies as {{tally.total}}, {{tally.country.Iraq}} or, for names with
 * spaces, {{tally.location.[al-Tanf garrison]}}. This is deliberately not Handlebars:
 * brief text is untrusted, so it reaches tally values and nothing else (no helpers,
 * partials, blocks or object prototypes). Anything else between {{ and }} is an error;
 * write \{{ for literal braces.
 */

const SEGMENT = /\.(?:([A-Za-z0-9_-]+)|\[([^\]]+)\])/y;

const COUNTS = ['total', 'new', 'killed', 'injured', 'claimed', 'days'] as const;
const DATES = ['since', 'until', 'first', 'last'] as const;
const GROUPS = { country: 'byCountry', location: 'byLocation', perpetrator: 'byPerpetrator', perDay: 'perDay' } as const;

/** The placeholders an author can use, for tools built on the library (the README lists them too). */
export const PLACEHOLDER_FORMS = [
  ...COUNTS.map((k) => `tally.${k}`),
  ...DATES.map((k) => `tally.${k}`),
  'tally.country.<Country>',
  'tally.location.[<Location>]',
  'tally.perpetrator.[<Group>]',
  'tally.perDay.[<YYYY-MM-DD>]',
  'tally.weapon.<type>',
  'tally.weapon.<type>.munitions',
];

/**
 * Replaces every placeholder in one Markdown field; problems come back with their positions.
 * Without a tally (the brief is invalid, so its numbers cannot be known) only the forms are
 * checked: every valid placeholder becomes empty text and nothing is computed, so no value
 * of an invalid brief reaches the date and number formatting.
 */
export function expandPlaceholders(
  text: string,
  tally: Tally | undefined,
  source: YamlPositions,
  path: Path,
): { text: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // The text from `start` is found in the source by its first line (a placeholder broken
  // over lines is indented differently there), as the n-th occurrence of that line: the
  // occurrences before `start` are counted in the text itself, as find() counts them in the
  // source (overlapping, escaped ones included). Counting only earlier errors of the same
  // text would put an unclosed "{{" at the first "{{" of the field, closed or not.
  const error = (start: number, needle: string, message: string) => {
    const first = needle.split('\n')[0] as string;
    let occurrence = 0;
    for (let k = text.indexOf(first); k >= 0 && k < start; k = text.indexOf(first, k + 1)) occurrence++;
    diagnostics.push({ file: source.file, ...source.find(path, first, occurrence), message, severity: 'error' });
  };
  // A scan with indexOf, not a regular expression: linear however many braces a text holds.
  let out = '';
  let at = 0;
  for (let start = text.indexOf('{{'); start >= 0; start = text.indexOf('{{', at)) {
    const end = text.indexOf('}}', start + 2);
    const escaped = text[start - 1] === '\\';
    if (end < 0 && !escaped) {
      // No "}}" follows, so no later "{{" can close either: one error, then the rest as it is.
      error(start, '{{', 'unclosed {{: close it with }}, or write \\{{ for literal braces');
      break;
    }
    if (escaped) {
      out += text.slice(at, start + 2);
      at = start + 2;
      continue;
    }
    const expression = text.slice(start + 2, end).trim();
    const value = resolve(expression, tally);
    if (value !== undefined) out += text.slice(at, start) + value;
    else {
      error(start, text.slice(start, end + 2), unknownMessage(expression));
      out += text.slice(at, end + 2);
    }
    at = end + 2;
  }
  return { text: out + text.slice(at), diagnostics };
}

/**
 * The text a placeholder stands for, or undefined when it is not one. The message for an
 * unknown one is made by the caller: it tries corrected forms with this function, so making
 * it here would recurse on its own suggestions.
 */
function resolve(expression: string, tally: Tally | undefined): string | undefined {
  const unknown = undefined;
  if (!expression.startsWith('tally')) return unknown;
  const segments: string[] = [];
  SEGMENT.lastIndex = 'tally'.length;
  while (SEGMENT.lastIndex < expression.length) {
    const m = SEGMENT.exec(expression);
    if (!m) return unknown;
    segments.push((m[1] ?? m[2] ?? '').trim());
  }
  const [head, name, field] = segments;
  if (segments.length === 1 && head !== undefined) {
    if ((COUNTS as readonly string[]).includes(head)) return tally ? formatNumber(tally[head as (typeof COUNTS)[number]]) : '';
    if ((DATES as readonly string[]).includes(head)) {
      if (!tally) return '';
      const date = tally[head as (typeof DATES)[number]];
      return date === null ? 'no date' : formatDate(date);
    }
  }
  if (segments.length === 2 && head !== undefined && name !== undefined && Object.hasOwn(GROUPS, head)) {
    if (!tally) return '';
    const counts = tally[GROUPS[head as keyof typeof GROUPS]];
    // A country with no incident in the window is 0, by the contract, not an error.
    return formatNumber(Object.hasOwn(counts, name) ? (counts[name] ?? 0) : 0);
  }
  if (head === 'weapon' && name !== undefined && segments.length <= 3 && (field === undefined || field === 'incidents' || field === 'munitions')) {
    if (!tally) return '';
    const w = Object.hasOwn(tally.byWeapon, name) ? tally.byWeapon[name] : undefined;
    if (field === undefined || field === 'incidents') return formatNumber(w?.incidents ?? 0);
    if (field === 'munitions') {
      const n = formatNumber(w?.munitions ?? 0);
      return w && !w.exact ? `at least ${n}` : n;
    }
  }
  return unknown;
}

const SIMPLE = [...COUNTS, ...DATES].map((k) => `tally.${k}`);

function unknownMessage(raw: string): string {
  // Shown on one line, whatever the author's text held.
  const expression = raw.replace(/\s+/g, ' ');
  const extra = extraParts(expression);
  if (extra !== undefined) return extra;
  const guess = correctedForm(expression);
  if (guess !== undefined) return `unknown placeholder {{${expression}}}; did you mean {{${guess}}}?`;
  return (
    `unknown placeholder {{${expression}}}; placeholders are {{tally.X}} for X in ${[...COUNTS, ...DATES].join(', ')}, ` +
    `and {{tally.country.<Country>}}, {{tally.location.[<Location>]}}, {{tally.perpetrator.[<Group>]}}, {{tally.perDay.[<YYYY-MM-DD>]}}, ` +
    `{{tally.weapon.<type>}}, {{tally.weapon.<type>.munitions}}; write \\{{ for literal braces`
  );
}

/** A placeholder that cites a name: `group` is country, location, perpetrator, perDay or weapon. */
export interface CitedName {
  /** The placeholder as written, `{{...}}`, and which occurrence of that text it is (for positions). */
  match: string;
  occurrence: number;
  group: 'country' | 'location' | 'perpetrator' | 'perDay' | 'weapon';
  name: string;
}

/**
 * The names a field's placeholders cite, for the warning about a name no incident has
 * (brief-format "Tallies are computed, never typed", In prose). Malformed placeholders are
 * left to expandPlaceholders, which reports them as errors.
 */
export function citedNames(text: string): CitedName[] {
  const cited: CitedName[] = [];
  const seen = new Map<string, number>();
  let next: number;
  for (let start = text.indexOf('{{'); start >= 0; start = text.indexOf('{{', next)) {
    const end = text.indexOf('}}', start + 2);
    if (end < 0) break;
    const match = text.slice(start, end + 2);
    // Counted and stepped over as expandPlaceholders does, escaped ones included, so find() agrees.
    const occurrence = seen.get(match) ?? 0;
    seen.set(match, occurrence + 1);
    const escaped = text[start - 1] === '\\';
    next = escaped ? start + 2 : end + 2;
    const expression = text.slice(start + 2, end).trim();
    if (escaped || !expression.startsWith('tally')) continue;
    const segments: string[] = [];
    SEGMENT.lastIndex = 'tally'.length;
    let wellFormed = true;
    while (wellFormed && SEGMENT.lastIndex < expression.length) {
      const m = SEGMENT.exec(expression);
      if (m) segments.push((m[1] ?? m[2] ?? '').trim());
      else wellFormed = false;
    }
    const [head, name] = segments;
    if (!wellFormed || head === undefined || name === undefined) continue;
    if (segments.length === 2 && Object.hasOwn(GROUPS, head)) cited.push({ match, occurrence, group: head as CitedName['group'], name });
    else if (head === 'weapon' && (segments.length === 2 || (segments.length === 3 && ['incidents', 'munitions'].includes(segments[2] as string)))) cited.push({ match, occurrence, group: 'weapon', name });
  }
  return cited;
}

/**
 * The valid placeholder a misspelt one was meant to be, or undefined: each fixed word of
 * the form (tally, the group, munitions) is corrected to the nearest known word, the
 * author's own names (a country, a weapon) are kept, and a name with spaces gets the
 * brackets it needs. Only a result that is itself a valid placeholder is suggested.
 */
function correctedForm(expression: string): string | undefined {
  const simple = closest(expression, SIMPLE);
  if (distance(expression, simple) <= 2) return simple;
  const m = /^\s*([A-Za-z_]+)\s*\.\s*([A-Za-z_]+)\s*(?:\.(.*))?$/.exec(expression);
  if (!m) return undefined;
  const head = near(m[1] as string, ['tally']);
  const word = m[2] as string;
  const rest = m[3]?.trim();
  if (head === undefined) return undefined;
  let candidate: string;
  if (rest === undefined || rest === '') {
    const known = near(word, [...COUNTS, ...DATES]);
    // A group without its name: show the form with the name to fill in.
    const group = known === undefined ? near(word, [...Object.keys(GROUPS), 'weapon']) : undefined;
    if (group !== undefined) return PLACEHOLDER_FORMS.find((form) => form.startsWith(`tally.${group}.`));
    if (known === undefined) return undefined;
    candidate = `tally.${known}`;
  } else {
    const group = near(word, [...Object.keys(GROUPS), 'weapon']);
    if (group === undefined) return undefined;
    if (group === 'weapon') {
      const parts = rest.split('.').map((part) => part.trim());
      if (parts.length > 2) return undefined;
      const [type, field] = parts;
      const fixedField = field === undefined ? undefined : near(field, ['munitions', 'incidents']);
      if (field !== undefined && fixedField === undefined) return undefined;
      candidate = `tally.weapon.${name(type ?? '')}${fixedField ? `.${fixedField}` : ''}`;
    } else {
      candidate = `tally.${group}.${name(rest)}`;
    }
  }
  return candidate !== expression && resolve(candidate, undefined) !== undefined ? candidate : undefined;
}

/**
 * `{{tally.country.Iraq.munitions}}`: a country, location, perpetrator or day gives one
 * count, so nothing can follow its name. Each part is a word or a [bracketed name]; joining
 * them into one bracketed name ("[Iraq.munitions]") would suggest a place nobody meant. The
 * author most likely borrowed .munitions or .incidents from the weapon form: say so.
 */
function extraParts(expression: string): string | undefined {
  const m = /^\s*([A-Za-z_]+)\s*\.\s*([A-Za-z_]+)\s*\.(.*)$/.exec(expression);
  if (!m || near(m[1] as string, ['tally']) === undefined) return undefined;
  const group = near(m[2] as string, Object.keys(GROUPS));
  if (group === undefined) return undefined;
  const parts: string[] = [];
  SEGMENT.lastIndex = 0;
  // A space before a dot is a slip ("Iraq .munitions"); one after it is the name's own ("U.S. Embassy").
  const rest = `.${(m[3] as string).trim()}`.replace(/\s+\./g, '.');
  while (SEGMENT.lastIndex < rest.length) {
    const part = SEGMENT.exec(rest);
    // A name with spaces and no brackets is not parts: correctedForm brackets it.
    if (!part) return undefined;
    parts.push(part[0].slice(1));
  }
  if (parts.length < 2) return undefined;
  const [first, ...after] = parts as [string, ...string[]];
  const words = GROUP_WORDS[group as keyof typeof GROUPS];
  const field = after.length === 1 ? near(after[0] as string, ['munitions', 'incidents']) : undefined;
  // A bare first part may be the start of a name with dots ("U.S"): the brackets that keep it whole are the other fix.
  const dotted = field === undefined && group !== 'perDay' && !first.startsWith('[');
  return (
    `unknown placeholder {{${expression}}}: ${field ? `.${field} exists only for weapons ({{tally.weapon.<type>.${field}}}), and ` : ''}` +
    `${words.one} gives one count, with nothing after its name: write {{tally.${group}.${first}}}` +
    (dotted ? `, or, if the dots are part of the name, put the whole name in brackets, e.g. ${words.form}` : '')
  );
}

/** How messages name one entry of each group, and its form with a name to fill in. */
const GROUP_WORDS: Record<keyof typeof GROUPS, { one: string; form: string }> = {
  country: { one: 'a country', form: '{{tally.country.[<Country>]}}' },
  location: { one: 'a location', form: '{{tally.location.[<Location>]}}' },
  perpetrator: { one: 'a perpetrator', form: '{{tally.perpetrator.[<Group>]}}' },
  perDay: { one: 'a day', form: '{{tally.perDay.[<YYYY-MM-DD>]}}' },
};

/** A name as a placeholder needs it: bare when it is one word, in brackets otherwise. */
const name = (raw: string): string => {
  if (/^\[[^\]]+\]$/.test(raw)) return raw;
  return /^[A-Za-z0-9_-]+$/.test(raw) ? raw : `[${raw}]`;
};

/** The known word a word was meant to be: the same ignoring case, or within two edits. */
function near(word: string, known: readonly string[]): string | undefined {
  const exact = known.find((k) => k.toLowerCase() === word.toLowerCase());
  if (exact) return exact;
  const guess = closest(word, known as string[]);
  return distance(word.toLowerCase(), guess.toLowerCase()) <= Math.min(2, Math.max(1, Math.floor(guess.length / 3))) ? guess : undefined;
}
