import { describe, expect, it } from 'vitest';
import { captionAndCredit, renderInlineMarkdown, renderMarkdown, type ImageLookup } from '../../src/core/markdown.js';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import path from 'node:path';
import { readImage } from '../../src/project/images.js';
import { sanitizeSvg } from '../../src/project/svg.js';
import { FIXTURES, tempDir } from '../helpers.js';

const images: ImageLookup = new Map([
  ['photos/tanf.jpg', { asset: 'assets/tanf.0123456789.jpg', width: 1200, height: 800, problems: [] }],
  ['photos/broken.png', { problems: [{ severity: 'error', message: 'broken' }] }],
]);

describe('local images in Markdown', () => {
  it('makes an image alone in its paragraph a figure, its title the caption and credit', () => {
    const html = renderMarkdown('![Burned checkpoint](photos/tanf.jpg "The checkpoint on 12 March | Photo: Jane Roe / Agency")', undefined, images);
    expect(html).toBe(
      '<figure class="prose-figure"><img class="prose-figure__image" src="assets/tanf.0123456789.jpg" alt="Burned checkpoint" width="1200" height="800">' +
        '<figcaption dir="auto"><span class="prose-figure__caption">The checkpoint on 12 March</span> <span class="prose-figure__credit">Photo: Jane Roe / Agency</span></figcaption></figure>\n',
    );
  });

  it('keeps an image in running text inline, with its title as a title', () => {
    const html = renderMarkdown('Seen here ![Checkpoint](photos/tanf.jpg "Caption") at dawn.', undefined, images);
    expect(html).toBe('<p dir="auto">Seen here <img class="prose-image" src="assets/tanf.0123456789.jpg" alt="Checkpoint" width="1200" height="800" title="Caption"> at dawn.</p>\n');
    expect(renderInlineMarkdown('![Checkpoint](photos/tanf.jpg)', images)).toContain('class="prose-image"');
  });

  it('escapes caption, credit and alt text', () => {
    const html = renderMarkdown('![a "<b>"](photos/tanf.jpg "<script>x</script> | &amp; <i>")', undefined, images);
    expect(html).not.toMatch(/<(script|b|i)>/);
    expect(html).toContain('alt="a &quot;&lt;b&gt;&quot;"');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('prints the alt text of a local image the project could not use, or did not read', () => {
    expect(renderMarkdown('![Broken](photos/broken.png)', undefined, images)).toBe('<p dir="auto">Broken</p>\n');
    expect(renderMarkdown('![Unread](photos/tanf.jpg)')).toBe('<p dir="auto">Unread</p>\n');
  });

  it('splits a title at " | " into caption and credit', () => {
    expect(captionAndCredit('A | B | C')).toEqual({ caption: 'A', credit: 'B | C' });
    expect(captionAndCredit('Only a caption')).toEqual({ caption: 'Only a caption', credit: '' });
    expect(captionAndCredit('| Photo: X')).toEqual({ caption: '', credit: 'Photo: X' });
    expect(captionAndCredit('a|b')).toEqual({ caption: 'a|b', credit: '' });
    expect(captionAndCredit(undefined)).toEqual({ caption: '', credit: '' });
  });
});

const SVG = (body: string, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${body}</svg>`;
const clean = (text: string) => {
  const result = sanitizeSvg(text);
  if ('error' in result) throw new Error(result.error);
  return result;
};

describe('SVG sanitizing', () => {
  it('removes scripts', () => {
    const { svg, removed } = clean(SVG('<script>alert(1)</script><script xlink:href="https://example.org/x.js"/><rect width="5" height="5"/>'));
    expect(svg).not.toMatch(/script|alert|example\.org/);
    expect(svg).toContain('<rect');
    expect(removed).toContain('<script>');
  });

  it('removes event handlers, on the root and on any element', () => {
    const { svg, removed } = clean(SVG('<rect onclick="x()" onmouseover="y()" width="5" height="5"/><animate onbegin="z()"/>', ' onload="w()"'));
    expect(svg).not.toMatch(/\son\w+=/);
    expect(removed).toEqual(expect.arrayContaining(['onload', 'onclick']));
  });

  it('removes foreignObject and the HTML in it', () => {
    const { svg } = clean(SVG('<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><iframe src="https://example.org"/><img src="x" onerror="e()"/></div></foreignObject><circle r="2"/>'));
    expect(svg).not.toMatch(/foreignObject|iframe|<div|onerror|example\.org/i);
    expect(svg).toContain('<circle');
  });

  it('removes remote and javascript: references, keeping references to its own parts', () => {
    const { svg } = clean(
      SVG(
        '<defs><linearGradient id="g"/></defs><a href="javascript:alert(1)"><text>a</text></a><a xlink:href="https://example.org"><text>b</text></a>' +
          '<image href="https://example.org/t.png" width="1" height="1"/><image xlink:href="data:image/png;base64,AAAA" width="1" height="1"/>' +
          '<rect fill="url(#g)" width="1" height="1"/><rect style="fill: url(https://example.org/p.svg#p)" width="1" height="1"/>' +
          '<style>@import url(https://example.org/a.css); rect { fill: url("https://example.org/q.svg#q"); } circle { fill: url(#g) }</style>',
      ),
    );
    expect(svg).not.toMatch(/javascript:|example\.org|data:|@import/);
    expect(svg).toContain('fill="url(#g)"');
    expect(svg).toContain('circle { fill: url(#g) }');
  });

  it('keeps an ordinary drawing as it is drawn', () => {
    const { svg, removed } = clean(SVG('<title>Routes</title><path d="M0 0 L10 10" stroke="#800" stroke-width="2"/><text x="1" y="9" font-size="3">A &amp; B</text>'));
    expect(removed).toEqual([]);
    expect(svg).toContain('<path d="M0 0 L10 10" stroke="#800" stroke-width="2"/>');
    expect(svg).toContain('A &amp; B');
  });

  it('refuses a document that is not well-formed SVG', () => {
    expect(sanitizeSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>')).toHaveProperty('error');
    expect(sanitizeSvg('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')).toEqual({ error: 'its root element is not <svg> in the SVG namespace' });
  });
});

describe('reading an image file', () => {
  const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

  it('takes every type a page shows by its bytes, with its size', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'dot.gif'), GIF);
    for (const name of ['aerial.webp', 'chart.png', 'checkpoint.jpg', 'routes.svg']) copyFileSync(path.join(FIXTURES, 'images', name), path.join(root, name));
    const read = (name: string) => readImage({ file: path.join(root, name), root, label: `image ${name}`, cwd: root });
    const sizes = await Promise.all(['dot.gif', 'aerial.webp', 'chart.png', 'checkpoint.jpg', 'routes.svg'].map(async (name) => {
      const { asset, problems } = await read(name);
      // The drawing has labels, which print in a font of the machine.
      expect(problems.map((p) => p.message), name).toEqual(name === 'routes.svg' ? [expect.stringContaining('image routes.svg has text')] : []);
      return [asset?.type, asset?.width, asset?.height, asset?.key.replace(/\.[0-9a-f]{10}\./, '.#.')];
    }));
    expect(sizes).toEqual([
      ['gif', 1, 1, 'assets/dot.#.gif'],
      ['webp', 320, 200, 'assets/aerial.#.webp'],
      ['png', 480, 240, 'assets/chart.#.png'],
      ['jpg', 1200, 800, 'assets/checkpoint.#.jpg'],
      ['svg', 400, 240, 'assets/routes.#.svg'],
    ]);
  });

  it('warns about an SVG that draws text, however the text is written, and not about one that does not', async () => {
    const root = tempDir();
    const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${body}</svg>`;
    const cases: Record<string, string> = {
      'plain.svg': svg('<text x="1" y="9">A</text>'),
      'tspan.svg': svg('<g><text x="1" y="9"><tspan>B</tspan></text></g>'),
      'path.svg': svg('<defs><path id="p" d="M0 5H10"/></defs><text><textPath href="#p">C</textPath></text>'),
      'empty.svg': svg('<text x="1" y="9">  </text><rect width="10" height="10"/>'),
      'outlines.svg': svg('<path d="M0 0H10V10Z"/><title>Text in a title is not drawn</title>'),
    };
    const warned: string[] = [];
    for (const [name, text] of Object.entries(cases)) {
      writeFileSync(path.join(root, name), text);
      const { asset, problems } = await readImage({ file: path.join(root, name), root, label: `image ${name}`, cwd: root });
      expect(asset, name).toBeDefined();
      if (problems.some((p) => p.severity === 'warning' && /has text, which an image cannot set in the page's fonts/.test(p.message))) warned.push(name);
    }
    expect(warned).toEqual(['plain.svg', 'tspan.svg', 'path.svg']);
  });

  it('names the asset with letters, digits and dashes only', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'Café au lait "1" <x>.gif'), GIF);
    const { asset } = await readImage({ file: path.join(root, 'Café au lait "1" <x>.gif'), root, label: 'image', cwd: root });
    expect(asset?.key).toMatch(/^assets\/Cafe-au-lait-1-x\.[0-9a-f]{10}\.gif$/);
  });
});

describe("a cleaned SVG kept in the user's cache", () => {
  const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script><rect width="10" height="10"/><text x="1" y="5">Logo</text></svg>';

  /** readImage of one SVG file, with the user cache in `cache`. */
  async function readWithCache(cache: string, text = SVG) {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'logo.svg'), text);
    const saved = process.env.FLASHBRIEF_CACHE_DIR;
    process.env.FLASHBRIEF_CACHE_DIR = cache;
    try {
      return await readImage({ file: path.join(dir, 'logo.svg'), root: dir, label: 'logo logo.svg', cwd: dir });
    } finally {
      process.env.FLASHBRIEF_CACHE_DIR = saved;
    }
  }
  const entries = (cache: string): string[] => (existsSync(path.join(cache, 'svg')) ? readdirSync(path.join(cache, 'svg')).map((f) => path.join(cache, 'svg', f)) : []);

  it('gives what cleaning it gives, from the first run and from the cache, warnings included', async () => {
    const cache = tempDir();
    const first = await readWithCache(cache);
    expect(entries(cache)).toHaveLength(1);
    const again = await readWithCache(cache);
    const direct = sanitizeSvg(SVG);
    if ('error' in direct) throw new Error(direct.error);
    expect(first.asset?.bytes.toString('utf8')).toBe(direct.svg);
    expect(again).toEqual(first);
    expect(again.problems.map((p) => p.message).join('\n')).toMatch(/removed \(.*onload/);
    expect(again.problems.map((p) => p.message).join('\n')).toMatch(/has text/);
    // A different drawing is a different entry, never the first one's result.
    const other = await readWithCache(cache, SVG.replace('width="10" height="10"', 'width="5" height="5"'));
    expect(other.asset?.bytes.toString('utf8')).toContain('width="5"');
    expect(entries(cache)).toHaveLength(2);
  });

  it('cleans it again when the entry holds anything but a result (property)', async () => {
    const cache = tempDir();
    const good = await readWithCache(cache);
    const [file] = entries(cache);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.string()), async (value) => {
        // A well-formed entry (its check agrees) whose value is not a cleaning's result, or any text at all.
        const text = typeof value === 'string' ? value : JSON.stringify({ value, check: createHash('sha256').update(JSON.stringify(value) ?? '').digest('hex') });
        writeFileSync(file as string, text);
        const read = await readWithCache(cache);
        const decodes = typeof value === 'object' && value !== null && !Array.isArray(value) && ('svg' in value || 'error' in value);
        if (!decodes) expect(read).toEqual(good);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a malformed SVG from the cache as from the first run', async () => {
    const cache = tempDir();
    const bad = '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>';
    const first = await readWithCache(cache, bad);
    const again = await readWithCache(cache, bad);
    expect(first.asset).toBeUndefined();
    expect(first.problems[0]?.message).toMatch(/is not a well-formed SVG file/);
    expect(again).toEqual(first);
  });
});
