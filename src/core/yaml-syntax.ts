import { CST, LineCounter, Parser, parseDocument, type YAMLError } from 'yaml';

/*
 * The yaml library reports what its parser met, not what the author did: one unquoted
 * colon is "Nested mappings are not allowed in compact mappings", one line dedented by
 * two spaces is a dozen errors over the lines that follow. Here each first error is
 * traced back to the slip that caused it (a colon, an indent, a quote, a bracket, a
 * value starting with a YAML indicator), described in plain words with the fix, and
 * then repaired in a copy of the text, which is parsed again: whatever errors remain
 * after the repaired line are independent mistakes and are explained in turn, and the
 * errors the repair made disappear were consequences and are not shown.
 *
 * Repairs keep the number of lines (they change, indent or comment out text within
 * lines), so positions found in a repaired copy are positions in the author's file.
 */

/** One syntax mistake, at the place to fix it. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

/** Errors that are not about syntax are reported as they are by the loader. */
const NOT_SYNTAX = new Set(['DUPLICATE_KEY', 'MULTIPLE_DOCS']);

/** At most this many mistakes are explained per file: each costs a parse, and past that the author is better served fixing these first. */
const MAX_PROBLEMS = 10;

/** Keys of the brief formats: a more indented `key: value` line that uses one is an indentation slip, not prose. */
export type KnownKeys = ReadonlySet<string>;

/** The parser settings of the loader, so a re-parse sees the text as the loader does. */
const reparse = (text: string): YAMLError[] =>
  parseDocument(text, { prettyErrors: false, uniqueKeys: false, schema: 'core', merge: false, logLevel: 'silent' }).errors.filter(
    (e) => !NOT_SYNTAX.has(e.code),
  );

/**
 * The syntax errors of `text`, one per mistake, each in plain words with its fix.
 * `errors` are the parser's own errors for the text (those that are not syntax are ignored).
 */
export function explainSyntaxErrors(text: string, errors: readonly YAMLError[], keys: KnownKeys = new Set()): SyntaxProblem[] {
  let pending = errors.filter((e) => !NOT_SYNTAX.has(e.code));
  const problems: SyntaxProblem[] = [];
  let current = text;
  let after = -1; // errors on or before this line (0-based) were consequences of one already explained
  while (pending.length > 0 && problems.length < MAX_PROBLEMS) {
    const lines = splitLines(current);
    const first = [...pending].sort((a, b) => a.pos[0] - b.pos[0])[0] as YAMLError;
    const diagnosis = diagnose(current, lines, first, keys);
    problems.push({ line: diagnosis.line + 1, column: diagnosis.column + 1, message: diagnosis.message });
    if (diagnosis.repair === undefined) break;
    after = Math.max(after, diagnosis.repair.through);
    current = diagnosis.repair.text;
    const counter = lineCounter(current);
    const through = after;
    pending = reparse(current).filter((e) => counter.linePos(e.pos[0]).line - 1 > through);
  }
  return problems;
}

interface Line {
  start: number;
  /** The line without its line break (a CR of a CRLF line end is left off too). */
  text: string;
  /** What ends it: "\n", "\r\n" or "" for the last line. */
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const raw = nl < 0 ? text.slice(start) : text.slice(start, nl);
    const cr = raw.endsWith('\r');
    lines.push({ start, text: cr ? raw.slice(0, -1) : raw, eol: nl < 0 ? '' : cr ? '\r\n' : '\n' });
    if (nl < 0) return lines;
    start = nl + 1;
  }
}

const join = (lines: readonly Line[]): string => lines.map((l) => l.text + l.eol).join('');

function lineCounter(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter;
}

const indentOf = (s: string): number => /^ */.exec(s)?.[0].length ?? 0;
const blankOrComment = (s: string): boolean => /^\s*(?:#.*)?$/.test(s);

/**
 * The parts of one line as an author writes it: indentation and list dashes, then an
 * optional `key:`, then the value. Quoted keys count; a colon inside the value does not.
 */
interface LineParts {
  /** Column of the key, or of the value when there is no key (after indentation and dashes). */
  keyColumn: number;
  key?: string;
  /** Column where the value starts (after `key: `). */
  valueColumn: number;
  value: string;
}

function partsOf(text: string): LineParts {
  const prefix = /^[ \t]*(?:-[ \t]+)*/.exec(text)?.[0] ?? '';
  const rest = text.slice(prefix.length);
  const key = /^([^\s#'"{[\]}&*!|>%@`,][^:#]*?|"[^"]*"|'[^']*')[ \t]*:(?=[ \t]|$)[ \t]*/.exec(rest);
  if (!key) return { keyColumn: prefix.length, valueColumn: prefix.length, value: rest };
  return {
    keyColumn: prefix.length,
    key: (key[1] as string).replace(/^["']|["']$/g, ''),
    valueColumn: prefix.length + key[0].length,
    value: rest.slice(key[0].length),
  };
}

interface Diagnosis {
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
  message: string;
  /** The text with this mistake undone, and the last line (0-based) the repair touched. */
  repair?: { text: string; through: number };
}

const PROSE_KEYS = new Set(['summary', 'developments', 'body', 'quote', 'text', 'note']);

/** `the title`, `this value`: how a message names the value it is about. */
const theValue = (key: string | undefined): string => (key ? `the ${key}` : 'the value');

/** `title: "Red Sea: Houthis"`: a line as it should be written, the value in double quotes. */
function quoted(line: string, parts: LineParts): string {
  const value = parts.value.replace(/[ \t]+$/, '');
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `${line.slice(indentOf(line), parts.valueColumn).trimEnd()} "${shown.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** What every recogniser looks at: the first error of a text and its line, computed once. */
interface SlipContext {
  text: string;
  lines: readonly Line[];
  error: YAMLError;
  keys: KnownKeys;
  counter: LineCounter;
  /** 0-based line of the error. */
  i: number;
  /** 0-based column of the error. */
  column: number;
  /** The text of line `i`, and its parts. */
  line: string;
  parts: LineParts;
}

/** A recogniser knows one slip: it explains the error when the slip is what caused it. */
type Recogniser = (context: SlipContext) => Diagnosis | undefined;

/**
 * The slip behind `error`, the first error of `text`: the first recogniser of SLIPS that
 * knows it explains it; when none does, the parser's own words are given at its place.
 */
function diagnose(text: string, lines: readonly Line[], error: YAMLError, keys: KnownKeys): Diagnosis {
  const context = slipContext(text, lines, error, keys);
  for (const recognise of SLIPS) {
    const diagnosis = recognise(context);
    if (diagnosis) return diagnosis;
  }
  return parserMessage(context);
}

/** Where the error is, as line and column, and the parts of its line: what every recogniser starts from. */
function slipContext(text: string, lines: readonly Line[], error: YAMLError, keys: KnownKeys): SlipContext {
  const counter = lineCounter(text);
  const at = counter.linePos(Math.min(error.pos[0], text.length));
  const column = at.col - 1;
  let i = Math.min(at.line - 1, lines.length - 1);
  // An error at the very end of a line belongs to it, not to the start of the next.
  if (column === 0 && i > 0 && error.pos[0] >= text.length) i = lastContentLine(lines, i);
  const line = (lines[i] as Line).text;
  return { text, lines, error, keys, counter, i, column, line, parts: partsOf(line) };
}

/**
 * The slips, in the order they are tried: the first that recognises the error explains it.
 * A slip that would also pass a later recogniser's test comes before it, so the cause is
 * named rather than what the cause made look wrong. Those the parser's error singles out
 * come first; the checks of a value's first character, which apply whatever the error,
 * come last.
 */
const SLIPS: readonly Recogniser[] = [
  // A tab in the indentation: first, as a tab throws off every reading of indentation.
  tabIndentation,
  // `-key: value`: before misalignedLine, as the parser reports it as bad indentation.
  dashWithoutSpace,
  // A line out of column with its mapping or list: the parser says so outright.
  misalignedLine,
  // An unclosed `[` or `{`: before unclosedQuote, as a quote left open inside it is the bracket's to close.
  unclosedBracket,
  // An unclosed quote: the parser names it (a missing closing quote); only where it opened is looked up.
  unclosedQuote,
  // `title: Red Sea: Houthis`: the colon on the error's own line is the nearest cause, so before the lines below.
  colonInValue,
  // A known key indented under the line above: before colonOnContinuationLine, which would take it for prose.
  overIndentedKey,
  // `summary: The Houthis` then `  said: more`: what a colon below a value is once its key is not a known one.
  colonOnContinuationLine,
  // A `key:` line the parser cannot place: first of the lines without a key, as re-indenting it may be the whole fix.
  misplacedKeyLine,
  // `date:2024-01-05`: before textNotUnderItsKey, as glued to its value the key is not seen as one.
  noSpaceAfterColon,
  // Text after a `key:` with nothing on its line, not indented under it: before the catch-all below.
  textNotUnderItsKey,
  // Any other line without `key: value`: it answers every remaining such error, so no value check sees one.
  lineWithoutKey,
  // `summary: {{tally.total}} attacks`: before bracketStartsText, as "{{" starts with "{" too and the fix is "|".
  placeholderStartsProse,
  // A value that starts with "[" or "{" and goes on after the bracket closes.
  bracketStartsText,
  // A value that starts with "*" (an alias) or "&" (an anchor).
  aliasOrAnchorStart,
  // A value that starts with "@", "`" or "%", which YAML reserves.
  reservedStart,
  // `body: | Text`: text on the line of a block scalar's "|" or ">".
  textAfterBlockHeader,
  // `title: "a" b` or `name: 'it's'`: a quote that closes before the value ends.
  quoteClosedEarly,
];

/** `\tsince: x`: a tab in the indentation, replaced by the spaces that make the line parse. */
function tabIndentation({ lines, error, i, line }: SlipContext): Diagnosis | undefined {
  if (error.code !== 'TAB_AS_INDENT' && !/^ *\t/.test(line)) return undefined;
  const best = tabReplacement(lines, i);
  const spaces = best?.indent ?? 2 * (/^[ \t]*/.exec(line)?.[0].length ?? 1);
  return {
    line: i,
    column: line.indexOf('\t'),
    message: `this line is indented with a tab; YAML allows only spaces: ${spaces === 0 ? 'remove the tab' : `indent it with ${spaces} spaces instead`}`,
    repair: { text: best?.text ?? reindent(lines, i, spaces), through: i },
  };
}

/**
 * The indentation to put for a tab: a tab after "key:" with nothing else meant to indent
 * under it (when that parses); otherwise the line lines up with a line above.
 */
function tabReplacement(lines: readonly Line[], i: number): { indent: number; text: string } | undefined {
  const above = emptyKeyAbove(lines, i);
  if (above !== undefined) {
    const indent = above.keyColumn + 2;
    const text = reindent(lines, i, indent);
    if (firstErrorLine(text) > i) return { indent, text };
  }
  return bestIndent(lines, i);
}

/** The parts of the content line above line `i` when it is a `key:` with no value on its line: what follows is meant to be under it. */
function emptyKeyAbove(lines: readonly Line[], i: number): (LineParts & { key: string }) | undefined {
  const above = previousContent(lines, i);
  if (above === undefined) return undefined;
  const parts = partsOf((lines[above] as Line).text);
  if (parts.key === undefined || parts.value.replace(/#.*$/, '').trim() !== '') return undefined;
  return { ...parts, key: parts.key };
}

/**
 * `-date: 2024-01-05`: without a space the dash is part of a key, not the start of a list
 * item, and the parser's complaint is about indentation. The fix is the missing space.
 * Looked for at line `i` and the content line above it (the parser may stumble only on
 * the line after). It is taken as a slip when a list item (`- `) is its neighbour at the
 * same indentation, above or below: that is the list it was meant to join.
 */
function dashWithoutSpace({ lines, i }: SlipContext): Diagnosis | undefined {
  const above = previousContent(lines, i);
  for (const j of above === undefined ? [i] : [i, above]) {
    const text = (lines[j] as Line).text;
    const m = /^( *)-([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)/.exec(text);
    if (!m) continue;
    const indent = (m[1] as string).length;
    if (!listItemAt(lines, neighbour(lines, j, indent, -1), indent) && !listItemAt(lines, neighbour(lines, j, indent, 1), indent)) continue;
    return {
      line: j,
      column: indent + 1,
      message: `put a space after "-": "- ${m[2]}:" starts a list item, while "-${m[2]}:" is read as a key named "-${m[2]}"`,
      repair: { text: replaceLine(lines, j, `${text.slice(0, indent + 1)} ${text.slice(indent + 1)}`), through: j },
    };
  }
  return undefined;
}

/** The nearest content line from line `j` in the direction `step` indented `indent` or less: its neighbour in the block. */
function neighbour(lines: readonly Line[], j: number, indent: number, step: 1 | -1): number | undefined {
  for (let k = j + step; k >= 0 && k < lines.length; k += step) {
    const t = (lines[k] as Line).text;
    if (!blankOrComment(t) && indentOf(t) <= indent) return k;
  }
  return undefined;
}

/** Whether line `k` is a list item (`- `) at `indent`. */
function listItemAt(lines: readonly Line[], k: number | undefined, indent: number): boolean {
  return k !== undefined && new RegExp(`^ {${indent}}-[ \\t]`).test((lines[k] as Line).text);
}

/** A line not at the column of the mapping or list it is in (the parser: "must start at the same column"). */
function misalignedLine({ lines, error, i, line }: SlipContext): Diagnosis | undefined {
  if (error.code !== 'BAD_INDENT' || !/must start at the same column/.test(error.message)) return undefined;
  const best = bestIndent(lines, i);
  if (best) return indentation(lines, i, best);
  return { line: i, column: indentOf(line), message: 'this line is not indented like the lines of the same mapping or list above it: line it up with them', repair: { text: commentBlock(lines, i), through: i } };
}

/** `[a, b` or `{a: b]`: a flow collection that is not closed (or closed with the other bracket). */
function unclosedBracket({ text, lines, error, counter }: SlipContext): Diagnosis | undefined {
  const flow = unclosedFlow(text, error.pos[0]);
  if (!flow || !(/flow|end with a [\]}]/i.test(error.message) || error.code === 'MISSING_CHAR' || error.code === 'UNEXPECTED_TOKEN')) return undefined;
  const open = counter.linePos(flow.offset);
  const o = open.line - 1;
  const close = flow.open === '[' ? ']' : '}';
  const what = flow.open === '[' ? 'list' : 'mapping';
  return {
    line: o,
    column: open.col - 1,
    message: `this "${flow.open}" opens a ${what} that is not closed: end it with "${close}"${flow.wrong ? ` (the "${flow.wrong}" that follows closes the other kind of bracket)` : ' on the same line'}, or, if the value is text, put it in quotes`,
    repair: { text: neutralize(lines, o, partsOf((lines[o] as Line).text).valueColumn), through: o },
  };
}

/** `title: "Red Sea`: a quoted value whose closing quote is missing. */
function unclosedQuote({ text, lines, error, counter }: SlipContext): Diagnosis | undefined {
  if (error.code !== 'MISSING_CHAR' || !/closing ["']?quote|Missing closing/.test(error.message)) return undefined;
  const quote = unclosedQuoteAt(text, error.pos[0]);
  if (!quote) return undefined;
  const open = counter.linePos(quote.offset);
  const q = open.line - 1;
  return {
    line: q,
    column: open.col - 1,
    message: `this ${quote.char} opens a quoted value that is never closed: add the closing ${quote.char} at the end of the value`,
    repair: { text: neutralize(lines, q, open.col - 1), through: q },
  };
}

/** Whether the parser read a second key inside a value (a value that goes on after a colon and a space does that). */
function readsAnotherKey({ error, column, parts }: SlipContext): boolean {
  return error.code === 'BLOCK_AS_IMPLICIT_KEY' || (error.code === 'MULTILINE_IMPLICIT_KEY' && column > parts.keyColumn);
}

/** `title: Red Sea: Houthis`: ": " in a plain value, which YAML reads as the start of another key. */
function colonInValue(context: SlipContext): Diagnosis | undefined {
  const { lines, i, column, line, parts } = context;
  if (!readsAnotherKey(context) || parts.key === undefined) return undefined;
  const colon = /:(?=[ \t]|$)/.exec(line.slice(column).replace(/[ \t]+#.*$/, ''));
  if (!colon) return undefined;
  return {
    line: i,
    column: column + colon.index,
    message: `${theValue(parts.key)} contains ": ", which YAML reads as the start of another key: put ${theValue(parts.key)} in quotes, e.g. ${quoted(line, parts)}`,
    repair: { text: neutralize(lines, i, parts.valueColumn), through: i },
  };
}

/**
 * The first line after line `i` that YAML took as more of its value (more indented than
 * `column`, its key's) and that has a `key:`: where the colon the parser met is.
 */
function keyInValue(lines: readonly Line[], i: number, column: number): { j: number; parts: LineParts & { key: string } } | undefined {
  for (let j = i + 1; j < lines.length; j++) {
    const next = (lines[j] as Line).text;
    if (blankOrComment(next)) continue;
    if (indentOf(next) <= column) return undefined;
    const parts = partsOf(next);
    if (parts.key !== undefined) return { j, parts: { ...parts, key: parts.key } };
  }
  return undefined;
}

/** A line with a key of the format indented more than the line above it (not a prose key), so read as more of its value. */
function overIndentedKey(context: SlipContext): Diagnosis | undefined {
  const { lines, i, keys, line, parts } = context;
  if (!readsAnotherKey(context)) return undefined;
  const found = keyInValue(lines, i, parts.keyColumn);
  if (found === undefined || !keys.has(found.parts.key) || PROSE_KEYS.has(parts.key ?? '')) return undefined;
  const own = parts.keyColumn;
  const indent = indentOf((lines[found.j] as Line).text);
  const extra = indent - own;
  return {
    line: found.j,
    column: indent,
    message:
      `this line is indented more than the "${parts.key ?? line.trim()}" line above (${indent} spaces, not ${own}), so YAML reads it as more of that value: ` +
      `remove ${extra} space${extra === 1 ? '' : 's'} from its start to line it up`,
    repair: { text: reindent(lines, found.j, own), through: found.j },
  };
}

/** `summary: The Houthis` then `  said: more`: text going on below a value, with ": " that YAML reads as a key. */
function colonOnContinuationLine(context: SlipContext): Diagnosis | undefined {
  const { lines, i, parts } = context;
  if (!readsAnotherKey(context)) return undefined;
  const found = keyInValue(lines, i, parts.keyColumn);
  if (found === undefined) return undefined;
  const colonAt = /:(?=[ \t]|$)/.exec((lines[found.j] as Line).text.slice(found.parts.keyColumn))?.index ?? 0;
  const name = parts.key ?? 'key';
  return {
    line: found.j,
    column: found.parts.keyColumn + colonAt,
    message:
      `this line is more indented than "${name}:" above, so YAML reads it as more of the ${name} value, and the ": " in it as the start of a key: ` +
      `if it is text, write "${name}: |" and the text indented on the lines below it; if it is a key of its own, line it up with "${name}:"`,
    repair: { text: neutralize(lines, i, parts.valueColumn), through: found.j },
  };
}

/** Whether the parser found a line with no `key: value` in a mapping (at or before the line's key). */
function lacksKey({ error, column, parts }: SlipContext): boolean {
  return (error.code === 'MULTILINE_IMPLICIT_KEY' || error.code === 'MISSING_CHAR') && column <= parts.keyColumn;
}

/** A `key:` line the parser cannot place: it is out of line with its neighbours. */
function misplacedKeyLine(context: SlipContext): Diagnosis | undefined {
  if (!lacksKey(context) || context.parts.key === undefined) return undefined;
  const best = bestIndent(context.lines, context.i);
  return best && indentation(context.lines, context.i, best);
}

/** `date:2024-01-05`: no space after the colon, so the line is one plain value, not a key. */
function noSpaceAfterColon(context: SlipContext): Diagnosis | undefined {
  const { lines, i, line, parts } = context;
  if (!lacksKey(context)) return undefined;
  const glued = /^([A-Za-z_][\w-]*):(?![/\\])(\S.*)$/.exec(parts.value);
  if (!glued) return undefined;
  const colonColumn = parts.keyColumn + (glued[1] as string).length;
  return {
    line: i,
    column: colonColumn + 1,
    message: `put a space after the colon: ${glued[1]}: ${glued[2]}`,
    repair: { text: replaceLine(lines, i, `${line.slice(0, colonColumn + 1)} ${line.slice(colonColumn + 1)}`), through: i },
  };
}

/** `summary:` then text at the key's own column: the text belongs neither to the key nor to the mapping. */
function textNotUnderItsKey(context: SlipContext): Diagnosis | undefined {
  const { lines, i, line } = context;
  if (!lacksKey(context)) return undefined;
  const above = emptyKeyAbove(lines, i);
  if (above === undefined || indentOf(line) > above.keyColumn) return undefined;
  const key = above.key;
  const fix = PROSE_KEYS.has(key)
    ? `write "${key}: |" and indent the text below it by ${above.keyColumn + 2} spaces`
    : `indent it by ${above.keyColumn + 2 - indentOf(line)} more spaces`;
  return {
    line: i,
    column: indentOf(line),
    message: `this line has no "key:" and is not indented under "${key}:" above, so it belongs to neither: ${fix}`,
    repair: { text: commentRun(lines, i, above.keyColumn), through: i },
  };
}

/** Any other line without `key: value` in a mapping: a missing colon, or text not indented as text. */
function lineWithoutKey(context: SlipContext): Diagnosis | undefined {
  const { lines, i, line } = context;
  if (!lacksKey(context)) return undefined;
  return {
    line: i,
    column: indentOf(line),
    message: 'this line is not "key: value": add a colon and a space after the key, or, if it goes on the text of the line above, indent it more than that line\'s key',
    repair: { text: commentBlock(lines, i), through: i },
  };
}

/** A value starting with a character YAML gives a meaning to, explained at `column`: the value is set aside, the lines after it stay. */
function valueSlip({ lines, i, parts }: SlipContext, column: number, message: string): Diagnosis {
  return { line: i, column, message, repair: { text: neutralize(lines, i, parts.valueColumn), through: i } };
}

/** `summary: {{tally.total}} attacks`: YAML reads "{{" as a mapping; prose that starts with it needs "|". */
function placeholderStartsProse(context: SlipContext): Diagnosis | undefined {
  const { value, key, valueColumn } = context.parts;
  if (!value.startsWith('{{')) return undefined;
  const excerpt = value.length > 40 ? `${value.slice(0, 40).replace(/\s+\S*$/, '')} ...` : value.trimEnd();
  return valueSlip(
    context,
    valueColumn,
    `prose that starts with "{{" needs "|": YAML reads "{{" as the start of a mapping. Write "${key ?? 'key'}: |" on this line and the text, indented, on the lines below it: "${key ?? 'key'}: |" then "  ${excerpt}"`,
  );
}

/** `title: [Update] Strikes`: a value that starts with "[" or "{" and goes on after the bracket closes. */
function bracketStartsText(context: SlipContext): Diagnosis | undefined {
  const { line, parts } = context;
  const { value, key, valueColumn } = parts;
  if (!(value.startsWith('{') || value.startsWith('[')) || /^[{[][^\]}]*[\]}]\s*(?:#.*)?$/.test(value)) return undefined;
  const kind = value.startsWith('{') ? 'a mapping' : 'a list';
  const asBlock = `write "${key ?? 'key'}: |" and start the text, indented, on the next line`;
  return valueSlip(context, valueColumn, `${theValue(key)} starts with "${value[0]}", which YAML reads as ${kind} that ends at its closing bracket: if it is text, put it in quotes (${quoted(line, parts)}) or ${asBlock}`);
}

/** `name: *Ahmed*`: a value that starts with "*" (an alias) or "&" (an anchor). */
function aliasOrAnchorStart(context: SlipContext): Diagnosis | undefined {
  const { line, parts } = context;
  const { value, key, valueColumn } = parts;
  if (!value.startsWith('*') && !value.startsWith('&')) return undefined;
  const what = value.startsWith('*') ? 'a reference to an anchor (an alias)' : 'an anchor';
  return valueSlip(context, valueColumn, `${theValue(key)} starts with "${value[0]}", which YAML reads as ${what}: put it in quotes, e.g. ${quoted(line, parts)}`);
}

/** `handle: @name`: "@", "`" and "%" cannot start a plain value. */
function reservedStart(context: SlipContext): Diagnosis | undefined {
  const { line, parts } = context;
  const { value, key, valueColumn } = parts;
  if (!/^[@`%]/.test(value)) return undefined;
  return valueSlip(context, valueColumn, `a value cannot start with "${value[0]}" in YAML: put ${theValue(key)} in quotes, e.g. ${quoted(line, parts)}`);
}

/** `body: | The text`: the text of a block scalar must start on the line after "|" or ">". */
function textAfterBlockHeader(context: SlipContext): Diagnosis | undefined {
  const { value, key, valueColumn } = context.parts;
  const header = /^([|>][-+1-9]*)[ \t]+([^#\s].*)$/.exec(value);
  if (!header) return undefined;
  return valueSlip(
    context,
    valueColumn + value.indexOf(header[2] as string),
    `after "${key ?? 'key'}: ${header[1]}" the text must start on the next line, indented: move "${(header[2] as string).slice(0, 30)}" to the line below`,
  );
}

/** `title: "a" b` or `name: 'it's'`: a quote that ends the quoted value while the line goes on. */
function quoteClosedEarly(context: SlipContext): Diagnosis | undefined {
  const { value, key, valueColumn } = context.parts;
  if (!value.startsWith('"') && !value.startsWith("'")) return undefined;
  const end = closingQuote(value);
  if (end <= 0 || end >= value.replace(/[ \t]+(?:#.*)?$/, '').length - 1) return undefined;
  const advice =
    value[0] === "'"
      ? `a ' inside single quotes is written twice (''), e.g. ${key ?? 'key'}: '${value.slice(1, end)}''${value.slice(end + 1).replace(/'\s*$/, '')}', or use double quotes`
      : `a " inside double quotes is written \\", or put the whole value in single quotes`;
  return valueSlip(context, valueColumn + end, `this ${value[0]} ends the quoted value, but the line goes on: ${advice}`);
}

/** No known slip: the parser's own message at its place, and the line set aside so the rest can be checked. */
function parserMessage({ lines, error, i, column }: SlipContext): Diagnosis {
  return {
    line: i,
    column,
    message: `YAML syntax: ${(error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+.*$/, '')}`,
    repair: { text: commentBlock(lines, i), through: i },
  };
}

/** "this line is indented 2 spaces, less than the other lines of its incident (4)": the fix an indentation search found. */
function indentation(lines: readonly Line[], i: number, best: { indent: number; text: string }): Diagnosis {
  const have = indentOf((lines[i] as Line).text);
  const diff = best.indent - have;
  const fix = diff > 0 ? `indent it by ${diff} more space${diff === 1 ? '' : 's'}` : `remove ${-diff} space${diff === -1 ? '' : 's'} from its start`;
  return {
    line: i,
    column: have,
    message: `this line is indented ${have} space${have === 1 ? '' : 's'}, ${diff > 0 ? 'less' : 'more'} than ${siblings(lines, i, best.indent)} (${best.indent}): ${fix} to line it up with them`,
    repair: { text: best.text, through: i },
  };
}

/** Index of the quote that closes a quoted value starting at 0, or -1. */
function closingQuote(s: string): number {
  const q = s[0];
  for (let k = 1; k < s.length; k++) {
    if (q === '"' && s[k] === '\\') k++;
    else if (s[k] === q) {
      if (q === "'" && s[k + 1] === "'") k++;
      else return k;
    }
  }
  return -1;
}

function lastContentLine(lines: readonly Line[], from: number): number {
  for (let j = from; j >= 0; j--) if (!blankOrComment((lines[j] as Line).text)) return j;
  return from;
}

function previousContent(lines: readonly Line[], i: number): number | undefined {
  for (let j = i - 1; j >= 0; j--) if (!blankOrComment((lines[j] as Line).text)) return j;
  return undefined;
}

function replaceLine(lines: readonly Line[], i: number, text: string): string {
  const copy = [...lines];
  copy[i] = { ...(copy[i] as Line), text };
  return join(copy);
}

const reindent = (lines: readonly Line[], i: number, indent: number): string =>
  replaceLine(lines, i, ' '.repeat(indent) + (lines[i] as Line).text.replace(/^[ \t]*/, ''));

/** The line and the more indented lines under it (its value or children) turned into comments. */
function commentBlock(lines: readonly Line[], i: number): string {
  return commentBelow(splitLines(commentOut(lines, i)), i, indentOf((lines[i] as Line).text));
}

/** The lines after line i that are more indented than `indent` (or start with a tab) commented out, up to the first that is not. */
function commentBelow(lines: Line[], i: number, indent: number): string {
  let copy = lines;
  for (let j = i + 1; j < copy.length; j++) {
    const next = (copy[j] as Line).text;
    if (blankOrComment(next)) continue;
    if (indentOf(next) <= indent && !/^ *\t/.test(next)) break;
    copy = splitLines(commentOut(copy, j));
  }
  return join(copy);
}

/** The line turned into a comment, its length kept. */
function commentOut(lines: readonly Line[], i: number): string {
  const text = (lines[i] as Line).text;
  const at = text.search(/\S/);
  return at < 0 ? join(lines) : replaceLine(lines, i, `${text.slice(0, at).replace(/\t/g, ' ')}#${text.slice(at + 1)}`);
}

/** This line and the following ones up to the next at `indent` or less (the next key) commented out. */
function commentRun(lines: readonly Line[], i: number, indent: number): string {
  let copy = lines;
  for (let j = i; j < lines.length; j++) {
    const text = (lines[j] as Line).text;
    if (j > i && !blankOrComment(text) && indentOf(text) <= indent && partsOf(text).key !== undefined) break;
    copy = splitLines(commentOut(copy, j));
  }
  return join(copy);
}

/**
 * The value from `column` on replaced by plain text of the same length, and the lines that
 * go on it (more indented than its key) commented out: whatever was wrong with the value
 * is gone, and nothing after it moves.
 */
function neutralize(lines: readonly Line[], i: number, column: number): string {
  const text = (lines[i] as Line).text;
  const keyColumn = partsOf(text).keyColumn;
  const value = text.slice(column);
  return commentBelow(splitLines(replaceLine(lines, i, text.slice(0, column) + 'x'.repeat(Math.max(1, value.length)))), i, keyColumn);
}

/** The 0-based line of the first syntax error of a text, or Infinity. */
function firstErrorLine(text: string): number {
  const errors = reparse(text);
  if (errors.length === 0) return Infinity;
  const counter = lineCounter(text);
  return Math.min(...errors.map((e) => counter.linePos(e.pos[0]).line - 1));
}

/**
 * The indentation that makes line `i` parse with its neighbours: each indentation of the
 * lines above (nearest first) is tried, and the one that moves the first error furthest wins.
 */
function bestIndent(lines: readonly Line[], i: number): { indent: number; text: string } | undefined {
  const have = /^[ \t]*/.exec((lines[i] as Line).text)?.[0] ?? '';
  const candidates: number[] = [];
  for (let j = i - 1; j >= 0 && candidates.length < 8; j--) {
    const text = (lines[j] as Line).text;
    if (blankOrComment(text) || /^ *\t/.test(text)) continue;
    const indents = [indentOf(text)];
    // The key after a list dash is a column too: `  - id: x` has keys at 4.
    const dashed = /^( *)((?:- +)+)/.exec(text);
    if (dashed) indents.push((dashed[1] as string).length + (dashed[2] as string).length);
    for (const n of indents) if (!candidates.includes(n) && !(have === ' '.repeat(n))) candidates.push(n);
    if (indentOf(text) === 0) break;
  }
  let best: { indent: number; text: string; score: number } | undefined;
  for (const indent of candidates) {
    const text = reindent(lines, i, indent);
    const first = firstErrorLine(text);
    if (first > i && (best === undefined || first > best.score)) best = { indent, text, score: first };
  }
  return best && { indent: best.indent, text: best.text };
}

const SINGULAR: Record<string, string> = {
  incidents: 'incident',
  authors: 'author',
  analysis: 'quote',
  background: 'section',
  related: 'link',
  corrections: 'correction',
  compare: 'count',
  weapons: 'weapon',
  places: 'place',
};

/** "the other lines of its incident": what the lines at `indent` above line `i` belong to. */
function siblings(lines: readonly Line[], i: number, indent: number): string {
  const own = (lines[i] as Line).text.trimStart().startsWith('-');
  for (let j = i - 1; j >= 0; j--) {
    const text = (lines[j] as Line).text;
    if (blankOrComment(text)) continue;
    const dashed = /^( *)((?:- +)+)/.exec(text);
    const keyColumn = dashed ? (dashed[1] as string).length + (dashed[2] as string).length : indentOf(text);
    if (!own && dashed && keyColumn === indent) {
      const list = ownerKey(lines, j, (dashed[1] as string).length);
      return list ? `the other lines of its ${SINGULAR[list] ?? `${list} entry`}` : 'the other lines of its list entry';
    }
    if (indentOf(text) < indent) {
      const parts = partsOf(text);
      const key = parts.key;
      // Under "developments: |" the lines are the text of one value, not keys.
      const header = /^([|>][-+1-9]*)[ \t]*(?:#.*)?$/.exec(parts.value);
      if (key && header) return `the other lines of the text under "${key}: ${header[1]}"`;
      if (own) return key ? `the other items of the ${key} list` : 'the other items of its list';
      return key ? `the other keys under "${key}:"` : 'the lines above';
    }
  }
  return own ? 'the other items of its list' : 'the other top-level keys';
}

/** The key a list at `indent` (line `i` being one of its items) is the value of. */
function ownerKey(lines: readonly Line[], i: number, indent: number): string | undefined {
  for (let j = i - 1; j >= 0; j--) {
    const text = (lines[j] as Line).text;
    if (blankOrComment(text)) continue;
    if (indentOf(text) < indent || (indentOf(text) === indent && !text.trimStart().startsWith('-'))) return partsOf(text).key;
  }
  return undefined;
}

/** Every CST token of the text, nested, for walking. */
function cstItems(text: string, visit: (token: CST.Token) => void): void {
  for (const doc of new Parser().parse(text)) {
    if (doc.type !== 'document') continue;
    CST.visit(doc, (item) => {
      for (const token of [item.key, item.value]) if (token) visit(token);
    });
  }
}

/** The innermost flow collection (`[` or `{`) at or before `offset` that is not properly closed. */
function unclosedFlow(text: string, offset: number): { offset: number; open: string; wrong?: string } | undefined {
  let found: { offset: number; open: string; wrong?: string } | undefined;
  const check = (token: CST.Token) => {
    if (token.type !== 'flow-collection' || token.offset > offset) return;
    const open = token.start.source;
    const close = token.end.find((t) => t.type === 'flow-seq-end' || t.type === 'flow-map-end');
    const right = open === '[' ? ']' : '}';
    if (!close || close.source !== right) {
      if (!found || token.offset > found.offset) found = { offset: token.offset, open, ...(close ? { wrong: close.source } : {}) };
    }
  };
  cstItems(text, check);
  return found;
}

/** The quoted value at or before `offset` whose closing quote is missing. */
function unclosedQuoteAt(text: string, offset: number): { offset: number; char: string } | undefined {
  let found: { offset: number; char: string } | undefined;
  cstItems(text, (token) => {
    if ((token.type !== 'double-quoted-scalar' && token.type !== 'single-quoted-scalar') || token.offset > offset) return;
    if (closingQuote(token.source) !== token.source.length - 1) found = { offset: token.offset, char: token.source[0] as string };
  });
  return found;
}

/**
 * Comments that cut a plain value short: in `title: Attack #4 on U.S. Forces`, YAML reads
 * "Attack" and a comment. Each is returned with the offset of its `#`. A comment after two
 * or more spaces that starts "# " is left alone: that is how YAML files annotate values on
 * purpose (the README's own example does), while a `#` in prose follows a single space.
 * Quoted and block values keep their `#`, so they are never affected.
 */
export function commentsCuttingValues(tokens: readonly CST.Token[]): { offset: number; key?: string; value: string; comment: string }[] {
  const found: { offset: number; key?: string; value: string; comment: string }[] = [];
  for (const doc of tokens) {
    if (doc.type !== 'document') continue;
    CST.visit(doc, (item) => {
      const value = item.value;
      if (!value || value.type !== 'scalar') return;
      const end = value.end ?? [];
      for (let k = 0; k < end.length; k++) {
        const token = end[k] as CST.SourceToken;
        if (token.type === 'newline') return;
        if (token.type !== 'comment') continue;
        const space = end[k - 1];
        const deliberate = space?.type === 'space' && space.source.length >= 2 && /^#\s/.test(token.source);
        // A schema hint for editors is a comment by design.
        if (!deliberate && !/^#\s*yaml-language-server:/.test(token.source)) {
          const key = item.key && 'source' in item.key && item.key.type === 'scalar' ? item.key.source : undefined;
          found.push({ offset: token.offset, ...(key !== undefined ? { key } : {}), value: value.source, comment: token.source });
        }
        return;
      }
    });
  }
  return found;
}
