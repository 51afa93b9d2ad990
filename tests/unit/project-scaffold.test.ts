import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/core/config.js';
import { jsonSchema } from '../../src/core/json-schema.js';
import { schemaReference, VERSION } from '../../src/project/version.js';
import { CONFIG_EXAMPLES, scaffoldConfig, scaffoldProject, workflowScaffold } from '../../src/core/project-scaffold.js';

/** Every key of the configuration's JSON Schema, dotted, leaves only. */
function configKeys(node = jsonSchema('config') as { properties?: Record<string, { type?: string; properties?: object }> }, prefix = ''): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    child.type === 'object' && child.properties ? configKeys(child as never, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

describe('the configuration a new project gets', () => {
  it('names every key the configuration knows, with an example value', () => {
    const keys = configKeys();
    expect(keys.length).toBeGreaterThan(15);
    expect(Object.keys(CONFIG_EXAMPLES).sort()).toEqual([...keys].sort());
    const text = scaffoldConfig('schema.json');
    for (const key of keys) expect(text, key).toMatch(new RegExp(`^#\\s+${key.split('.').pop()}: `, 'm'));
  });

  it('sets nothing as written, and is a valid configuration with every key once uncommented', () => {
    const commented = parseConfig(scaffoldConfig('schema.json'), 'brief.config.yaml');
    expect(commented.diagnostics).toEqual([]);
    expect(commented.config).toEqual({});
    const open = parseConfig(scaffoldConfig('schema.json', false), 'brief.config.yaml');
    expect(open.diagnostics).toEqual([]);
    for (const key of configKeys()) {
      const value = key.split('.').reduce<unknown>((at, k) => (at as Record<string, unknown> | undefined)?.[k], open.config);
      expect(value, key).toBeDefined();
    }
  });
});

describe('the CI workflow a new project gets', () => {
  it.each(['npm', 'npx'] as const)('checks, builds and uploads output/ (flashbrief by %s)', (install) => {
    const flow = parseYaml(workflowScaffold(install, '1.2.3')) as { on: Record<string, unknown>; jobs: { build: { steps: { run?: string; uses?: string; with?: Record<string, string> }[] } } };
    expect(Object.keys(flow.on)).toEqual(['push', 'workflow_dispatch', 'schedule']);
    const steps = flow.jobs.build.steps;
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    const cli = install === 'npm' ? 'npx flashbrief' : 'npx --yes flashbrief@1.2.3';
    expect(runs).toEqual([...(install === 'npm' ? ['npm ci'] : []), `${cli} check`, `${cli} build`]);
    expect(steps.at(-1)).toMatchObject({ uses: 'actions/upload-artifact@v4', with: { name: 'site', path: 'output/' } });
  });
});

describe('a new project', () => {
  it('has an example brief, the configuration, places, .gitignore and the workflow, each valid YAML', () => {
    const files = scaffoldProject({ date: '2026-12-01', schemas: { brief: 'b', config: 'c', places: 'p' }, briefSchema: '../b', install: 'npx', version: '1.0.0' });
    expect(files.map((f) => f.path)).toEqual(['briefs/2026-12-01-example-brief.yaml', 'brief.config.yaml', 'places.yaml', '.gitignore', '.github/workflows/briefs.yml']);
    for (const f of files.filter((f) => f.path.endsWith('.yaml') || f.path.endsWith('.yml'))) expect(() => parseYaml(f.text), f.path).not.toThrow();
    expect(files[0]!.text).toMatch(/^# yaml-language-server: \$schema=\.\.\/b\n/);
    expect(files[1]!.text).toMatch(/^# yaml-language-server: \$schema=c\n/);
    expect(files[3]!.text).toMatch(/^output\/$/m);
  });
});

describe('where a new file points its $schema comment', () => {
  const url = (kind: string) => `https://unpkg.com/flashbrief@${VERSION}/schema/${kind}.schema.json`;
  it.each([
    ['the package is installed in the project', '/site/briefs', '/site/node_modules/flashbrief', '../node_modules/flashbrief/schema/brief.schema.json'],
    ['the project is the package itself', '/repo/briefs', '/repo', '../schema/brief.schema.json'],
    ['run with npx from its cache', '/site/briefs', '/home/me/.npm/_npx/1a2b/node_modules/flashbrief', url('brief')],
    ['installed globally', '/site/briefs', '/usr/lib/node_modules/flashbrief', url('brief')],
    ["another project's node_modules", '/site/briefs', '/other/node_modules/flashbrief', url('brief')],
  ])('%s', (_case, from, packageRoot, expected) => {
    expect(schemaReference(from, 'brief', packageRoot)).toBe(expected);
  });
});
