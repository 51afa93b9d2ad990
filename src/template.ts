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
  /** A template this one builds on: every file it does not have comes from there. */
  extends: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).optional(),
  stylesheet: z.string().optional(),
  /** npm packages whose files/ folder holds the fonts the stylesheet names as url(fonts/...). */
  fontPackages: z.array(z.string()).optional(),
});
type Manifest = z.infer<typeof Manifest>;

/** A template loaded from disk: its text for the renderer and the files the pages link to. */
export interface Template extends TemplateSource {
  /** Output-relative path (assets/<name>.<hash>.<ext>) to file contents. */
  assets: Map<string, Buffer>;
}

export class TemplateError extends Error {}

/**
 * Every template in the given folders, the first folder winning file by file: a user's
 * folder (`--templates DIR`) holding only partials/masthead.hbs overrides just that
 * partial, and a folder of its own with a template.json adds a template.
 */
export async function loadTemplates(dirs: readonly string[] = [BUNDLED_TEMPLATES]): Promise<Map<string, Template>> {
  const names = new Set<string>();
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw new TemplateError(`templates folder ${dir} does not exist`);
    });
    for (const e of entries) if (e.isDirectory() && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(e.name)) names.add(e.name);
  }
  const templates = new Map<string, Template>();
  for (const name of [...names].sort()) {
    const layers = await layersOf(name, dirs, []);
    if (layers.length > 0) templates.set(name, await loadTemplate(name, layers));
  }
  return templates;
}

/** The folders a template's files come from, most specific first, following `extends`. */
async function layersOf(name: string, dirs: readonly string[], seen: string[]): Promise<string[]> {
  if (seen.includes(name)) throw new TemplateError(`templates extend each other in a circle: ${[...seen, name].join(' -> ')}`);
  const own = dirs.map((d) => path.join(d, name)).filter((f) => existsSync(f));
  const manifest = await readManifest(own);
  if (!manifest) return [];
  const parent = manifest.extends ? await layersOf(manifest.extends, dirs, [...seen, name]) : [];
  if (manifest.extends && parent.length === 0) throw new TemplateError(`template ${name} extends ${manifest.extends}, which does not exist`);
  return [...own, ...parent];
}

/** template.json from the first layer that has one. */
async function readManifest(layers: readonly string[]): Promise<Manifest | undefined> {
  const file = layers.map((l) => path.join(l, 'template.json')).find((f) => existsSync(f));
  if (!file) return undefined;
  const parsed = Manifest.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new TemplateError(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function loadTemplate(name: string, layers: readonly string[]): Promise<Template> {
  const find = (rel: string) => layers.map((l) => path.join(l, rel)).find((f) => existsSync(f));
  const read = async (rel: string) => {
    const file = find(rel);
    if (!file) throw new TemplateError(`template ${name} has no ${rel} (looked in ${layers.join(', ')})`);
    return readFile(file, 'utf8');
  };
  // Settings come from the nearest layer that sets them.
  const manifests = (await Promise.all(layers.map((l) => readManifest([l])))).filter((m): m is Manifest => !!m);
  const stylesheetName = manifests.find((m) => m.stylesheet)?.stylesheet ?? 'brief.css';
  const fontPackages = manifests.find((m) => m.fontPackages)?.fontPackages ?? [];

  const partials: Record<string, string> = {};
  for (const layer of [...layers].reverse()) {
    const dir = path.join(layer, 'partials');
    for (const file of (await readdir(dir).catch(() => [] as string[])).sort()) {
      if (file.endsWith('.hbs')) partials[file.slice(0, -4)] = await readFile(path.join(dir, file), 'utf8');
    }
  }

  // Every asset is named after its content, in one assets/ folder shared by all pages and
  // templates: a server can cache them forever, and a changed file gets a new name.
  const assets = new Map<string, Buffer>();
  const add = (file: string, bytes: Buffer) => {
    const key = `assets/${hashedName(file, bytes)}`;
    assets.set(key, bytes);
    return key;
  };
  let css = await read(stylesheetName);
  for (const font of fontReferences(css)) {
    const key = add(font, await readFile(findFont(font, fontPackages, layers, name)));
    css = css.replaceAll(`fonts/${font}`, key.slice('assets/'.length));
  }
  const stylesheet = add(stylesheetName, Buffer.from(css));
  add(scopedName(stylesheetName), Buffer.from(scopeStylesheet(css)));

  return {
    name,
    layout: await read('layout.hbs'),
    index: find('index.hbs') ? await read('index.hbs') : undefined,
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
function findFont(file: string, packages: readonly string[], layers: readonly string[], name: string): string {
  // A package resolves from the template's own folders first (a user's fonts), then from flashbrief's.
  const bases = [...layers, PACKAGE_ROOT].map((dir) => createRequire(path.join(dir, 'template.json')));
  for (const pkg of packages) {
    const entry = bases.map((require) => tryResolve(require, pkg)).find((e) => e !== undefined);
    if (!entry) throw new TemplateError(`template ${name}: font package ${pkg} is not installed (npm install ${pkg})`);
    const candidate = path.join(path.dirname(entry), 'files', file);
    if (existsSync(candidate)) return candidate;
  }
  throw new TemplateError(
    `template ${name}: font ${file} is in none of its fontPackages (${packages.join(', ') || 'none listed'})`,
  );
}

function tryResolve(require: NodeJS.Require, pkg: string): string | undefined {
  try {
    return require.resolve(pkg);
  } catch {
    return undefined;
  }
}
