import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids ESLint reports for `code` as if it were the file `file` (relative to the project). */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the layers of src/ (eslint.config.js)', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'node:fs'],
    ["import { readFile } from 'fs/promises';", 'fs/promises'],
    ["import puppeteer from 'puppeteer-core';", 'puppeteer-core'],
    ["import { PDFDocument } from '@cantoo/pdf-lib';", '@cantoo/pdf-lib'],
    ["import { build } from '../project/build.js';", 'an edge'],
    ["import { compileBrief } from '../page/compile.js';", 'a higher layer'],
    ["import { build } from '../index.js';", 'the public index'],
  ])('a core file may not import %s (%s)', async (line) => {
    expect(await violations('src/core/example.ts', `${line}\nexport const x = 1;\n`)).toContain('no-restricted-imports');
  });

  it('a core file may not read process state', async () => {
    expect(await violations('src/core/example.ts', 'export const cwd = () => process.cwd();\n')).toContain('no-restricted-globals');
  });

  it.each([
    ['src/figures/x.ts', "import { renderPage } from '../page/compile.js';"],
    ['src/page/x.ts', "import { siteFiles } from '../site/site.js';"],
    ['src/site/x.ts', "import { checkTemplate } from '../template/template-check.js';"],
    ['src/print/x.ts', "import { build } from '../project/build.js';"],
    ['src/project/x.ts', "import { serve } from '../serve/serve.js';"],
    ['src/serve/x.ts', "import { run } from '../cli/main.js';"],
    ['src/project/sub/x.ts', "import { run } from '../../cli/main.js';"],
    ['src/core/deep/x.ts', "import { build } from '../../index.js';"],
    ['src/print/x.ts', "import { serve } from '../serve/sub/deep.js';"],
  ])('%s may not import upward: %s', async (file, line) => {
    expect(await violations(file, `${line}\nexport const x = 1;\n`)).toContain('no-restricted-imports');
  });

  it.each([
    ['src/core/x.ts', "import { loadYaml } from './load.js';"],
    ['src/page/x.ts', "import { locatorMap } from '../figures/locator-map.js';"],
    ['src/project/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['src/print/x.ts', "import { PDFDocument } from '@cantoo/pdf-lib';"],
    ['src/cli/x.ts', "import { serve } from '../serve/serve.js';"],
    ['src/cli/commands/x.ts', "import { build } from '../../project/build.js';"],
  ])('%s may import downward or its own edge: %s', async (file, line) => {
    expect(await violations(file, `${line}\nexport const x = 1;\n`)).not.toContain('no-restricted-imports');
  });
});

describe('the import graph of src/', () => {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const graph = new Map(
    files.map((file) => {
      const text = readFileSync(path.join(SRC, file), 'utf8');
      // Type-only imports vanish at run time but still tangle the design, so they count.
      const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((m) =>
        path.join(path.dirname(file), `${m[1]}.ts`),
      );
      return [file, targets] as const;
    }),
  );

  it('has every src/ file in a layer folder, except the public index', () => {
    const folders = new Set(['core', 'figures', 'page', 'site', 'template', 'print', 'project', 'serve', 'cli']);
    expect(files.filter((f) => f !== 'index.ts' && !folders.has(f.split(path.sep)[0] ?? ''))).toEqual([]);
  });

  it('has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
