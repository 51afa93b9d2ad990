import * as z from 'zod';
import { DATE_TIME } from './format.js';

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

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const slugLike = (description: string) =>
  z
    .string({ error: 'must be text' })
    .regex(SLUG_PATTERN, { error: 'may use only a-z, 0-9 and single hyphens between them, e.g. militia-attacks' })
    .meta({ description });

/** Links reach a public page, so only schemes that cannot run anything are allowed. */
export const SAFE_URL_PATTERN = /^(?:https?:\/\/[^\s/?#]+[^\s]*|mailto:[^\s]+)$/;
const url = (description: string) =>
  z
    .string({ error: 'must be a URL' })
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
  .union([slugLike('A campaign name.'), z.array(slugLike('A campaign name.'))], {
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
    weapons: z.array(Weapon, { error: 'must be a list of weapons' }).optional(),
    perpetrator: text('Group responsible, when known.').optional(),
    claimed: z.boolean({ error: 'must be true or false' }).meta({ description: 'The perpetrator claimed it.' }).optional(),
    killed: whole(0, 'People killed, as reported.').optional(),
    injured: whole(0, 'People injured, as reported.').optional(),
    summary: markdown('One line on what happened, Markdown inline.').optional(),
    lat: latitude.optional(),
    lon: longitude.optional(),
    sources: z.array(url('A source reporting the incident.'), { error: 'must be a list of URLs' }).optional(),
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
  authors: z.array(text('An author.'), { error: 'must be a list of names' }).optional(),
});

const dateTime = (description: string) =>
  z
    .string({ error: 'must be a date and time' })
    .regex(DATE_TIME, { error: 'must be a date and time written YYYY-MM-DDTHH:MM, optionally with Z or an offset such as -04:00' })
    .refine((v) => !DATE_TIME.test(v) || !Number.isNaN(Date.parse(v)), { error: 'is not a real date and time' })
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
    authors: z.array(Person, { error: 'must be a list of authors' }).optional(),
    summary: markdown('One-paragraph dek under the title, Markdown.').optional(),
    topics: z.array(text('A topic.'), { error: 'must be a list of topics' }).optional(),
    series: seriesNames.optional(),
    developments: markdown('The "Latest Developments" section, Markdown.'),
    analysis: z.array(Quote, { error: 'must be a list of quotes' }).optional(),
    background: z.array(Section, { error: 'must be a list of sections' }).optional(),
    related: z.array(Related, { error: 'must be a list of links' }).optional(),
    incidents: z.array(Incident, { error: 'must be a list of incidents' }).optional(),
    tally: Tally.optional(),
    compare: z.array(Comparison, { error: 'must be a list of other counts' }).optional(),
    as_of: dateTime('Information cutoff: the brief says "Information as of ..." under the title.').optional(),
    embargo: dateTime('Until this moment the brief is not published: nothing of it is written into the output folder (brief build --embargoed-out writes it to a folder of its own, marked EMBARGOED), and it is left out of the index, feeds and sitemap.').optional(),
    corrections: z.array(Correction, { error: 'must be a list of corrections' }).optional(),
  })
  .meta({
    title: 'Flash brief',
    description: 'One flash brief: prose, quotes and the incident records its tallies are computed from.',
  });

/** incidents/*.yaml beside the briefs folder: incident data kept apart from prose. */
export const IncidentFile = z
  .strictObject({
    series: seriesNames,
    incidents: z.array(Incident, { error: 'must be a list of incidents' }),
  })
  .meta({ title: 'Incident file', description: 'Incidents shared by every brief of the named series.' });

/** places.yaml beside the briefs folder: one spelling and one position for each place. */
export const Places = z
  .array(
    z.strictObject({
      name: text('The canonical name, as incidents should spell it.'),
      country: text('Country of the place.'),
      lat: latitude,
      lon: longitude,
      aliases: z.array(text('Another spelling.'), { error: 'must be a list of names' }).optional(),
    }),
    { error: 'must be a list of places' },
  )
  .meta({ title: 'Places', description: 'Canonical names and positions of places incidents happen at.' });

export type Brief = z.infer<typeof Brief>;
export type IncidentFile = z.infer<typeof IncidentFile>;
export type Place = z.infer<typeof Places>[number];
export type Incident = z.infer<typeof Incident>;
export type Weapon = z.infer<typeof Weapon>;
