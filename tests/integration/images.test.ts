import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { FIXTURES, pdfText, runCli, tempDir } from '../helpers.js';

// Images from the project's own files: read from inside the project, typed by their bytes,
// written once as assets, shown on the page, printed in the PDF, and every mistake said at its place.

const IMAGES = path.join(FIXTURES, 'images');

/** A project whose briefs/ holds `briefs` and whose briefs/photos/ holds `photos` (fixture names, or bytes). */
function project(briefs: Record<string, string>, photos: Record<string, string | Buffer>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs', 'photos'), { recursive: true });
  for (const [name, text] of Object.entries(briefs)) writeFileSync(path.join(dir, 'briefs', name), text);
  for (const [name, from] of Object.entries(photos)) {
    if (typeof from === 'string') copyFileSync(path.join(IMAGES, from), path.join(dir, 'briefs', 'photos', name));
    else writeFileSync(path.join(dir, 'briefs', 'photos', name), from);
  }
  return dir;
}

const SLUG = '2024-03-12-checkpoint-burned-at-the-tanf-crossing';
const BRIEF = `title: Checkpoint Burned at the Tanf Crossing
date: 2024-03-12
summary: |
  Fighters burned a checkpoint near the crossing on the night of 11 March.

  ![Burned checkpoint at the Tanf crossing](photos/checkpoint.jpg "The checkpoint on 12 March | Photo: Jane Roe / Agency")
developments: |
  The route the convoys take runs past it, as the chart ![Convoys per week](photos/chart.png) shows.

  ![Supply routes from the border crossing to the base](photos/routes.svg "Supply routes | Map: Example Office")

  ![A drawing with active content](photos/hostile.svg)
background:
  - heading: The crossing
    body: |
      The same photo again, once written as an asset:

      ![Burned checkpoint at the Tanf crossing](photos/checkpoint.jpg)
`;

describe('local images, built', () => {
  let dir: string;
  let out: string;
  let browser: Browser;
  let assets: string[];

  beforeAll(async () => {
    dir = project({ 'tanf.yaml': BRIEF }, { 'checkpoint.jpg': 'checkpoint.jpg', 'chart.png': 'chart.png', 'routes.svg': 'routes.svg', 'hostile.svg': 'hostile.svg' });
    out = path.join(dir, 'output');
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    assets = readdirSync(path.join(out, 'assets')).filter((f) => !/\.(css|woff2?)$/.test(f));
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  it('writes each image once, named after its content, with the raster bytes as they are', () => {
    expect(assets.sort()).toEqual([
      expect.stringMatching(/^chart\.[0-9a-f]{10}\.png$/),
      expect.stringMatching(/^checkpoint\.[0-9a-f]{10}\.jpg$/),
      expect.stringMatching(/^hostile\.[0-9a-f]{10}\.svg$/),
      expect.stringMatching(/^routes\.[0-9a-f]{10}\.svg$/),
    ]);
    const jpg = assets.find((f) => f.startsWith('checkpoint.')) as string;
    expect(readFileSync(path.join(out, 'assets', jpg)).equals(readFileSync(path.join(IMAGES, 'checkpoint.jpg')))).toBe(true);
    const html = readFileSync(path.join(out, `${SLUG}.html`), 'utf8');
    expect(html).toContain(`src="assets/${jpg}"`);
    expect(html).toContain('width="1200" height="800"');
  });

  it('removes scripts, handlers, foreignObject and outside references from an SVG', () => {
    const svg = readFileSync(path.join(out, 'assets', assets.find((f) => f.startsWith('hostile.')) as string), 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('Hostile');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/\son\w+\s*=/i);
    expect(svg).not.toMatch(/foreignObject/i);
    expect(svg).not.toMatch(/javascript:/i);
    expect(svg).not.toContain('example.org');
    expect(svg).not.toMatch(/@import/i);
    expect(svg).not.toMatch(/iframe/i);
  });

  it('prints the photo and the chart as embedded images, and the caption and credit as text', () => {
    const pdf = path.join(out, `${SLUG}.pdf`);
    // The SVGs print as drawing, not images: two raster images, the photo as the JPEG it is.
    const rows = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    const images = rows.map((row) => row.trim().split(/\s+/)).map((cols) => ({ width: cols[3], height: cols[4], enc: cols[8] }));
    expect(images).toEqual(
      expect.arrayContaining([
        { width: '1200', height: '800', enc: 'jpeg' },
        { width: '480', height: '240', enc: 'image' },
      ]),
    );
    // The photo is shown twice; nothing else is an image (the SVGs print as drawing).
    expect(images).toHaveLength(3);
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('The checkpoint on 12 March Photo: Jane Roe / Agency');
    expect(text).toContain('Supply routes Map: Example Office');
  });

  for (const width of [375, 1280]) {
    it(`shows every image at ${width} px, none wider than its column`, async () => {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 900 });
      await page.goto(pathToFileURL(path.join(out, `${SLUG}.html`)).href, { waitUntil: 'load' });
      const images = await page.evaluate(() =>
        [...document.querySelectorAll('img')].map((img) => {
          const column = (img.closest('.prose, .dek, figure')?.parentElement ?? document.body).getBoundingClientRect();
          const box = img.getBoundingClientRect();
          return { alt: img.alt, natural: img.naturalWidth, width: box.width, left: box.left, right: box.right, columnLeft: column.left, columnRight: column.right };
        }),
      );
      expect(images.map((i) => i.alt)).toEqual([
        'Burned checkpoint at the Tanf crossing',
        'Convoys per week',
        'Supply routes from the border crossing to the base',
        'A drawing with active content',
        'Burned checkpoint at the Tanf crossing',
      ]);
      for (const image of images) {
        expect(image.natural, image.alt).toBeGreaterThan(0);
        expect(image.left, image.alt).toBeGreaterThanOrEqual(image.columnLeft - 0.5);
        expect(image.right, image.alt).toBeLessThanOrEqual(image.columnRight + 0.5);
        expect(image.right, image.alt).toBeLessThanOrEqual(width);
      }
      // The figure holds the image and its caption, the credit after the caption.
      const caption = await page.$eval('.prose-figure figcaption', (f) => f.textContent);
      expect(caption).toBe('The checkpoint on 12 March Photo: Jane Roe / Agency');
      await page.close();
    });
  }

  it('runs no script from an SVG, in the page or opened by itself', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(out, `${SLUG}.html`)).href, { waitUntil: 'load' });
    expect(await page.title()).toBe('Checkpoint Burned at the Tanf Crossing');
    // Opened as a document of its own an SVG could run script; the sanitized one does not.
    const hostile = assets.find((f) => f.startsWith('hostile.')) as string;
    await page.goto(pathToFileURL(path.join(out, 'assets', hostile)).href, { waitUntil: 'load' });
    await page.click('text').catch(() => undefined);
    expect(await page.evaluate(() => document.title)).toBe('');
    expect(await page.evaluate(() => document.querySelectorAll('script, foreignObject').length)).toBe(0);
    await page.close();
  });
});

describe('local images, checked', () => {
  it('says every problem at the image, with how to fix it', async () => {
    const dir = project(
      {
        'errors.yaml': `title: Errors
date: 2024-03-13
summary: |
  ![outside](../../etc/passwd.png) and ![absolute](/etc/x.png)

  ![missing](photos/nope.jpg)
developments: |
  ![named png](photos/wrong.png) ![text](photos/notes.png)

  ![a pdf](photos/doc.jpg)

  ![a link](photos/link.png) ![huge](photos/huge.jpg)
background:
  - heading: More
    body: |
      ![no name](photos/noext) ![folder](photos/folder.png) ![bad svg](photos/bad.svg)
`,
      },
      {
        'wrong.png': 'checkpoint.jpg',
        'notes.png': Buffer.from('hello, not an image'),
        'doc.jpg': Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
        'huge.jpg': Buffer.concat([readFileSync(path.join(IMAGES, 'checkpoint.jpg')), Buffer.alloc(10.5 * 1024 * 1024)]),
        noext: 'chart.png',
        'bad.svg': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>'),
      },
    );
    mkdirSync(path.join(dir, 'briefs', 'photos', 'folder.png'));
    writeFileSync(path.join(dir, 'secret.png'), readFileSync(path.join(IMAGES, 'chart.png')));
    // Outside the project: a sibling folder of it.
    const outside = tempDir();
    writeFileSync(path.join(outside, 'x.png'), readFileSync(path.join(IMAGES, 'chart.png')));
    symlinkSync(path.join(outside, 'x.png'), path.join(dir, 'briefs', 'photos', 'link.png'));
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('briefs/errors.yaml:'));
    const at = (pos: string) => lines.find((l) => l.startsWith(`briefs/errors.yaml:${pos}: `)) ?? `nothing at ${pos}`;
    expect(at('4:3')).toMatch(/image \.\.\/\.\.\/etc\/passwd\.png is outside the project folder .*copy the image into the project/);
    expect(at('4:40')).toMatch(/image \/etc\/x\.png is an absolute path: write the path from this brief's folder/);
    expect(at('6:3')).toContain('image photos/nope.jpg does not exist: looked for briefs/photos/nope.jpg');
    expect(at('8:3')).toContain('image photos/wrong.png is named as PNG but its content is JPEG: rename it wrong.jpg');
    expect(at('8:34')).toContain('image photos/notes.png is not a PNG, JPEG, GIF, WebP or SVG image');
    expect(at('10:3')).toContain('image photos/doc.jpg is not a PNG, JPEG, GIF, WebP or SVG image (its content is PDF');
    expect(at('12:3')).toContain('image photos/link.png is a link to a file outside the project folder');
    expect(at('12:30')).toMatch(/image photos\/huge\.jpg is 10\.5 MB, more than the 10 MB an image may have: export a smaller one/);
    expect(at('16:7')).toContain('image photos/noext has no image extension but its content is PNG: rename it noext.png');
    expect(at('16:32')).toContain('image photos/folder.png is a folder, not a file');
    expect(at('16:61')).toContain('image photos/bad.svg is not a well-formed SVG file');
    expect(lines).toHaveLength(11);
  });

  it('warns about a big image and an SVG that lost content, and builds', async () => {
    const big = Buffer.concat([readFileSync(path.join(IMAGES, 'checkpoint.jpg')), Buffer.alloc(3 * 1024 * 1024)]);
    const dir = project(
      { 'big.yaml': 'title: Big\ndate: 2024-03-14\ndevelopments: |\n  ![A big photo](photos/big.jpg)\n\n  ![A drawing](photos/hostile.svg)\n' },
      { 'big.jpg': big, 'hostile.svg': 'hostile.svg' },
    );
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/briefs\/big\.yaml:4:3: warning: image photos\/big\.jpg is 3 MB, which the PDF grows by: a smaller export/);
    expect(result.stderr).toMatch(/briefs\/big\.yaml:6:3: warning: image photos\/hostile\.svg had content a page may not carry, which was removed \(.*<script>.*\)/);
  });
});

describe('local images, rebuilt', () => {
  it('rebuilds a brief when the bytes of an image it shows change, and only then', async () => {
    const dir = project({ 'tanf.yaml': BRIEF }, { 'checkpoint.jpg': 'checkpoint.jpg', 'chart.png': 'chart.png', 'routes.svg': 'routes.svg', 'hostile.svg': 'hostile.svg' });
    const build = () => runCli(['build', '--html-only'], { cwd: dir });
    const page = path.join(dir, 'output', `${SLUG}.html`);
    const drawing = () => /src="(assets\/hostile\.[0-9a-f]{10}\.svg)"/.exec(readFileSync(page, 'utf8'))?.[1];
    expect((await build()).stderr).toContain('built briefs/tanf.yaml');
    const before = drawing();
    expect((await build()).stderr).toContain('unchanged briefs/tanf.yaml');
    // Same name, other drawing: the brief is built again and shows the new asset.
    copyFileSync(path.join(IMAGES, 'routes.svg'), path.join(dir, 'briefs', 'photos', 'hostile.svg'));
    expect((await build()).stderr).toContain('built briefs/tanf.yaml');
    const after = drawing();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(readFileSync(path.join(dir, 'output', after as string), 'utf8')).toContain('Border crossing');
    expect((await build()).stderr).toContain('unchanged briefs/tanf.yaml');
    // The content decides: a WebP put where a PNG was is refused, not taken as unchanged.
    copyFileSync(path.join(IMAGES, 'aerial.webp'), path.join(dir, 'briefs', 'photos', 'chart.png'));
    const refused = await build();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('image photos/chart.png is named as PNG but its content is WebP');
  });
});
