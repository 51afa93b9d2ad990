import { formatPath, hasErrors, type Diagnostic, type Path, type YamlPositions } from '../core/diagnostics.js';
import { loadYaml, type Limits } from '../core/load.js';
import { createNoteScope, markdownToPlainText, renderInlineMarkdown, renderMarkdown } from '../core/markdown.js';
import { proseProblems } from '../core/prose-checks.js';
import { expandPlaceholders } from '../core/placeholders.js';
import { isEmbargoed, type Part, type PageRenderer, type RenderedProse, type RenderInput, type RenderOptions } from './renderer.js';
import { contentKey } from '../core/content-key.js';
import { defaultSlug } from '../core/slug.js';
import { untimed, type Timer } from '../core/timer.js';
import { isoDate, SLUG_PATTERN, type Brief } from '../core/schema.js';
import { timelineChart } from '../figures/timeline.js';
import { locatorMap, mapPoints } from '../figures/locator-map.js';
import { briefWarnings, leftOutSections, type PageSection } from '../core/warnings.js';
import { uncoveredCharacters, type CodePoints } from '../core/coverage.js';
import { scaffoldLeftovers } from '../core/leftovers.js';
import { computeTally, inWindow, tallyWindow, type Tally, type TalliedIncident } from '../core/tally.js';
import { gatherIncidents, type Collection, type Gathered, type ParsedBrief } from '../core/collection.js';
import { validateBrief } from '../core/validate.js';
import { briefSettings, DEFAULTS } from '../core/settings.js';

/** The bundled template a brief uses unless it or the configuration names another (settings.ts). */
export const DEFAULT_TEMPLATE = DEFAULTS.template;

/** One brief taken as far as it can go; `renderable` is present only when there is no error. */
export interface CompiledBrief {
  file: string;
  brief?: Brief;
  slug?: string;
  /** Where the slug comes from (the slug key, or the title it is derived from). */
  slugAt?: { line: number; column: number };
  tally?: Tally;
  /** Every incident the brief's tally draws on (inside the window or not), once each. */
  records?: TalliedIncident[];
  /** The summary as plain text: the page's description and the PDF's subject. */
  summaryText?: string;
  /**
   * What the page is made from, present only when there is no error and pages were asked
   * for: `renderPage` makes the page (or the CMS fragment) from it when it is needed.
   */
  renderable?: Renderable;
  /** A hash of everything the page is rendered from (see cache.ts). */
  cacheKey?: string;
  /** The local images the page links to (output-relative asset paths), to be written beside it and given to the print. */
  images?: string[];
  /** Not rendered: the outputs of the last build are this brief's, unchanged. */
  cached?: boolean;
  /** Where the brief's keys are in its YAML, for problems found after compiling (tally across folders). */
  positions?: YamlPositions;
  diagnostics: Diagnostic[];
}

/**
 * A brief ready to be rendered. Everything that can fail (placeholders, Markdown) has run,
 * so rendering cannot fail on the brief's account; it is kept rather than the page so
 * that a build of a thousand briefs holds one page at a time, not all of them.
 */
export interface Renderable {
  renderer: PageRenderer;
  /** The view's input, built when the page is rendered (figures included). */
  input: () => RenderInput;
  options: RenderOptions;
  /** Whether the CMS fragment was asked for too. */
  fragment: boolean;
}

export interface CompileContext {
  /** Page renderers by template name; the names also decide which `template:` values are valid. */
  pageRenderers: ReadonlyMap<string, PageRenderer>;
  /**
   * Mistakes in the templates' own files, by template name: a brief that uses a template
   * with errors fails with them (and has no renderer); warnings are the brief's too.
   */
  templateDiagnostics?: ReadonlyMap<string, readonly Diagnostic[]>;
  /**
   * The parts of a brief each template shows (template.json `shows`), by template name:
   * a part the brief has and its template does not show is a warning. A template not
   * listed, or listed as undefined, shows every part.
   */
  templateShows?: ReadonlyMap<string, readonly PageSection[] | undefined>;
  /** By template name, what its shipped fonts print: other characters in a brief are warned about. */
  fontCoverage?: ReadonlyMap<string, CodePoints>;
  options: RenderOptions;
  /** false for `brief check`: everything is validated, no page is prepared. */
  pages: boolean;
  /** Also render the CMS fragment. */
  fragment?: boolean;
  /** Incremental builds: a brief whose key is fresh is not rendered. */
  cache?: {
    /** A hash of the template's files, by template name. */
    fingerprint: (template: string) => string;
    /**
     * Whether the brief's outputs from its last build still stand. `embargoed`: the brief
     * is under embargo at `options.now`, which decides where its outputs are (or that
     * none are written).
     */
    fresh: (slug: string, key: string, embargoed: boolean) => boolean;
  };
  time?: Timer;
}

/** The pure core for one standalone brief: text in, HTML and diagnostics out. No disk, no browser. */
export function compileBrief(text: string, file: string, context: CompileContext): CompiledBrief {
  const parsed = parseBrief(text, file);
  return finishBrief(parsed, { briefs: [parsed], incidentFiles: [] }, context);
}

/** Loading and validation: the part of a brief that does not depend on other briefs. */
export function parseBrief(text: string, file: string, limits?: Limits, time: Timer = untimed): ParsedBrief {
  const loaded = time('load', () => loadYaml(text, file, limits));
  const diagnostics = [...loaded.diagnostics];
  const { source, data } = loaded;
  if (data === undefined) return { file, source, data, diagnostics };
  const validated = time('validate', () => validateBrief(data, source));
  diagnostics.push(...validated.diagnostics);
  if (!validated.brief) {
    // The numbers cannot be known, but a misspelt placeholder can: report it in this run too.
    for (const field of markdownFields(data)) {
      diagnostics.push(...expandPlaceholders(field.text, undefined, source, field.path).diagnostics);
    }
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  }
  return { file, source, data, brief: validated.brief, diagnostics };
}

/** Tally, placeholders, Markdown and the page, with the rest of the collection at hand. */
export function finishBrief(parsed: ParsedBrief, collection: Collection, context: CompileContext): CompiledBrief {
  const { file, source, brief } = parsed;
  // A broken places file or configuration affects every brief beside it, so its errors are theirs too.
  const diagnostics = [...parsed.diagnostics, ...(collection.places?.diagnostics ?? []), ...(collection.shared ?? [])];
  if (!brief) return { file, slug: bestEffortSlug(parsed.data), diagnostics };
  const templateName = briefSettings(brief, context.options.config).template;
  const renderer = context.pageRenderers.get(templateName);
  const templateProblems = context.templateDiagnostics?.get(templateName);
  if (templateProblems) diagnostics.push(...templateProblems);
  // A template named in brief.config.yaml that does not exist is that file's error, reported once (src/project/prepare.ts).
  if (!renderer && !templateProblems?.length && brief.template !== undefined) {
    const known = [...new Set([...context.pageRenderers.keys(), ...(context.templateDiagnostics?.keys() ?? [])])].sort().join(', ');
    diagnostics.push(source.error(['template'], `template "${templateName}" does not exist; available: ${known}`));
  }

  const time = context.time ?? untimed;
  const target = parsed as ParsedBrief & { brief: Brief };
  const window = tallyWindow(brief);
  const fields = markdownFields(brief);
  const { gathered, tally } = time('tally', () => {
    const gathered = gatherIncidents(target, collection);
    diagnostics.push(...gathered.diagnostics);
    const tally = computeTally(window, gathered.recordsIn(window));
    diagnostics.push(...briefWarnings({ target, gathered, tally, collection, fields }));
    if (renderer && context.templateShows) {
      diagnostics.push(...leftOutSections({ target, tally }, { name: templateName, shows: context.templateShows.get(templateName), all: context.templateShows }));
    }
    diagnostics.push(...scaffoldLeftovers(brief, source));
    diagnostics.push(...proseProblems(source, fields, parsed.images));
    const fonts = context.fontCoverage?.get(templateName);
    if (fonts) diagnostics.push(...uncoveredCharacters(source, fonts));
    return { gathered, tally };
  });
  // What the page needs of the series: the window's records and the briefs it links to, not
  // the series itself, which the page (kept until it is rendered) must not hold on to.
  const links = seriesLinks(gathered, context.options.now);
  const counted: Counted = { window, fields, records: gathered.recordsIn(window), links, tally, templateName, renderer, diagnostics };
  return time('render', () => proseAndPage(target, collection, context, counted, gathered.allRecords));
}

interface Counted {
  window: ReturnType<typeof tallyWindow>;
  fields: MarkdownField[];
  /** The records in the window, in the fixed order (Gathered.recordsIn). */
  records: TalliedIncident[];
  /** The briefs the page links to, as they are at the run's clock. */
  links: Pick<RenderInput, 'previous' | 'back' | 'next'>;
  tally: Tally;
  templateName: string;
  renderer: PageRenderer | undefined;
  diagnostics: Diagnostic[];
}

/** Placeholders, Markdown and what the page needs: everything after the numbers are known. */
function proseAndPage(parsed: ParsedBrief & { brief: Brief }, collection: Collection, context: CompileContext, counted: Counted, allRecords: () => TalliedIncident[]): CompiledBrief {
  const { file, source, brief } = parsed;
  const { fields, tally, renderer, diagnostics } = counted;
  const slug = brief.slug ?? defaultSlug(brief);
  const slugAt = source.locate(brief.slug === undefined ? ['title'] : ['slug']);
  const images = [...new Set([...(parsed.images?.values() ?? [])].flatMap((i) => (i.asset ? [i.asset] : [])))];
  const known = { file, brief, slug, slugAt, tally, positions: source, ...(images.length > 0 ? { images } : {}) };
  const cacheKey = context.cache && context.pages && renderer && !hasErrors(diagnostics) ? pageKey(parsed, collection, context, counted, slug) : undefined;
  // A brief whose inputs are those of the last build skips Markdown and the page; only
  // the plain summary is needed, for the index, feeds and PDF metadata.
  if (cacheKey !== undefined && context.cache?.fresh(slug, cacheKey, isEmbargoed(brief, context.options.now))) {
    const summary = fields.find((f) => f.path[0] === 'summary');
    const summaryText = summary && markdownToPlainText(expandPlaceholders(summary.text, tally, source, summary.path).text);
    return withRecords({ ...known, summaryText, diagnostics: byPosition(diagnostics), cacheKey, cached: true }, allRecords);
  }
  const prose = renderProse(parsed, fields, tally, diagnostics, slug);
  const result: CompiledBrief = withRecords({ ...known, summaryText: prose.rendered.summaryText, diagnostics: byPosition(diagnostics), cacheKey }, allRecords);
  if (context.pages && renderer && !hasErrors(diagnostics)) {
    const input = () => pageInput(brief, collection, counted, prose, slug);
    result.renderable = { renderer, input, options: context.options, fragment: context.fragment === true };
  }
  return result;
}

/**
 * `records`, every record the brief draws on, found when first read and then kept: a
 * build never reads it, so a thousand briefs of one series do not each hold the series
 * (`brief tally` and `brief export` do read it).
 */
function withRecords(compiled: CompiledBrief, allRecords: () => TalliedIncident[]): CompiledBrief {
  let records: TalliedIncident[] | undefined;
  return Object.defineProperty(compiled, 'records', {
    get: () => (records ??= allRecords()),
    set: (value: TalliedIncident[]) => (records = value),
    enumerable: true,
    configurable: true,
  });
}

/** Diagnostics in reading order: by file, then line, then column (sorted in place). */
const byPosition = (diagnostics: Diagnostic[]): Diagnostic[] =>
  diagnostics.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);

/** A hash of everything the brief's page is rendered from (see BuildCache in project/cache.ts). */
function pageKey({ brief, images }: ParsedBrief & { brief: Brief }, collection: Collection, context: CompileContext, counted: Counted, slug: string): string {
  const { now, ...options } = context.options;
  const { previous, back, next } = counted.links;
  return contentKey({
    template: context.cache?.fingerprint(counted.templateName),
    options,
    embargoed: isEmbargoed(brief, now),
    fragment: context.fragment === true,
    slug,
    brief,
    // Only what the window counts: an earlier brief's incidents outside it change nothing here.
    records: inWindow(counted.window, counted.records),
    // The briefs the page links to, as they are at `now`: a brief published later, or
    // one whose embargo lifts, changes them.
    previous,
    back,
    next,
    places: collection.places?.places ?? [],
    // Each asset's name carries a hash of its bytes: a changed image changes the page.
    images: [...(images ?? [])].map(([src, image]) => [src, image.asset ?? null, image.width ?? null, image.height ?? null]),
  });
}

/** A brief's Markdown fields as HTML, by path, and the prose the page shows. */
interface Prose {
  rendered: RenderedProse;
  /** One field's HTML by its path (['incidents', 2, 'summary']). */
  at: (...path: Path) => string | undefined;
}

/**
 * Placeholders first, then Markdown: the numbers become ordinary text before rendering.
 * Footnotes are numbered across the fields and their ids start with the slug.
 * The placeholders' problems, and a field too deeply nested to render, are added to
 * `diagnostics`.
 */
function renderProse({ source, brief, images }: ParsedBrief & { brief: Brief }, fields: readonly MarkdownField[], tally: Tally, diagnostics: Diagnostic[], slug: string): Prose {
  const html = new Map<string, string>();
  // One numbering of notes for the whole brief, in the order the page shows the fields,
  // with ids of this brief's own (two briefs' fragments may share a CMS page).
  const notes = createNoteScope(slug);
  let summaryText: string | undefined;
  for (const field of fields) {
    const expanded = expandPlaceholders(field.text, tally, source, field.path);
    diagnostics.push(...expanded.diagnostics);
    try {
      html.set(field.path.join('.'), field.inline ? renderInlineMarkdown(expanded.text, images) : renderMarkdown(expanded.text, notes, images));
    } catch (err) {
      // marked recurses once per nesting level; thousands of ">" exhaust the stack
      // (https://github.com/markedjs/marked/issues/1462, back since its fix was reverted).
      const reason = (err as Error).message.split('\n')[0];
      diagnostics.push(source.error(field.path, `${formatPath(field.path)} could not be rendered (${reason}); is it nested thousands of levels deep?`));
    }
    if (field.path[0] === 'summary') summaryText = markdownToPlainText(expanded.text);
  }
  const at = (...path: Path) => html.get(path.join('.'));
  const rendered: RenderedProse = {
    summary: at('summary'),
    summaryText,
    developments: at('developments') ?? '',
    analysis: (brief.analysis ?? []).map((_, i) => at('analysis', i, 'quote') ?? ''),
    background: (brief.background ?? []).map((_, i) => at('background', i, 'body') ?? ''),
    corrections: (brief.corrections ?? []).map((_, i) => at('corrections', i, 'text') ?? ''),
  };
  return { rendered, at };
}

/** What the page template is given: made when the page is rendered, figures included. */
function pageInput(brief: Brief, collection: Collection, { window, records, links, tally }: Counted, prose: Prose, slug: string): RenderInput {
  const counted = inWindow(window, records).sort(
    (a, b) => a.incident.date.localeCompare(b.incident.date) || a.incident.location.localeCompare(b.incident.location),
  );
  const own = brief.incidents ?? [];
  return {
    brief,
    tally,
    prose: prose.rendered,
    figures: {
      timeline: timelineChart(window, records, brief.date),
      map: locatorMap(mapPoints(counted.map((r) => r.incident), collection.places?.places ?? []), Object.keys(tally.byCountry)),
    },
    annex: counted.map(({ incident, previous }) => {
      // This brief's summaries have had their placeholders filled; others' are shown as written.
      const i = own.indexOf(incident);
      const summary = i >= 0 ? prose.at('incidents', i, 'summary') : incident.summary && renderInlineMarkdown(incident.summary);
      return { incident, summary, previous };
    }),
    ...links,
    slug,
  };
}

/**
 * The briefs of the series a page links to. `previous`: the previous brief, which the tally
 * box's "new since the previous brief" links to; none while that brief is under embargo,
 * so a published page never names or links to it before its time (its incidents are still
 * counted). `back` and `next`: the nearest earlier and later briefs that are out; one under
 * embargo is skipped, so a published page never reveals it before its time.
 */
function seriesLinks(gathered: Gathered, now: Date): Pick<RenderInput, 'previous' | 'back' | 'next'> {
  const link = (b: Brief | undefined) => b && { date: b.date, title: b.title, slug: b.slug ?? defaultSlug(b) };
  const out = (b: { brief: Brief }) => !isEmbargoed(b.brief, now);
  const previous = gathered.previous?.brief;
  return {
    previous: previous && out({ brief: previous }) ? link(previous) : undefined,
    back: link(gathered.nearestEarlier(out)?.brief),
    next: link(gathered.nearestLater(out)?.brief),
  };
}

/**
 * The render step: a compiled brief's page (`part: 'page'`, the whole HTML document) or
 * its CMS fragment (`'fragment'`), as HTML text. Undefined when the brief has errors, was
 * compiled without pages (check), or the fragment was not asked for. A template that
 * fails at render time throws a Handlebars exception (see `isTemplateException`).
 */
export function renderPage(compiled: CompiledBrief, part: Part = 'page', time: Timer = untimed): string | undefined {
  const r = compiled.renderable;
  if (!r || (part === 'fragment' && !r.fragment)) return undefined;
  return time('render', () => r.renderer(r.input(), r.options, part));
}

/** The slug a brief that failed validation would have had, so the manifest can name its outputs. */
function bestEffortSlug(data: unknown): string | undefined {
  const { slug, title, date } = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  if (typeof slug === 'string') return SLUG_PATTERN.test(slug) ? slug : undefined;
  if (typeof title === 'string' && isoDate('').safeParse(date).success) return defaultSlug({ title, date: date as string });
  return undefined;
}

interface MarkdownField {
  path: Path;
  text: string;
  /** Quotes and incident summaries are one line of inline Markdown, not paragraphs. */
  inline: boolean;
}

/**
 * Every Markdown field of a brief and where it is: one list for placeholders, Markdown
 * and positions. Works on raw data too, so placeholders are checked when the rest is invalid.
 */
export function markdownFields(data: unknown): MarkdownField[] {
  const fields: MarkdownField[] = [];
  const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const add = (path: Path, value: unknown, inline: boolean) => {
    if (typeof value === 'string') fields.push({ path, text: value, inline });
  };
  const brief = record(data);
  add(['summary'], brief.summary, false);
  add(['developments'], brief.developments, false);
  list(brief.analysis).forEach((q, i) => add(['analysis', i, 'quote'], record(q).quote, true));
  list(brief.background).forEach((s, i) => add(['background', i, 'body'], record(s).body, false));
  list(brief.incidents).forEach((inc, i) => add(['incidents', i, 'summary'], record(inc).summary, true));
  list(brief.corrections).forEach((c, i) => add(['corrections', i, 'text'], record(c).text, true));
  return fields;
}
