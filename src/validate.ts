import * as z from 'zod';
import { closest, distance } from 'fastest-levenshtein';
import { formatPath, type Diagnostic, type Path, type SourceMap } from './diagnostics.js';
import { Brief } from './schema.js';

/**
 * Data to a typed brief, or every problem with it at once, each at its position.
 * Cross-field rules that a schema cannot say (a window that ends before it starts)
 * are checked here too, after the shape is right.
 */
export function validateBrief(data: unknown, source: SourceMap): { brief?: Brief; diagnostics: Diagnostic[] } {
  const result = Brief.safeParse(data, { reportInput: true });
  if (!result.success) {
    const diagnostics = result.error.issues.flatMap((issue) => describeIssue(issue, source));
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { diagnostics };
  }
  const brief = result.data;
  const diagnostics: Diagnostic[] = [];
  const { since, until } = brief.tally ?? {};
  if (since && until && since > until) {
    diagnostics.push(source.error(['tally', 'until'], `tally.until (${until}) is before tally.since (${since})`));
  }
  return { brief, diagnostics };
}

function describeIssue(issue: z.core.$ZodIssue, source: SourceMap): Diagnostic[] {
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const where = formatPath(path);
  const subject = where === '' ? 'the brief' : where;

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const known = knownKeys(path);
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
  if (issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)) {
    return [source.error(path, `${subject} is required`)];
  }
  if ('input' in issue && issue.input === null) {
    return [source.error(path, `${subject} has no value; give one or remove the key`)];
  }
  return [source.error(path, `${subject} ${issue.message}`)];
}

/** The keys the schema allows at a path, for "did you mean" hints. */
function knownKeys(path: Path): string[] {
  let schema: z.ZodType = Brief;
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
