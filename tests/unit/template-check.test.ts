import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/project/templates.js';
import { checkNames, parseTemplate } from '../../src/template/template-check.js';

/** One template file's single error, as line:column and message. */
const errorOf = (text: string) => {
  const { diagnostics } = parseTemplate({ file: 't.hbs', text });
  expect(diagnostics).toHaveLength(1);
  const [d] = diagnostics;
  return `${d?.line}:${d?.column} ${d?.message}`;
};

describe('template syntax errors', () => {
  it.each([
    ['a\n{{#if x}}\nb\n', '2:1 {{#if}} is never closed'],
    ['<p>{{#each items}}{{#if x}}{{/if}}\n</p>\n', '1:4 {{#each}} is never closed: add {{/each}}'],
    ['{{#if a}}\n  {{#with b}}x\n{{/if}}', '2:3 {{#with}} is closed by {{/if}}; close it with {{/with}}'],
    ['{{#if a}}{{/each}}', '1:1 {{#if}} is closed by {{/each}}'],
    ['line one\nsee {{title', '2:5 Handlebars cannot read this: a {{ without its }}'],
    ['x {{> }}', '1:7 Handlebars syntax: found }} where'],
    ['{{link href=}}', '1:13 Handlebars syntax: found }} where'],
    ['{{{raw}}', '1:7 Handlebars syntax: found }} where }}}'],
    ['<p>{{else}}</p>', '1:4 Handlebars syntax: found {{else}} where'],
  ])('%j gives one error at the place to fix', (text, expected) => {
    expect(errorOf(text)).toContain(expected);
  });

  it('accepts what Handlebars accepts', () => {
    expect(parseTemplate({ file: 't.hbs', text: '{{#each a as |item|}}{{item.name}}{{else}}none{{/each}} \\{{literal}}' }).diagnostics).toEqual([]);
  });
});

describe('template names', () => {
  const ast = (text: string) => {
    const parsed = parseTemplate({ file: 't.hbs', text });
    if (!parsed.ast) throw new Error('does not parse');
    return { ast: parsed.ast, file: 't.hbs' };
  };
  const view = { title: 'T', authors: [{ name: 'N', role: undefined }], tally: { weapons: [{ type: 'drone' }] } };
  const messages = (text: string, partials = new Map<string, { ast: ReturnType<typeof ast>['ast']; file: string }>()) =>
    checkNames(ast(text), partials, view).map((d) => `${d.severity} ${d.line}:${d.column} ${d.message}`);

  it('follows each, with, parents, @root and block parameters without false alarms', () => {
    expect(
      messages('{{title}}{{#each authors}}{{name}}{{role}}{{../title}}{{@index}}{{@root.title}}{{/each}}{{#with tally}}{{#each weapons as |w|}}{{w.type}}{{type}}{{/each}}{{/with}}{{authors.length}}'),
    ).toEqual([]);
  });

  it('warns about a name the view does not have, with the nearest one', () => {
    expect(messages('{{titel}}\n{{#each authors}}{{nmae}}{{/each}}')).toEqual([
      'warning 1:3 {{titel}} is not something the page provides, so it prints nothing; did you mean {{title}}?',
      'warning 2:20 {{nmae}} is not something the page provides, so it prints nothing; did you mean {{name}}?',
    ]);
  });

  it('errors on a block helper without its one value, which Handlebars would only find while rendering', () => {
    expect(messages('{{#each}}x{{/each}}\n{{#if title summary}}y{{/if}}')).toEqual([
      'error 1:1 {{#each}} needs exactly one value, e.g. {{#each authors}}',
      'error 2:1 {{#if}} needs exactly one value, e.g. {{#if summary}}',
    ]);
  });

  it('binds block parameters to the items they name, and knows inline partials', () => {
    expect(messages('{{#each authors as |a i|}}{{a.nme}}{{i}}{{/each}}{{#*inline "line"}}{{title}}{{/inline}}{{> line}}')).toEqual([
      'warning 1:29 {{a.nme}} is not something the page provides, so it prints nothing; did you mean {{a.name}}?',
    ]);
  });

  it('errors on what would fail only while rendering: a decorator, lookup without its two values, a partial that includes itself', () => {
    const partials = new Map([['loop', { ...ast('<p>{{> loop}}</p>'), file: 'partials/loop.hbs' }], ['tree', { ...ast('{{#each authors}}{{> tree}}{{/each}}'), file: 'partials/tree.hbs' }]]);
    expect(messages('{{* foo}}{{lookup}}{{lookup authors}}{{> loop}}{{> tree}}', partials)).toEqual([
      'error 1:1 {{*foo}} is a decorator that does not exist; the only one is {{#*inline "name"}}',
      'error 1:10 {{lookup}} needs two values, the object and the key: e.g. {{lookup tally.countries 0}}',
      'error 1:20 {{lookup}} needs two values, the object and the key: e.g. {{lookup tally.countries 0}}',
      'error 1:4 partial "loop" includes itself (loop -> loop) with nothing to stop it; remove the {{> loop}}',
    ]);
  });

  it('errors on a helper or partial that does not exist, and checks inside partials', () => {
    const partials = new Map([['byline', { ...ast('{{#each authors}}{{nam}}{{/each}}'), file: 'partials/byline.hbs' }]]);
    expect(messages('{{upper title}}{{> bylin}}{{> byline}}', partials)).toEqual([
      'error 1:1 {{upper ...}} calls a helper that does not exist; the helpers are if, unless, each, with, lookup, log',
      'error 1:16 partial "bylin" does not exist (did you mean "byline"?); partials are the .hbs files in partials/',
      'warning 1:20 {{nam}} is not something the page provides, so it prints nothing; did you mean {{name}}?',
    ]);
  });
});

describe('the bundled templates', () => {
  it('have no error and no warning', async () => {
    const templates = await loadTemplates();
    expect(templates.size).toBeGreaterThanOrEqual(2);
    for (const template of templates.values()) expect(template.diagnostics, template.name).toEqual([]);
  });
});
