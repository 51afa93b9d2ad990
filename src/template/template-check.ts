import Handlebars from 'handlebars';
import type { Config } from '../core/config.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { briefView, type RenderInput } from '../page/renderer.js';
import type { Brief, Incident } from '../core/schema.js';
import { siteFiles, type SiteBrief } from '../site/site.js';
import { computeTally } from '../core/tally.js';
import { checkNames, type ParsedTemplate } from './name-check.js';

export { checkNames } from './name-check.js';

/*
 * A template is a user's file like a brief: a mistake in it is reported at its file, line
 * and column, in plain words, before any brief is rendered with it. Two kinds of check:
 * - syntax: every layout and partial is parsed (Handlebars compiles lazily,
 *   https://github.com/handlebars-lang/handlebars.js/issues/1095, so without
 *   this an unclosed {{#if}} surfaced as a stack trace in the middle of a build);
 * - names (name-check.ts): every {{name}} is looked up in a sample of what the page
 *   provides, following {{#each}} and {{#with}} into their items, so {{titel}} is a
 *   warning with "did you mean {{title}}?" instead of printing nothing.
 */

/** One template file's text and how to name it in messages. */
export interface TemplateFile {
  /** The file as the user sees it, e.g. templates/flash-brief/partials/masthead.hbs. */
  file: string;
  text: string;
}

type Program = hbs.AST.Program;

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
  const partials = new Map<string, ParsedTemplate>();
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
export function sampleBriefView(): unknown {
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
  const figure = { svg: '<svg></svg>', caption: 'C', captionHtml: 'C' };
  const input: RenderInput = {
    brief, tally,
    prose: { summary: 'S', summaryText: 'S', developments: 'D', analysis: ['Q'], background: ['B'], corrections: ['C'] },
    figures: { timeline: figure, map: figure },
    annex: records.map(({ incident: i }) => ({ incident: i, summary: 'S', previous: i === earlier ? { ...earlier, injured: 0 } : undefined })),
    previous: { date: '2024-01-01', title: 'P', slug: 'p' },
    back: { date: '2024-01-01', title: 'P', slug: 'p' },
    next: { date: '2024-01-05', title: 'N', slug: 'n' },
    slug: 'sample',
  };
  const config: Config = { organization: 'O', disclaimer: 'D', header: 'H', footer: 'F', site: { url: 'https://example.org/' } } as Config;
  briefSample = briefView(input, { pageSize: 'Letter', generator: 'g', config, pdf: true, now: new Date(0), logo: 'assets/logo.svg', site: true }, 'assets/x.css');
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
  // The index and a topic page are given different keys (the list of every topic on the
  // index, the link back to it on a topic page): the sample has each key from the page that has it.
  const views: Record<string, unknown>[] = [];
  siteFiles([brief], config, (view) => {
    views.push(view as Record<string, unknown>);
    return '';
  }, 'assets/x.css', 'g', 'assets/logo.svg');
  const given = (value: unknown) => value !== undefined && !(Array.isArray(value) && value.length === 0);
  const sample: Record<string, unknown> = {};
  for (const view of views) for (const [key, value] of Object.entries(view)) if (!given(sample[key])) sample[key] = value;
  indexSample = sample;
  return indexSample;
}
