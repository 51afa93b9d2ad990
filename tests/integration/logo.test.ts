import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { projectWith, runCli, tempDir } from '../helpers.js';

/*
 * brief.config.yaml's logo is published on every page: it is read as a brief's image is,
 * from inside the project only, typed by its bytes, an SVG cleaned of active content.
 */

const BRIEF = 'title: Logo\ndate: 2024-01-05\nslug: logo\ndevelopments: All quiet.\n';
const HOSTILE = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" onload="alert(1)">
<script>alert(2)</script><rect width="40" height="20" fill="#0d2f57" onclick="alert(3)"/>
<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://attacker.example/"></iframe></foreignObject>
<image href="https://attacker.example/track.png" width="1" height="1"/><a xlink:href="javascript:alert(4)"><circle r="3"/></a></svg>\n`;

function project(logo: string, files: Record<string, string> = {}): string {
  const dir = projectWith({ 'logo.yaml': BRIEF });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  writeFileSync(path.join(dir, 'brief.config.yaml'), `organization: Example\nlogo: ${logo}\n`);
  return dir;
}

describe('the configuration\'s logo', () => {
  it('is published without its scripts, handlers, foreignObject or remote references', async () => {
    const dir = project('branding/logo.svg', { 'branding/logo.svg': HOSTILE });
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/brief\.config\.yaml:2:7: warning: logo branding\/logo\.svg had content a page may not carry, which was removed/);
    const asset = readdirSync(path.join(dir, 'output', 'assets')).find((f) => /^logo\..*\.svg$/.test(f)) as string;
    const svg = readFileSync(path.join(dir, 'output', 'assets', asset), 'utf8');
    expect(svg).toContain('<rect');
    expect(svg).not.toMatch(/<script|onload|onclick|foreignObject|iframe|attacker\.example|javascript:/i);
    expect(readFileSync(path.join(dir, 'output', 'logo.html'), 'utf8')).toContain(`assets/${asset}`);
  });

  it.each([
    ['a path out of the project', '../outside.png', /logo \.\.\/outside\.png is outside the project folder/],
    ['an absolute path', '/etc/hostname.png', /is outside the project folder/],
    ['a link to a file outside', 'branding/linked.png', /is a link to a file outside the project folder/],
    ['a text file named .png', 'branding/fake.png', /is not a PNG, JPEG, GIF, WebP or SVG image/],
    ['a file that is not there', 'branding/missing.svg', /does not exist/],
  ])('%s is an error at the logo key, and nothing of it is published', async (_, logo, message) => {
    const outside = path.join(tempDir(), 'secret.png');
    writeFileSync(outside, 'TOP SECRET\n');
    const dir = project(logo, { 'branding/fake.png': 'not an image at all\n' });
    writeFileSync(path.join(path.dirname(dir), 'outside.png'), 'TOP SECRET\n');
    symlinkSync(outside, path.join(dir, 'branding', 'linked.png'));
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/brief\.config\.yaml:2:7: logo /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('TOP SECRET');
    const built = await runCli(['build', '--html-only'], { cwd: dir });
    expect(built.stderr).not.toContain('TOP SECRET');
    const assets = path.join(dir, 'output', 'assets');
    for (const f of existsSync(assets) ? readdirSync(assets) : []) expect(readFileSync(path.join(assets, f), 'latin1'), f).not.toContain('TOP SECRET');
  });
});

/*
 * CSS spells a fetch in many ways (escapes that make "url(", image-set(), @import): the
 * published logo is opened by itself in Chromium, every request it makes recorded and
 * refused, and none may leave the page. The raw file is opened the same way first, so the
 * test is known to see the requests it is there to forbid.
 */
const ESCAPED = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
<style>rect{fill:\\75 rl(http://127.0.0.1:4799/esc1#a)} circle{fill:u\\rl(http://127.0.0.1:4799/esc2#b)} path{background-image:image-set("http://127.0.0.1:4799/is.png" 1x)}
@import "http://127.0.0.1:4799/imp.css"; ellipse{fill:\\55 RL(http://127.0.0.1:4799/esc4#d)}</style>
<rect width="10" height="10"/><circle cx="15" cy="5" r="4"/><path d="M20 0h5v5z"/><ellipse cx="30" cy="5" rx="3" ry="2"/>
<rect x="30" width="5" height="5" style="fill:\\75rl(http://127.0.0.1:4799/esc3#c)"/><rect y="12" width="5" height="5" fill="\\75rl(http://127.0.0.1:4799/esc5#e)"/></svg>\n`;

describe('the configuration\'s logo in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  /** Every request but the document's own that Chromium makes when it opens `file`. */
  async function requestsOf(file: string): Promise<string[]> {
    const page = await browser.newPage();
    const own = pathToFileURL(file).href;
    const seen: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (r) => {
      if (r.url() === own) return void r.continue();
      seen.push(r.url());
      return void r.abort();
    });
    await page.goto(own, { waitUntil: 'load' });
    // Style-driven fetches may start after load: give them a moment and a repaint.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300))));
    await page.close();
    return seen;
  }

  it('fetches nothing when published from a logo whose style spells url() with escapes', async () => {
    const dir = project('branding/logo.svg', { 'branding/logo.svg': ESCAPED });
    expect(await requestsOf(path.join(dir, 'branding', 'logo.svg'))).toEqual(expect.arrayContaining([expect.stringContaining('127.0.0.1:4799')]));
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/brief\.config\.yaml:2:7: warning: logo branding\/logo\.svg had content a page may not carry, which was removed \(.*style that could load a file/);
    const asset = readdirSync(path.join(dir, 'output', 'assets')).find((f) => /^logo\..*\.svg$/.test(f)) as string;
    expect(await requestsOf(path.join(dir, 'output', 'assets', asset))).toEqual([]);
  });

  it('says at the logo key what it took out of a logo with frames in and out of foreignObject, rather than crashing', async () => {
    const c4 = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="about:blank"></iframe></foreignObject><iframe src="x"/></svg>';
    const dir = project('logos/c4.svg', { 'logos/c4.svg': c4 });
    for (const command of [['check'], ['build', '--html-only']]) {
      const result = await runCli(command, { cwd: dir });
      expect(result.stderr).not.toMatch(/unexpected error|TypeError/);
      expect(result.stderr).toMatch(/brief\.config\.yaml:2:7: warning: logo logos\/c4\.svg had content a page may not carry, which was removed \(<foreignObject>, <iframe>\)/);
      expect(result.code, result.stderr).toBe(0);
    }
  });
});
