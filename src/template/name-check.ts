import Handlebars from 'handlebars';
import { closest, distance } from 'fastest-levenshtein';
import type { Diagnostic } from '../core/diagnostics.js';

/*
 * The names check of a template (see template-check.ts for why templates are checked):
 * every {{name}} is looked up in a sample of what the page provides, following {{#each}}
 * and {{#with}} into their items and partials into the context they are called in.
 *
 * One NameChecker does one run. What the run accumulates has that owner: the findings,
 * the partials being expanded and the inline partials defined so far. Where the walk is
 * (the contexts, the file, block parameters) is a Scope handed down the tree; a block
 * makes a new one for its program, so no scope is ever changed in place.
 */

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type PathExpression = hbs.AST.PathExpression;
/** Whatever may call a helper: {{name ...}}, (name ...) and {{#name ...}}. */
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;
/** {{> name ...}}, and {{#> name ...}}...{{/name}} whose block the partial may show. */
type Partial = hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement;

/** A parsed template file: its syntax tree and how to name it in messages. */
export interface ParsedTemplate {
  ast: Program;
  file: string;
}

/** The helpers Handlebars brings; the renderers register no others. */
const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);
const HELPERS = new Set([...BLOCK_HELPERS, 'lookup', 'log']);

/** What the checker knows of a value: a sample of it, or nothing (unknown, so not checked). */
type Sample = unknown;
const UNKNOWN = Symbol('unknown');

/** Where the walk is: the contexts (innermost first), the file, block parameters bound, and whether inside a block. */
interface Scope {
  contexts: Sample[];
  file: string;
  params: ReadonlyMap<string, Sample>;
  /** Inside a block ({{#if}}, {{#each}}, ...): what happens there may stop, so recursion is allowed. */
  guarded: boolean;
}

/**
 * Walks a template's syntax tree with a sample of the view it will be given, and reports
 * every name the view does not provide (warnings: the page still builds, the name prints
 * nothing) and every partial or helper that does not exist (errors: Handlebars would
 * stop there). Partials are followed with the context they are called in.
 */
export function checkNames(entry: ParsedTemplate, partials: ReadonlyMap<string, ParsedTemplate>, view: Sample): Diagnostic[] {
  return new NameChecker(partials).run(entry, view);
}

/** One run of the names check: the walk, one method per kind of node, and what it has found. */
class NameChecker {
  readonly #partials: ReadonlyMap<string, ParsedTemplate>;
  readonly #diagnostics: Diagnostic[] = [];
  /** Each finding's file:line:column:message: a place walked twice (a partial included twice, a block's value
   * checked as an argument and again as its subject) is reported once. */
  readonly #reported = new Set<string>();
  /** The partials being expanded, outermost first: one met again includes itself. */
  readonly #expanding: string[] = [];
  /** Partials a template defines for itself with {{#*inline "name"}}, known from there on. */
  readonly #inline = new Map<string, ParsedTemplate>();

  constructor(partials: ReadonlyMap<string, ParsedTemplate>) {
    this.#partials = partials;
  }

  /** Checks `entry` with `view` as its context; the findings in the order met, each once. */
  run(entry: ParsedTemplate, view: Sample): Diagnostic[] {
    this.#visit(entry.ast, { contexts: [view], file: entry.file, params: new Map(), guarded: false });
    return this.#diagnostics;
  }

  #visit(node: Node | undefined | null, scope: Scope): void {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        return this.#program(node as Program, scope);
      case 'MustacheStatement':
        return this.#call(node as hbs.AST.MustacheStatement, scope);
      case 'Decorator':
      case 'DecoratorBlock':
        return this.#decorator(node as unknown as hbs.AST.BlockStatement, scope);
      case 'BlockStatement':
        return this.#block(node as hbs.AST.BlockStatement, scope);
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.#partial(node as Partial, scope);
      default:
        // Text and comments name nothing.
        return;
    }
  }

  #program(program: Program, scope: Scope): void {
    // Inline partials are defined before the statements that use them run.
    for (const child of program.body) {
      if (child.type !== 'DecoratorBlock') continue;
      const block = child as unknown as hbs.AST.BlockStatement;
      const name = block.params[0];
      if ((block.path as PathExpression).original === 'inline' && name?.type === 'StringLiteral') {
        this.#inline.set((name as hbs.AST.StringLiteral).value, { ast: block.program, file: scope.file });
      }
    }
    for (const child of program.body) this.#visit(child, scope);
  }

  #decorator(decorator: hbs.AST.BlockStatement, scope: Scope): void {
    const name = (decorator.path as PathExpression).original;
    if (name !== 'inline') this.#report(scope.file, decorator.loc, `{{*${name}}} is a decorator that does not exist; the only one is {{#*inline "name"}}`, 'error');
  }

  #block(block: hbs.AST.BlockStatement, scope: Scope): void {
    const name = (block.path as PathExpression).original;
    if (BLOCK_HELPERS.has(name) && block.params.length !== 1) {
      // Handlebars throws "Must pass iterator to #each" (and the like) only when a page is rendered
      // (https://github.com/handlebars-lang/handlebars.js/issues/924, .../issues/1548 for #if).
      this.#report(scope.file, block.loc, `{{#${name}}} needs exactly one value, e.g. {{#${name} ${name === 'each' ? 'authors' : 'summary'}}}`, 'error');
    } else if (BLOCK_HELPERS.has(name) || block.params.length > 0) this.#call(block, scope);
    this.#visit(block.program, this.#blockScope(block, name, scope));
    this.#visit(block.inverse, { ...scope, guarded: true });
  }

  /** The scope a block's program is seen in: each's item, with's object, or the same context. */
  #blockScope(block: hbs.AST.BlockStatement, name: string, scope: Scope): Scope {
    const { program } = block;
    const first = block.params[0];
    const subject = first?.type === 'PathExpression' ? this.#resolve(first as PathExpression, scope) : undefined;
    if (name === 'each') return enter(scope, program, itemOf(subject), itemOf(subject));
    if (name === 'with') return enter(scope, program, subject ?? UNKNOWN, subject ?? UNKNOWN);
    if (name === 'if' || name === 'unless') return enter(scope, program, undefined);
    if (block.params.length > 0) return enter(scope, program, UNKNOWN);
    // {{#name}}: a section, which iterates a list, enters an object and tests anything else.
    const value = this.#resolve(block.path as PathExpression, scope);
    const next = Array.isArray(value) ? itemOf(value) : value && typeof value === 'object' ? value : undefined;
    return enter(scope, program, next);
  }

  #partial(partial: Partial, scope: Scope): void {
    if (partial.name.type !== 'PathExpression') return; // a partial chosen at run time
    const name = (partial.name as PathExpression).original;
    const target = this.#inline.get(name) ?? this.#partials.get(name);
    if (!target) {
      const guess = this.#partials.size > 0 ? closest(name, [...this.#partials.keys()]) : undefined;
      this.#report(scope.file, partial.loc, `partial "${name}" does not exist${guess ? ` (did you mean "${guess}"?)` : ''}; partials are the .hbs files in partials/`, 'error');
      return;
    }
    this.#arguments(partial, scope);
    if (this.#expanding.includes(name)) {
      // Outside any block nothing can stop the recursion: rendering would overflow the stack.
      const cycle = [...this.#expanding.slice(this.#expanding.indexOf(name)), name].join(' -> ');
      if (!scope.guarded) this.#report(scope.file, partial.loc, `partial "${name}" includes itself (${cycle}) with nothing to stop it; remove the {{> ${name}}}`, 'error');
      return;
    }
    const first = partial.params[0];
    const context = first?.type === 'PathExpression' ? this.#resolve(first as PathExpression, scope) : scope.contexts[0];
    this.#expanding.push(name);
    this.#visit(target.ast, { contexts: [context, ...scope.contexts.slice(1)], file: target.file, params: new Map(), guarded: scope.guarded });
    this.#expanding.pop();
    if (partial.type === 'PartialBlockStatement') this.#visit(partial.program, scope);
  }

  /** {{name ...}}, (name ...) or {{#name ...}}: the helper must exist, and what it is given is checked. */
  #call(node: Call, scope: Scope): void {
    const path = node.path as PathExpression;
    const name = path.type === 'PathExpression' ? path.original : '';
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'SubExpression' || name === 'lookup';
    if (isCall && path.type === 'PathExpression' && !HELPERS.has(name)) {
      this.#report(scope.file, node.loc, `{{${name} ...}} calls a helper that does not exist; the helpers are ${[...HELPERS].join(', ')}`, 'error');
    } else if (name === 'lookup' && node.params.length !== 2) {
      // Handlebars fails inside its runtime (a TypeError) only when the page is rendered.
      this.#report(scope.file, node.loc, '{{lookup}} needs two values, the object and the key: e.g. {{lookup tally.countries 0}}', 'error');
    } else if (!isCall) this.#expression(path, scope);
    this.#arguments(node, scope);
  }

  /** The values a helper or partial is given, positional then named. */
  #arguments(node: Call | Partial, scope: Scope): void {
    for (const param of node.params) this.#expression(param, scope);
    for (const pair of node.hash?.pairs ?? []) this.#expression(pair.value, scope);
  }

  #expression(node: Node, scope: Scope): void {
    if (node.type === 'PathExpression') this.#resolve(node as PathExpression, scope);
    else if (node.type === 'SubExpression') this.#call(node as hbs.AST.SubExpression, scope);
  }

  /** The sample a path resolves to in the stack of contexts (innermost first), or through a block parameter. */
  #resolve(path: PathExpression, scope: Scope): Sample {
    if (path.data) return path.parts[0] === 'root' ? this.#walkParts(path, path.parts.slice(1), scope.contexts.at(-1), scope.file) : UNKNOWN;
    const head = path.parts[0];
    if (path.depth === 0 && head !== undefined && scope.params.has(head)) return this.#walkParts(path, path.parts.slice(1), scope.params.get(head), scope.file);
    const context = scope.contexts[path.depth] ?? UNKNOWN;
    return this.#walkParts(path, path.parts, context, scope.file);
  }

  /** Follows `parts` from `start`; the first one the sample does not have is reported, with the nearest name it has. */
  #walkParts(path: PathExpression, parts: readonly string[], start: Sample, file: string): Sample {
    let value = start;
    for (const part of parts) {
      if (value === UNKNOWN || value === undefined || value === null) return UNKNOWN;
      if (Array.isArray(value) && part === 'length') return value.length;
      if (typeof value !== 'object' || value instanceof Handlebars.SafeString) return UNKNOWN;
      if (!Object.hasOwn(value, part)) {
        const known = Object.keys(value);
        const guess = known.length > 0 ? closest(part, known) : undefined;
        const hint = guess && distance(part, guess) <= Math.max(2, part.length / 3) ? `; did you mean {{${path.original.replace(part, guess)}}}?` : '';
        this.#report(file, path.loc, `{{${path.original}}} is not something the page provides, so it prints nothing${hint}`, 'warning');
        return UNKNOWN;
      }
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  }

  #report(file: string, loc: hbs.AST.SourceLocation | undefined, message: string, severity: Diagnostic['severity']): void {
    const line = loc?.start.line ?? 1;
    const column = (loc?.start.column ?? 0) + 1;
    const key = `${file}:${line}:${column}:${message}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#diagnostics.push({ file, line, column, message, severity });
  }
}

/** A sample of one item of a list (or of an object's values), for {{#each}}. */
function itemOf(value: Sample): Sample {
  if (Array.isArray(value)) return value.length > 0 ? value[0] : UNKNOWN;
  if (value && typeof value === 'object') return Object.values(value)[0] ?? UNKNOWN;
  return UNKNOWN;
}

/** A block's program seen with a new context, its block parameters (`as |item index|`) bound. */
function enter(scope: Scope, program: Program | undefined, context: Sample | undefined, item: Sample = UNKNOWN): Scope {
  const params = new Map(scope.params);
  const [first, second] = program?.blockParams ?? [];
  if (first !== undefined) params.set(first, item);
  if (second !== undefined) params.set(second, UNKNOWN);
  return { ...scope, contexts: context === undefined ? scope.contexts : [context, ...scope.contexts], params, guarded: true };
}
