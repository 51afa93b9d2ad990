import type { Config } from './config.js';
import type { Brief } from './schema.js';

/*
 * What a value is when nobody set it, and who wins when several did. One place, so a
 * default is written once and the order (a flag, then the brief, then brief.config.yaml,
 * then the default) is the same for every value and every command.
 */

/** Every default, once. */
export const DEFAULTS = {
  /** The bundled template a brief uses unless it or the configuration names another. */
  template: 'flash-brief',
  /** The kicker above the title. */
  label: 'Flash Brief',
  /** BCP 47 language of briefs and site pages. */
  lang: 'en',
  pageSize: 'Letter',
  /** The folder of briefs a command reads when given no paths, relative to where it runs. */
  briefs: 'briefs',
  /** The output folder, relative to where the command runs. */
  outDir: 'output',
} as const;

/** What one brief is rendered with: its own `template`, `label` and `lang`, else the configuration's, else the defaults. */
export function briefSettings(brief: Pick<Brief, 'template' | 'label' | 'lang'>, config: Config): { template: string; label: string; lang: string } {
  return {
    template: brief.template ?? config.template ?? DEFAULTS.template,
    label: brief.label ?? config.label ?? DEFAULTS.label,
    lang: brief.lang ?? config.lang ?? DEFAULTS.lang,
  };
}

/** What the site's pages (index, topics, feeds) are made with: the configuration's settings, else the defaults. */
export function siteSettings(config: Config): { template: string; lang: string } {
  return { template: config.template ?? DEFAULTS.template, lang: config.lang ?? DEFAULTS.lang };
}

/** The PDF page size: the flag (`--page-size`), else `page_size` in brief.config.yaml, else Letter. */
export function pageSizeOf(flag: 'Letter' | 'A4' | undefined, config: Config): 'Letter' | 'A4' {
  return flag ?? (config.page_size === 'a4' ? 'A4' : config.page_size === 'letter' ? 'Letter' : DEFAULTS.pageSize);
}
