import { copyFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, pdfInfo, projectWith, runCli } from '../helpers.js';

/** One page of a PDF as text, laid out, so the footer's label and page number share a line. */
const pageText = (file: string, page: number): string =>
  execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });

describe('page furniture across a run of many briefs', () => {
  // The print tab is reused from brief to brief; a document reused from the brief before
  // printed some footers without their label. Many briefs of different content, printed
  // one after another in one tab, show it.
  it('prints the footer label and "Page N of M" on every page of every brief', async () => {
    const dir = projectWith({});
    const sources = [
      ...readdirSync(path.join(FIXTURES, 'fit')).filter((f) => f.endsWith('.yaml')).map((f) => path.join(FIXTURES, 'fit', f)),
      path.join(FIXTURES, 'prose', 'notes-everywhere.yaml'),
      path.join(FIXTURES, 'fonts', 'every-script.yaml'),
    ];
    for (const file of sources) copyFileSync(file, path.join(dir, 'briefs', `${path.basename(path.dirname(file))}-${path.basename(file)}`));
    const result = await runCli(['build', '--pdf-only', '--concurrency', '1'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const pdfs = readdirSync(path.join(dir, 'output')).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(sources.length);
    const missing: string[] = [];
    for (const pdf of pdfs) {
      const file = path.join(dir, 'output', pdf);
      const pages = Number(pdfInfo(file).Pages);
      for (let page = 1; page <= pages; page++) {
        if (!new RegExp(`FLASH BRIEF\\s+Page ${page} of ${pages}`).test(pageText(file, page))) missing.push(`${pdf} page ${page}`);
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
