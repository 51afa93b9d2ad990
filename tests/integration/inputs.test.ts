import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { check } from '../../src/project/build.js';
import { ROOT, tempDir } from '../helpers.js';

/** `brief <argv>` run in `cwd`, in this process, its output collected. */
async function brief(argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A project as the README lays it out: root/proj/{briefs/, places.yaml, brief.config.yaml}. */
function project() {
  const root = tempDir();
  const proj = path.join(root, 'proj');
  mkdirSync(path.join(proj, 'briefs'), { recursive: true });
  for (const name of ['militia-attacks-on-us-troops.yaml', 'militia-attacks-after-us-strikes.yaml']) {
    copyFileSync(path.join(ROOT, 'briefs', name), path.join(proj, 'briefs', name));
  }
  copyFileSync(path.join(ROOT, 'places.yaml'), path.join(proj, 'places.yaml'));
  writeFileSync(path.join(proj, 'brief.config.yaml'), 'organization: Example Institute\n');
  return { root, proj };
}

describe('what a run takes for briefs', () => {
  it('says where the briefs are when a project folder is named instead of its briefs folder, and exits 2', async () => {
    const { root } = project();
    const result = await brief(['check', 'proj'], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('brief: proj holds no briefs of its own; its briefs are in proj/briefs: name that folder, or run the command in proj\n');
    const here = await brief(['check', '.'], path.join(root, 'proj'));
    expect(here.code).toBe(2);
    expect(here.stderr).toContain('its briefs are in briefs: name that folder, or give no path (briefs/ is the default)');
  });

  it('never reads brief.config.yaml or places.yaml as briefs, in a folder that also holds briefs', async () => {
    const { proj } = project();
    for (const name of ['militia-attacks-on-us-troops.yaml', 'militia-attacks-after-us-strikes.yaml']) {
      copyFileSync(path.join(proj, 'briefs', name), path.join(proj, name));
    }
    const manifest = await check({ inputs: ['.'], cwd: proj });
    expect(manifest.briefs.map((b) => b.source).sort()).toEqual(['militia-attacks-after-us-strikes.yaml', 'militia-attacks-on-us-troops.yaml']);
    expect(manifest.ok).toBe(true);
    // The manifest says which configuration the run read, and null when it read none.
    expect(manifest.config).toBe('brief.config.yaml');
    expect((await check({ inputs: ['proj/briefs'], cwd: path.dirname(proj) })).config).toBeNull();
  });

  it('refuses an empty path with words (a shell variable that was not set)', async () => {
    const { root } = project();
    const result = await brief(['check', ''], root);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('brief: an empty path was given: name a brief file or a folder of briefs\n');
  });

  it('refuses to count two folders together when they list one id with different facts, and dedupes when they agree', async () => {
    const { root, proj } = project();
    const copy = path.join(root, 'copy');
    mkdirSync(path.join(copy, 'briefs'), { recursive: true });
    for (const name of readdirSync(path.join(proj, 'briefs'))) {
      const text = readFileSync(path.join(proj, 'briefs', name), 'utf8').replace(/^slug: (.*)$/m, 'slug: $1-copy');
      writeFileSync(path.join(copy, 'briefs', name), text);
    }
    const agree = await brief(['tally', '--format', 'json', 'proj/briefs', 'copy/briefs'], root);
    expect(agree.code).toBe(0);
    const alone = await brief(['tally', '--format', 'json', 'proj/briefs'], root);
    expect(JSON.parse(agree.stdout).total).toBe(JSON.parse(alone.stdout).total);

    const brief0 = path.join(copy, 'briefs', 'militia-attacks-on-us-troops.yaml');
    writeFileSync(brief0, readFileSync(brief0, 'utf8').replace('injured: 20', 'injured: 21'));
    for (const order of [['proj/briefs', 'copy/briefs'], ['copy/briefs', 'proj/briefs']]) {
      const result = await brief(['tally', ...order], root);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^(proj|copy)\/briefs\/militia-attacks-on-us-troops.yaml:129:5: incident "2023-10-19-al-tanf" is listed with different facts from (copy|proj)\/briefs\/militia-attacks-on-us-troops.yaml:129:5: injured 2[01] here, 2[01] there; ids are checked within one folder/m);
    }
    const exported = await brief(['export', 'proj/briefs', 'copy/briefs'], root);
    expect(exported.code).toBe(1);
    expect(exported.stdout).toBe('');
  });

  it('says when a places.yaml inside the briefs folder is not read', async () => {
    const { root, proj } = project();
    copyFileSync(path.join(proj, 'places.yaml'), path.join(proj, 'briefs', 'places.yaml'));
    const result = await brief(['check', 'proj/briefs'], root);
    expect(result.stderr).toContain('proj/briefs/places.yaml is not read: places.yaml is read beside the folder of briefs, as proj/places.yaml (which is read)\n');
    const flat = tempDir();
    mkdirSync(path.join(flat, 'sub'));
    copyFileSync(path.join(proj, 'briefs', 'militia-attacks-on-us-troops.yaml'), path.join(flat, 'sub', 'b.yaml'));
    copyFileSync(path.join(proj, 'places.yaml'), path.join(flat, 'sub', 'places.yaml'));
    const moved = await brief(['check', 'sub/b.yaml'], flat);
    expect(moved.stderr).toContain('sub/places.yaml is not read: places.yaml is read beside the folder of briefs, as places.yaml; move it there\n');
  });

  it('tally and export print the incident file error that stops them, not only the briefs it stops', async () => {
    const { root, proj } = project();
    mkdirSync(path.join(proj, 'incidents'));
    writeFileSync(path.join(proj, 'incidents', 'feed.yaml'), '- date: 2023-10-20\n  location: X\n  country: Iraq\n');
    for (const command of ['tally', 'export']) {
      const result = await brief([command, 'proj/briefs'], root);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('proj/incidents/feed.yaml:1:1: the incident file is a bare list;');
    }
  });

  it('serve refuses a --browser that names no browser at once, with exit 3', async () => {
    const { root } = project();
    const result = await brief(['serve', '--port', '0', '--browser', root, 'proj/briefs'], root);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`brief: --browser names ${root}, which is not an executable file.`);
  });
});

describe('a browser that will not start', () => {
  it('stops the run once with exit 3, instead of failing every brief at line 1', async () => {
    const { proj } = project();
    const result = await brief(['build', '--browser', '/bin/true', '--force'], proj);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('brief: could not start the browser /bin/true (--browser): ');
    expect(result.stderr).toContain('is it Chrome or Chromium?');
    expect(result.stderr).not.toMatch(/\.yaml:1:1: PDF printing failed|trying it again/);
  });
});
