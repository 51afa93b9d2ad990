import slugify from '@sindresorhus/slugify';
import { hasErrors, type Diagnostic, type Path } from './diagnostics.js';
import { loadYaml } from './load.js';
import { markdownToPlainText, renderInlineMarkdown, renderMarkdown } from './markdown.js';
import { expandPlaceholders } from './placeholders.js';
import type { RenderedProse, Renderer, RenderOptions } from './render.js';
import type { Brief } from './schema.js';
import { computeTally, mergeById, tallyWindow, type Tally } from './tally.js';
import { validateBrief } from './validate.js';

export const DEFAULT_TEMPLATE = 'flash-brief';

/** One brief taken as far as it can go; `html` is present only when there is no error. */
export interface CompiledBrief {
  file: string;
  brief?: Brief;
  slug?: string;
  /** Where the slug comes from (the slug key, or the title it is derived from). */
  slugAt?: { line: number; column: number };
  tally?: Tally;
  /** The summary as plain text: the page's description and the PDF's subject. */
  summaryText?: string;
  html?: string;
  diagnostics: Diagnostic[];
}

export interface CompileContext {
  /** Renderers by template name; the names also decide which `template:` values are valid. */
  renderers: ReadonlyMap<string, Renderer>;
  options: RenderOptions;
  /** false for `brief check`: everything is validated, nothing is rendered. */
  render: boolean;
}

/** The pure core for one brief: text in, HTML and diagnostics out. No disk, no browser. */
export function compileBrief(text: string, file: string, context: CompileContext): CompiledBrief {
  const loaded = loadYaml(text, file);
  const diagnostics = [...loaded.diagnostics];
  if (loaded.data === undefined) return { file, diagnostics };
  const { source } = loaded;

  const validated = validateBrief(loaded.data, source);
  diagnostics.push(...validated.diagnostics);
  const brief = validated.brief;
  if (!brief) return { file, diagnostics };

  const templateName = brief.template ?? DEFAULT_TEMPLATE;
  const renderer = context.renderers.get(templateName);
  if (!renderer) {
    const known = [...context.renderers.keys()].join(', ');
    diagnostics.push(source.error(['template'], `template "${templateName}" does not exist; available: ${known}`));
  }

  const merged = mergeById((brief.incidents ?? []).map((incident, i) => ({ incident, source, path: ['incidents', i] })));
  diagnostics.push(...merged.diagnostics);
  const tally = computeTally(
    tallyWindow(brief),
    merged.unique.map(({ incident }) => ({ incident, listedHere: true, listedBefore: false })),
  );

  // Placeholders first, then Markdown: the numbers become ordinary text before rendering.
  const expand = (value: string, path: Path): string => {
    const expanded = expandPlaceholders(value, tally, source, path);
    diagnostics.push(...expanded.diagnostics);
    return expanded.text;
  };
  const prose = (value: string, path: Path, inline: boolean): string =>
    inline ? renderInlineMarkdown(expand(value, path)) : renderMarkdown(expand(value, path));
  const summary = brief.summary === undefined ? undefined : expand(brief.summary, ['summary']);
  const rendered: RenderedProse = {
    summary: summary === undefined ? undefined : renderMarkdown(summary),
    summaryText: summary === undefined ? undefined : markdownToPlainText(summary),
    developments: prose(brief.developments, ['developments'], false),
    analysis: (brief.analysis ?? []).map((q, i) => prose(q.quote, ['analysis', i, 'quote'], true)),
    background: (brief.background ?? []).map((s, i) => prose(s.body, ['background', i, 'body'], false)),
    incidents: (brief.incidents ?? []).map((inc, i) =>
      inc.summary === undefined ? undefined : prose(inc.summary, ['incidents', i, 'summary'], true),
    ),
  };

  const slug = brief.slug ?? defaultSlug(brief);
  const slugAt = source.locate(brief.slug === undefined ? ['title'] : ['slug']);
  const result: CompiledBrief = { file, brief, slug, slugAt, tally, summaryText: rendered.summaryText, diagnostics };
  if (context.render && renderer && !hasErrors(diagnostics)) {
    result.html = renderer(brief, tally, rendered, context.options);
  }
  return result;
}

/** date + title, e.g. 2023-10-24-militia-drone-attacks, cut at a word near 80 characters. */
export function defaultSlug(brief: Pick<Brief, 'date' | 'title'>): string {
  let words = slugify(brief.title, { decamelize: false });
  if (words.length > 70) words = words.slice(0, 70).replace(/-[^-]*$/, '');
  return words ? `${brief.date}-${words}` : brief.date;
}
