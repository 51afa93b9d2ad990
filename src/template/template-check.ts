import Handlebars from 'handlebars';
import { closest, distance } from 'fastest-levenshtein';
import type { Config } from '../core/config.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { briefView, type RenderInput } from '../page/renderer.js';
import type { Brief, Incident } from '../core/schema.js';
import { siteFiles, type SiteBrief } from '../site/site.js';
import { computeTally } from '../core/tally.js';

/*
 * A template is a user's file like a brief: a mistake in it is reported at its file, line
 * and column, in plain words, before any brief is rendered with it. Two kinds of check:
 * - syntax: every layout and partial is parsed (Handlebars compiles lazily,
 *   https://github.com/handlebars-lang/handlebars.js/issues/1095, so without
 *   this an unclosed {{#if}} surfaced as a stack trace in the middle of a build);
 * - names: every {{name}} is looked up in a sample of what the page provides, following
 *   {{#each}} and {{#with}} into their items, so {{titel}} is a warning with "did you
 *   mean {{title}}?" instead of printing nothing.
 */

/** One template file's text and how to name it in messages. */
export interface TemplateFile {
  /** The file as the user sees it, e.g. templates/flash-brief/partials/masthead.hbs. */
  file: string;
  text: string;
}

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;

/** The helpers Handlebars brings; the renderers register no others. */
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const HELPERS = new Set([...BLOCK_HELPERS, 'lookup', 'log']);

/** Token names of the Handlebars grammar, as an author would call them. */
const TOKENS: Record<string, string> = {
  EOF: 'the end of the file',
  CLOSE: '}}',
  CLOSE_UNESCAPED: '}}}',
  INVALID: 'a character that cannot appear there',
  ID: 'a name',
  OPEN: '{{',
  OPEN_BLOCK: '{{#',
  OPEN_ENDBLOCK: '{{/',
  OPEN_PARTIAL: '{{>',
  EQUALS: '=',
  INVERSE: '{{else}}',
  OPEN_INVERSE_CHAIN: '{{else ...}}',
  CLOSE_SEXPR: ')',
  OPEN_SEXPR: '(',
};

/**
 * Parses one template file. Returns its syntax tree, or the one error that stops it, at
 * the place to fix: for a block never closed, the {{#block}} that opens it, not the end
 * of the file where the parser noticed.
 */
export function parseTemplate(source: TemplateFile): { ast?: Program; diagnostics: Diagnostic[] } {
  try {
    return { ast: Handlebars.parse(source.text), diagnostics: [] };
  } catch (err) {
    return { diagnostics: [syntaxError(source, err as Error & { lineNumber?: number; column?: number })] };
  }
}

function syntaxError(source: TemplateFile, err: Error & { lineNumber?: number; column?: number }): Diagnostic {
  const at = (line: number, column: number, message: string): Diagnostic => ({ file: source.file, line, column, message, severity: 'error' });
  // "if doesn't match each - 1:3": a block closed by the wrong name, located by Handlebars itself.
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(err.message);
  if (mismatch && err.lineNumber !== undefined) {
    const [, opened, closed] = mismatch;
    // Handlebars points at the block's name; the block starts at its "{{#", three characters before.
    return at(err.lineNumber, Math.max(1, (err.column ?? 3) - 2), `{{#${opened}}} is closed by {{/${closed}}}; close it with {{/${opened}}}, or close the inner block first`);
  }
  // The parser's lexer is left on the token that failed; its position is what we report.
  const loc = (Handlebars as unknown as { Parser: { lexer: { yylloc?: { first_line: number; first_column: number } } } }).Parser.lexer.yylloc;
  const got = /got '([A-Z_]+)'/.exec(err.message)?.[1];
  const expecting = [...((err.message.split('\n').pop() ?? '').split(', got')[0] ?? '').matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] as string);
  if (got === 'EOF' && expecting.includes('OPEN_ENDBLOCK')) {
    const open = unclosedBlock(source.text);
    if (open) return at(open.line, open.column, `{{#${open.name}}} is never closed: add {{/${open.name}}} where the block should end`);
  }
  const line = loc?.first_line ?? 1;
  const column = (loc?.first_column ?? 0) + 1;
  if (/^Lexical error/.test(err.message) || got === 'INVALID') {
    // The lexer stops inside the {{ ... that never closes; the {{ is where to look.
    const opened = source.text.split('\n')[line - 1]?.lastIndexOf('{{', column - 1) ?? -1;
    return at(line, opened >= 0 ? opened + 1 : column, 'Handlebars cannot read this: a {{ without its }}, or a character that cannot appear inside {{ }}; write \\{{ for literal braces');
  }
  const wanted = [...new Set(expecting.map((t) => TOKENS[t]).filter(Boolean))].slice(0, 3);
  const found = got ? (TOKENS[got] ?? got.toLowerCase()) : 'something unexpected';
  return at(line, column, `Handlebars syntax: found ${found}${wanted.length > 0 ? ` where ${wanted.join(' or ')} should be` : ''}`);
}

/** The innermost block opened and never closed, found by the template lexer's own tokens. */
function unclosedBlock(text: string): { name: string; line: number; column: number } | undefined {
  type Lexer = { setInput(s: string): void; lex(): number | string; yytext: string; yylloc: { first_line: number; first_column: number } };
  const parser = (Handlebars as unknown as { Parser: { lexer: Lexer; terminals_: Record<number, string> } }).Parser;
  const { lexer } = parser;
  const stack: { name: string; line: number; column: number }[] = [];
  lexer.setInput(text);
  let pending: 'open' | 'close' | undefined;
  let at = { line: 1, column: 1 };
  // The guard bounds the loop should the lexer ever stop advancing.
  for (let guard = 0; guard < 1_000_000; guard++) {
    const raw = lexer.lex();
    const token = typeof raw === 'number' ? parser.terminals_[raw] : raw;
    if (token === undefined || token === 'EOF' || raw === 1) break;
    if (token === 'OPEN_BLOCK' || token === 'OPEN_INVERSE' || token === 'OPEN_PARTIAL_BLOCK') {
      pending = 'open';
      at = { line: lexer.yylloc.first_line, column: lexer.yylloc.first_column + 1 };
    } else if (token === 'OPEN_ENDBLOCK') pending = 'close';
    else if (token === 'ID' && pending) {
      if (pending === 'open') stack.push({ name: lexer.yytext, ...at });
      else stack.pop();
      pending = undefined;
    } else pending = undefined;
  }
  return stack.at(-1);
}

/** What the checker knows of a value: a sample of it, or nothing (unknown, so not checked). */
type Sample = unknown;
const UNKNOWN = Symbol('unknown');

/**
 * Walks a template's syntax tree with a sample of the view it will be given, and reports
 * every name the view does not provide (warnings: the page still builds, the name prints
 * nothing) and every partial or helper that does not exist (errors: Handlebars would
 * stop there). Partials are followed with the context they are called in.
 */
export function checkNames(
  entry: { ast: Program; file: string },
  partials: ReadonlyMap<string, { ast: Program; file: string }>,
  view: Sample,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const report = (file: string, loc: hbs.AST.SourceLocation | undefined, message: string, severity: Diagnostic['severity']) => {
    const line = loc?.start.line ?? 1;
    const column = (loc?.start.column ?? 0) + 1;
    const key = `${file}:${line}:${column}:${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    diagnostics.push({ file, line, column, message, severity });
  };
  const visiting: string[] = [];
  /** Partials a template defines for itself with {{#*inline "name"}}. */
  const inline = new Map<string, { ast: Program; file: string }>();

  /** The sample a path resolves to in the stack of contexts (innermost first), or through a block parameter. */
  const resolve = (path: PathExpression, scope: Scope): Sample => {
    if (path.data) return path.parts[0] === 'root' ? walkParts(path, path.parts.slice(1), scope.contexts.at(-1), scope.file) : UNKNOWN;
    const head = path.parts[0];
    if (path.depth === 0 && head !== undefined && scope.params.has(head)) return walkParts(path, path.parts.slice(1), scope.params.get(head), scope.file);
    const context = scope.contexts[path.depth] ?? UNKNOWN;
    return walkParts(path, path.parts, context, scope.file);
  };
  const walkParts = (path: PathExpression, parts: readonly string[], start: Sample, file: string): Sample => {
    let value = start;
    for (const part of parts) {
      if (value === UNKNOWN || value === undefined || value === null) return UNKNOWN;
      if (Array.isArray(value) && part === 'length') return value.length;
      if (typeof value !== 'object' || value instanceof Handlebars.SafeString) return UNKNOWN;
      if (!Object.hasOwn(value, part)) {
        const known = Object.keys(value);
        const guess = known.length > 0 ? closest(part, known) : undefined;
        const hint = guess && distance(part, guess) <= Math.max(2, part.length / 3) ? `; did you mean {{${path.original.replace(part, guess)}}}?` : '';
        report(file, path.loc, `{{${path.original}}} is not something the page provides, so it prints nothing${hint}`, 'warning');
        return UNKNOWN;
      }
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
  /** A sample of one item of a list (or of an object's values), for {{#each}}. */
  const itemOf = (value: Sample): Sample => {
    if (Array.isArray(value)) return value.length > 0 ? value[0] : UNKNOWN;
    if (value && typeof value === 'object') return Object.values(value)[0] ?? UNKNOWN;
    return UNKNOWN;
  };
  /** A block's program seen with a new context, its block parameters (`as |item index|`) bound. */
  const enter = (scope: Scope, program: Program | undefined, context: Sample | undefined, item: Sample = UNKNOWN): Scope => {
    const params = new Map(scope.params);
    const [first, second] = program?.blockParams ?? [];
    if (first !== undefined) params.set(first, item);
    if (second !== undefined) params.set(second, UNKNOWN);
    return { ...scope, contexts: context === undefined ? scope.contexts : [context, ...scope.contexts], params, guarded: true };
  };

  const visit = (node: Node | undefined | null, scope: Scope): void => {
    if (!node) return;
    const { file } = scope;
    const expression = (n: Node) => {
      if (n.type === 'PathExpression') resolve(n as PathExpression, scope);
      else if (n.type === 'SubExpression') call(n as hbs.AST.SubExpression);
    };
    const call = (n: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement) => {
      const path = n.path as PathExpression;
      const name = path.type === 'PathExpression' ? path.original : '';
      const isCall = n.params.length > 0 || (n.hash?.pairs.length ?? 0) > 0 || n.type === 'SubExpression' || name === 'lookup';
      if (isCall && path.type === 'PathExpression' && !HELPERS.has(name)) {
        report(file, n.loc, `{{${name} ...}} calls a helper that does not exist; the helpers are ${[...HELPERS].join(', ')}`, 'error');
      } else if (name === 'lookup' && n.params.length !== 2) {
        // Handlebars fails inside its runtime (a TypeError) only when the page is rendered.
        report(file, n.loc, '{{lookup}} needs two values, the object and the key: e.g. {{lookup tally.countries 0}}', 'error');
      } else if (!isCall) expression(path);
      n.params.forEach(expression);
      n.hash?.pairs.forEach((p: hbs.AST.HashPair) => expression(p.value));
    };
    switch (node.type) {
      case 'Program': {
        const body = (node as Program).body;
        // Inline partials are defined before the statements that use them run.
        for (const child of body) {
          if (child.type !== 'DecoratorBlock') continue;
          const block = child as unknown as hbs.AST.BlockStatement;
          const name = block.params[0];
          if ((block.path as PathExpression).original === 'inline' && name?.type === 'StringLiteral') {
            inline.set((name as hbs.AST.StringLiteral).value, { ast: block.program, file });
          }
        }
        body.forEach((child: Node) => visit(child, scope));
        break;
      }
      case 'MustacheStatement':
        call(node as hbs.AST.MustacheStatement);
        break;
      case 'Decorator':
      case 'DecoratorBlock': {
        const decorator = node as unknown as hbs.AST.BlockStatement;
        const name = (decorator.path as PathExpression).original;
        if (name !== 'inline') report(file, decorator.loc, `{{*${name}}} is a decorator that does not exist; the only one is {{#*inline "name"}}`, 'error');
        break;
      }
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        const name = (block.path as PathExpression).original;
        if (BLOCK_HELPERS.has(name) && block.params.length !== 1) {
          // Handlebars throws "Must pass iterator to #each" (and the like) only when a page is rendered
          // (https://github.com/handlebars-lang/handlebars.js/issues/924, .../issues/1548 for #if).
          report(file, block.loc, `{{#${name}}} needs exactly one value, e.g. {{#${name} ${name === 'each' ? 'authors' : 'summary'}}}`, 'error');
        } else if (BLOCK_HELPERS.has(name) || block.params.length > 0) call(block);
        const first = block.params[0];
        const subject = first?.type === 'PathExpression' ? resolve(first as PathExpression, scope) : undefined;
        if (name === 'each') visit(block.program, enter(scope, block.program, itemOf(subject), itemOf(subject)));
        else if (name === 'with') visit(block.program, enter(scope, block.program, subject ?? UNKNOWN, subject ?? UNKNOWN));
        else if (name === 'if' || name === 'unless') visit(block.program, enter(scope, block.program, undefined));
        else if (block.params.length === 0) {
          // {{#name}}: a section, which iterates a list, enters an object and tests anything else.
          const value = resolve(block.path as PathExpression, scope);
          const next = Array.isArray(value) ? itemOf(value) : value && typeof value === 'object' ? value : undefined;
          visit(block.program, enter(scope, block.program, next));
        } else visit(block.program, enter(scope, block.program, UNKNOWN));
        visit(block.inverse, { ...scope, guarded: true });
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const partial = node as hbs.AST.PartialStatement;
        if (partial.name.type !== 'PathExpression') break; // a partial chosen at run time
        const name = (partial.name as PathExpression).original;
        const target = inline.get(name) ?? partials.get(name);
        if (!target) {
          const guess = partials.size > 0 ? closest(name, [...partials.keys()]) : undefined;
          report(file, partial.loc, `partial "${name}" does not exist${guess ? ` (did you mean "${guess}"?)` : ''}; partials are the .hbs files in partials/`, 'error');
          break;
        }
        partial.params.forEach(expression);
        partial.hash?.pairs.forEach((p: hbs.AST.HashPair) => expression(p.value));
        if (visiting.includes(name)) {
          // Outside any block nothing can stop the recursion: rendering would overflow the stack.
          if (!scope.guarded) report(file, partial.loc, `partial "${name}" includes itself (${[...visiting.slice(visiting.indexOf(name)), name].join(' -> ')}) with nothing to stop it; remove the {{> ${name}}}`, 'error');
          break;
        }
        const first = partial.params[0];
        const context = first?.type === 'PathExpression' ? resolve(first as PathExpression, scope) : scope.contexts[0];
        visiting.push(name);
        visit(target.ast, { contexts: [context, ...scope.contexts.slice(1)], file: target.file, params: new Map(), guarded: scope.guarded });
        visiting.pop();
        if (node.type === 'PartialBlockStatement') visit((node as hbs.AST.PartialBlockStatement).program, scope);
        break;
      }
      default:
        break;
    }
  };
  visit(entry.ast, { contexts: [view], file: entry.file, params: new Map(), guarded: false });
  return diagnostics;
}

/** Where the walk is: the contexts (innermost first), the file, block parameters bound, and whether inside a block. */
interface Scope {
  contexts: Sample[];
  file: string;
  params: ReadonlyMap<string, Sample>;
  /** Inside a block ({{#if}}, {{#each}}, ...): what happens there may stop, so recursion is allowed. */
  guarded: boolean;
}

/** A template's files, as loaded: the page layout, the site index if it has one, and its partials by name. */
export interface TemplateFiles {
  layout: TemplateFile;
  index?: TemplateFile;
  partials: ReadonlyMap<string, TemplateFile>;
}

/**
 * Every check of one template: each file parsed (errors at their positions), then, when
 * all parse, the names the layout and the index use looked up in what their pages
 * provide. Pure: the files' text in, diagnostics out.
 */
export function checkTemplate(files: TemplateFiles): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const parse = (f: TemplateFile) => {
    const parsed = parseTemplate(f);
    diagnostics.push(...parsed.diagnostics);
    return parsed.ast && { ast: parsed.ast, file: f.file };
  };
  const partials = new Map<string, { ast: Program; file: string }>();
  for (const [name, f] of files.partials) {
    const parsed = parse(f);
    if (parsed) partials.set(name, parsed);
  }
  const layout = parse(files.layout);
  const index = files.index && parse(files.index);
  if (diagnostics.length > 0) return diagnostics;
  if (layout) diagnostics.push(...checkNames(layout, partials, sampleBriefView()));
  if (index) diagnostics.push(...checkNames(index, partials, sampleIndexView()));
  return diagnostics;
}

let briefSample: unknown;
let indexSample: unknown;

/**
 * What a brief page's template is given, for a brief that uses every key of the format
 * (an embargo, a previous brief, a comparison, a correction, every incident field), so
 * that every name the view can provide is present in the sample.
 */
function sampleBriefView(): unknown {
  if (briefSample) return briefSample;
  const incident: Incident = {
    id: 'sample-1', date: '2024-01-02', location: 'Sample Base', country: 'Sampleland', weapons: [{ type: 'drone', count: 2 }, { type: 'rocket' }],
    perpetrator: 'Sample Group', claimed: true, killed: 1, injured: 2, summary: 'Summary.', lat: 1, lon: 1, sources: ['https://example.org/a'],
  };
  const earlier: Incident = { ...incident, id: 'sample-0', date: '2024-01-01', revised: '2024-01-02', revision_note: 'N' };
  const brief: Brief = {
    title: 'Sample', date: '2024-01-03', slug: 'sample', label: 'Label', lang: 'en', authors: [{ name: 'A', role: 'R' }], summary: 'S', topics: ['T'],
    series: 'sample', developments: 'D', analysis: [{ quote: 'Q', name: 'N', role: 'R', paraphrase: true }], background: [{ heading: 'H', body: 'B' }],
    related: [{ title: 'R', url: 'https://example.org/r', source: 'S', authors: ['A'] }], incidents: [incident], tally: { heading: 'H', since: '2024-01-01' },
    compare: [{ source: 'S', figure: 3, as_of: '2024-01-03', url: 'https://example.org/c', note: 'N' }],
    as_of: '2024-01-03T10:00Z', embargo: '9999-01-01T00:00Z', corrections: [{ date: '2024-01-04', text: 'C' }],
  };
  const records = [
    { incident: earlier, listedHere: false, listedBefore: true },
    { incident, listedHere: true, listedBefore: false },
  ];
  const tally = computeTally({ since: '2024-01-01', until: '2024-01-03' }, records);
  const figure = { svg: '<svg></svg>', caption: 'C' };
  const input: RenderInput = {
    brief, tally,
    prose: { summary: 'S', summaryText: 'S', developments: 'D', analysis: ['Q'], background: ['B'], corrections: ['C'] },
    figures: { timeline: figure, map: figure },
    annex: records.map(({ incident: i }) => ({ incident: i, summary: 'S', previous: i === earlier ? { ...earlier, injured: 0 } : undefined })),
    previous: { date: '2024-01-01', title: 'P', slug: 'p' },
    slug: 'sample',
  };
  const config: Config = { organization: 'O', disclaimer: 'D', header: 'H', footer: 'F', site: { url: 'https://example.org/' } } as Config;
  briefSample = briefView(input, { pageSize: 'Letter', generator: 'g', config, pdf: true, now: new Date(0), logo: 'assets/logo.svg' }, 'assets/x.css');
  return briefSample;
}

/** What the site's index and topic pages are given, with every optional key present. */
function sampleIndexView(): unknown {
  if (indexSample) return indexSample;
  const config = { organization: 'O', site: { url: 'https://example.org/', title: 'T', description: 'D' } } as Config;
  const brief: SiteBrief = { slug: 's', title: 'T', label: 'L', date: '2024-01-03', summary: 'S', topics: ['T'], authors: ['A'], pdf: true };
  brief.tally = computeTally({ since: '2024-01-01', until: '2024-01-03' }, [
    { incident: { date: '2024-01-02', location: 'L', country: 'C' }, listedHere: true, listedBefore: false },
  ]);
  siteFiles([brief], config, (view) => {
    indexSample ??= view;
    return '';
  }, 'assets/x.css', 'g', 'assets/logo.svg');
  return indexSample;
}
