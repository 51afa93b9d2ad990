import * as z from 'zod';
import { closest, distance } from 'fastest-levenshtein';
import { formatPath, type Diagnostic, type Path, type SourceMap } from './diagnostics.js';
import { Brief, NO_CONTROL } from './schema.js';
import { daysBetween } from './tally.js';

export const MAX_WINDOW_DAYS = 3660;

/**
 * Data to a typed brief, or every problem with it at once, each at its position.
 * Cross-field rules that a schema cannot say (a window that ends before it starts)
 * are checked here too, after the shape is right.
 */
export function validateBrief(data: unknown, source: SourceMap): { brief?: Brief; diagnostics: Diagnostic[] } {
  const { value: brief, diagnostics } = validateWith(Brief, data, source);
  if (!brief) return { diagnostics };
  const { since, until } = brief.tally ?? {};
  const earliest = (brief.incidents ?? []).map((i) => i.date).sort()[0];
  diagnostics.push(...reversedWindow(brief, source, earliest));
  // A window is days or months; decades are a typo (1023 for 2023), and would draw a chart of 360,000 bars.
  const start = since ?? earliest;
  const end = until ?? brief.date;
  if (start && end && start <= end && daysBetween(start, end) + 1 > MAX_WINDOW_DAYS) {
    const key = since ? 'since' : until ? 'until' : undefined;
    diagnostics.push(
      source.error(key ? ['tally', key] : ['date'], `the tally window ${start} to ${end} is longer than ${MAX_WINDOW_DAYS} days (ten years); check the years`),
    );
  }
  (brief.incidents ?? []).forEach((incident, i) => {
    diagnostics.push(...checkCoordinates(incident, source, ['incidents', i]));
    // brief-format "Revisions": a brief can only report facts known when it was published.
    if (incident.revised !== undefined && incident.revised > brief.date) {
      diagnostics.push(
        source.error(['incidents', i, 'revised'], `incidents[${i}].revised (${incident.revised}) is after the brief's date (${brief.date}); a brief reports only revisions known by its date`),
      );
    }
  });
  return { brief, diagnostics };
}

/**
 * A window that ends before it starts, by any route (brief-format "Tallies", Window: since
 * defaults to the earliest of the brief's own incidents, until to the brief's date): it
 * would count nothing and show negative days, so it is an error at the end that moved.
 */
function reversedWindow(brief: Brief, source: SourceMap, earliest: string | undefined): Diagnostic[] {
  const { since, until } = brief.tally ?? {};
  if (since && until) {
    return since > until ? [source.error(['tally', 'until'], `tally.until (${until}) is before tally.since (${since})`)] : [];
  }
  if (since && since > brief.date) {
    return [
      source.error(
        ['tally', 'since'],
        `tally.since (${since}) is after the brief's date (${brief.date}), where the window ends without tally.until: it would count nothing; check the date, or give tally.until`,
      ),
    ];
  }
  if (!since && earliest && until && earliest > until) {
    return [
      source.error(
        ['tally', 'until'],
        `tally.until (${until}) is before the brief's earliest incident (${earliest}), where the window starts without tally.since: it would count nothing; check the date, or give tally.since`,
      ),
    ];
  }
  if (!since && !until && earliest && earliest > brief.date) {
    const i = (brief.incidents ?? []).findIndex((x) => x.date === earliest);
    return [
      source.error(
        ['incidents', i, 'date'],
        `every incident of the brief is dated after the brief (${brief.date}), so the window (from the earliest, ${earliest}, to the brief's date) would end before it starts; check the dates, or give tally.since`,
      ),
    ];
  }
  return [];
}

/** A point needs both coordinates; one alone is a mistake, not half a location. */
export function checkCoordinates(item: { lat?: number; lon?: number }, source: SourceMap, path: Path): Diagnostic[] {
  if ((item.lat === undefined) === (item.lon === undefined)) return [];
  const missing = item.lat === undefined ? 'lat' : 'lon';
  return [source.error(path, `${formatPath(path)} has ${missing === 'lat' ? 'lon' : 'lat'} but no ${missing}; give both or neither`)];
}

/**
 * Any of our schemas (brief, incident file, places file) applied with positions: every
 * issue at once, each at the value or key it is about, sorted as the file reads.
 */
export function validateWith<T extends z.ZodType>(
  schema: T,
  data: unknown,
  source: SourceMap,
  whole = 'the brief',
): { value?: z.infer<T>; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { value: result.data, diagnostics: [] };
  const diagnostics = result.error.issues.flatMap((issue) => describeIssue(issue, source, schema, whole));
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { diagnostics };
}

function describeIssue(issue: z.core.$ZodIssue, source: SourceMap, root: z.ZodType, whole: string): Diagnostic[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const where = formatPath(path);
  const subject = where === '' ? whole : where;

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const known = knownKeys(root, path);
      const guess = known.length > 0 ? closest(key, known) : undefined;
      const hint = guess && distance(key, guess) <= Math.max(2, key.length / 3) ? ` (did you mean "${guess}"?)` : '';
      const position = source.locateKey(path, key);
      const name = where === '' ? key : `${where}.${key}`;
      return {
        file: source.file,
        ...position,
        message: `unknown key "${name}"${hint}`,
        severity: 'error' as const,
      };
    });
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    const empty = !('input' in issue) || issue.input === null || issue.input === undefined;
    return [source.error(path, empty ? `the file is empty; ${whole} needs its keys` : `${whole} must be a mapping of keys (key: value), not ${describe(issue.input)}`)];
  }
  if (issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)) {
    return [source.error(path, `${subject} is required`)];
  }
  if ('input' in issue && issue.input === null) {
    return [source.error(path, `${subject} has no value; give one or remove the key`)];
  }
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return [source.error(path, `${subject} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describe(issue.input)}`)];
  }
  // A control character is invisible in an editor: point at the character itself, not at
  // the start of a value that may run for many lines (an escape such as "\0" is not found
  // in the source, and the value's own position stays).
  if (issue.code === 'invalid_format' && typeof issue.input === 'string' && !NO_CONTROL.test(issue.input)) {
    const char = [...issue.input].find((c) => !NO_CONTROL.test(c)) as string;
    return [{ file: source.file, ...source.find(path, char), message: `${subject} ${issue.message}`, severity: 'error' }];
  }
  return [source.error(path, `${subject} ${issue.message}`)];
}

/** zod's type names, as an author would say them. */
const EXPECTED: Record<string, string> = {
  object: 'a mapping of keys (key: value)',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

const describe = (value: unknown): string =>
  Array.isArray(value)
    ? 'a list'
    : value === null
      ? 'empty'
      : typeof value === 'string'
        ? 'text'
        : typeof value === 'number'
          ? 'a number'
          : typeof value === 'boolean'
            ? 'true or false'
            : 'a mapping';

/** The keys the schema allows at a path, for "did you mean" hints. */
function knownKeys(root: z.ZodType, path: Path): string[] {
  let schema: z.ZodType = root;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray && typeof key === 'number') schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject && typeof key === 'string' && key in schema.shape) {
      schema = schema.shape[key] as z.ZodType;
    } else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

const unwrap = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
