import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfInfo, ROOT, tempDir } from '../helpers.js';

/*
 * The package as a user gets it: packed, installed into an empty folder with no
 * environment variable but PATH and HOME (no browser download may be needed), then run
 * with npx from there: init, check, build.
 */

const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const sh = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('the packed package, installed into an empty folder', () => {
  let site: string;
  let installed: string;
  beforeAll(() => {
    const dir = tempDir('flashbrief-pack-');
    // dist/ is built by the test script's pretest step; packing needs no other script.
    const tarball = sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT).trim().split('\n').at(-1) ?? '';
    site = path.join(dir, 'site');
    execFileSync('mkdir', [site]);
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', path.join(dir, tarball)], site);
    installed = path.join(site, 'node_modules', 'flashbrief');
  }, 600_000);

  it('installs no browser and no package that downloads one', () => {
    expect(existsSync(path.join(site, 'node_modules', 'puppeteer'))).toBe(false);
    expect(existsSync(path.join(site, 'node_modules', 'puppeteer-core'))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(Object.keys(pkg.bin).sort()).toEqual(['brief', 'flashbrief']);
    expect(existsSync(path.join(installed, 'LICENSE'))).toBe(true);
  });

  it('runs init, check and build with npx flashbrief, printing PDFs with the system browser', () => {
    sh('npx', ['flashbrief', 'init', '-q'], site);
    const brief = readdirSync(path.join(site, 'briefs'))[0] ?? '';
    // The schema comment points into the installed package, which stays put.
    const schema = /\$schema=(\S+)/.exec(readFileSync(path.join(site, 'briefs', brief), 'utf8'))?.[1] ?? '';
    expect(schema).toBe('../node_modules/flashbrief/schema/brief.schema.json');
    expect(existsSync(path.join(site, 'briefs', schema))).toBe(true);
    sh('npx', ['flashbrief', 'check', '-q'], site);
    sh('npx', ['flashbrief', 'build', '-q'], site);
    const pdf = path.join(site, 'output', brief.replace(/\.yaml$/, '.pdf'));
    expect(Number(pdfInfo(pdf).Pages)).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(site, 'output', 'index.html'))).toBe(true);
  }, 300_000);

  it('exports the library and the schemas by name, and its source maps name only files it ships', () => {
    const script = "const m = await import('flashbrief'); console.log(typeof m.build, typeof m.check, import.meta.resolve('flashbrief/schema/brief.schema.json'))";
    const out = sh(process.execPath, ['--input-type=module', '-e', script], site).trim();
    expect(out).toMatch(/^function function file:\/\/.*\/node_modules\/flashbrief\/schema\/brief\.schema\.json$/);
    const dist = path.join(installed, 'dist');
    const maps = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(20);
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(path.join(dist, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(existsSync(path.resolve(dist, path.dirname(map), source)), `${map} -> ${source}`).toBe(true);
    }
  });
});
