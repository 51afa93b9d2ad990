import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBrief, createCompileContext, renderPage } from '../../src/index.js';
import { tokenizeHtml } from '../html.js';
import { FIXTURES, ROOT } from '../helpers.js';

type Context = Awaited<ReturnType<typeof createCompileContext>>;

/** The cells of a piece of a table, as a reader sees them, separated by " | ". */
const cells = (html: string) =>
  [...html.matchAll(/<t([dh])[^>]*>([\s\S]*?)<\/t\1>/g)].map((m) => tokenizeHtml(m[2] as string).text.replace(/\s+/g, ' ').trim()).join(' | ');

/** The page of a brief, the text of each incident row of the record, and the table by location. */
function render(context: Context, text: string) {
  const compiled = compileBrief(text, 'briefs/t.yaml', context);
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const html = renderPage(compiled) as string;
  const record = html.slice(html.indexOf('annex__table--incidents'));
  const rows = [...record.matchAll(/<tr id="incident-[^"]*">([\s\S]*?)<\/tr>/g)].map((m) => cells(m[1] as string));
  const byLocation = cells(html.slice(html.indexOf('Incidents by location</span></caption>'), html.indexOf('Incidents by weapon</span></caption>')));
  return { html, rows, byLocation };
}

describe('the incident record', () => {
  let context: Context;
  beforeAll(async () => {
    context = await createCompileContext({ cwd: ROOT });
  });

  it('dates every entry with its year when the window spans a new year', () => {
    const { html, rows, byLocation } = render(context, readFileSync(path.join(FIXTURES, 'fit', 'new-year.yaml'), 'utf8'));
    expect(rows.map((r) => /^\w{3} \d+, \d{4}/.exec(r)?.[0])).toEqual(['Dec 24, 2023', 'Dec 31, 2023', 'Jan 2, 2024', 'Jan 8, 2024']);
    // The location table's first and last dates too: "Dec 24 – Jan 2" would read as one week of one year.
    expect(byLocation).toContain('Erbil Air Base | Iraq | Dec 24, 2023 | Jan 2, 2024 | 2');
    // The tally window said both years already; it still does.
    expect(html).toContain('December 20, 2023 – January 10, 2024');
  });

  it('dates entries without the year when everything falls in one year', () => {
    const text = readFileSync(path.join(FIXTURES, 'fit', 'new-year.yaml'), 'utf8')
      .replace('date: 2024-01-10', 'date: 2024-01-31')
      .replace('since: 2023-12-20', 'since: 2024-01-01')
      .replace('until: 2024-01-10', 'until: 2024-01-31')
      .replace(/2023-12-24/, '2024-01-04')
      .replace(/2023-12-31/, '2024-01-05');
    const { rows } = render(context, text);
    expect(rows.map((r) => /^\w{3} \d+(, \d{4})?/.exec(r)?.[0])).toEqual(['Jan 2', 'Jan 4', 'Jan 5', 'Jan 8']);
  });

  it('dates a revision in another year with its year', () => {
    const text = [
      'title: Revised Across the Year',
      'date: 2024-01-03',
      'developments: Revised.',
      'incidents:',
      '  - { id: x, date: 2023-12-30, location: Erbil Air Base, country: Iraq, injured: 0 }',
      '  - { id: x, date: 2023-12-30, location: Erbil Air Base, country: Iraq, injured: 4, revised: 2024-01-02 }',
    ].join('\n');
    const { rows } = render(context, text);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('revised Jan 2, 2024: injured 4 (was 0)');
    expect(rows[0]).toMatch(/^Dec 30, 2023/);
  });

  it('states the casualties in every row, with a summary or without', () => {
    const { rows } = render(context, readFileSync(path.join(FIXTURES, 'fit', 'new-year.yaml'), 'utf8'));
    expect(rows[0]).toContain('Two drones were shot down over the base. 1 injured.');
    expect(rows[1]).toContain('0 killed, 3 injured.');
    expect(rows[2]).toContain('A drone hit a hangar. 1 killed, 2 injured.');
    // No casualty figures reported: nothing is made up.
    expect(rows[3]).not.toMatch(/killed|injured/);
  });

});
