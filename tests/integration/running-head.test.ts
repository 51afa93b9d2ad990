import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectWith, runCli } from '../helpers.js';
import { MARGIN, pdfPageCount, pdfWords, type Word } from '../layout.js';

/*
 * The running head (the title, top left from page 2, and brief.config.yaml's header, top
 * right) stays on one line each, side by side, above the top margin: a 250-character title
 * wrapped to three lines and pushed the header onto two, into the page's text.
 */

const LONG =
  'Militia Drone and Rocket Attacks on Coalition Bases in Iraq and Syria Continue as Regional Tensions Rise After the Start of the War, With New Claims by the Islamic Resistance and Repeated Strikes Near the Tanf Garrison and Erbil Air Base Reported Today';
const ARABIC = 'هجمات الطائرات المسيرة والصواريخ على قواعد التحالف في العراق وسوريا تتواصل مع تصاعد التوتر الإقليمي بعد بدء الحرب، مع تبن جديد من المقاومة الإسلامية وضربات متكررة قرب قاعدة التنف وأربيل';
const HEBREW = 'התקפות רחפנים ורקטות על בסיסי הקואליציה בעיראק ובסוריה נמשכות בזמן שהמתיחות האזורית עולה לאחר פרוץ המלחמה, עם טענות אחריות חדשות של ההתנגדות האסלאמית ותקיפות חוזרות ליד בסיס אל-תנף וארביל';
const CJK = '民兵对伊拉克和叙利亚联军基地的无人机和火箭袭击在战争开始后地区紧张局势加剧之际继续进行，伊斯兰抵抗组织发表新的声明，坦夫驻军和埃尔比勒空军基地附近再次遭到袭击，'.repeat(2);
const HEADER = 'EXAMPLE POLICY INSTITUTE FOR THE STUDY OF VERY LONG ORGANIZATIONAL NAMES AND THEIR EFFECTS ON RUNNING HEADS';

/** A brief long enough for three pages or more, so pages 2+ carry the running head. */
const brief = (slug: string, title: string, lang: string): Record<string, string> => ({
  [`${slug}.yaml`]: [`title: ${JSON.stringify(title)}`, 'date: 2024-03-11', `slug: ${slug}`, `lang: ${lang}`, 'developments: |',
    ...Array.from({ length: 14 }, (_, i) => `  Paragraph ${i + 1}. ${'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. '.repeat(6)}\n`)].join('\n'),
});

/** The words above the top margin of each page after the first: the running head. */
function heads(file: string): Word[][] {
  const words = pdfWords(file);
  return Array.from({ length: pdfPageCount(file) - 1 }, (_, i) => words.filter((w) => w.page === i + 2 && w.yMin < MARGIN.top));
}

/** What must hold of every running head: one line, above the margin, inside the side margins, no two words overlapping. */
function checkHead(head: Word[], where: string): void {
  expect(head.length, `${where}: no running head`).toBeGreaterThan(0);
  const baselines = new Set(head.map((w) => Math.round(w.yMax)));
  expect(Math.max(...head.map((w) => w.yMax)) - Math.min(...head.map((w) => w.yMax)), `${where}: more than one line (${[...baselines].join(', ')})`).toBeLessThan(5);
  for (const w of head) {
    expect(w.yMax, `${where}: "${w.text}" reaches below the top margin`).toBeLessThanOrEqual(MARGIN.top);
    expect(w.xMin, `${where}: "${w.text}" in the left margin`).toBeGreaterThanOrEqual(MARGIN.side - 1);
    expect(w.xMax, `${where}: "${w.text}" in the right margin`).toBeLessThanOrEqual(w.pageWidth - MARGIN.side + 1);
  }
  const sorted = [...head].sort((a, b) => a.xMin - b.xMin);
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1] as Word, sorted[i] as Word];
    expect(b.xMin, `${where}: "${a.text}" and "${b.text}" overlap`).toBeGreaterThanOrEqual(a.xMax - 0.5);
  }
}

/** The header's words (capitals, as it prints) and the title's (the rest). */
const isHeader = (w: Word) => /^[A-Z]+…?$/.test(w.text);

describe('the running head', () => {
  let withHeader: string;
  let withoutHeader: string;

  beforeAll(async () => {
    withHeader = projectWith({
      ...brief('long', LONG, 'en'),
      ...brief('arabic', ARABIC, 'ar'),
      ...brief('hebrew', HEBREW, 'he'),
      ...brief('cjk', CJK, 'zh'),
      ...brief('english-on-rtl', LONG, 'ar'),
      ...brief('short', 'Short Title', 'en'),
    });
    writeFileSync(path.join(withHeader, 'brief.config.yaml'), `header: ${HEADER}\n`);
    withoutHeader = projectWith({ ...brief('long', LONG, 'en'), ...brief('arabic-on-ltr', ARABIC, 'en'), ...brief('cjk', CJK, 'ja') });
    writeFileSync(path.join(withoutHeader, 'brief.config.yaml'), 'page_size: a4\n');
    const results = await Promise.all([withHeader, withoutHeader].map((cwd) => runCli(['build', '--pdf-only', '--concurrency', '1'], { cwd })));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  }, 240_000);

  /** The title's words of a brief's running head on page 2, left to right. */
  const titleWords = (dir: string, slug: string) =>
    ((heads(path.join(dir, 'output', `${slug}.pdf`))[0] ?? []) as Word[]).filter((w) => !isHeader(w)).sort((a, b) => a.xMin - b.xMin).map((w) => w.text);

  it('keeps title and header each on one line, side by side, above the margin, shortened with an ellipsis, on every page', () => {
    for (const [dir, label] of [[withHeader, 'with header'], [withoutHeader, 'A4, no header']] as const) {
      const files = readdirSync(path.join(dir, 'output')).filter((f) => f.endsWith('.pdf'));
      expect(files.length).toBeGreaterThanOrEqual(3);
      for (const file of files) {
        const pages = heads(path.join(dir, 'output', file));
        expect(pages.length, `${file} has one page only`).toBeGreaterThan(0);
        pages.forEach((head, i) => {
          const where = `${label} ${file} page ${i + 2}`;
          checkHead(head, where);
          const title = head.filter((w) => !isHeader(w));
          const header = head.filter(isHeader);
          if (dir === withHeader) {
            expect(header.length, `${where}: no header`).toBeGreaterThan(0);
            // The header sits to the right of the whole title.
            expect(Math.min(...header.map((w) => w.xMin)), where).toBeGreaterThan(Math.max(...title.map((w) => w.xMax)));
          } else expect(header, where).toEqual([]);
          if (file !== 'short.pdf') expect(title.some((w) => w.text.includes('…')), `${where}: title not shortened`).toBe(true);
        });
      }
    }
  });

  it('leaves a short title whole and gives the header the rest of the line', () => {
    const header = (slug: string) => (heads(path.join(withHeader, 'output', `${slug}.pdf`))[0] ?? []).filter(isHeader).map((w) => w.text);
    expect(titleWords(withHeader, 'short')).toEqual(['Short', 'Title']);
    expect(header('short').length).toBeGreaterThan(header('long').length + 3);
    expect(HEADER.startsWith(header('short').join(' ').replace(/…$/, ''))).toBe(true);
  });

  it('puts the ellipsis at the end of the title in its own direction: the left of an Arabic or Hebrew title, the right of an English one, whatever the page', () => {
    for (const [dir, slug] of [[withHeader, 'arabic'], [withHeader, 'hebrew'], [withoutHeader, 'arabic-on-ltr']] as const) {
      expect(titleWords(dir, slug)[0], slug).toMatch(/^…/);
    }
    for (const [dir, slug] of [[withHeader, 'long'], [withHeader, 'english-on-rtl'], [withoutHeader, 'long']] as const) {
      const words = titleWords(dir, slug);
      expect(words[0], slug).toBe('Militia');
      expect(words.at(-1), slug).toMatch(/…$/);
    }
  });
});
