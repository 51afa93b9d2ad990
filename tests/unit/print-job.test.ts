import { describe, expect, it } from 'vitest';
import { pageAssets, printJobOf } from '../../src/print/print-job.js';
import type { Brief } from '../../src/core/schema.js';

const brief = {
  title: 'Attacks go on',
  date: '2024-03-11',
  slug: 'attacks-go-on',
  authors: [{ name: 'A. Analyst', role: 'Fellow' }],
  topics: ['Iraq'],
} as unknown as Brief;
const css = new Map([['assets/brief.abc.css', new Uint8Array([1])]]);
const logo = { key: 'assets/logo.def.svg', bytes: new Uint8Array([2]) };

describe('the print job of a brief', () => {
  it('names the page, makes its HTML only when asked, and links the template\'s assets and the logo', () => {
    let rendered = 0;
    const job = printJobOf({ brief: { slug: 'attacks-go-on', brief, summaryText: 'Summary.' }, html: () => `<p>${++rendered}</p>`, templateAssets: css, logo, config: {}, version: '9.9.9' });
    expect(job.name).toBe('attacks-go-on.html');
    expect(rendered).toBe(0);
    expect(typeof job.html === 'function' && job.html()).toBe('<p>1</p>');
    expect([...job.assets.keys()]).toEqual(['assets/brief.abc.css', 'assets/logo.def.svg']);
  });

  it('records the brief in the PDF\'s metadata, its language resolved like the page\'s', () => {
    const job = printJobOf({ brief: { slug: 'attacks-go-on', brief, summaryText: 'Summary.' }, html: () => '', templateAssets: css, config: { lang: 'fr' }, version: '9.9.9' });
    expect(job.metadata).toEqual({ title: 'Attacks go on', authors: ['A. Analyst'], subject: 'Summary.', keywords: ['Iraq'], date: '2024-03-11', creator: 'flashbrief 9.9.9', lang: 'fr' });
    expect(job.assets).toBe(css);
  });

  it('adds nothing to the template\'s assets without a logo', () => {
    expect(pageAssets(css, undefined)).toBe(css);
    expect(pageAssets(css, logo).size).toBe(2);
  });
});
