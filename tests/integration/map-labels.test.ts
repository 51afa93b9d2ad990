import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { FIXTURES, runCli, tempDir } from '../helpers.js';

/*
 * The locator map of a brief with 25 places in eastern and southern Ukraine (a dense
 * cluster around Kramatorsk and Pokrovsk, and places spread to Odesa), measured where
 * Chromium sets the text in the brief's own font: each name fits on its plate, and no two
 * names, numbers or country names overlap.
 */

interface Measured {
  cls: string;
  text: string;
  /** The text's extent as set: across, as Chromium measures it; up and down, the ink band of its size. */
  box: { x0: number; y0: number; x1: number; y1: number };
  plate?: { x0: number; y0: number; x1: number; y1: number };
}

describe('the locator map of a brief with 25 places, in Chromium', () => {
  let browser: Browser;
  let out: string;

  beforeAll(async () => {
    out = tempDir();
    const result = await runCli(['build', path.join(FIXTURES, 'map-labels'), '--out', out, '--html-only']);
    expect(result.code, result.stderr).toBe(0);
    browser = await launchBrowser(await findBrowser());
  }, 60_000);
  afterAll(() => closeBrowser(browser));

  it.each([
    ['eastern-ukraine', 18, ['Pokrovsk (4)', 'Kharkiv (3)', 'UKRAINE']],
    // Names in Hebrew, Arabic and Greek, whose widths can only be estimated before Chromium sets them.
    ['eastern-mediterranean', 8, ['קריית שמונה', 'Θεσσαλονίκη']],
  ] as const)('%s: sets every name on its plate, and no two texts of the map overlap', async (slug, named, expected) => {
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 900 });
    await page.goto(pathToFileURL(path.join(out, `${slug}.html`)).href, { waitUntil: 'load' });
    const measured = await page.evaluate(async () => {
      await document.fonts.ready;
      const svg = document.querySelector('svg.map') as SVGSVGElement;
      return {
        font: document.fonts.check('600 12px "Source Sans 3"'),
        texts: [...svg.querySelectorAll<SVGTextElement>('text.map__label, text.map__number, text.map__country-label')].map((t) => {
          const b = t.getBBox();
          const size = parseFloat(getComputedStyle(t).fontSize);
          const baseline = Number(t.getAttribute('y'));
          const rect = t.parentElement?.querySelector('rect');
          const plate = rect && t.getAttribute('class') !== 'map__country-label' ? rect.getBBox() : undefined;
          return {
            cls: t.getAttribute('class') as string,
            text: t.textContent as string,
            // Ascenders to descenders: 0.75 em above the baseline, 0.25 em below.
            box: { x0: b.x, x1: b.x + b.width, y0: baseline - 0.75 * size, y1: baseline + 0.25 * size },
            plate: plate && { x0: plate.x, y0: plate.y, x1: plate.x + plate.width, y1: plate.y + plate.height },
          };
        }),
        viewBox: { width: svg.viewBox.baseVal.width },
      };
    });
    await page.close();
    expect(measured.font).toBe(true);
    const texts: Measured[] = measured.texts;
    // The map names most of its places, and the busiest by name.
    expect(texts.filter((t) => t.cls === 'map__label').length).toBeGreaterThanOrEqual(named);
    expect(texts.map((t) => t.text)).toEqual(expect.arrayContaining([...expected]));
    for (const t of texts) {
      expect(t.box.x0 >= 0 && t.box.x1 <= measured.viewBox.width, `${t.text} is inside the map`).toBe(true);
      // The plate was sized from estimated widths: the real text must fit on it.
      if (t.plate) expect(t.box.x0 >= t.plate.x0 - 0.5 && t.box.x1 <= t.plate.x1 + 0.5, `${t.text} (${t.box.x0}-${t.box.x1}) fits its plate (${t.plate.x0}-${t.plate.x1})`).toBe(true);
    }
    const overlap = (a: Measured['box'], b: Measured['box']) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    texts.forEach((a, i) => {
      for (const b of texts.slice(i + 1)) expect(overlap(a.box, b.box), `${a.text} and ${b.text} overlap`).toBe(false);
      // A country name stays off the places' plates too.
      if (a.cls === 'map__country-label') for (const b of texts) if (b.plate) expect(overlap(a.box, b.plate), `${a.text} is over ${b.text}'s plate`).toBe(false);
    });
  }, 60_000);
});
