import * as z from 'zod';
import { Composer, isMap, isPair, isScalar, isSeq, LineCounter, Parser, parseDocument, visit, type Alias, type CST, type Document, YAMLParseError, type YAMLError } from 'yaml';
import { YamlPositions, type Diagnostic } from './diagnostics.js';
import { Brief, IncidentFile, Places } from './schema.js';
import { commentsCuttingValues, explainSyntaxErrors } from './yaml-syntax.js';

export interface Loaded {
  /** The plain data, or undefined when the YAML could not be read at all. */
  data: unknown;
  source: YamlPositions;
  diagnostics: Diagnostic[];
}

/** How much one input file may hold; brief.config.yaml `limits` changes them. */
export interface Limits {
  /** Characters in a file. */
  fileChars: number;
  /** Levels of nested mappings and lists. */
  depth: number;
  /** Characters in one value. */
  stringChars: number;
}

/** The limits when brief.config.yaml sets none. */
export const DEFAULT_LIMITS: Limits = { fileChars: 2_000_000, depth: 32, stringChars: 200_000 };

/**
 * YAML text to data, keeping positions. Syntax errors and duplicate keys are collected,
 * not thrown, so one run reports everything that is wrong with a file.
 * `file` is the name diagnostics carry; a text over `limits.fileChars` is refused unparsed.
 */
export function loadYaml(text: string, file: string, limits: Limits = DEFAULT_LIMITS): Loaded {
  // A byte-order mark is common in files saved by Windows editors; it is not content.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineCounter();
  // Refused before parsing: an enormous file costs time and memory however it is read.
  if (body.length > limits.fileChars) {
    const doc = parseDocument('');
    return {
      data: undefined,
      source: new YamlPositions(file, '', doc, lines),
      diagnostics: [
        {
          file,
          line: 1,
          column: 1,
          message: `the file has ${body.length.toLocaleString('en-US')} characters; the limit is ${limits.fileChars.toLocaleString('en-US')} (limits.file_chars in brief.config.yaml)`,
          severity: 'error',
        },
      ],
    };
  }
  const { doc, tokens } = parseWithTokens(body, lines);
  const source = new YamlPositions(file, body, doc, lines);
  const diagnostics: Diagnostic[] = [];
  // Syntax errors are explained one per mistake, at the place to fix (see yaml-syntax.ts);
  // duplicate keys and extra documents are plain already.
  for (const problem of doc.errors.length > 0 ? explainSyntaxErrors(body, doc.errors, formatKeys()) : []) {
    diagnostics.push({ file, ...problem, severity: 'error' });
  }
  for (const [list, severity] of [
    [doc.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e.code === 'MULTIPLE_DOCS'), 'error'],
    // A local tag eats the word it is made of (`!Breaking news` reads "news"): an error.
    // A YAML tag (`!!js/function "..."`) keeps its value as text, so it stays a warning.
    [doc.warnings.filter(droppedWord), 'error'],
    [doc.warnings.filter((e) => !droppedWord(e)), 'warning'],
  ] as const) {
    for (const e of list) {
      diagnostics.push({
        file,
        ...source.position(e.pos[0]),
        message: describeYamlProblem(e.code, e.message, body.slice(e.pos[0], e.pos[0] + 80)),
        severity,
      });
    }
  }
  diagnostics.push(...cutByComments(tokens, body, source));
  diagnostics.push(...overLimits(doc.contents, source, limits));
  const hasSyntaxError = diagnostics.some((d) => d.severity === 'error');
  // maxAliasCount bounds alias expansion, so a "billion laughs" file fails fast.
  let data: unknown;
  if (!hasSyntaxError) {
    const culprit = watchAliases(doc);
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      const at = culprit.node?.range ? source.position(culprit.node.range[0]) : aliasPosition(source, err as Error);
      diagnostics.push({ file, ...at, message: describeAliasProblem(err as Error, culprit.node?.source), severity: 'error' });
    }
  }
  return { data, source, diagnostics };
}

/** Values nested too deep or too long, each at its position, found without recursion. */
function overLimits(root: unknown, source: YamlPositions, limits: Limits): Diagnostic[] {
  const found: Diagnostic[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0 && found.length < 10) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    const at = (n: { range?: [number, number, number] | null }) => source.position(n.range?.[0] ?? 0);
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.value.length > limits.stringChars) {
        found.push({ file: source.file, ...at(node), message: `this value has ${node.value.length.toLocaleString('en-US')} characters; the limit is ${limits.stringChars.toLocaleString('en-US')} (limits.string_chars)`, severity: 'error' });
      }
    } else if (isMap(node) || isSeq(node)) {
      if (depth >= limits.depth) {
        found.push({ file: source.file, ...at(node), message: `nested more than ${limits.depth} levels deep (limits.depth)`, severity: 'error' });
        continue;
      }
      for (const item of node.items) {
        if (isPair(item)) stack.push({ node: item.key, depth: depth + 1 }, { node: item.value, depth: depth + 1 });
        else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return found;
}

/**
 * Alias problems are found while building the data; this points at the alias that caused
 * them. The yaml library says an alias expands too much but not where (its "Excessive alias
 * count" error has no position; no upstream issue found): each alias is watched, and the
 * first to fail (the innermost, where expansion passed the limit) is kept.
 */
function watchAliases(doc: Document.Parsed): { node?: Alias } {
  const culprit: { node?: Alias } = {};
  visit(doc, {
    Alias(_, node) {
      const toJSON = node.toJSON.bind(node);
      node.toJSON = (...args: Parameters<Alias['toJSON']>) => {
        try {
          return toJSON(...args);
        } catch (err) {
          culprit.node ??= node;
          throw err;
        }
      };
    },
  });
  return culprit;
}

function aliasPosition(source: YamlPositions, err: Error): { line: number; column: number } {
  const name = /alias[^:]*:\s*(\S+?)\.?\s*$/i.exec(err.message)?.[1];
  const index = name === undefined ? -1 : source.text.indexOf(`*${name}`);
  return index >= 0 ? source.position(index) : { line: 1, column: 1 };
}

/**
 * In our words, not the parser's ("Excessive alias count indicates a resource exhaustion
 * attack"): an author who used anchors did nothing hostile, and needs to know what to change.
 */
function describeAliasProblem(err: Error, alias: string | undefined): string {
  if (/unresolved alias/i.test(err.message)) return `${err.message.replace(/\.$/, '')}: define the anchor (&name) before using *name`;
  const name = alias === undefined ? 'an alias (*name) repeats the value of its anchor (&name)' : `the alias *${alias} repeats the value of the anchor &${alias}`;
  return (
    `${name}, and with the aliases inside that value this file expands aliases more than 100 times: ` +
    'write the values out, or use fewer aliases'
  );
}

const droppedWord = (e: YAMLError): boolean => e.code === 'TAG_RESOLVE_FAILED' && /: ![^!]/.test(e.message);

/**
 * The document and the parser's CST tokens from one parse, as parseDocument makes it, so
 * comments can be seen where they sit (after which value) without reading the text twice.
 */
function parseWithTokens(body: string, lines: LineCounter): { doc: Document.Parsed; tokens: CST.Token[] } {
  const tokens: CST.Token[] = [];
  const keep = function* (source: Generator<CST.Token>): Generator<CST.Token> {
    for (const token of source) {
      tokens.push(token);
      yield token;
    }
  };
  const composer = new Composer({
    prettyErrors: false,
    uniqueKeys: true,
    // The core schema keeps 2023-10-24 a string, as the format wants; no YAML 1.1
    // surprises such as `no` becoming false or a country code `NO` a boolean.
    schema: 'core',
    merge: false,
    // Errors stay errors (multiple documents among them); warnings are not printed to the console.
    logLevel: 'error',
  });
  let doc: Document.Parsed | undefined;
  for (const next of composer.compose(keep(new Parser(lines.addNewLine).parse(body)), true, body.length)) {
    if (!doc) doc = next;
    else {
      // As parseDocument does: a second document is an error, reported at its start.
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
      break;
    }
  }
  return { doc: doc as Document.Parsed, tokens };
}

/** A plain value cut short by a `#` that YAML reads as the start of a comment. */
function cutByComments(tokens: readonly CST.Token[], body: string, source: YamlPositions): Diagnostic[] {
  return commentsCuttingValues(tokens).flatMap(({ offset, key, value }) => {
    const lineEnd = body.indexOf('\n', offset);
    const whole = `${value} ${body.slice(offset, lineEnd < 0 ? undefined : lineEnd).trimEnd()}`.replace(/\r$/, '');
    if (meantAsComment(key, value, whole)) return [];
    const name = key ? `the ${key}` : 'the value';
    return {
      file: source.file,
      ...source.position(offset),
      message:
        `YAML reads the text from this "#" to the end of the line as a comment and drops it, so ${name} is "${value}": ` +
        `put ${name} in quotes to keep it, e.g. ${key ? `${key}: ` : ''}"${whole.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
      severity: 'warning' as const,
    };
  });
}

/**
 * `date: 2024-01-11 # published`: the value before the `#` is complete, and quoting the whole
 * line would make it invalid, so the comment is meant and a warning would give wrong advice.
 * For a key of the formats the schema decides: only when some value of that key may be the
 * whole text (a title, a location, a name) can the `#` have cut it. For any other key, a value
 * that is a date, a number or true/false on its own is taken as complete.
 */
function meantAsComment(key: string | undefined, value: string, whole: string): boolean {
  const schemas = key === undefined ? undefined : valueSchemas().get(key);
  if (schemas) return !schemas.some((schema) => schema.safeParse(whole).success);
  return /^(?:\d{4}-\d{2}-\d{2}|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|true|false|True|False|TRUE|FALSE)$/.test(value);
}

let schemasByKey: Map<string, z.ZodType[]> | undefined;

/** Every key of the formats a YAML file here can hold, with the schemas of its values (a key such as name is in several). */
function valueSchemas(): Map<string, z.ZodType[]> {
  if (schemasByKey) return schemasByKey;
  const found = new Map<string, z.ZodType[]>();
  const stack: z.ZodType[] = [Brief, IncidentFile, Places];
  const seen = new Set<z.ZodType>();
  while (stack.length > 0) {
    const schema = stack.pop() as z.ZodType;
    if (seen.has(schema)) continue;
    seen.add(schema);
    if (schema instanceof z.ZodOptional) stack.push(schema.unwrap() as z.ZodType);
    else if (schema instanceof z.ZodArray) stack.push(schema.element as z.ZodType);
    else if (schema instanceof z.ZodUnion) stack.push(...(schema.options as z.ZodType[]));
    else if (schema instanceof z.ZodObject) {
      for (const [key, value] of Object.entries(schema.shape)) {
        found.set(key, [...(found.get(key) ?? []), value as z.ZodType]);
        stack.push(value as z.ZodType);
      }
    }
  }
  schemasByKey = found;
  return found;
}

/** Every key of the formats, to tell an indentation slip from prose. */
const formatKeys = (): Set<string> => new Set(valueSchemas().keys());

function describeYamlProblem(code: string, message: string, at = ''): string {
  if (code === 'DUPLICATE_KEY') {
    // The error covers the repeated key itself; its name tells the author which line to merge.
    const key = /^["']?([^"':\n]{1,60})/.exec(at.trim())?.[1]?.trim();
    return `duplicate key${key ? ` "${key}"` : ''}: each key may appear only once in a mapping; keep one of them`;
  }
  if (code === 'TAG_RESOLVE_FAILED' && /: ![^!]/.test(message)) {
    const tag = /: (\S+)/.exec(message)?.[1] ?? '!';
    return `a value cannot start with "!" in YAML: "${tag}" is read as a tag and dropped; put the whole value in quotes`;
  }
  if (code === 'MULTIPLE_DOCS') return 'a file holds one brief: remove the "---" that starts a second document';
  // The parser's messages are good, but some carry a source excerpt after a newline.
  const first = message.split('\n')[0] ?? message;
  return `YAML syntax: ${first.replace(/ at line \d+, column \d+.*$/, '')}`;
}

/**
 * Bytes to text, refusing invalid UTF-8 at its position rather than silently turning it
 * into replacement characters that would then be published.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string } | { diagnostic: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad)).replace(/^\uFEFF/, '');
    const lines = before.split('\n');
    return {
      diagnostic: {
        file,
        line: lines.length,
        column: [...(lines.at(-1) ?? '')].length + 1,
        message: `not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}); save the file as UTF-8`,
        severity: 'error',
      },
    };
  }
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i; // overlong or surrogate forms
    }
    i += length;
  }
  return bytes.length;
}
