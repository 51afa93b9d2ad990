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

function diagnose(text: string, lines: Line[], error: YAMLError, keys: KnownKeys): Diagnosis {
  const counter = lineCounter(text);
  const at = counter.linePos(Math.min(error.pos[0], text.length));
  let i = Math.min(at.line - 1, lines.length - 1);
  const column = at.col - 1;
  // An error at the very end of a line belongs to it, not to the start of the next.
  if (column === 0 && i > 0 && error.pos[0] >= text.length) i = lastContentLine(lines, i);
  const line = (lines[i] as Line).text;
  const parts = partsOf(line);

  if (error.code === 'TAB_AS_INDENT' || /^ *\t/.test(line)) {
    const tab = line.indexOf('\t');
    // A tab after "key:" with nothing else meant to indent under it; otherwise line up with a line above.
    const above = previousContent(lines, i);
    const aboveParts = above === undefined ? undefined : partsOf((lines[above] as Line).text);
    const under = aboveParts?.key !== undefined && aboveParts.value.replace(/#.*$/, '').trim() === '' ? aboveParts.keyColumn + 2 : undefined;
    const nested = under === undefined ? undefined : reindent(lines, i, under);
    const best = nested !== undefined && firstErrorLine(nested) > i ? { indent: under as number, text: nested } : bestIndent(lines, i);
    const spaces = best?.indent ?? 2 * (/^[ \t]*/.exec(line)?.[0].length ?? 1);
    return {
      line: i,
      column: tab,
      message: `this line is indented with a tab; YAML allows only spaces: ${spaces === 0 ? 'remove the tab' : `indent it with ${spaces} spaces instead`}`,
      repair: { text: best?.text ?? reindent(lines, i, spaces), through: i },
    };
  }

  // `-date: 2024-01-05`: without a space the dash is part of a key, not the start of a list
  // item, and the parser's complaint is about indentation. The fix is the missing space.
  const dashed = dashWithoutSpace(lines, i);
  if (dashed) return dashed;

  if (error.code === 'BAD_INDENT' && /must start at the same column/.test(error.message)) {
    const best = bestIndent(lines, i);
    if (best) return indentation(lines, i, best);
    return { line: i, column: indentOf(line), message: 'this line is not indented like the lines of the same mapping or list above it: line it up with them', repair: { text: commentBlock(lines, i), through: i } };
  }

  const flow = unclosedFlow(text, error.pos[0]);
  if (flow && (/flow|end with a [\]}]/i.test(error.message) || error.code === 'MISSING_CHAR' || error.code === 'UNEXPECTED_TOKEN')) {
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

  if (error.code === 'MISSING_CHAR' && /closing ["']?quote|Missing closing/.test(error.message)) {
    const quote = unclosedQuote(text, error.pos[0]);
    if (quote) {
      const open = counter.linePos(quote.offset);
      const q = open.line - 1;
      return {
        line: q,
        column: open.col - 1,
        message: `this ${quote.char} opens a quoted value that is never closed: add the closing ${quote.char} at the end of the value`,
        repair: { text: neutralize(lines, q, open.col - 1), through: q },
      };
    }
  }

  // A value that goes on after a colon and a space: YAML reads a second key.
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' || (error.code === 'MULTILINE_IMPLICIT_KEY' && column > parts.keyColumn)) {
    const value = line.slice(column);
    const colon = /:(?=[ \t]|$)/.exec(value.replace(/[ \t]+#.*$/, ''));
    if (colon && parts.key !== undefined) {
      return {
        line: i,
        column: column + colon.index,
        message: `${theValue(parts.key)} contains ": ", which YAML reads as the start of another key: put ${theValue(parts.key)} in quotes, e.g. ${quoted(line, parts)}`,
        repair: { text: neutralize(lines, i, parts.valueColumn), through: i },
      };
    }
    // The colon is on a following line that YAML took as more of this value.
    const own = parts.keyColumn;
    for (let j = i + 1; j < lines.length; j++) {
      const next = (lines[j] as Line).text;
      if (blankOrComment(next)) continue;
      if (indentOf(next) <= own) break;
      const nextParts = partsOf(next);
      if (nextParts.key === undefined) continue;
      if (keys.has(nextParts.key) && !PROSE_KEYS.has(parts.key ?? '')) {
        const extra = indentOf(next) - own;
        return {
          line: j,
          column: indentOf(next),
          message:
            `this line is indented more than the "${parts.key ?? line.trim()}" line above (${indentOf(next)} spaces, not ${own}), so YAML reads it as more of that value: ` +
            `remove ${extra} space${extra === 1 ? '' : 's'} from its start to line it up`,
          repair: { text: reindent(lines, j, own), through: j },
        };
      }
      const colonAt = /:(?=[ \t]|$)/.exec(next.slice(nextParts.keyColumn))?.index ?? 0;
      const name = parts.key ?? 'key';
      return {
        line: j,
        column: nextParts.keyColumn + colonAt,
        message:
          `this line is more indented than "${name}:" above, so YAML reads it as more of the ${name} value, and the ": " in it as the start of a key: ` +
          `if it is text, write "${name}: |" and the text indented on the lines below it; if it is a key of its own, line it up with "${name}:"`,
        repair: { text: neutralize(lines, i, parts.valueColumn), through: j },
      };
    }
  }

  // A line with no `key: value` in a mapping.
  if ((error.code === 'MULTILINE_IMPLICIT_KEY' || error.code === 'MISSING_CHAR') && column <= parts.keyColumn) {
    // A `key:` line the parser cannot place is out of line with its neighbours.
    const best = parts.key === undefined ? undefined : bestIndent(lines, i);
    if (best) return indentation(lines, i, best);
    const glued = /^([A-Za-z_][\w-]*):(?![/\\])(\S.*)$/.exec(parts.value);
    if (glued) {
      const colonColumn = parts.keyColumn + (glued[1] as string).length;
      return {
        line: i,
        column: colonColumn + 1,
        message: `put a space after the colon: ${glued[1]}: ${glued[2]}`,
        repair: { text: replaceLine(lines, i, `${line.slice(0, colonColumn + 1)} ${line.slice(colonColumn + 1)}`), through: i },
      };
    }
    const above = previousContent(lines, i);
    const aboveParts = above === undefined ? undefined : partsOf((lines[above] as Line).text);
    if (above !== undefined && aboveParts?.key !== undefined && aboveParts.value.replace(/#.*$/, '').trim() === '' && indentOf(line) <= aboveParts.keyColumn) {
      const key = aboveParts.key;
      const fix = PROSE_KEYS.has(key)
        ? `write "${key}: |" and indent the text below it by ${aboveParts.keyColumn + 2} spaces`
        : `indent it by ${aboveParts.keyColumn + 2 - indentOf(line)} more spaces`;
      return {
        line: i,
        column: indentOf(line),
        message: `this line has no "key:" and is not indented under "${key}:" above, so it belongs to neither: ${fix}`,
        repair: { text: commentRun(lines, i, aboveParts.keyColumn), through: i },
      };
    }
    return {
      line: i,
      column: indentOf(line),
      message: 'this line is not "key: value": add a colon and a space after the key, or, if it goes on the text of the line above, indent it more than that line\'s key',
      repair: { text: commentBlock(lines, i), through: i },
    };
  }

  // A value that starts with a character YAML gives a meaning to.
  const start = parts.value;
  const v = parts.valueColumn;
  const key = parts.key;
  const asBlock = `write "${key ?? 'key'}: |" and start the text, indented, on the next line`;
  const explain = (col: number, message: string): Diagnosis => ({ line: i, column: col, message, repair: { text: neutralize(lines, i, v), through: i } });
  if (start.startsWith('{{')) {
    const excerpt = start.length > 40 ? `${start.slice(0, 40).replace(/\s+\S*$/, '')} ...` : start.trimEnd();
    return explain(
      v,
      `prose that starts with "{{" needs "|": YAML reads "{{" as the start of a mapping. Write "${key ?? 'key'}: |" on this line and the text, indented, on the lines below it: "${key ?? 'key'}: |" then "  ${excerpt}"`,
    );
  }
  if ((start.startsWith('{') || start.startsWith('[')) && !/^[{[][^\]}]*[\]}]\s*(?:#.*)?$/.test(start)) {
    const kind = start.startsWith('{') ? 'a mapping' : 'a list';
    return explain(v, `${theValue(key)} starts with "${start[0]}", which YAML reads as ${kind} that ends at its closing bracket: if it is text, put it in quotes (${quoted(line, parts)}) or ${asBlock}`);
  }
  if (start.startsWith('*') || start.startsWith('&')) {
    const what = start.startsWith('*') ? 'a reference to an anchor (an alias)' : 'an anchor';
    return explain(v, `${theValue(key)} starts with "${start[0]}", which YAML reads as ${what}: put it in quotes, e.g. ${quoted(line, parts)}`);
  }
  if (/^[@`%]/.test(start)) {
    return explain(v, `a value cannot start with "${start[0]}" in YAML: put ${theValue(key)} in quotes, e.g. ${quoted(line, parts)}`);
  }
  const header = /^([|>][-+1-9]*)[ \t]+([^#\s].*)$/.exec(start);
  if (header) {
    return explain(
      v + start.indexOf(header[2] as string),
      `after "${key ?? 'key'}: ${header[1]}" the text must start on the next line, indented: move "${(header[2] as string).slice(0, 30)}" to the line below`,
    );
  }
  if (start.startsWith('"') || start.startsWith("'")) {
    const end = closingQuote(start);
    if (end > 0 && end < start.replace(/[ \t]+(?:#.*)?$/, '').length - 1) {
      const advice =
        start[0] === "'"
          ? `a ' inside single quotes is written twice (''), e.g. ${key ?? 'key'}: '${start.slice(1, end)}''${start.slice(end + 1).replace(/'\s*$/, '')}', or use double quotes`
          : `a " inside double quotes is written \\", or put the whole value in single quotes`;
      return explain(v + end, `this ${start[0]} ends the quoted value, but the line goes on: ${advice}`);
    }
  }
  return {
    line: i,
    column,
    message: `YAML syntax: ${(error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+.*$/, '')}`,
    repair: { text: commentBlock(lines, i), through: i },
  };
}

/**
 * A list item written `-key: value` at line `i` or the content line above it (the parser may
 * stumble only on the line after). It is taken as a slip when a list item (`- `) is its
 * neighbour at the same indentation, above or below: that is the list it was meant to join.
 */
function dashWithoutSpace(lines: readonly Line[], i: number): Diagnosis | undefined {
  const above = previousContent(lines, i);
  for (const j of above === undefined ? [i] : [i, above]) {
    const text = (lines[j] as Line).text;
    const m = /^( *)-([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)/.exec(text);
    if (!m) continue;
    const indent = (m[1] as string).length;
    const item = (k: number | undefined) => k !== undefined && new RegExp(`^ {${indent}}-[ \\t]`).test((lines[k] as Line).text);
    const neighbour = (step: 1 | -1): number | undefined => {
      for (let k = j + step; k >= 0 && k < lines.length; k += step) {
        const t = (lines[k] as Line).text;
        if (!blankOrComment(t) && indentOf(t) <= indent) return k;
      }
      return undefined;
    };
    if (!item(neighbour(-1)) && !item(neighbour(1))) continue;
    return {
      line: j,
      column: indent + 1,
      message: `put a space after "-": "- ${m[2]}:" starts a list item, while "-${m[2]}:" is read as a key named "-${m[2]}"`,
      repair: { text: replaceLine(lines, j, `${text.slice(0, indent + 1)} ${text.slice(indent + 1)}`), through: j },
    };
  }
  return undefined;
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
function unclosedQuote(text: string, offset: number): { offset: number; char: string } | undefined {
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
