import slugify from '@sindresorhus/slugify';
import type { Brief } from './schema.js';

/** date + title, e.g. 2023-10-24-militia-drone-attacks, cut at a word near 80 characters. */
export function defaultSlug(brief: Pick<Brief, 'date' | 'title'>): string {
  let words = slugify(brief.title, { decamelize: false });
  if (words.length > 70) words = words.slice(0, 70).replace(/-[^-]*$/, '');
  return words ? `${brief.date}-${words}` : brief.date;
}
