import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import postcss from 'postcss';
import prefixSelector from 'postcss-prefix-selector';
import { FRAGMENT_SCOPE, type TemplateSource } from './render.js';

/** The project's own folder, so templates and schema are found from wherever `brief` runs. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLED_TEMPLATES = path.join(PACKAGE_ROOT, 'templates');

const Manifest = z.strictObject({
  description: z.string().optional(),
  stylesheet: z.string(),
  /** npm packages whose files/ folder holds the fonts the stylesheet names as url(fonts/...). */
  fontPackages: z.array(z.string()).default([]),
});

/** A template loaded from disk: its text for the renderer and the files the pages link to. */
export interface Template extends TemplateSource {
  /** Output-relative path (assets/<template>/...) to file contents. */
  assets: Map<string, Buffer>;
}

export class TemplateError extends Error {}

/** Every template folder (one with a template.json) in `dir`. */
export async function loadTemplates(dir: string = BUNDLED_TEMPLATES): Promise<Map<string, Template>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const templates = new Map<string, Template>();
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const folder = path.join(dir, entry.name);
    const names = await readdir(folder);
    if (names.includes('template.json')) templates.set(entry.name, await loadTemplate(folder));
  }
  return templates;
}

export async function loadTemplate(folder: string): Promise<Template> {
  const name = path.basename(folder);
  const manifestFile = path.join(folder, 'template.json');
  const parsed = Manifest.safeParse(JSON.parse(await readFile(manifestFile, 'utf8')));
  if (!parsed.success) throw new TemplateError(`${manifestFile}: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;

  const partialsDir = path.join(folder, 'partials');
  const partials: Record<string, string> = {};
  for (const file of (await readdir(partialsDir)).sort()) {
    if (file.endsWith('.hbs')) partials[file.slice(0, -4)] = await readFile(path.join(partialsDir, file), 'utf8');
  }

  // Every asset is named after its content, in one assets/ folder shared by all pages and
  // templates: a server can cache them forever, and a changed file gets a new name.
  const assets = new Map<string, Buffer>();
  const add = (file: string, bytes: Buffer) => {
    const key = `assets/${hashedName(file, bytes)}`;
    assets.set(key, bytes);
    return key;
  };
  let css = await readFile(path.join(folder, manifest.stylesheet), 'utf8');
  for (const font of fontReferences(css)) {
    const key = add(font, await readFile(findFont(font, manifest.fontPackages, folder)));
    css = css.replaceAll(`fonts/${font}`, key.slice('assets/'.length));
  }
  const stylesheet = add(manifest.stylesheet, Buffer.from(css));
  add(scopedName(manifest.stylesheet), Buffer.from(scopeStylesheet(css)));

  return {
    name,
    layout: await readFile(path.join(folder, 'layout.hbs'), 'utf8'),
    index: await readFile(path.join(folder, 'index.hbs'), 'utf8').catch(() => undefined),
    partials,
    stylesheet,
    assets,
  };
}

const scopedName = (stylesheet: string) => stylesheet.replace(/\.css$/, '.scoped.css');

/** brief.css -> brief.3f2a9c1e07.css: the name changes exactly when the content does. */
export function hashedName(file: string, bytes: Buffer): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const dot = file.lastIndexOf('.');
  return `${file.slice(0, dot)}.${hash}${file.slice(dot)}`;
}

/**
 * The stylesheet for fragments pasted into a CMS page: every rule is prefixed with the
 * fragment's class, page-wide selectors (:root, html, body) become that class, and
 * @page rules go, since they would change how the host page prints.
 */
export function scopeStylesheet(css: string): string {
  const scope = `.${FRAGMENT_SCOPE}`;
  const root = postcss.parse(css);
  root.walkAtRules('page', (rule) => {
    rule.remove();
  });
  return postcss([
    prefixSelector({
      prefix: scope,
      transform: (prefix, selector, prefixed) => (/^(:root|html|body)$/.test(selector) ? prefix : prefixed),
    }),
  ]).process(root, { from: undefined }).css;
}

/** File names the stylesheet loads as url(fonts/NAME). */
function fontReferences(css: string): string[] {
  const names = new Set<string>();
  for (const m of css.matchAll(/url\(\s*["']?fonts\/([A-Za-z0-9._-]+)["']?\s*\)/g)) names.add(m[1] as string);
  return [...names];
}

/** Fonts come from npm packages, so they install with the project and never from the network. */
function findFont(file: string, packages: readonly string[], folder: string): string {
  const require = createRequire(path.join(folder, 'template.json'));
  for (const pkg of packages) {
    let entry: string;
    try {
      entry = require.resolve(pkg);
    } catch {
      throw new TemplateError(`template ${path.basename(folder)}: font package ${pkg} is not installed (npm install ${pkg})`);
    }
    const candidate = path.join(path.dirname(entry), 'files', file);
    if (existsSync(candidate)) return candidate;
  }
  throw new TemplateError(
    `template ${path.basename(folder)}: font ${file} is in none of its fontPackages (${packages.join(', ') || 'none listed'})`,
  );
}
