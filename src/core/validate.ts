import * as z from 'zod';
import { closest, distance } from 'fastest-levenshtein';
import { formatPath, type Diagnostic, type Path, type YamlPositions } from './diagnostics.js';
import { Brief, Incident, NO_CONTROL, URL_CLEAN, URL_UNSAFE_CHAR } from './schema.js';
import { daysBetween } from './tally.js';

export const MAX_WINDOW_DAYS = 3660;

/**
 * Data to a typed brief, or every problem with it at once, each at its position.
 * Cross-field rules that a schema cannot say (a window that ends before it starts) are
 * checked here too: on the typed brief when it is valid, and otherwise on the parts of the
 * data that are valid on their own (see checkable), so one run reports a revision dated
 * after the brief even while an unrelated key is misspelt.
 */
export function validateBrief(data: unknown, source: YamlPositions): { brief?: Brief; diagnostics: Diagnostic[] } {
  const { value: brief, diagnostics } = validateWith(Brief, data, source);
  diagnostics.push(...crossFieldChecks(brief ? fromBrief(brief) : checkable(data), source));
  return brief ? { brief, diagnostics } : { diagnostics };
}

/**
 * What the cross-field checks read. Every value here is valid by the schema of its own
 * field; a field that is given but invalid is left out and marks what depends on it as
 * unknown, so no check runs on a guess (a window without a valid since is not "a window
 * without since").
 */
interface Checkable {
  date?: string;
  since?: string;
  until?: string;
  /** Each of date, since and until is valid or absent (date being required, it is then there). */
  windowKnown: boolean;
  /** Every incident's date, in list order; undefined when one of them (or the list) is invalid. */
  dates?: string[];
  incidents: { index: number; date?: string; revised?: string; coordinates?: { lat?: number; lon?: number } }[];
}

function fromBrief(brief: Brief): Checkable {
  const incidents = brief.incidents ?? [];
  return {
    date: brief.date,
    ...(brief.tally?.since !== undefined ? { since: brief.tally.since } : {}),
    ...(brief.tally?.until !== undefined ? { until: brief.tally.until } : {}),
    windowKnown: true,
    dates: incidents.map((i) => i.date),
    incidents: incidents.map((incident, index) => ({
      index,
      date: incident.date,
      ...(incident.revised !== undefined ? { revised: incident.revised } : {}),
      coordinates: { ...(incident.lat !== undefined ? { lat: incident.lat } : {}), ...(incident.lon !== undefined ? { lon: incident.lon } : {}) },
    })),
  };
}

const mapping = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A field's value if its own schema accepts it; `given` says whether it was there at all. */
function field<T>(schema: z.ZodType<T>, object: Record<string, unknown> | undefined, key: string): { given: boolean; value?: T } {
  const raw = object?.[key];
  if (raw === undefined) return { given: false };
  const result = schema.safeParse(raw);
  return result.success ? { given: true, value: result.data } : { given: true };
}

const TallyShape = (Brief.shape.tally.unwrap() as z.ZodObject).shape;
const IncidentShape = Incident.shape;

/** The valid parts of a brief that did not validate as a whole. */
function checkable(data: unknown): Checkable {
  const brief = mapping(data);
  const date = field(Brief.shape.date, brief, 'date');
  const tally = mapping(brief?.tally);
  const tallyGiven = brief?.tally !== undefined;
  const since = field(TallyShape.since as z.ZodType<string | undefined>, tally, 'since');
  const until = field(TallyShape.until as z.ZodType<string | undefined>, tally, 'until');
  const list = brief?.incidents === undefined ? [] : Array.isArray(brief.incidents) ? (brief.incidents as unknown[]) : undefined;
  const incidents = (list ?? []).map((raw, index) => {
    const incident = mapping(raw);
    const revised = field(IncidentShape.revised, incident, 'revised');
    const lat = field(IncidentShape.lat, incident, 'lat');
    const lon = field(IncidentShape.lon, incident, 'lon');
    const sound = (f: { given: boolean; value?: number }) => !f.given || f.value !== undefined;
    return {
      index,
      date: incident ? field(IncidentShape.date, incident, 'date').value : undefined,
      ...(revised.value !== undefined ? { revised: revised.value } : {}),
      ...(incident && sound(lat) && sound(lon)
        ? { coordinates: { ...(lat.value !== undefined ? { lat: lat.value } : {}), ...(lon.value !== undefined ? { lon: lon.value } : {}) } }
        : {}),
    };
  });
  const dates = list && incidents.every((i) => i.date !== undefined) ? incidents.map((i) => i.date as string) : undefined;
  return {
    ...(date.value !== undefined ? { date: date.value } : {}),
    ...(since.value !== undefined ? { since: since.value } : {}),
    ...(until.value !== undefined ? { until: until.value } : {}),
    windowKnown: date.value !== undefined && (!tallyGiven || (tally !== undefined && (!since.given || since.value !== undefined) && (!until.given || until.value !== undefined))),
    ...(dates ? { dates } : {}),
    incidents: incidents.map(({ index, date: day, revised, coordinates }) => ({
      index,
      ...(day !== undefined ? { date: day } : {}),
      ...(revised !== undefined ? { revised } : {}),
      ...(coordinates ? { coordinates } : {}),
    })),
  };
}

function crossFieldChecks(brief: Checkable, source: YamlPositions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const { since, until, date } = brief;
  // Without every incident's date the earliest is unknown: the checks that need it are skipped, never run on a guess.
  const earliest = brief.dates ? [...brief.dates].sort()[0] : undefined;
  if (brief.windowKnown && date !== undefined) {
    diagnostics.push(...reversedWindow(date, since, until, earliest, brief.dates ?? [], source));
    // A window is days or months; decades are a typo (1023 for 2023), and would draw a chart of 360,000 bars.
    const start = since ?? earliest;
    const end = until ?? date;
    if (start && end && start <= end && daysBetween(start, end) + 1 > MAX_WINDOW_DAYS) {
      const key = since ? 'since' : until ? 'until' : undefined;
      diagnostics.push(
        source.error(key ? ['tally', key] : ['date'], `the tally window ${start} to ${end} is longer than ${MAX_WINDOW_DAYS} days (ten years); check the years`),
      );
    }
  }
  for (const incident of brief.incidents) {
    const i = incident.index;
    if (incident.coordinates) diagnostics.push(...checkCoordinates(incident.coordinates, source, ['incidents', i]));
    diagnostics.push(...checkRevisionDate(incident, source, ['incidents', i], date));
  }
  return diagnostics;
}

/**
 * A window that ends before it starts, by any route (brief-format "Tallies", Window: since
 * defaults to the earliest of the brief's own incidents, until to the brief's date): it
 * would count nothing and show negative days, so it is an error at the end that moved.
 * `earliest` is undefined when the brief has no incidents or their dates are not all valid.
 */
function reversedWindow(date: string, since: string | undefined, until: string | undefined, earliest: string | undefined, dates: readonly string[], source: YamlPositions): Diagnostic[] {
  if (since && until) {
    return since > until ? [source.error(['tally', 'until'], `tally.until (${until}) is before tally.since (${since})`)] : [];
  }
  if (since && since > date) {
    return [
      source.error(
        ['tally', 'since'],
        `tally.since (${since}) is after the brief's date (${date}), where the window ends without tally.until: it would count nothing; check the date, or give tally.until`,
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
  if (!since && !until && earliest && earliest > date) {
    const i = dates.indexOf(earliest);
    return [
      source.error(
        ['incidents', i, 'date'],
        `every incident of the brief is dated after the brief (${date}), so the window (from the earliest, ${earliest}, to the brief's date) would end before it starts; check the dates, or give tally.since`,
      ),
    ];
  }
  return [];
}

/**
 * brief-format "Revisions": `revised` is the day the new facts became known. A brief can
 * only report facts known when it was published (on or before `briefDate`, when the
 * listing is in a brief), and no fact about an incident becomes known before the incident
 * happened: a revision dated before the incident's own date is a mistyped date.
 */
export function checkRevisionDate(incident: { date?: string; revised?: string }, source: YamlPositions, path: Path, briefDate?: string): Diagnostic[] {
  const { revised, date } = incident;
  if (revised === undefined) return [];
  const at = [...path, 'revised'];
  if (date !== undefined && revised < date) {
    return [
      source.error(
        at,
        `${formatPath(at)} (${revised}) is before the incident's own date (${date}): facts cannot be revised before the incident happened; check both dates`,
      ),
    ];
  }
  if (briefDate !== undefined && revised > briefDate) {
    return [source.error(at, `${formatPath(at)} (${revised}) is after the brief's date (${briefDate}); a brief reports only revisions known by its date`)];
  }
  return [];
}

/** A point needs both coordinates; one alone is a mistake, not half a location. */
export function checkCoordinates(item: { lat?: number; lon?: number }, source: YamlPositions, path: Path): Diagnostic[] {
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
  source: YamlPositions,
  whole = 'the brief',
): { value?: z.infer<T>; diagnostics: Diagnostic[] } {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { value: result.data, diagnostics: [] };
  const diagnostics = withoutEchoes(result.error.issues, schema).flatMap((issue) => describeIssue(issue, source, schema, whole));
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { diagnostics };
}

/**
 * One mistake, one message: a misspelt required key (`developmnts:`) is both an unknown
 * key and a missing one. The unknown key's message already names the right one ("did you
 * mean"), so the "is required" beside it is left out.
 */
function withoutEchoes(issues: readonly z.core.$ZodIssue[], root: z.ZodType): z.core.$ZodIssue[] {
  const meant = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
    const known = knownKeys(root, path);
    for (const key of issue.keys) {
      const guess = known.length > 0 ? closest(key, known) : undefined;
      if (guess && distance(key, guess) <= Math.max(2, key.length / 3)) meant.add(JSON.stringify([...path, guess]));
    }
  }
  if (meant.size === 0) return [...issues];
  return issues.filter((issue) => {
    const missing = issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined);
    return !(missing && meant.has(JSON.stringify(issue.path.filter((k) => typeof k !== 'symbol'))));
  });
}

function describeIssue(issue: z.core.$ZodIssue, source: YamlPositions, root: z.ZodType, whole: string): Diagnostic[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const where = formatPath(path);
  const subject = where === '' ? whole : where;

  // A list longer than its limit (LIST_LIMITS): said at the first entry over it, where the
  // author starts cutting or splitting. A list of series names is one side of a union
  // (a name or a list): a list too long is that side's only complaint, said as it is.
  const tooLong = issue.code === 'invalid_union' ? issue.errors.flat().find((i) => i.code === 'too_big' && i.origin === 'array' && i.path.length === 0) : issue;
  if (tooLong?.code === 'too_big' && tooLong.origin === 'array') {
    return [source.error([...path, Number(tooLong.maximum)], `${subject} ${tooLong.message}`)];
  }

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const known = knownKeys(root, path);
      const guess = known.length > 0 ? closest(key, known) : undefined;
      const hint = guess && distance(key, guess) <= Math.max(2, key.length / 3) ? ` (did you mean "${guess}"?)` : '';
      const position = source.locateKey(path, key);
      const name = where === '' ? key : `${where}.${key}`;
      // YAML 1.1's merge key is not read (merge: false in load.ts), so `<<: *base` would copy nothing.
      const merge = key === '<<' ? ': YAML merge keys (<<: *anchor) are not used here; write the keys out' : '';
      return {
        file: source.file,
        ...position,
        message: `unknown key "${name}"${merge || hint}`,
        severity: 'error' as const,
      };
    });
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    const empty = !('input' in issue) || issue.input === null || issue.input === undefined;
    return [source.error(path, wholeFileMessage(root, whole, empty ? undefined : issue.input, issue.message))];
  }
  if (issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)) {
    return [source.error(path, `${subject} is required`)];
  }
  if ('input' in issue && issue.input === null) {
    return [source.error(path, `${subject} has no value; give one or remove the key`)];
  }
  // A number written as a word or in quotes: say what a number looks like.
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int') && typeof issue.input === 'string') {
    const word = NUMBER_WORDS.indexOf(issue.input.trim().toLowerCase());
    const like = word >= 0 ? word : 2;
    const why = word >= 0 ? `, not the word "${issue.input.trim()}"` : /^\s*-?\d+(\.\d+)?\s*$/.test(issue.input) ? ', without quotes' : `, not "${issue.input}"`;
    const target = schemaAt(root, path);
    const kind = target instanceof z.ZodNumber && target.isInt ? 'a whole number' : 'a number';
    return [source.error(path, `${subject} must be ${kind} like ${like}${why}`)];
  }
  // `- Red Sea: Houthis now` in a list of text: YAML read a key and a value from one text.
  if (issue.code === 'invalid_type' && issue.expected === 'string' && isOnePair(issue.input)) {
    const [key, value] = Object.entries(issue.input)[0] as [string, unknown];
    const whole = `${key}: ${value ?? ''}`.trimEnd();
    return [
      {
        file: source.file,
        ...source.find(path, ':'),
        message: `${subject} must be text, but the ": " in it makes YAML read a key and a value: put it in quotes, e.g. "${whole.replace(/"/g, '\\"')}"`,
        severity: 'error',
      },
    ];
  }
  // `title: 2024`, `label: true`: YAML read a number or a boolean where text belongs.
  if (issue.code === 'invalid_type' && issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean')) {
    return [source.error(path, notText(root, path, subject, issue.input, source))];
  }
  // A list or mapping written as something else: show the shape as one line to copy.
  const shape = issue.code === 'invalid_type' && (issue.expected === 'array' || issue.expected === 'object') ? expectedShape(root, path, issue.input) : undefined;
  if (shape) return [source.error(path, `${subject} must be ${shape.what}, not ${describe(issue.input)}: write ${shape.example}`)];
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
    return [source.error(path, `${subject} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describe(issue.input)}`)];
  }
  // A control character is invisible in an editor: point at the character itself, not at
  // the start of a value that may run for many lines (an escape such as "\0" is not found
  // in the source, and the value's own position stays).
  // A URL's space or direction mark is pointed at the same way.
  const unsafeInUrl = issue.code === 'invalid_format' && issue.format === 'regex' && issue.pattern === URL_CLEAN.toString();
  if (issue.code === 'invalid_format' && typeof issue.input === 'string' && (!NO_CONTROL.test(issue.input) || unsafeInUrl)) {
    const char = [...issue.input].find((c) => !NO_CONTROL.test(c) || (unsafeInUrl && URL_UNSAFE_CHAR.test(c))) as string;
    return [{ file: source.file, ...source.find(path, char), message: `${subject} ${issue.message}`, severity: 'error' }];
  }
  return [source.error(path, `${subject} ${issue.message}`)];
}

/**
 * A number or true/false where text is expected. Quotes make it text; that is the fix when
 * the text is then valid (`title: "2024"`). When it is not (`lang: 12`), the field's own rule
 * is what the author needs to read.
 */
function notText(root: z.ZodType, path: Path, subject: string, input: number | boolean, source: YamlPositions): string {
  const range = source.range(path);
  // As written (1.50, not 1.5), so the quoted example keeps the author's text.
  const written = (range ? source.text.slice(range[0], range[1]).trim() : '') || String(input);
  const what = typeof input === 'number' ? 'a number' : 'true or false';
  const asText = schemaAt(root, path)?.safeParse(written);
  if (asText && !asText.success) {
    const rule = asText.error.issues[0]?.message;
    if (rule !== undefined && !rule.startsWith('Invalid')) return `${subject} ${rule}, not ${typeof input === 'number' ? `the number ${written}` : written}`;
  }
  const key = path.at(-1);
  const example = typeof key === 'string' ? `${key}: "${written}"` : `- "${written}"`;
  return `${subject} must be text, not ${what}: put it in quotes, e.g. ${example}`;
}

/**
 * The whole file is not what its format is (empty, a list for a mapping, a mapping for a
 * list): said from the schema, with the keys that start it, so the message matches the format.
 */
function wholeFileMessage(root: z.ZodType, whole: string, input: unknown, said: string): string {
  const schema = unwrap(root);
  const required = (object: z.ZodObject) => Object.keys(object.shape).filter((k) => !(object.shape[k] instanceof z.ZodOptional));
  const keyList = (keys: readonly string[]) =>
    keys.length <= 1 ? keys.map((k) => `${k}:`).join('') : `${keys.slice(0, -1).map((k) => `${k}:`).join(', ')} and ${keys.at(-1)}:`;
  if (schema instanceof z.ZodArray) {
    const element = unwrap(schema.element as z.ZodType);
    const keys = element instanceof z.ZodObject ? required(element) : [];
    const [first, ...others] = keys;
    // The schema's own words for the list ("must be a list of places") name its entries.
    const list = /^must be (a list of \w+)$/.exec(said)?.[1] ?? 'a list';
    const noun = /^a list of (\w+?)s$/.exec(list)?.[1] ?? 'entry';
    const entry = first === undefined ? 'each entry starting "- "' : `each ${noun} starting "- ${first}:"${others.length > 0 ? ` with ${keyList(others)} under it` : ''}`;
    if (input === undefined) return `the file is empty; ${whole} must be ${list}, ${entry}`;
    const object = mapping(input);
    if (object && first !== undefined && first in object) {
      return `${whole} must be ${list}, not a single mapping: put "- " before "${first}:" and indent the lines under it by 2 spaces, one "- ${first}:" entry per ${noun}`;
    }
    return `${whole} must be ${list}, not ${describe(input)}: ${entry}`;
  }
  const keys = schema instanceof z.ZodObject ? required(schema) : [];
  if (input === undefined) return `the file is empty; ${whole} needs its keys${keys.length > 0 ? `, at least ${keyList(keys)}` : ''}`;
  return `${whole} must be a mapping of keys (key: value)${keys.length > 0 ? ` starting with ${keyList(keys)}` : ''}, not ${describe(input)}`;
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
  const schema = schemaAt(root, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The schema of the value at a path, unwrapped, or undefined when the path leaves the schema. */
function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let schema: z.ZodType = root;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray && typeof key === 'number') schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodObject && typeof key === 'string' && key in schema.shape) {
      schema = schema.shape[key] as z.ZodType;
    } else return undefined;
  }
  return unwrap(schema);
}

const isOnePair = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length === 1 &&
  ['string', 'number', 'boolean'].includes(typeof Object.values(value)[0]);

/** The look of a value: runs of letters and of digits collapsed ("2023-10-17" is "0-0-0"). */
const look = (value: string): string => value.replace(/[A-Za-z]+/g, 'a').replace(/[0-9]+/g, '0');

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/**
 * A sample value for each key of the formats, for the one-line examples of shape errors.
 * The keys come from the schema; a test checks that every key of an object in a list has one.
 */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  name: 'Jane Analyst',
  role: 'Senior Fellow',
  type: 'drone',
  count: '2',
  quote: 'The words',
  heading: 'How We Got Here',
  body: '...',
  title: 'An earlier brief',
  url: 'https://example.org/analysis',
  date: '2023-10-24',
  location: 'al-Tanf garrison',
  country: 'Syria',
  source: 'Pentagon',
  figure: '13',
  as_of: '2023-10-24',
  text: 'An earlier version gave the wrong base.',
  since: '2023-10-17',
  until: '2023-10-24',
  lat: '33.5',
  lon: '38.6',
};

/**
 * What a list or mapping at `path` looks like, as one line an author can copy:
 * `weapons: [{type: drone}]`. The keys are the schema's own (the required ones, else
 * the first); the author's text, when it is a single word or line, becomes the first value.
 */
function expectedShape(root: z.ZodType, path: Path, input: unknown): { what: string; example: string } | undefined {
  const last = path.at(-1);
  const item = typeof last === 'number';
  const listPath = item ? path.slice(0, -1) : path;
  const name = listPath.at(-1);
  if (typeof name !== 'string') return undefined;
  const schema = schemaAt(root, listPath);
  const given = typeof input === 'string' && input.trim() !== '' && !input.includes('\n') && input.length <= 60 ? input.trim() : undefined;
  const mapping = (object: z.ZodObject) => {
    const keys = Object.keys(object.shape);
    const required = keys.filter((k) => !(object.shape[k] instanceof z.ZodOptional));
    // The author's text goes where it fits: a key whose sample looks like it (a date for
    // since, a link for url), else the first required key, if that key accepts it.
    const accepts = (k: string) => given !== undefined && (object.shape[k] as z.ZodType).safeParse(given).success;
    const into = keys.find((k) => look(given ?? '') !== 'a' && SAMPLE_VALUES[k] !== undefined && look(SAMPLE_VALUES[k]) === look(given ?? '') && accepts(k)) ?? required.find((k, i) => i === 0 && accepts(k));
    const shownKeys = [...new Set([...(required.length > 0 ? required : []), ...(into ? [into] : [])])];
    if (shownKeys.length === 0) shownKeys.push(keys[0] as string);
    const shown = keys.filter((k) => shownKeys.includes(k)).map((k) => `${k}: ${k === into ? given : (SAMPLE_VALUES[k] ?? '...')}`);
    const all = keys.length <= 4 ? keys : [...required, '...'];
    return { keys: `{${all.join(', ')}}`, example: `{${shown.join(', ')}}` };
  };
  if (schema instanceof z.ZodArray) {
    const element = unwrap(schema.element as z.ZodType);
    if (element instanceof z.ZodObject) {
      const { keys, example } = mapping(element);
      return item
        ? { what: `a mapping ${keys}`, example: `each entry of ${name} as ${keys}: ${name}: [${example}]` }
        : { what: `a list of ${keys}`, example: `${name}: [${example}]` };
    }
    if (!item && element instanceof z.ZodString) return { what: 'a list', example: `${name}: [${given ?? '...'}]` };
    return undefined;
  }
  if (!item && schema instanceof z.ZodObject) {
    const { keys, example } = mapping(schema);
    return { what: `a mapping ${keys}`, example: `${name}: ${example}` };
  }
  return undefined;
}

const unwrap = (schema: z.ZodType): z.ZodType =>
  schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
