import * as z from 'zod';
import type { Diagnostic, YamlPositions } from './diagnostics.js';
import { DEFAULT_LIMITS, loadYaml, type Limits } from './load.js';
import { validateWith } from './validate.js';
import { cleanUrlText, limited, LIST_LIMITS } from './schema.js';

/*
 * brief.config.yaml at the project root: the organization's name, its site, and the
 * defaults every brief starts from. Checked like a brief, with positions; the project
 * runs with none.
 */

export const CONFIG_FILE = 'brief.config.yaml';

const colour = (description: string) =>
  z
    .string({ error: 'must be a colour' })
    .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour written #rrggbb, e.g. #0d2f57' })
    .meta({ description });

// Schemes are case-insensitive (RFC 3986, 3.1).
const SITE_URL = /^[hH][tT][tT][pP][sS]?:\/\/[^\s]+\/$/;
/** A DevTools endpoint: Chrome's WebSocket address, or the HTTP address it answers /json/version on. */
const BROWSER_WS = /^(?:[wW][sS][sS]?|[hH][tT][tT][pP][sS]?):\/\/\S+$/;
/**
 * A URL of the form `pattern` gives, said in `error` when the form is wrong and as "is not
 * a valid URL" when the form is right but the URL still does not parse (e.g. `ws://[::1/x`).
 * Control characters, direction marks and spaces are refused first, by name: they could
 * drive the terminal a notice prints the address to, or hide where it goes.
 */
const urlLike = (text: z.ZodString, pattern: RegExp, error: string) =>
  cleanUrlText(text).regex(pattern, { error }).refine((v) => !pattern.test(v) || URL.canParse(v), { error: 'is not a valid URL' });

/** A family name, safe to put in a stylesheet: letters, digits, spaces and hyphens. */
const FONT_FAMILY = /^[A-Za-z0-9 -]+$/;
const fontError = { error: 'must be a font family name (letters, digits, spaces and hyphens)' };

/**
 * One of a few fixed words, in any case ("A4", "Letter"), read as its lower-case form:
 * people write page sizes the way they are printed on paper packs, and a value that only
 * differs in case is not a mistake worth stopping a build for. The JSON Schema says the
 * same with a pattern, so an editor does not flag what the tool accepts.
 */
const anyCaseOf = <T extends string>(values: readonly [T, ...T[]], error: string) => {
  const letters = (word: string) => [...word].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join('');
  const pattern = new RegExp(`^(?:${values.map(letters).join('|')})$`);
  return z
    .string({ error })
    .regex(pattern, { error })
    .transform((v) => v.toLowerCase() as T);
};

export const Config = z
  .strictObject({
    organization: z.string({ error: 'must be text' }).min(1).meta({ description: 'Publisher name: page footer, feeds and structured data. Default: none.' }).optional(),
    site: z
      .strictObject({
        url: urlLike(z.string({ error: 'must be a URL' }), SITE_URL, 'must be an http(s) URL ending in "/", e.g. https://example.org/briefs/')
          .meta({ description: 'Where output/ is published. Needed for feeds, the sitemap and canonical links. Default: none.' })
          .optional(),
        title: z.string({ error: 'must be text' }).min(1).meta({ description: 'Title of the index page and feeds. Default: "Flash Briefs".' }).optional(),
        description: z.string({ error: 'must be text' }).meta({ description: 'One line under the index title and in the feeds.' }).optional(),
      })
      .optional(),
    label: z.string({ error: 'must be text' }).min(1).meta({ description: 'Default kicker of briefs. Default: "Flash Brief".' }).optional(),
    template: z.string({ error: 'must be text' }).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'must be a template folder name' }).meta({ description: 'Default template. Default: flash-brief.' }).optional(),
    lang: z.string({ error: 'must be text' }).regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, { error: 'must be a language tag such as en' }).meta({ description: 'Default language. Default: en.' }).optional(),
    page_size: anyCaseOf(['letter', 'a4'], 'must be letter or a4').meta({ description: 'PDF page size: letter or a4, in any case. Default: letter.' }).optional(),
    browser_ws: urlLike(z.string({ error: 'must be text' }), BROWSER_WS, 'must be a ws://, wss://, http:// or https:// address')
      .meta({ description: 'DevTools endpoint of a running Chrome to print with, instead of launching one (same as --browser-ws). Default: none.' })
      .optional(),
    colors: z
      .strictObject({
        accent: colour('Headings, rules and the tally box. Default: #0d2f57.').optional(),
        kicker: colour('The label above the title and quote rules. Default: #a3161b.').optional(),
      })
      .optional(),
    logo: z
      .string({ error: 'must be a file path' })
      .regex(/\.(svg|png)$/i, { error: 'must be an .svg or .png file' })
      .meta({ description: 'The organization\'s logo (SVG or PNG), relative to the project root: shown above the title in the HTML and the PDF. Default: none.' })
      .optional(),
    header: z.string({ error: 'must be text' }).min(1).meta({ description: 'Text at the top right of every PDF page. Default: none.' }).optional(),
    fonts: z
      .strictObject({
        body: z.string({ error: 'must be text' }).regex(FONT_FAMILY, fontError).meta({ description: 'Font family of the text, e.g. "Source Serif 4" (bundled) or Georgia. Default: Source Serif 4.' }).optional(),
        headings: z.string({ error: 'must be text' }).regex(FONT_FAMILY, fontError).meta({ description: 'Font family of headings, labels and the tally box. Default: Source Sans 3.' }).optional(),
        files: limited(
          z.array(z.string({ error: 'must be a file path' }).min(1, { error: 'must be a file path' }), { error: 'must be a list of font file paths' }),
          LIST_LIMITS.fontFiles,
        )
          .meta({
            description:
              'Font files shipped with the project (.woff2, .woff, .ttf or .otf), relative to the project root: embedded in every page and PDF like the bundled fonts. Each file\'s family, weight and style come from the font itself; name its family in body or headings. Its licence must allow embedding. Default: none.',
          })
          .optional(),
      })
      .meta({ description: 'Font families. The bundled fonts and those in files are embedded in every PDF; another family must be installed where PDFs are printed, or added to a template (see the README).' })
      .optional(),
    limits: z
      .strictObject({
        file_chars: z.int({ error: 'must be a whole number >= 1' }).min(1, { error: 'must be a whole number >= 1' }).meta({ description: 'Characters in one input file. Default: 2,000,000.' }).optional(),
        depth: z.int({ error: 'must be a whole number >= 1' }).min(1, { error: 'must be a whole number >= 1' }).meta({ description: 'Levels of nesting in one file. Default: 32.' }).optional(),
        string_chars: z.int({ error: 'must be a whole number >= 1' }).min(1, { error: 'must be a whole number >= 1' }).meta({ description: 'Characters in one value. Default: 200,000.' }).optional(),
      })
      .meta({ description: 'How much an input file may hold: larger or deeper files are refused with a clear message.' })
      .optional(),
    footer: z.string({ error: 'must be text' }).min(1).meta({ description: 'Text at the bottom left of every PDF page. Default: the brief\'s label.' }).optional(),
    disclaimer: z.string({ error: 'must be text' }).min(1).meta({ description: 'A line printed at the end of every brief. Default: none.' }).optional(),
  })
  .meta({ title: 'flashbrief configuration', description: 'brief.config.yaml: the organization, its site and the defaults of every brief.' });

export type Config = z.infer<typeof Config>;

export function parseConfig(text: string, file: string): { config: Config; diagnostics: Diagnostic[]; source: YamlPositions } {
  const loaded = loadYaml(text, file);
  const { source } = loaded;
  if (loaded.data === undefined) return { config: {}, diagnostics: loaded.diagnostics, source };
  // An empty file is an empty configuration, not an error.
  const data = loaded.data === null ? {} : loaded.data;
  const { value, diagnostics } = validateWith(Config, data, source, 'the configuration');
  return { config: value ?? {}, diagnostics: [...loaded.diagnostics, ...diagnostics], source };
}

/** The loader's limits, from the configuration or the defaults. */
export const limitsOf = (config: Config): Limits => ({
  fileChars: config.limits?.file_chars ?? DEFAULT_LIMITS.fileChars,
  depth: config.limits?.depth ?? DEFAULT_LIMITS.depth,
  stringChars: config.limits?.string_chars ?? DEFAULT_LIMITS.stringChars,
});
