import * as z from 'zod';
import { DATE_TIME, dateTimeProblem } from './format.js';

/*
 * The one definition of the brief format. The TypeScript types (z.infer), the
 * validation and schema/brief.schema.json (for editors) all come from here.
 * Objects are strict so that a misspelt key is an error rather than silently ignored.
 *
 * Messages are phrased to follow the path of the value: "incidents[0].date must be ...".
 */

/** Control characters (other than tab and line breaks) have no place in prose and can drive terminals. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;
const noControl = { error: 'must not contain control characters' };

const text = (description: string) =>
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .regex(NO_CONTROL, noControl)
    .meta({ description });

const markdown = (description: string) =>
  z.string({ error: 'must be text (Markdown)' }).regex(NO_CONTROL, noControl).meta({ description });

export const isoDate = (description: string) =>
  z.iso.date({ error: 'must be a real date written YYYY-MM-DD, e.g. 2023-10-24' }).meta({ description });

const whole = (min: number, description: string) =>
  z
    .int({ error: `must be a whole number >= ${min}` })
    .min(min, { error: `must be a whole number >= ${min}` })
    .meta({ description });

/** One limit on how long a list may be: what bounds a file's cost to load, check and publish. */
export interface ListLimit {
  /** The files it is in, and the list's path there as an author reads it ("[]": each entry of a list; "" for the whole file). */
  files: readonly ('brief' | 'incident file' | 'places.yaml' | 'brief.config.yaml')[];
  path: string;
  /** The most entries it may have. */
  max: number;
  /** What its entries are, plural. */
  items: string;
  /** Who has the list, as the message names it: "a brief may list at most 50". */
  owner: string;
  /** How to stay within it, in the author's terms. */
  fix: string;
}

/**
 * How long each list a person writes may be. Each is far above what a real brief needs
 * (the example briefs list at most 6 incidents and 5 topics), and low enough that no file
 * can make the build, or the site it writes, grow out of proportion: every topic gets a
 * page, every incident a row and a place on the map. The README's "How long a list may
 * be" is this table (a test keeps them the same); the JSON Schemas carry it as maxItems.
 */
export const LIST_LIMITS = {
  authors: { files: ['brief'], path: 'authors', max: 50, items: 'authors', owner: 'a brief', fix: 'credit the others in the text' },
  topics: { files: ['brief'], path: 'topics', max: 50, items: 'topics', owner: 'a brief', fix: 'keep the topics a reader would look the brief up by' },
  series: { files: ['brief', 'incident file'], path: 'series', max: 20, items: 'series names', owner: 'a brief or incident file', fix: 'give a campaign one name rather than several' },
  analysis: { files: ['brief'], path: 'analysis', max: 100, items: 'quotes', owner: 'a brief', fix: 'keep the quotes that add most, or split the brief in two' },
  background: { files: ['brief'], path: 'background', max: 100, items: 'sections', owner: 'a brief', fix: 'merge sections, or split the brief in two' },
  related: { files: ['brief'], path: 'related', max: 100, items: 'links', owner: 'a brief', fix: 'keep the most useful links' },
  relatedAuthors: { files: ['brief'], path: 'related[].authors', max: 50, items: 'authors', owner: 'a related link', fix: 'name the first authors; the link leads to the rest' },
  briefIncidents: {
    files: ['brief'],
    path: 'incidents',
    max: 5_000,
    items: 'incidents',
    owner: 'a brief',
    fix: "move them to incident files (incidents/<name>.yaml with the brief's series), which hold up to 20,000 each",
  },
  weapons: { files: ['brief', 'incident file'], path: 'incidents[].weapons', max: 50, items: 'weapons', owner: 'an incident', fix: 'list each weapon type once, with its count' },
  sources: { files: ['brief', 'incident file'], path: 'incidents[].sources', max: 100, items: 'sources', owner: 'an incident', fix: 'keep the sources that report it first-hand' },
  compare: { files: ['brief'], path: 'compare', max: 100, items: 'other counts', owner: 'a brief', fix: 'keep the trackers readers know' },
  corrections: { files: ['brief'], path: 'corrections', max: 100, items: 'corrections', owner: 'a brief', fix: 'merge corrections of the same day into one' },
  fileIncidents: {
    files: ['incident file'],
    path: 'incidents',
    max: 20_000,
    items: 'incidents',
    owner: 'an incident file',
    fix: 'split the file into several incident files with the same series, by year say',
  },
  places: { files: ['places.yaml'], path: '', max: 10_000, items: 'places', owner: 'places.yaml', fix: 'keep the places that incidents name' },
  aliases: { files: ['places.yaml'], path: '[].aliases', max: 100, items: 'spellings', owner: 'a place', fix: 'keep the spellings incidents use' },
  fontFiles: { files: ['brief.config.yaml'], path: 'fonts.files', max: 100, items: 'font files', owner: 'the configuration', fix: 'list only the files the pages use' },
} as const satisfies Record<string, ListLimit>;

/**
 * `list` with at most `limit.max` entries (maxItems in the JSON Schema). The message
 * follows the list's path, as every message here does ("topics lists 51 topics; ..."), and
 * is reported at the first entry over the limit (see validate.ts).
 */
export const limited = <T extends z.ZodType>(list: z.ZodArray<T>, limit: ListLimit): z.ZodArray<T> =>
  list.max(limit.max, {
    error: (issue) =>
      `lists ${(Array.isArray(issue.input) ? issue.input.length : limit.max + 1).toLocaleString('en-US')} ${limit.items}; ${limit.owner} may list at most ${limit.max.toLocaleString('en-US')}: ${limit.fix}`,
  });

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugLike = (description: string) =>
  z
    .string({ error: 'must be text' })
    .regex(SLUG_PATTERN, { error: 'may use only a-z, 0-9 and single hyphens between them, e.g. militia-attacks' })
    .meta({ description });

/**
 * What no URL may hold, as typed: control characters (C0, DEL, C1), direction marks,
 * overrides and isolates, and any space. They would reach the page's href and link
 * text raw, or make an address read differently from where it goes.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const URL_UNSAFE_CHAR = /[\u0000-\u0020\u007f-\u00a0\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/u;
/** A URL with none of URL_UNSAFE_CHAR in it. */
export const URL_CLEAN = new RegExp(`^[^${URL_UNSAFE_CHAR.source.slice(1, -1)}]*$`, 'u');

/** The code point as it is named: U+202E. */
const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why a URL with an unsafe character is refused, naming the first one, and how to fix it. */
export const uncleanUrlMessage = (value: unknown): string => {
  const c = typeof value === 'string' ? [...value].find((ch) => URL_UNSAFE_CHAR.test(ch)) : undefined;
  const what = c === undefined ? 'a control character' : /\s/u.test(c) ? `white space (${codePoint(c)})` : `an invisible control character (${codePoint(c)})`;
  return `must not contain ${what}: a URL has no spaces, control characters or direction marks; write a space as %20, and retype the address or paste it as plain text`;
};

/** A string check that refuses URL_UNSAFE_CHAR first, so no other rule speaks of the same value. */
export const cleanUrlText = (text: z.ZodString): z.ZodString => text.regex(URL_CLEAN, { error: (issue) => uncleanUrlMessage(issue.input), abort: true });

/**
 * Links reach a public page, so only schemes that cannot run anything are allowed.
 * Schemes are case-insensitive (RFC 3986, 3.1): HTTPS://EXAMPLE.ORG/ is a web address too.
 */
export const SAFE_URL_PATTERN = /^(?:[hH][tT][tT][pP][sS]?:\/\/[^\s/?#]+[^\s]*|[mM][aA][iI][lL][tT][oO]:[^\s]+)$/;
const url = (description: string) =>
  cleanUrlText(z.string({ error: 'must be a URL' }))
    .regex(SAFE_URL_PATTERN, { error: 'must be an http://, https:// or mailto: URL' })
    .refine((value) => !SAFE_URL_PATTERN.test(value) || URL.canParse(value), { error: 'is not a valid URL' })
    .meta({ description });

const latitude = z
  .number({ error: 'must be a latitude in degrees, -90 to 90' })
  .min(-90, { error: 'must be a latitude in degrees, -90 to 90' })
  .max(90, { error: 'must be a latitude in degrees, -90 to 90' })
  .meta({ description: 'Latitude in decimal degrees (north positive), for the locator map.' });
const longitude = z
  .number({ error: 'must be a longitude in degrees, -180 to 180' })
  .min(-180, { error: 'must be a longitude in degrees, -180 to 180' })
  .max(180, { error: 'must be a longitude in degrees, -180 to 180' })
  .meta({ description: 'Longitude in decimal degrees (east positive), for the locator map.' });

const seriesNames = z
  .union([slugLike('A campaign name.'), limited(z.array(slugLike('A campaign name.')), LIST_LIMITS.series)], {
    error: 'must be a name (a-z, 0-9, hyphens) or a list of names',
  })
  .meta({ description: 'The campaigns whose incidents this brief shares: a name or a list of names.' });

const Person = z
  .strictObject({
    name: text('Full name as it should be printed.'),
    role: text('Title or affiliation, e.g. "Senior Fellow".').optional(),
  })
  .meta({ description: 'A person credited on the brief.' });

const Weapon = z
  .strictObject({
    type: z
      .string({ error: 'must be text' })
      .regex(/^[a-z][a-z-]*$/, { error: 'must be one lower-case word such as drone, rocket or one-way-drone: letters and hyphens, no digits or spaces (a model such as Shahed-136 goes in the summary)' })
      .meta({ description: 'Lower-case word: drone, rocket, missile, mortar, ...' }),
    count: whole(1, 'How many were launched; leave out when the number is unknown.').optional(),
  })
  .meta({ description: 'A weapon type used in the incident.' });

export const Incident = z
  .strictObject({
    id: slugLike('Stable identity, so an incident listed in several briefs counts once.').optional(),
    date: isoDate('Date of the incident, YYYY-MM-DD.'),
    location: text('Place as it should be counted, spelled the same way every time.'),
    country: text('Country as it should be counted.'),
    weapons: limited(z.array(Weapon, { error: 'must be a list of weapons' }), LIST_LIMITS.weapons).optional(),
    perpetrator: text('Group responsible, when known.').optional(),
    claimed: z.boolean({ error: 'must be true or false' }).meta({ description: 'The perpetrator claimed it.' }).optional(),
    killed: whole(0, 'People killed, as reported.').optional(),
    injured: whole(0, 'People injured, as reported.').optional(),
    summary: markdown('One line on what happened, Markdown inline.').optional(),
    lat: latitude.optional(),
    lon: longitude.optional(),
    sources: limited(z.array(url('A source reporting the incident.'), { error: 'must be a list of URLs' }), LIST_LIMITS.sources).optional(),
    revised: isoDate(
      "This listing revises an earlier one of the same id: the day the new facts became known, YYYY-MM-DD (in a brief, on or before the brief's date).",
    ).optional(),
    revision_note: text('Who revised what, plain text, e.g. "CENTCOM raised the injured count". Only with revised.').optional(),
  })
  // A note explains a revision; without the date it has nothing to explain and no brief could tell when it applies.
  .refine((incident) => incident.revision_note === undefined || incident.revised !== undefined, {
    path: ['revision_note'],
    error: 'is given without revised: add revised: YYYY-MM-DD (the day the new facts became known), or remove the note',
  })
  .meta({ description: 'One incident: the records tallies are computed from.' });

const Quote = z.strictObject({
  quote: markdown('The words, Markdown inline.'),
  name: text('Who said it.'),
  role: text('Their title, e.g. "Senior Fellow".').optional(),
  paraphrase: z
    .boolean({ error: 'must be true or false' })
    .meta({ description: "The text reports the person's view in indirect speech: shown without quotation marks." })
    .optional(),
});

const Section = z.strictObject({
  heading: text('Section heading.'),
  body: markdown('Section text, Markdown.'),
});

const Related = z.strictObject({
  title: text('Title of the linked piece.'),
  url: url('Where it is.'),
  source: text('Kind or publication, e.g. "Flash Brief".').optional(),
  authors: limited(z.array(text('An author.'), { error: 'must be a list of names' }), LIST_LIMITS.relatedAuthors).optional(),
});

const dateTime = (description: string) =>
  z
    .string({ error: 'must be a date and time' })
    .regex(DATE_TIME, { error: 'must be a date and time written YYYY-MM-DDTHH:MM, optionally with Z or an offset such as -04:00' })
    // Date.parse would take 2999-02-30 as March 2; the calendar and clock are checked field by field.
    .refine((v) => dateTimeProblem(v) === undefined, { error: (issue) => `is not a real date and time: ${dateTimeProblem(String(issue.input))}` })
    .meta({ description });

const Correction = z.strictObject({
  date: isoDate('When the correction was made.'),
  text: markdown('What was corrected, Markdown inline.'),
});

const Comparison = z
  .strictObject({
    source: text('Who counted, e.g. "Pentagon" or "ACLED".'),
    figure: whole(0, 'Their count of incidents for this window.'),
    as_of: isoDate('The date their count refers to.'),
    url: url('Where their count is published.').optional(),
    note: text('What their count covers, if it differs from ours.').optional(),
  })
  .meta({ description: "Another tracker's count, shown beside ours, never mixed into it." });

const Tally = z.strictObject({
  heading: text('Heading of the tally box. Default: "Incident tally".').optional(),
  since: isoDate('Window start (inclusive). Default: the earliest incident of this brief.').optional(),
  until: isoDate("Window end (inclusive). Default: the brief's date.").optional(),
});

export const Brief = z
  .strictObject({
    title: text('The headline.'),
    date: isoDate('Publication date, YYYY-MM-DD.'),
    slug: slugLike('File name of the outputs. Default: derived from date and title.').optional(),
    label: text('Kicker above the title. Default: "Flash Brief".').optional(),
    template: slugLike('A template folder in templates/. Default: flash-brief.').optional(),
    lang: z
      .string({ error: 'must be text' })
      .regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, { error: 'must be a language tag such as en or en-GB' })
      .meta({ description: 'Language of the brief (BCP 47), e.g. en. Default: en.' })
      .optional(),
    authors: limited(z.array(Person, { error: 'must be a list of authors' }), LIST_LIMITS.authors).optional(),
    summary: markdown('One-paragraph dek under the title, Markdown.').optional(),
    topics: limited(z.array(text('A topic.'), { error: 'must be a list of topics' }), LIST_LIMITS.topics).optional(),
    series: seriesNames.optional(),
    developments: markdown('The "Latest Developments" section, Markdown.'),
    analysis: limited(z.array(Quote, { error: 'must be a list of quotes' }), LIST_LIMITS.analysis).optional(),
    background: limited(z.array(Section, { error: 'must be a list of sections' }), LIST_LIMITS.background).optional(),
    related: limited(z.array(Related, { error: 'must be a list of links' }), LIST_LIMITS.related).optional(),
    incidents: limited(z.array(Incident, { error: 'must be a list of incidents' }), LIST_LIMITS.briefIncidents).optional(),
    tally: Tally.optional(),
    compare: limited(z.array(Comparison, { error: 'must be a list of other counts' }), LIST_LIMITS.compare).optional(),
    as_of: dateTime('Information cutoff: the brief says "Information as of ..." under the title.').optional(),
    embargo: dateTime('Until this moment the brief is not published: nothing of it is written into the output folder (brief build --embargoed-out writes it to a folder of its own, marked EMBARGOED), and it is left out of the index, feeds and sitemap.').optional(),
    corrections: limited(z.array(Correction, { error: 'must be a list of corrections' }), LIST_LIMITS.corrections).optional(),
  })
  .meta({
    title: 'Flash brief',
    description: 'One flash brief: prose, quotes and the incident records its tallies are computed from.',
  });

/** incidents/*.yaml beside the briefs folder: incident data kept apart from prose. */
export const IncidentFile = z
  .strictObject({
    series: seriesNames,
    incidents: limited(z.array(Incident, { error: 'must be a list of incidents' }), LIST_LIMITS.fileIncidents),
  })
  .meta({ title: 'Incident file', description: 'Incidents shared by every brief of the named series.' });

/** places.yaml beside the briefs folder: one spelling and one position for each place. */
export const Places = limited(
  z.array(
    z.strictObject({
      name: text('The canonical name, as incidents should spell it.'),
      country: text('Country of the place.'),
      lat: latitude,
      lon: longitude,
      aliases: limited(z.array(text('Another spelling.'), { error: 'must be a list of names' }), LIST_LIMITS.aliases).optional(),
    }),
    { error: 'must be a list of places' },
  ),
  LIST_LIMITS.places,
).meta({ title: 'Places', description: 'Canonical names and positions of places incidents happen at.' });

export type Brief = z.infer<typeof Brief>;
export type IncidentFile = z.infer<typeof IncidentFile>;
export type Place = z.infer<typeof Places>[number];
export type Incident = z.infer<typeof Incident>;
export type Weapon = z.infer<typeof Weapon>;
