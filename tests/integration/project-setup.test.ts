import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runNode, tempDir } from '../helpers.js';

/*
 * Starting a project and running from anywhere in it: `flashbrief init`, the search for
 * brief.config.yaml (this folder, then those above up to the project root), --config.
 */

const FLASHBRIEF = path.join(path.dirname(BIN), 'flashbrief.js');
const run = (args: string[], cwd: string) => runNode(FLASHBRIEF, args, { cwd });
const BRIEF = 'title: A Brief\ndate: 2024-03-11\nslug: a-brief\ndevelopments: |\n  Text.\n';

/** A project: package.json at its root (what marks the root), and `files` by relative path. */
function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [rel, text] of Object.entries({ 'package.json': '{}\n', 'briefs/a.yaml': BRIEF, ...files })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('flashbrief init', () => {
  it('makes a project that checks and builds as it is, and keeps what was there', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'package.json'), '{"dependencies":{"flashbrief":"^0.1.0"}}\n');
    const made = await run(['init'], dir);
    expect(made.code, made.stderr).toBe(0);
    for (const file of ['brief.config.yaml', 'places.yaml', '.gitignore', '.github/workflows/briefs.yml']) expect(existsSync(path.join(dir, file)), file).toBe(true);
    expect(made.stderr).toMatch(/^wrote briefs\/\d{4}-\d{2}-\d{2}-example-brief\.yaml$/m);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toContain('flashbrief');
    // The project pins flashbrief, so CI installs it with npm ci.
    expect(readFileSync(path.join(dir, '.github/workflows/briefs.yml'), 'utf8')).toContain('- run: npm ci');
    const checked = await run(['check'], dir);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toMatch(/^1 ok, 0 failed$/m);
    const built = await run(['build', '--html-only', '-q'], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'output', 'index.html'))).toBe(true);
  });

  it("keeps what is there, adds its lines to the project's .gitignore, and replaces only with --force", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    writeFileSync(path.join(dir, 'briefs', 'mine.yaml'), BRIEF);
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n.env\n');
    writeFileSync(path.join(dir, 'places.yaml'), '# mine\n');
    const made = await run(['init'], dir);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).toContain('kept places.yaml: it is there already (--force replaces it)');
    expect(made.stderr).toContain('kept briefs: it has briefs already, so no example was added');
    expect(readdirSync(path.join(dir, 'briefs'))).toEqual(['mine.yaml']);
    expect(readFileSync(path.join(dir, 'places.yaml'), 'utf8')).toBe('# mine\n');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\noutput/\nembargoed/\n');
    expect(existsSync(path.join(dir, 'brief.config.yaml'))).toBe(true);
    const forced = await run(['init', '--force'], dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toContain('replaced places.yaml');
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n.env\noutput/\nembargoed/\n');
  });

  it('is what a build in a folder with no briefs points to', async () => {
    const result = await run(['build'], tempDir());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('flashbrief: briefs: no such file or folder; to start a project here, run `npx flashbrief init`');
  });
});

describe('brief.config.yaml, found from anywhere in the project', () => {
  it('is read when the command runs in a subfolder, and output/ goes to the project root', async () => {
    const dir = project({ 'brief.config.yaml': 'site:\n  url: https://example.org/briefs/\n', 'notes/deep/x.txt': '' });
    const result = await run(['build', '--html-only'], path.join(dir, 'notes', 'deep'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('no site.url');
    expect(result.stderr).not.toContain('no brief.config.yaml');
    expect(readFileSync(path.join(dir, 'output', 'feed.xml'), 'utf8')).toContain('https://example.org/briefs/a-brief.html');
  });

  it('is not looked for above the project root, and the run says where it looked', async () => {
    const outer = tempDir();
    writeFileSync(path.join(outer, 'brief.config.yaml'), 'site:\n  url: https://wrong.example.org/\n');
    const dir = path.join(outer, 'proj');
    mkdirSync(path.join(dir, 'briefs'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{}\n');
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), BRIEF);
    mkdirSync(path.join(dir, 'sub'));
    const result = await run(['check'], path.join(dir, 'sub'));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('no brief.config.yaml in . or the folders above it up to .. (the project root): the defaults apply');
  });

  it('can be named with --config, and a --config that names nothing is a usage error', async () => {
    const dir = project({ 'settings/site.yaml': 'site:\n  url: https://example.org/other/\n' });
    const named = await run(['build', '--html-only', '--config', 'settings/site.yaml', 'briefs', '--out', 'output'], dir);
    expect(named.code, named.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'output', 'feed.xml'), 'utf8')).toContain('https://example.org/other/a-brief.html');
    const missing = await run(['check', '--config', 'nope.yaml'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--config nope.yaml: no such file');
  });
});
