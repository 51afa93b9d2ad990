import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TEMPLATES, loadTemplates } from '../../src/project/templates.js';
import { jsonLocator } from '../../src/project/template-manifest.js';
import { tempDir } from '../helpers.js';

/*
 * A template.json mistake is said at the key (or list entry) that makes it, in plain words
 * with how to fix it, never as the validation library's text at 1:1.
 */
const runs = Number(process.env.FAST_CHECK_RUNS ?? 100);
const seed = Number(process.env.FAST_CHECK_SEED ?? 20240613);

/** The one error loading a template `own` whose template.json is `manifest`: "line:column: message". */
async function manifestError(manifest: string): Promise<string> {
  const root = tempDir();
  const dir = path.join(root, 'templates', 'own');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'template.json'), manifest);
  writeFileSync(path.join(dir, 'layout.hbs'), '<main>{{title}}</main>\n');
  const own = (await loadTemplates([path.join(root, 'templates'), BUNDLED_TEMPLATES], { cwd: root })).get('own');
  const errors = (own?.diagnostics ?? []).filter((d) => d.severity === 'error');
  expect(errors).toHaveLength(1);
  const d = errors[0]!;
  expect(d.file).toBe('templates/own/template.json');
  return `${d.line}:${d.column}: ${d.message}`;
}

describe('template.json mistakes', () => {
  it('a path where a template name belongs, at "extends"', async () => {
    expect(await manifestError('{"extends":"../../trial13-secret"}')).toBe(
      '1:2: "extends" must name a template by its folder name alone, in a-z, 0-9 and single hyphens, such as "flash-brief": a template builds only on another template, never on a path, not "../../trial13-secret"',
    );
  });

  it('an unknown key, __proto__ included, at that key, with the keys there are', async () => {
    expect(await manifestError('{\n  "pages": 1,\n  "__proto__": {"x": 1}\n}')).toMatch(/^3:3: "__proto__" is not a setting of template\.json: remove it, or use one of "description", "extends", /);
    expect(await manifestError('{\n  "extend": "flash-brief"\n}')).toMatch(/^2:3: "extend" is not a setting of template\.json \(did you mean "extends"\?\): remove it/);
  });

  it('pages that are not a whole number of at least 1, at "pages"', async () => {
    for (const pages of ['-1', '0', '1.5', '"2"', 'null']) {
      expect(await manifestError(`{\n  "description": "x",\n    "pages": ${pages}\n}`)).toBe(`3:5: "pages" must be a whole number of at least 1, such as 2: the most pages a brief's PDF should take, not ${JSON.stringify(JSON.parse(pages))}`);
    }
  });

  it('an unknown part in "shows", at the entry, with the parts there are', async () => {
    expect(await manifestError('{"shows": [\n  "summary",\n  "sumary"\n]}')).toMatch(/^3:3: "shows" lists "sumary", which is not a part of a brief \(did you mean "summary"\?\): list only parts from "summary", "authors", /);
    expect(await manifestError('{"shows": "summary"}')).toMatch(/^1:2: "shows" must be a list of the parts of a brief the pages show, each one of "summary", .*, not "summary"$/);
  });

  it('a file that is not an object, at its start', async () => {
    expect(await manifestError('["flash-brief"]')).toBe('1:1: template.json must be a JSON object of settings, such as {"extends": "flash-brief"}, not a list');
  });
});

describe('jsonLocator', () => {
  it('finds every key and list entry of any JSON where it is written', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(0, 2, 4), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const at = jsonLocator(text);
        const lines = text.split('\n');
        const visit = (v: unknown, pathTo: (string | number)[]) => {
          if (Array.isArray(v)) {
            v.forEach((item, n) => {
              const { line, column } = at([...pathTo, n]);
              expect(lines[line - 1]!.slice(column - 1).startsWith(JSON.stringify(item, null, indent).split('\n')[0]!)).toBe(true);
              visit(item, [...pathTo, n]);
            });
          } else if (v !== null && typeof v === 'object') {
            for (const [k, item] of Object.entries(v)) {
              const { line, column } = at([...pathTo, k]);
              expect(lines[line - 1]!.slice(column - 1).startsWith(JSON.stringify(k))).toBe(true);
              visit(item, [...pathTo, k]);
            }
          }
        };
        visit(value, []);
      }),
      { numRuns: runs, seed },
    );
  });
});
