import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileBrief, createCompileContext, formatDiagnostic, renderPage } from '../../src/index.js';
import { projectWith, ROOT } from '../helpers.js';

const FILE = 'briefs/militia-attacks-on-us-troops.yaml';

describe('one brief through the library, as the README shows', () => {
  it('compiles and renders a brief with the context a build of its folder would use', async () => {
    const context = await createCompileContext({ cwd: ROOT });
    expect(context.diagnostics).toEqual([]);
    const compiled = compileBrief(readFileSync(path.join(ROOT, FILE), 'utf8'), FILE, context);
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const html = renderPage(compiled) as string;
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).toContain(compiled.brief?.title);
    // The configuration was read: its organization is on the page.
    expect(html).toContain('Example Policy Institute');
    expect(renderPage(compiled, 'fragment')).toBeUndefined();
  });

  it("gives the configuration's problems with their positions, and no page for a brief with errors", async () => {
    const dir = projectWith({});
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'page_size: a5\n');
    const context = await createCompileContext({ cwd: dir, fragment: true });
    expect(context.diagnostics.map(formatDiagnostic)).toEqual(['brief.config.yaml:1:12: page_size must be letter or a4']);
    const bad = compileBrief('title: T\ndate: 2024-01-05\n', 'briefs/t.yaml', context);
    expect(bad.diagnostics.map(formatDiagnostic)).toContain('briefs/t.yaml:1:1: developments is required');
    expect(renderPage(bad)).toBeUndefined();
    const good = compileBrief('title: T\ndate: 2024-01-05\ndevelopments: All quiet.\n', 'briefs/t.yaml', context);
    expect(renderPage(good, 'fragment')).toContain('All quiet.');
  });

  it('refuses an output format it does not know instead of building nothing and saying ok', async () => {
    const { build } = await import('../../src/index.js');
    await expect(build({ cwd: projectWith({}), formats: ['docx' as 'html'] })).rejects.toThrow('unknown output format "docx": formats are "html" and "pdf"');
  });
});
