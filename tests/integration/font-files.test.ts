import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { readFontFiles, sniffFont } from '../../src/project/font-files.js';
import { compileBrief, createCompileContext, renderPage } from '../../src/index.js';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { FIXTURES, pdfFonts, runCli, tempDir } from '../helpers.js';

/*
 * brief.config.yaml fonts.files: an organization's own font files, in the project, are
 * embedded in the page and the PDF like the bundled fonts. The fixtures are made by
 * tests/fixtures/brand-fonts/make.py: a family no machine has ("Quillmark Test", whose
 * PostScript names a PDF shows as QuillmarkTest-*), in files whose names say nothing
 * true about it.
 */

const BRAND = path.join(FIXTURES, 'brand-fonts');
const MINIMAL = readFileSync(path.join(FIXTURES, 'valid', 'full.yaml'));

// The families shipped with the bundled template as a PDF names them, and the brand font.
const ALLOWED = /^[A-Z]{6}\+(SourceSerif4|SourceSans3|SourceCodePro|Noto[A-Za-z]+|QuillmarkTest)[A-Za-z]*-/;

/** A project folder (inside a folder of its own, so something can lie outside it) with the full brief, the brand fonts in brand/ and this configuration. */
function brandProject(config: string): string {
  const dir = path.join(tempDir(), 'project');
  mkdirSync(path.join(dir, 'briefs'), { recursive: true });
  mkdirSync(path.join(dir, 'brand'));
  writeFileSync(path.join(dir, 'briefs', 'full.yaml'), MINIMAL);
  for (const f of readdirSync(BRAND).filter((f) => f.startsWith('QT-'))) copyFileSync(path.join(BRAND, f), path.join(dir, 'brand', f));
  writeFileSync(path.join(dir, 'brief.config.yaml'), config);
  return dir;
}

const CONFIG = 'fonts:\n  headings: Quillmark Test\n  files:\n    - brand/QT-Regular.woff2\n    - brand/QT-Bold.ttf\n    - brand/QT-Italic.woff\n';

describe('reading a font file', () => {
  it('takes family, weight and style from the font\'s tables, not its file name', async () => {
    const dir = brandProject('');
    // The italic face under a name that claims a bold TrueType font: its tables decide.
    copyFileSync(path.join(dir, 'brand', 'QT-Italic.woff'), path.join(dir, 'brand', 'Corporate-Bold.ttf'));
    const { config, source } = parseConfig('fonts:\n  files: [brand/QT-Regular.woff2, brand/QT-Bold.ttf, brand/Corporate-Bold.ttf, brand/QT-Bold.ttf, brand/QT-Variable.ttf]\n', 'brief.config.yaml');
    const { files, problems } = await readFontFiles(config, dir, source);
    expect(problems).toEqual([]);
    // The same file twice is one asset.
    expect(files.map((f) => f.face)).toEqual([
      { family: 'Quillmark Test', weight: 400, style: 'normal', format: 'woff2', src: expect.stringMatching(/^assets\/QT-Regular\.[0-9a-f]{10}\.woff2$/) },
      { family: 'Quillmark Test', weight: 700, style: 'normal', format: 'truetype', src: expect.stringMatching(/^assets\/QT-Bold\.[0-9a-f]{10}\.ttf$/) },
      { family: 'Quillmark Test', weight: 400, style: 'italic', format: 'woff', src: expect.stringMatching(/^assets\/Corporate-Bold\.[0-9a-f]{10}\.woff$/) },
      // A variable font covers the range of its weight axis.
      { family: 'Quillmark Test', weight: [200, 800], style: 'normal', format: 'truetype', src: expect.stringMatching(/^assets\/QT-Variable\.[0-9a-f]{10}\.ttf$/) },
    ]);
    expect(files.map((f) => f.key)).toEqual(files.map((f) => f.face.src));
  });

  it('gives a variable font one @font-face over its weight range, escaping the family as a CSS string', async () => {
    const dir = brandProject('fonts:\n  body: Quillmark Test\n  files: [brand/QT-Variable.ttf]\n');
    const context = await createCompileContext({ cwd: dir });
    // The variable font spans regular and bold, but has no italic: said, at fonts.files.
    expect(context.diagnostics.map((d) => `${d.line}: ${d.severity}: ${d.message}`)).toEqual([
      '3: warning: the font files of "Quillmark Test" (fonts.body) have no italic (*emphasis* prints upright without it): add that face\'s file to fonts.files',
    ]);
    const html = renderPage(compileBrief('title: T\ndate: 2024-01-05\ndevelopments: All quiet.\n', 'briefs/t.yaml', context)) as string;
    expect(html).toMatch(/@font-face \{ font-family: "Quillmark Test"; src: url\("assets\\2f QT-Variable\.[0-9a-f]{10}\.ttf"\) format\("truetype"\); font-weight: 200 800; font-style: normal; font-display: swap; \}/);
    expect(html).toContain('--serif: "Quillmark Test", "Source Serif 4"');
  });

  it('says which faces a configured family lacks, and nothing when it has them all', async () => {
    const lacking = await createCompileContext({ cwd: brandProject('fonts:\n  body: Quillmark Test\n  headings: Quillmark Test\n  files: [brand/QT-Regular.woff2]\n') });
    expect(lacking.diagnostics.map((d) => d.message)).toEqual([
      'the font files of "Quillmark Test" (fonts.body) have no italic (*emphasis* prints upright without it): add that face\'s file to fonts.files',
      'the font files of "Quillmark Test" (fonts.body) have no bold (**strong** text prints regular without it): add that face\'s file to fonts.files',
      'the font files of "Quillmark Test" (fonts.headings) have no semibold or bold (headings and labels print regular without it): add that face\'s file to fonts.files',
    ]);
    const whole = await createCompileContext({ cwd: brandProject('fonts:\n  body: Quillmark Test\n  headings: Quillmark Test\n  files: [brand/QT-Regular.woff2, brand/QT-Bold.ttf, brand/QT-Italic.woff]\n') });
    expect(whole.diagnostics).toEqual([]);
  });

  it('sniffs the format from the first bytes', () => {
    const bytes = (s: string) => Buffer.from(`${s}\0\0\0\0`, 'latin1');
    expect(sniffFont(bytes('wOF2'))).toBe('woff2');
    expect(sniffFont(bytes('wOFF'))).toBe('woff');
    expect(sniffFont(bytes('OTTO'))).toBe('opentype');
    expect(sniffFont(bytes('\x00\x01\x00\x00'))).toBe('truetype');
    expect(sniffFont(bytes('true'))).toBe('truetype');
    expect(sniffFont(bytes('ttcf'))).toBe('collection');
    expect(sniffFont(bytes('<svg'))).toBeUndefined();
    expect(sniffFont(Buffer.from('wO'))).toBeUndefined();
  });
});

describe('brief check and fonts.files', () => {
  it('reports each entry that cannot be used at its line:column, in plain words', async () => {
    const dir = brandProject(
      [
        'fonts:',
        '  headings: Quillmark Test',
        '  files:',
        '    - brand/QT-Regular.woff2',
        '    - brand/missing.woff2',
        '    - ../outside.ttf',
        '    - brand/link.ttf',
        '    - brand/notes.woff2',
        '    - brand/QT-Pair.ttc',
        '    - brand/broken.ttf',
        '    - brand',
        '',
      ].join('\n'),
    );
    const outside = path.join(path.dirname(dir), 'outside.ttf');
    copyFileSync(path.join(BRAND, 'QT-Bold.ttf'), outside);
    symlinkSync(outside, path.join(dir, 'brand', 'link.ttf'));
    writeFileSync(path.join(dir, 'brand', 'notes.woff2'), 'Licence: embedding permitted.\n');
    writeFileSync(path.join(dir, 'brand', 'broken.ttf'), readFileSync(path.join(BRAND, 'QT-Bold.ttf')).subarray(0, 300));

    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).not.toBe(0);
    const at = (line: number) => `brief.config.yaml:${line}:7: font file `;
    expect(result.stderr).toContain(`${at(5)}brand/missing.woff2 does not exist (paths are relative to the project folder`);
    expect(result.stderr).toContain(`${at(6)}../outside.ttf is outside the project folder`);
    expect(result.stderr).toContain(`${at(7)}brand/link.ttf is outside the project folder`);
    expect(result.stderr).toContain(`${at(8)}brand/notes.woff2 is not a font: a .woff2, .woff, .ttf or .otf font file is expected`);
    expect(result.stderr).toContain(`${at(9)}brand/QT-Pair.ttc is a font collection`);
    expect(result.stderr).toContain(`${at(10)}brand/broken.ttf is damaged`);
    expect(result.stderr).toContain(`${at(11)}brand is a folder, not a font file`);
    // The good entry has nothing said about it, and its family is no longer "not installed".
    expect(result.stderr).not.toContain(':4:7:');
    expect(result.stderr).not.toContain('is not installed');
  });

  it('a family that the files provide is not warned about; one spelt otherwise is, naming what the files hold', async () => {
    const good = await runCli(['check'], { cwd: brandProject(CONFIG) });
    expect(good.code, good.stderr).toBe(0);
    expect(good.stderr).not.toContain('brief.config.yaml');
    const typo = await runCli(['check'], { cwd: brandProject(CONFIG.replace('headings: Quillmark Test', 'headings: QuillmarkTest')) });
    expect(typo.code, typo.stderr).toBe(0);
    expect(typo.stderr).toContain('brief.config.yaml:2:13: warning: font "QuillmarkTest" is not installed on this machine and no template ships it');
    expect(typo.stderr).toContain('the font files of fonts.files are of "Quillmark Test"');
  });
});

describe('a build with brand font files', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = brandProject(CONFIG);
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  it('writes each file once, content-named, with an @font-face rule from its tables', () => {
    const assets = readdirSync(path.join(dir, 'output', 'assets')).filter((f) => f.startsWith('QT-'));
    expect(assets.sort()).toEqual([expect.stringMatching(/^QT-Bold\.[0-9a-f]{10}\.ttf$/), expect.stringMatching(/^QT-Italic\.[0-9a-f]{10}\.woff$/), expect.stringMatching(/^QT-Regular\.[0-9a-f]{10}\.woff2$/)]);
    for (const name of assets) expect(readFileSync(path.join(dir, 'output', 'assets', name))).toEqual(readFileSync(path.join(dir, 'brand', name.replace(/\.[0-9a-f]{10}\./, '.'))));
    const html = readFileSync(path.join(dir, 'output', 'full-fixture.html'), 'utf8');
    const faces = html.match(/@font-face \{[^}]*\}/g) ?? [];
    expect(faces).toHaveLength(3);
    expect(faces[1]).toMatch(/font-family: "Quillmark Test"; src: url\("assets\\2f QT-Bold\.[0-9a-f]{10}\.ttf"\) format\("truetype"\); font-weight: 700; font-style: normal; font-display: swap;/);
    expect(faces[2]).toMatch(/format\("woff"\); font-weight: 400; font-style: italic;/);
  });

  it('prints the headings in the brand font, embedded, and nothing in a font of the machine', () => {
    const fonts = pdfFonts(path.join(dir, 'output', 'full-fixture.pdf'));
    for (const font of fonts) {
      expect(font.name, font.name).toMatch(ALLOWED);
      expect(font.embedded).toBe(true);
      expect(font.type).not.toBe('Type 3');
    }
    const names = fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(names).toContain('QuillmarkTest-Regular');
    expect(names).toContain('QuillmarkTest-Bold');
    // The body stays in the shipped serif, and what the brand font lacks (punctuation) comes from the shipped sans.
    expect(names.some((n) => n.startsWith('SourceSerif4'))).toBe(true);
    expect(names.some((n) => n.startsWith('SourceSans3'))).toBe(true);
  });

  it('the page, loaded in Chromium, draws its headings with the brand font file', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) failed.push(m.text());
    });
    await page.goto(pathToFileURL(path.join(dir, 'output', 'full-fixture.html')).href, { waitUntil: 'load' });
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === 'loaded' && f.family.replace(/"/g, '') === 'Quillmark Test').map((f) => `${f.weight} ${f.style}`);
    });
    expect(failed).toEqual([]);
    expect(loaded).toContain('700 normal');
    // What Chromium actually drew the first heading with, not merely what the stylesheet asks for.
    const cdp = await page.createCDPSession();
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: 'h2' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(fonts[0]).toMatchObject({ familyName: 'Quillmark Test', isCustomFont: true });
    await page.close();
  });

  it('builds the briefs again when a font file changes, and not when none does', async () => {
    const again = await runCli(['build'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr + again.stdout).toContain('unchanged briefs/full.yaml');
    // Same path, other bytes: the italic face in the bold one's place.
    copyFileSync(path.join(dir, 'brand', 'QT-Italic.woff'), path.join(dir, 'brand', 'QT-Bold.ttf'));
    const changed = await runCli(['build'], { cwd: dir });
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr + changed.stdout).not.toContain('unchanged briefs/full.yaml');
    const html = readFileSync(path.join(dir, 'output', 'full-fixture.html'), 'utf8');
    expect(html).toMatch(/QT-Bold\.[0-9a-f]{10}\.woff"\) format\("woff"\); font-weight: 400; font-style: italic/);
  });
});
