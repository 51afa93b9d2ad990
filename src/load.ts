import { LineCounter, parseDocument } from 'yaml';
import { SourceMap, type Diagnostic } from './diagnostics.js';

export interface Loaded {
  /** The plain data, or undefined when the YAML could not be read at all. */
  data: unknown;
  source: SourceMap;
  diagnostics: Diagnostic[];
}

/**
 * YAML text to data, keeping positions. Syntax errors and duplicate keys are collected,
 * not thrown, so one run reports everything that is wrong with a file.
 */
export function loadYaml(text: string, file: string): Loaded {
  // A byte-order mark is common in files saved by Windows editors; it is not content.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lines = new LineCounter();
  const doc = parseDocument(body, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    // The core schema keeps 2023-10-24 a string, as the format wants; no YAML 1.1
    // surprises such as `no` becoming false or a country code `NO` a boolean.
    schema: 'core',
    merge: false,
  });
  const source = new SourceMap(file, body, doc, lines);
  const diagnostics: Diagnostic[] = [];
  for (const [list, severity] of [
    [doc.errors, 'error'],
    [doc.warnings, 'warning'],
  ] as const) {
    for (const e of list) {
      diagnostics.push({
        file,
        ...source.position(e.pos[0]),
        message: describeYamlProblem(e.code, e.message),
        severity,
      });
    }
  }
  const hasSyntaxError = doc.errors.length > 0;
  // maxAliasCount bounds alias expansion, so a "billion laughs" file fails fast.
  let data: unknown;
  if (!hasSyntaxError) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      diagnostics.push({ file, line: 1, column: 1, message: (err as Error).message, severity: 'error' });
    }
  }
  return { data, source, diagnostics };
}

function describeYamlProblem(code: string, message: string): string {
  if (code === 'DUPLICATE_KEY') {
    return 'duplicate key: each key may appear only once in a mapping';
  }
  // The parser's messages are good, but some carry a source excerpt after a newline.
  const first = message.split('\n')[0] ?? message;
  return `YAML syntax: ${first.replace(/ at line \d+, column \d+.*$/, '')}`;
}
