import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic, Path, SourceMap } from './diagnostics.js';
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
  source: SourceMap,
  path: Path,
): { text: string; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  const error = (needle: string, message: string) => {
    // Occurrences are counted over the raw text, escaped ones included, as find() counts them.
    const occurrence = seen.get(needle) ?? 1;
    // A placeholder broken over lines is found by its first line: the indentation differs.
    diagnostics.push({ file: source.file, ...source.find(path, needle.split('\n')[0] as string, occurrence - 1), message, severity: 'error' });
  };
  // A scan with indexOf, not a regular expression: linear however many braces a text holds.
  let out = '';
  let at = 0;
  for (let start = text.indexOf('{{'); start >= 0; start = text.indexOf('{{', at)) {
    const end = text.indexOf('}}', start + 2);
    const escaped = text[start - 1] === '\\';
    const match = end < 0 ? '{{' : text.slice(start, end + 2);
    seen.set(match, (seen.get(match) ?? 0) + 1);
    if (end < 0 && !escaped) {
      // No "}}" follows, so no later "{{" can close either: one error, then the rest as it is.
      error(match, 'unclosed {{: write \\{{ for literal braces');
      break;
    }
    if (escaped) {
      out += text.slice(at, start + 2);
      at = start + 2;
      continue;
    }
    const value = resolve(text.slice(start + 2, end).trim(), tally);
    if (typeof value === 'string') out += text.slice(at, start) + value;
    else {
      error(match, value.error);
      out += text.slice(at, end + 2);
    }
    at = end + 2;
  }
  return { text: out + text.slice(at), diagnostics };
}

function resolve(expression: string, tally: Tally | undefined): string | { error: string } {
  const unknown = { error: unknownMessage(expression) };
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
  return candidate !== expression && typeof resolve(candidate, undefined) === 'string' ? candidate : undefined;
}

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
