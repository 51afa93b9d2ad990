import { isMap, isNode, isPair, isScalar, type Document, type LineCounter } from 'yaml';

/** A problem found in an input file. Errors are values: every step returns them, none throws. */
export interface Diagnostic {
  file: string;
  /** 1-based, as editors count. */
  line: number;
  /** 1-based, as editors count. */
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

export type Path = readonly (string | number)[];

/**
 * One line per problem. Control characters from the input (an escape sequence in a key,
 * a line break in a file name) are shown escaped, so a brief can neither drive the
 * terminal nor print a fake diagnostic line.
 */
export const formatDiagnostic = (d: Diagnostic): string =>
  visible(`${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`);

// Control characters could drive the terminal, and bidirectional overrides and isolates
// could reorder the line it shows (a file name appearing where a message is): both are
// shown as escapes.
export const visible = (s: string): string =>
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

/** `incidents[2].weapons[0].count`: the way an author reads a path into their YAML. */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

/** Kept positions (YamlPositions.release): a path's offset, and the paths under it by their next segment. */
interface KeptPosition {
  at: number;
  under?: Map<string | number, KeptPosition>;
}

/**
 * A parsed YAML file that can say where things are. Offsets map to line and column
 * through the parser's own LineCounter, so positions match what the editor shows.
 */
export class YamlPositions {
  #doc: Document | undefined;
  /** After release: the offset `locate` gives for each kept path (-1: none), as a tree of path segments. */
  #kept: KeptPosition | undefined;
  /** After release: the offset of each top-level key, for `locateKey`. */
  #keys: Map<string, number> | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    doc: Document,
    readonly lines: LineCounter,
  ) {
    this.#doc = doc;
  }

  /** The syntax tree. @throws Error after `release`, which let it go: only a file's own checks read it. */
  get doc(): Document {
    if (!this.#doc) throw new Error(`${this.file}: the parsed document was released`);
    return this.#doc;
  }

  /**
   * Keeps where `paths` and the top-level keys are, and lets the syntax tree go: a build
   * of a thousand briefs then holds a few numbers per brief rather than a tree each (tens
   * of kilobytes). Afterwards `locate` gives a kept path's position exactly and any other
   * path its nearest kept parent's; `locateKey` answers for top-level keys; `range` finds
   * nothing (so `find` gives `locate`'s answer); `doc` throws.
   */
  release(paths: readonly Path[]): void {
    const doc = this.#doc;
    if (!doc) return;
    const kept: KeptPosition = { at: this.#offsetOf(doc, []) };
    for (const path of paths) {
      let node = kept;
      for (const segment of path) {
        node.under ??= new Map();
        let next = node.under.get(segment);
        if (!next) node.under.set(segment, (next = { at: -1 }));
        node = next;
      }
      node.at = this.#offsetOf(doc, path);
    }
    const keys = new Map<string, number>();
    if (isMap(doc.contents)) {
      for (const pair of doc.contents.items) {
        if (isPair(pair) && isScalar(pair.key) && pair.key.range && !keys.has(String(pair.key.value))) keys.set(String(pair.key.value), pair.key.range[0]);
      }
    }
    this.#kept = kept;
    this.#keys = keys;
    this.#doc = undefined;
  }

  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  /**
   * An existing value points at itself; a missing one at its nearest existing parent,
   * because that is where the author has to type it.
   */
  locate(path: Path): { line: number; column: number } {
    const offset = this.#doc ? this.#offsetOf(this.#doc, path) : this.#keptOffset(path);
    return offset < 0 ? { line: 1, column: 1 } : this.position(offset);
  }

  /** Where `locate` points, as an offset into the text; -1 for nowhere (line 1, column 1). */
  #offsetOf(doc: Document, path: Path): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return node.range[0];
    }
    return -1;
  }

  #keptOffset(path: Path): number {
    // The deepest kept path along `path`: a parent kept only on the way to a child has at -1.
    let node = this.#kept;
    let offset = node?.at ?? -1;
    for (const segment of path) {
      node = node?.under?.get(segment);
      if (!node) break;
      if (node.at >= 0) offset = node.at;
    }
    return offset;
  }

  /** The key of `key` inside the mapping at `path`, for "unknown key" messages. */
  locateKey(path: Path, key: string): { line: number; column: number } {
    if (!this.#doc) {
      const offset = path.length === 0 ? this.#keys?.get(key) : undefined;
      return offset === undefined ? this.locate(path) : this.position(offset);
    }
    const map = path.length === 0 ? this.#doc.contents : this.#doc.getIn(path, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
          return this.position(pair.key.range[0]);
        }
      }
    }
    return this.locate(path);
  }

  /** The source range of the value at `path`, if it exists. */
  range(path: Path): [number, number] | undefined {
    if (!this.#doc) return undefined;
    const node = this.#doc.getIn(path, true);
    return isNode(node) && node.range ? [node.range[0], node.range[1]] : undefined;
  }

  /**
   * The position of the n-th occurrence of `needle` inside the value at `path`. Block
   * scalars keep prose verbatim, so searching the source finds it exactly; if a quoted
   * scalar's escapes hide it, the value itself is the best position there is.
   */
  find(path: Path, needle: string, occurrence = 0): { line: number; column: number } {
    const range = this.range(path);
    if (range) {
      const slice = this.text.slice(range[0], range[1]);
      let index = -1;
      for (let i = 0; i <= occurrence; i++) {
        index = slice.indexOf(needle, index + 1);
        if (index < 0) break;
      }
      if (index >= 0) return this.position(range[0] + index);
    }
    return this.locate(path);
  }

  error(path: Path, message: string): Diagnostic {
    return { file: this.file, ...this.locate(path), message, severity: 'error' };
  }

  warning(path: Path, message: string): Diagnostic {
    return { file: this.file, ...this.locate(path), message, severity: 'warning' };
  }
}
