import { describe, expect, it } from 'vitest';
import { checkNames, parseTemplate } from '../../src/template/template-check.js';

/*
 * What the names check does across one run, beyond single names: a partial followed in
 * the context it is called in, findings reported once however often a partial is
 * included, and a partial's block seen in the caller's scope. These pin the order and
 * positions of the findings, which a build prints as they come.
 */

const ast = (text: string, file = 't.hbs') => {
  const parsed = parseTemplate({ file, text });
  if (!parsed.ast) throw new Error(`does not parse: ${text}`);
  return { ast: parsed.ast, file };
};
const view = { title: 'T', authors: [{ name: 'N', role: undefined }], tally: { weapons: [{ type: 'drone' }] } };
const findings = (text: string, partials = new Map<string, ReturnType<typeof ast>>()) =>
  checkNames(ast(text), partials, view).map((d) => `${d.severity} ${d.file}:${d.line}:${d.column} ${d.message}`);
const byline = () => new Map([['byline', ast('{{nam}}{{#each authors}}{{nam}}{{/each}}', 'partials/byline.hbs')]]);

describe('the names check over a run', () => {
  it('reports a mistake in a partial once per place and message, however often it is included', () => {
    expect(findings('{{> byline}}{{> byline}}{{#each authors}}{{> byline}}{{/each}}', byline())).toEqual([
      'warning partials/byline.hbs:1:3 {{nam}} is not something the page provides, so it prints nothing',
      'warning partials/byline.hbs:1:27 {{nam}} is not something the page provides, so it prints nothing; did you mean {{name}}?',
      'warning partials/byline.hbs:1:3 {{nam}} is not something the page provides, so it prints nothing; did you mean {{name}}?',
      'warning partials/byline.hbs:1:16 {{authors}} is not something the page provides, so it prints nothing',
    ]);
  });

  it('follows a partial into the context it is given, and checks its named values where it is called', () => {
    expect(findings('{{> byline tally x=titel}}{{#with tally}}{{> byline}}{{/with}}', byline())).toEqual([
      'warning t.hbs:1:20 {{titel}} is not something the page provides, so it prints nothing; did you mean {{title}}?',
      'warning partials/byline.hbs:1:3 {{nam}} is not something the page provides, so it prints nothing',
      'warning partials/byline.hbs:1:16 {{authors}} is not something the page provides, so it prints nothing',
    ]);
  });

  it('sees a partial block in the caller\'s scope, and a missing partial block as an error', () => {
    expect(findings('{{#> byline}}{{titel}}{{/byline}}{{#> nope}}{{titel}}{{/nope}}', byline())).toEqual([
      'warning partials/byline.hbs:1:3 {{nam}} is not something the page provides, so it prints nothing',
      'warning partials/byline.hbs:1:27 {{nam}} is not something the page provides, so it prints nothing; did you mean {{name}}?',
      'warning t.hbs:1:16 {{titel}} is not something the page provides, so it prints nothing; did you mean {{title}}?',
      'error t.hbs:1:34 partial "nope" does not exist (did you mean "byline"?); partials are the .hbs files in partials/',
    ]);
  });

  it('enters an object section and iterates a list section, with ../ reaching the page', () => {
    expect(findings('{{#tally}}{{weapons.0.typ}}{{titel}}{{../titel}}{{/tally}}{{#authors}}{{nme}}{{/authors}}')).toEqual([
      'warning t.hbs:1:13 {{weapons.0.typ}} is not something the page provides, so it prints nothing; did you mean {{weapons.0.type}}?',
      'warning t.hbs:1:30 {{titel}} is not something the page provides, so it prints nothing',
      'warning t.hbs:1:39 {{../titel}} is not something the page provides, so it prints nothing; did you mean {{../title}}?',
      'warning t.hbs:1:73 {{nme}} is not something the page provides, so it prints nothing; did you mean {{name}}?',
    ]);
  });

  it('checks the values given to helpers and sub-expressions', () => {
    expect(findings('{{#if (upper titel)}}{{/if}}{{log titl}}{{lookup authors (lookup tally nope)}}')).toEqual([
      'error t.hbs:1:7 {{upper ...}} calls a helper that does not exist; the helpers are if, unless, each, with, lookup, log',
      'warning t.hbs:1:14 {{titel}} is not something the page provides, so it prints nothing; did you mean {{title}}?',
      'warning t.hbs:1:35 {{titl}} is not something the page provides, so it prints nothing; did you mean {{title}}?',
      'warning t.hbs:1:72 {{nope}} is not something the page provides, so it prints nothing',
    ]);
  });

  it('allows a partial to include itself inside a block, not outside one', () => {
    const partials = new Map([['tree', ast('{{> tree}}{{#if name}}{{> tree}}{{/if}}', 'partials/tree.hbs')]]);
    expect(findings('{{#each authors}}{{> tree}}{{/each}}{{> tree}}', partials)).toEqual([
      'error partials/tree.hbs:1:1 partial "tree" includes itself (tree -> tree) with nothing to stop it; remove the {{> tree}}',
      'warning partials/tree.hbs:1:17 {{name}} is not something the page provides, so it prints nothing',
    ]);
  });
});
