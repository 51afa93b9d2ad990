import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
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
});
