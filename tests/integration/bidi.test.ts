import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { closeBrowser, findBrowser, launchBrowser } from '../../src/print/browser.js';
import { copyFixtures, runCli } from '../helpers.js';
import { openAs, pdfWords, type Word } from '../layout.js';

/*
 * Every run of text reads in its own order, whatever the page's direction. With lang: ar
 * the bidi algorithm reordered the templates' English and mixed text by the page's
 * direction: ".means at least 3: ... 3+", "drones 2", "killed. 2", "(not الحوثيون / claimed)",
 * captions and paragraphs with their full stop at the wrong end. The briefs here are in
 * Arabic and Hebrew with English paragraphs, and in English with Arabic and Hebrew places,
 * perpetrators and a quote (tests/fixtures/bidi).
 */

let out: string;
let browser: Browser;

beforeAll(async () => {
  const dir = copyFixtures('bidi');
  writeFileSync(path.join(dir, 'brief.config.yaml'), 'organization: Example Policy Institute\ndisclaimer: The views expressed are the authors\' own, not those of the institute.\n');
  const result = await runCli(['build', '--concurrency', '1'], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  out = path.join(dir, 'output');
  browser = await launchBrowser(await findBrowser());
}, 180_000);

afterAll(() => closeBrowser(browser));

/** Each line of a PDF's pages as its words read left to right, joined by spaces. */
function pdfLines(file: string): string[] {
  const lines = new Map<string, Word[]>();
  for (const w of pdfWords(file)) {
    const key = `${w.page}:${Math.round(w.yMax / 2)}`;
    lines.set(key, [...(lines.get(key) ?? []), w]);
  }
  return [...lines.values()].map((ws) => ws.sort((a, b) => a.xMin - b.xMin).map((w) => w.text).join(' '));
}

describe('the PDF, read back word by word', () => {
  it.each([
    ['arabic', ['1+ means at least 1: some launches were reported without a number.', '2 drones', '2 killed.', '4 injured.', 'The Pentagon said the attacks caused no damage.', 'The base was hit again.', '“Deterrence has failed so far.”', 'Incidents per day, Mar 9', 'PUBLISHED BY EXAMPLE POLICY INSTITUTE']],
    ['hebrew', ['3+ means at least 3:', '2 drones', '2 killed.', '1 missile', 'The Pentagon said the attacks caused no damage.', 'Incidents per day, Mar 9']],
    ['arabic-update', ['1+ means at least 1:', 'The Pentagon said the attacks caused no damage.', 'Claimed by a group 1']],
    ['english', ['3+ means at least 3: some launches were reported without a number.', '2 drones', '2 killed.', '3 injured.', 'Two drones were shot down.']],
  ])('%s reads each English phrase left to right, numbers with their words, full stops at the end', (slug, phrases) => {
    const text = pdfLines(path.join(out, `${slug}.pdf`)).join('\n');
    for (const phrase of phrases) expect(text, `${slug}: "${phrase}"`).toContain(phrase);
    // The perpetrator's status stays in one piece after the name, never split around it.
    if (slug !== 'arabic-update') expect(text, slug).toMatch(/\(not\b/);
    expect(text, slug).not.toMatch(/\bnot\(|\.The |\.means|drones 2\b|killed\. 2\b/);
  });
});

/**
 * Where each of `tokens` is drawn, found in order in the text of the first element that
 * matches `selector` and holds them all in that order: the left and right edges and top of each.
 */
async function boxes(page: Page, selector: string, tokens: readonly string[]): Promise<{ token: string; left: number; right: number; top: number }[]> {
  return page.evaluate(
    (selector, tokens) => {
      /** Whether a text holds the tokens in order. */
      const holds = (text: string) => {
        let from = 0;
        return tokens.every((token) => {
          const index = text.indexOf(token, from);
          from = index + token.length;
          return index >= 0;
        });
      };
      const el = [...document.querySelectorAll(selector)].find((e) => holds(e.textContent ?? ''));
      if (!el) throw new Error(`no ${selector} with "${tokens.join(' ')}"`);
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const text = nodes.map((n) => n.data).join('');
      /** The text node and offset of a position in the element's text. */
      const at = (pos: number): [Text, number] => {
        let start = 0;
        for (const n of nodes) {
          if (pos < start + n.data.length) return [n, pos - start];
          start += n.data.length;
        }
        throw new Error(`position ${pos} outside the text`);
      };
      let from = 0;
      return tokens.map((token) => {
        const index = text.indexOf(token, from);
        if (index < 0) throw new Error(`"${token}" not found after ${from} in "${text}"`);
        from = index + token.length;
        const range = document.createRange();
        range.setStart(...at(index));
        range.setEnd(...at(index + token.length - 1));
        range.setEnd(range.endContainer, range.endOffset + 1);
        const rect = range.getBoundingClientRect();
        return { token, left: rect.left, right: rect.right, top: rect.top };
      });
    },
    selector,
    tokens,
  );
}

/**
 * Whether tokens read in order in a direction: on one line each is right of the one before
 * (left of it, right to left); on a later line, it is lower. Returns the places it does not.
 */
function outOfOrder(found: { token: string; left: number; right: number; top: number }[], direction: 'ltr' | 'rtl'): string[] {
  const wrong: string[] = [];
  for (let i = 1; i < found.length; i++) {
    const [a, b] = [found[i - 1], found[i]] as [(typeof found)[number], (typeof found)[number]];
    const sameLine = Math.abs(a.top - b.top) < 4;
    const ok = sameLine ? (direction === 'ltr' ? b.left >= a.right - 1 : b.right <= a.left + 1) : b.top > a.top;
    if (!ok) wrong.push(`"${a.token}" (${Math.round(a.left)}..${Math.round(a.right)}, ${Math.round(a.top)}) then "${b.token}" (${Math.round(b.left)}..${Math.round(b.right)}, ${Math.round(b.top)})`);
  }
  return wrong;
}

type Check = [selector: string, tokens: string[], direction: 'ltr' | 'rtl'];

const ARABIC: Check[] = [
  ['.tally__note', ['1+', 'means', 'least', '1:', 'number', '.'], 'ltr'],
  ['.tally__foot', ['Killed', '2'], 'ltr'],
  ['.annex__table--incidents td', ['2', 'drones'], 'ltr'],
  ['.annex__table--incidents td', ['الحوثيون', '(not', 'claimed)'], 'ltr'],
  ['.annex__table--incidents td', ['2', 'killed', '.'], 'ltr'],
  ['.annex__table--incidents td', ['3', 'drones', 'missiles', '(number', 'unknown)'], 'ltr'],
  ['.prose p', ['The', 'Pentagon', 'damage', '.'], 'ltr'],
  ['.prose li', ['The', 'base', 'again', '.'], 'ltr'],
  ['.prose p', ['شنّت', 'الجماعات', 'المسلحة'], 'rtl'],
  ['.figure--map figcaption', ['Incident', 'locations:', 'الشدادي', '(1),', 'التنف', '(1).', 'Borders:', 'Earth', '.'], 'ltr'],
  ['.figure--timeline figcaption', ['Incidents', 'per', 'day', 'weapon', 'type.'], 'ltr'],
  ['.quote__text p', ['Deterrence', 'far', '.', '”'], 'ltr'],
  ['.quote__text p', ['الردع', 'لم', 'ينجح'], 'rtl'],
  ['.disclaimer', ['The', 'views', 'institute', '.'], 'ltr'],
  ['.colophon', ['Published', 'by', 'Example'], 'ltr'],
  ['.byline', ['By', 'ليلى'], 'rtl'],
];

const CHECKS: Record<string, Check[]> = {
  arabic: ARABIC,
  // The one-page update: the tally box, the map and the developments.
  'arabic-update': ARABIC.filter(([selector]) => !/annex|timeline|quote|byline/.test(selector)),
  hebrew: [
    ['.tally__note', ['3+', 'means', 'least', '3:', 'number', '.'], 'ltr'],
    ['.annex__table--incidents td', ['2', 'drones'], 'ltr'],
    ['.annex__table--incidents td', ['1', 'missile'], 'ltr'],
    ['.annex__table--incidents td', ["החות'ים", '(not', 'claimed)'], 'ltr'],
    ['.annex__table--incidents td', ['2', 'killed', '.'], 'ltr'],
    ['.prose p', ['The', 'Pentagon', 'damage', '.'], 'ltr'],
    ['.figure--map figcaption', ['Incident', 'locations:', 'ארביל', '(1),', 'אל-תנף', '(1).', 'Borders:'], 'ltr'],
  ],
  english: [
    ['.tally__note', ['3+', 'means', 'least', '3:', 'number', '.'], 'ltr'],
    ['.annex__table--incidents td', ['الحوثيون', '(not', 'claimed)'], 'ltr'],
    ['.annex__table--incidents td', ['ההתנגדות האסלאמית', '(not', 'claimed)'], 'ltr'],
    ['.annex__table--incidents td', ['Two', 'down', '.', '2', 'killed', '.'], 'ltr'],
    ['.figure--map figcaption', ['Incident', 'locations:', 'الشدادي', '(1),', 'אל-תנף', '(1).', 'Borders:'], 'ltr'],
    ['.prose p', ['قالت', 'وزارة', 'الدفاع'], 'rtl'],
    ['.quote__text p', ['الردع', 'لم', 'ينجح'], 'rtl'],
    ['.quote__who', ['ليلى', 'باحثة'], 'ltr'],
  ],
};

describe('the page in Chromium, word by word where it is drawn', () => {
  for (const [slug, checks] of Object.entries(CHECKS)) {
    for (const as of ['print', 'phone'] as const) {
      it(`${slug} (${as === 'print' ? 'as printed' : 'on a phone, the record as cards'}): every phrase reads in its own direction`, async () => {
        const page = await openAs(browser, path.join(out, `${slug}.html`), as);
        try {
          const wrong: string[] = [];
          for (const [selector, tokens, direction] of checks) {
            for (const problem of outOfOrder(await boxes(page, selector, tokens), direction)) wrong.push(`${selector} ${direction} "${tokens.join(' ')}": ${problem}`);
          }
          expect(wrong).toEqual([]);
        } finally {
          await page.close();
        }
      }, 60_000);
    }
  }

  it('keeps the page right to left around English text: the record and the tally box mirror, fixed English is marked as such', async () => {
    const page = await openAs(browser, path.join(out, 'arabic.html'), 'print');
    try {
      const facts = await page.evaluate(() => {
        const row = document.querySelector('.annex__table--incidents tbody tr') as HTMLElement;
        const [date, place] = [...row.children].map((c) => c.getBoundingClientRect().left);
        const unit = document.querySelector('.tally__unit span') as HTMLElement;
        return {
          dateRightOfPlace: (date as number) > (place as number),
          unit: [unit.lang, unit.dir],
          html: getComputedStyle(document.documentElement).direction,
        };
      });
      expect(facts).toEqual({ dateRightOfPlace: true, unit: ['en', 'ltr'], html: 'rtl' });
    } finally {
      await page.close();
    }
  });
});
