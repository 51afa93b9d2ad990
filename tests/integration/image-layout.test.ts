import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { pdfFonts, pdfText, runCli, tempDir } from '../helpers.js';

// Images of any pixel size keep to the text around them: an image inside a line of text sits
// in the line, a figure is no taller than the screen holds; a web image alone in its
// paragraph keeps its caption and credit on the page and under the PDF's placeholder; an
// SVG with text is warned about, since its text prints in a font of the machine.


/** A PNG of `width` x `height` pixels, black and white stripes (one bit a pixel, so a huge one stays small). */
function png(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const byte of b) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rowBytes = Math.ceil(width / 8) + 1;
  const raw = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) raw.fill(Math.floor(y / 20) % 2 ? 0xff : 0x00, y * rowBytes + 1, (y + 1) * rowBytes);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A project whose briefs/ holds `briefs` and briefs/photos/ holds `photos`. */
function project(briefs: Record<string, string>, photos: Record<string, Buffer>): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'briefs', 'photos'), { recursive: true });
  for (const [name, text] of Object.entries(briefs)) writeFileSync(path.join(dir, 'briefs', name), text);
  for (const [name, bytes] of Object.entries(photos)) writeFileSync(path.join(dir, 'briefs', 'photos', name), bytes);
  return dir;
}

const SLUG = '2024-03-20-partners-report-strikes-near-the-port';
const BRIEF = `title: Partners Report Strikes Near the Port
date: 2024-03-20
summary: |
  Our partner ![Partner logo](photos/logo.png) reported the strikes first, before anyone else did on that night.
developments: |
  The chart ![Launches by week](photos/chart.png) shows launches rising for three weeks, then falling again as the season turned.

  ![Satellite view of the port](https://example.org/x.jpg "Satellite image of the port on 19 March | Credit: Remote Agency")

  A web image inside a line, ![Remote icon](https://example.org/icon.png "An icon"), stays in the line.

  ![A very tall banner](photos/tall.png "A tall banner | Drawing: Example Office")

related:
  - title: https://example.org/reports/port-strikes
    url: https://example.org/reports/port-strikes
  - title: The earlier report on the port
    url: https://example.org/reports/earlier
    source: Example Office
incidents:
  - date: 2024-03-19
    location: Port of Hodeidah
    country: Yemen
    weapons: [{ type: drone }]
    summary: Seen by our partner ![Partner logo](photos/logo.png) from the shore, two drones struck the pier.
`;

/** The box of every image of the page, with the line of text it sits in. */
async function imageBoxes(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('img')].map((img) => {
      const box = img.getBoundingClientRect();
      const block = img.closest('p, td, li, figure, .dek') as HTMLElement;
      const column = block.getBoundingClientRect();
      const fontSize = parseFloat(getComputedStyle(block).fontSize);
      return { alt: img.alt, inFigure: img.closest('figure') !== null, width: box.width, height: box.height, right: box.right, columnRight: column.right, fontSize, natural: img.naturalWidth };
    }),
  );
}

describe('image sizes, captions and credits', () => {
  let dir: string;
  let out: string;
  let browser: Browser;
  let check: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    dir = project({ 'port.yaml': BRIEF }, { 'logo.png': png(600, 200), 'chart.png': png(400, 300), 'tall.png': png(3000, 12000) });
    check = await runCli(['check'], { cwd: dir });
    const result = await runCli(['build'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    out = path.join(dir, 'output');
    browser = await launchBrowser(await findBrowser());
  });
  afterAll(() => closeBrowser(browser));

  for (const [width, media] of [
    [375, 'screen'],
    [1280, 'screen'],
    [1280, 'print'],
  ] as const) {
    it(`keeps an image inside a line to about the line's height, and a figure to the screen's (${width} px, ${media})`, async () => {
      const page = await browser.newPage();
      await page.setViewport({ width, height: 800 });
      await page.emulateMediaType(media);
      await page.goto(pathToFileURL(path.join(out, `${SLUG}.html`)).href, { waitUntil: 'load' });
      const images = (await imageBoxes(page)).filter((i) => i.natural > 0);
      const inline = images.filter((i) => !i.inFigure);
      // The logo in the summary and in the incident record, and the chart mid-sentence.
      expect(inline.map((i) => i.alt).sort()).toEqual(['Launches by week', 'Partner logo', 'Partner logo']);
      for (const image of inline) {
        expect(image.height, image.alt).toBeGreaterThan(image.fontSize * 0.9);
        expect(image.height, image.alt).toBeLessThanOrEqual(image.fontSize * 2.5);
        expect(image.right, image.alt).toBeLessThanOrEqual(image.columnRight + 0.5);
      }
      // Its proportions are kept: the 600 x 200 logo is three times as wide as high.
      const logo = inline.find((i) => i.alt === 'Partner logo');
      expect((logo?.width ?? 0) / (logo?.height ?? 1)).toBeCloseTo(3, 1);
      if (media === 'screen') {
        const tall = images.find((i) => i.alt === 'A very tall banner');
        expect(tall?.height).toBeLessThanOrEqual(800 * 0.75);
        expect((tall?.height ?? 0) / (tall?.width ?? 1)).toBeCloseTo(4, 1);
        // The sentence around the chart is one paragraph, the image inside it on a line of text.
        const lines = await page.$eval('img[alt="Launches by week"]', (img) => {
          const p = img.closest('p') as HTMLElement;
          return p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight);
        });
        expect(lines).toBeLessThan(width === 375 ? 8 : 3.5);
      }
      await page.close();
    });
  }

  it('makes a web image alone in its paragraph a figure, with its caption and credit on the page', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(out, `${SLUG}.html`)).href, { waitUntil: 'domcontentloaded' });
    const figure = await page.$eval('figure:has(img[alt="Satellite view of the port"])', (f) => ({
      caption: f.querySelector('figcaption')?.textContent,
      title: f.querySelector('img')?.getAttribute('title'),
    }));
    expect(figure).toEqual({ caption: 'Satellite image of the port on 19 March Credit: Remote Agency', title: null });
    // A web image inside a line stays there, its title a tooltip.
    expect(await page.$eval('img[alt="Remote icon"]', (img) => [img.closest('figure'), img.closest('p') !== null, img.title])).toEqual([null, true, 'An icon']);
    await page.close();
  });

  it('prints the web image placeholder with its caption and credit, an inline one in its line', () => {
    const text = pdfText(path.join(out, `${SLUG}.pdf`)).replace(/\s+/g, ' ');
    expect(text).toContain('Image not printed: Satellite view of the port (https://example.org/x.jpg) Satellite image of the port on 19 March Credit: Remote Agency');
    expect(text).toMatch(/A web image inside a line, Image not printed: Remote icon \(https:\/\/example\.org\/icon\.png\) ?, stays in the line\./);
  });

  it('prints images inside a line at about the line height, and the tall figure inside the page', () => {
    const pdf = path.join(out, `${SLUG}.pdf`);
    // pdftotext -bbox gives words in points; the images' places come from pdfimages' sizes in dpi.
    const rows = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).trim().split('\n').slice(2);
    const images = rows.map((row) => row.trim().split(/\s+/)).map((c) => ({ width: Number(c[3]), height: Number(c[4]), xppi: Number(c[12]), yppi: Number(c[13]) }));
    // Printed height in points = pixels / ppi * 72.
    const printed = images.map((i) => ({ ...i, points: (i.height / i.yppi) * 72, widthPoints: (i.width / i.xppi) * 72 }));
    const small = printed.filter((i) => i.width !== 3000);
    expect(small.map((i) => `${i.width}x${i.height}`).sort()).toEqual(['400x300', '600x200', '600x200']);
    // The text is 10 to 11 pt; an image in a line is at most about two lines' height.
    for (const image of small) expect(image.points, `${image.width}x${image.height}`).toBeLessThanOrEqual(26);
    for (const image of small) expect(image.points, `${image.width}x${image.height}`).toBeGreaterThanOrEqual(8);
    const tall = printed.find((i) => i.width === 3000);
    // A Letter page is 792 pt tall; the figure keeps to 6.5 in (468 pt).
    expect(tall?.points).toBeLessThanOrEqual(468.5);
  });

  it('prints a related item whose title is its own address once, and another with its address', () => {
    const text = pdfText(path.join(out, `${SLUG}.pdf`));
    expect(text.match(/example\.org\/reports\/port-strikes/g)).toHaveLength(1);
    expect(text).toContain('https://example.org/reports/earlier');
  });

  it('warns about nothing but the web images', () => {
    expect(check.code, check.stderr).toBe(0);
    const warnings = check.stderr.split('\n').filter((l) => l.includes('warning:'));
    expect(warnings.filter((w) => !/is on the web|example\.org/.test(w))).toEqual([]);
  });
});

describe('an SVG image with text', () => {
  it('is warned about at the image, and its text does print in a font the page does not ship', async () => {
    const withText = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80" viewBox="0 0 300 80"><rect width="300" height="80" fill="#eee"/><text x="10" y="50" font-size="24">Tanf crossing</text></svg>`;
    const outlined = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80" viewBox="0 0 300 80"><rect width="300" height="80" fill="#eee"/><path d="M10 10 L290 70" stroke="#333"/><text x="10" y="50"> </text></svg>`;
    const brief = (name: string) => `title: Map of the Crossing\ndate: 2024-03-21\ndevelopments: |\n  The crossing lies east of the base.\n\n  ![Map of the crossing](photos/${name} "Map | Drawing: Example Office")\n`;
    const dir = project({ 'text.yaml': brief('text.svg') }, { 'text.svg': Buffer.from(withText) });
    const plain = project({ 'outlined.yaml': brief('outlined.svg') }, { 'outlined.svg': Buffer.from(outlined) });

    const checked = await runCli(['check'], { cwd: dir });
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stderr).toMatch(/briefs\/text\.yaml:6:3: warning: image photos\/text\.svg has text, which an image cannot set in the page's fonts: .*convert the text to outlines .* or export the image as PNG/);
    const quiet = await runCli(['check'], { cwd: plain });
    expect(quiet.stderr).not.toContain('warning');

    // The warning is true: the built PDF carries a font the page did not bring.
    const pageFonts = async (project: string, slug: string) => {
      const result = await runCli(['build'], { cwd: project });
      expect(result.code, result.stderr).toBe(0);
      return new Set(pdfFonts(path.join(project, 'output', `${slug}.pdf`)).map((f) => f.name.replace(/^[A-Z]{6}\+/, '')));
    };
    const withFonts = await pageFonts(dir, '2024-03-21-map-of-the-crossing');
    const withoutFonts = await pageFonts(plain, '2024-03-21-map-of-the-crossing');
    const extra = [...withFonts].filter((f) => !withoutFonts.has(f));
    expect(extra.length).toBeGreaterThan(0);
    expect(extra.some((f) => /Source|Inter|IBM/i.test(f))).toBe(false);
  });
});
