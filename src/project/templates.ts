import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import postcss from 'postcss';
import prefixSelector from 'postcss-prefix-selector';
import type { Diagnostic } from '../core/diagnostics.js';
import { PAGE_SECTIONS, type PageSection } from '../core/warnings.js';
import { mergeRanges, parseUnicodeRange, type CodePoints } from '../core/coverage.js';
import { displayPath, readRegularFile, readText } from './files.js';
import { noteFolder, noteInput, recordingInputs } from './input-log.js';
import { cachedOnDisk, type Codec } from './user-cache.js';
import { VERSION } from './version.js';
import { FRAGMENT_SCOPE, type TemplateSource } from '../page/renderer.js';
import { checkTemplate, type TemplateFile } from '../template/template-check.js';
import { jsonLocator, manifestProblem } from './template-manifest.js';

/** The project's own folder, so templates and schema are found from wherever `brief` runs. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLED_TEMPLATES = path.join(PACKAGE_ROOT, 'templates');

const Manifest = z.strictObject({
  description: z.string().optional(),
  /** A template this one builds on: every file it does not have comes from there. */
  extends: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).optional(),
  stylesheet: z.string().optional(),
  /** npm packages whose files/ folder holds the fonts the stylesheet names as url(fonts/...). */
  fontPackages: z.array(z.string()).optional(),
  /**
   * The parts of a brief the template's pages show: `brief check` warns about a part a brief
   * has that is not listed, rather than let it vanish from the page. Absent: every part.
   */
  shows: z.array(z.enum(PAGE_SECTIONS)).optional(),
  /** A stylesheet of @font-face rules put before the main one (kept apart: it is generated). */
  fontFaces: z.string().optional(),
  /**
   * The most pages a brief's PDF should take: a build warns about one that prints on more,
   * rather than let a template that promises one page hand out three. Absent: no limit.
   */
  pages: z.number().int().positive().optional(),
});
type Manifest = z.infer<typeof Manifest>;

/** A template loaded from disk: its text for the renderer and the files the pages link to. */
export interface Template extends TemplateSource {
  /** Output-relative path (assets/<name>.<hash>.<ext>) to file contents. */
  assets: Map<string, Buffer>;
  /**
   * Mistakes in the template's own files, at their positions: errors (a block never
   * closed, a missing partial, a template.json that is not JSON) mean no brief is rendered
   * with it; warnings (a name the page does not provide) are shown with every check.
   */
  diagnostics: Diagnostic[];
  /** The parts of a brief its pages show (template.json `shows`); undefined: every part. */
  shows?: readonly PageSection[];
  /** The most pages its PDF should take (template.json `pages`); undefined: no limit. */
  pages?: number;
  /**
   * What the shipped fonts print (the union of the @font-face rules' unicode-range), for
   * the warning about characters no font of the template has; undefined when a face has
   * no unicode-range, as what it covers is then unknown.
   */
  coverage?: CodePoints;
  /** The families the template's @font-face rules declare: those are shipped. */
  families: ReadonlySet<string>;
}

/** A templates folder that is not there: the run cannot start. */
export class TemplateError extends Error {}

/** A mistake in one template's files: it fails the briefs that use that template, at its position. */
class TemplateProblem extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

export interface LoadTemplatesOptions {
  /** Where paths in messages are relative to. Default: the process's working directory. */
  cwd?: string;
}

/**
 * Every template in the given folders, the first folder winning file by file: a user's
 * folder (`--templates DIR`) holding only partials/masthead.hbs overrides just that
 * partial, and a folder of its own with a template.json adds a template. A template with
 * mistakes is still returned, with them in `diagnostics`, so the briefs that use it can
 * say why they were not built and the others build. Throws TemplateError only when a
 * templates folder does not exist.
 */
export async function loadTemplates(dirs: readonly string[] = [BUNDLED_TEMPLATES], options: LoadTemplatesOptions = {}): Promise<Map<string, Template>> {
  const shown = (file: string) => displayPath(file, options.cwd ?? process.cwd());
  const names = new Set<string>();
  for (const dir of dirs) {
    noteFolder(dir);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
      throw new TemplateError(`templates folder ${dir} does not exist`);
    });
    for (const e of entries) if (e.isDirectory() && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(e.name)) names.add(e.name);
  }
  const templates = new Map<string, Template>();
  for (const name of [...names].sort()) {
    try {
      const layers = await layersOf(name, dirs, [], shown);
      if (layers.length > 0) templates.set(name, await loadTemplateOnce(name, layers, shown));
    } catch (err) {
      if (!(err instanceof TemplateProblem)) throw err;
      templates.set(name, { name, layout: '', partials: {}, stylesheet: '', assets: new Map(), diagnostics: [err.diagnostic], families: new Set() });
    }
  }
  return templates;
}

/** An error at 1:1 of a template file (or folder), for mistakes that have no finer position. */
const problem = (file: string, message: string, line = 1, column = 1) =>
  new TemplateProblem({ file, line, column, message, severity: 'error' });

/** The folders a template's files come from, most specific first, following `extends`. */
async function layersOf(name: string, dirs: readonly string[], seen: string[], shown: (f: string) => string): Promise<string[]> {
  const own = dirs.map((d) => path.join(d, name)).filter((f) => existsSync(f));
  const manifest = await readManifest(own, shown);
  if (!manifest) return [];
  const where = shown(path.join(own[0] as string, 'template.json'));
  if (seen.includes(name)) throw problem(where, `templates extend each other in a circle: ${[...seen, name].join(' -> ')}`);
  const parent = manifest.extends ? await layersOf(manifest.extends, dirs, [...seen, name], shown) : [];
  if (manifest.extends && parent.length === 0) throw problem(where, `template ${name} extends ${manifest.extends}, which does not exist`);
  return [...own, ...parent];
}

/** template.json from the first layer that has one, checked like any input file. */
async function readManifest(layers: readonly string[], shown: (f: string) => string): Promise<Manifest | undefined> {
  const file = layers.map((l) => path.join(l, 'template.json')).find((f) => existsSync(f));
  if (!file) return undefined;
  const text = await readTemplateFile(file, shown, path.dirname(file));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const at = jsonErrorPosition(text, (err as Error).message);
    throw problem(shown(file), `not valid JSON: ${(err as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`, at.line, at.column);
  }
  const parsed = Manifest.safeParse(data);
  if (!parsed.success) {
    const { message, line, column } = manifestProblem(text, data, parsed.error.issues);
    throw problem(shown(file), message, line, column);
  }
  checkManifestPaths(parsed.data, text, shown(file), shown(path.dirname(file)));
  return parsed.data;
}

/** The keys of template.json that name a file of the template, relative to its folder. */
const FILE_KEYS = ['stylesheet', 'fontFaces'] as const;

/**
 * A template names only files of its own folder: a path that climbs out of it or is
 * absolute is refused at its key, before anything is read, so template.json can neither
 * publish another file of the machine into the output nor show its content in a message.
 * Font packages are npm package names, never paths (a path would resolve as a file).
 */
function checkManifestPaths(manifest: Manifest, text: string, file: string, folder: string): void {
  for (const key of FILE_KEYS) {
    const value = manifest[key];
    if (value === undefined || isInsidePath(value)) continue;
    const at = keyPosition(text, key);
    throw problem(file, `"${key}" names ${JSON.stringify(value)}, which is not inside the template folder ${folder}: name a file in that folder by a path relative to it, without ".." (copy the file there if it lives elsewhere)`, at.line, at.column);
  }
  for (const pkg of manifest.fontPackages ?? []) {
    if (NPM_NAME.test(pkg)) continue;
    const at = keyPosition(text, 'fontPackages');
    throw problem(file, `"fontPackages" lists ${JSON.stringify(pkg)}, which is not an npm package name: list installed packages by name (such as @fontsource/inter), not paths`, at.line, at.column);
  }
}

/** npm's rule for a package name, with an optional scope. */
const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** A relative path that stays in its folder: no "..", no root, no drive, no backslash (a separator on Windows). */
function isInsidePath(rel: string): boolean {
  if (rel === '' || rel.includes('\\') || rel.includes('\0') || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return false;
  return rel.split('/').every((part) => part !== '..' && part !== '');
}

/** Where a key of template.json's object is written (its opening quote), for a message at it; 1:1 when it cannot be found. */
const keyPosition = (text: string, key: string): { line: number; column: number } => jsonLocator(text)([key]);

/**
 * Whether a file found in a template folder really is in it once links are followed: a
 * link inside the folder to a file elsewhere would publish that file, and is refused.
 */
async function insideFolder(file: string, folder: string): Promise<boolean> {
  const [real, root] = await Promise.all([realpath(file), realpath(folder)]).catch(() => [undefined, undefined]);
  if (real === undefined || root === undefined) return true; // missing: reading it reports that
  const rel = path.relative(root, real);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * A template file's text, read as input files are (only a regular file, as UTF-8): a
 * folder or a named pipe where a partial should be is that template's error, never a
 * crash or a hang. A link to a file outside the template's folder is refused unread, at
 * `blame` when a key of template.json named it, else at the link.
 */
async function readTemplateFile(file: string, shown: (f: string) => string, folder: string, blame?: { file: string; line: number; column: number; key: string }): Promise<string> {
  if (!(await insideFolder(file, folder))) {
    const what = `${shown(file)} is a link to a file outside the template folder ${shown(folder)}`;
    const fix = 'put the file itself in the folder instead of a link to it';
    throw blame ? problem(blame.file, `"${blame.key}" names ${path.basename(file)}, but ${what}: ${fix}`, blame.line, blame.column) : problem(shown(file), `${what}: ${fix}`);
  }
  const read = await readText(file, { shown: shown(file) });
  if ('diagnostic' in read) throw new TemplateProblem(read.diagnostic);
  return read.text;
}

/**
 * Node's JSON.parse names the offset ("at position 42") or, since Node 21's V8, the line and
 * column (https://github.com/nodejs/node/issues/24361); either becomes a position.
 */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /position (\d+)/.exec(message);
  const at = offset ? Number(offset[1]) : text.length;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * A template as loaded before, when none of its files changed: a process that checks or
 * builds again and again (serve, a library caller, the tests) would otherwise read its
 * partials, resolve its font packages, stat hundreds of font files and parse its
 * templates at every run, most of the time a warm one-brief check takes. A loaded
 * template is kept while the size, modification time and inode of every file of its
 * layers and of every font folder it drew from are the same; only a template without
 * diagnostics is kept, as diagnostics name files relative to the run's folder.
 */
async function loadTemplateOnce(name: string, layers: readonly string[], shown: (f: string) => string): Promise<Template> {
  const key = `${name}\u0000${layers.join('\u0000')}`;
  const known = loadedTemplates.get(key);
  if (known && (await filesPrint(layers, known.fontFolders)) === known.print) return known.template;
  // The print is taken before reading, so a file changed while loading makes the next run load again.
  const before = await filesPrint(layers);
  const { template, fontFolders } = await loadTemplate(name, layers, shown);
  if (template.diagnostics.length > 0 || before === undefined) {
    loadedTemplates.delete(key);
    return template;
  }
  const print = await filesPrint(layers, fontFolders);
  if (print !== undefined && print.startsWith(before)) loadedTemplates.set(key, { print, fontFolders, template });
  return template;
}
const loadedTemplates = new Map<string, { print: string; fontFolders: string[]; template: Template }>();

/**
 * One string naming every file and folder of a template's layers (and their partials/)
 * with its size, modification time and inode, then each font folder's own modification
 * time and inode; undefined when there are too many files to be cheap, so nothing is kept.
 * Font folders are not listed (a CJK package has hundreds of slices): npm installs a
 * package as new files, which changes its folder's modification time.
 */
async function filesPrint(layers: readonly string[], fontFolders: readonly string[] = []): Promise<string | undefined> {
  const parts: string[] = [];
  const visit = async (folder: string, depth: number): Promise<boolean> => {
    const self = await stat(folder).catch(() => undefined);
    noteInput(folder, self);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => undefined);
    parts.push(`${folder}\u0001${self ? `${self.mtimeMs}:${self.ino}` : '-'}`);
    if (!entries) return true;
    if (parts.length + entries.length > 400) return false;
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(folder, e.name);
      if (e.isDirectory()) {
        if (depth > 0 && !(await visit(file, depth - 1))) return false;
        continue;
      }
      const s = await stat(file).catch(() => undefined);
      noteInput(file, s);
      parts.push(`${file}\u0001${s ? `${s.size}:${s.mtimeMs}:${s.ino}` : '-'}`);
    }
    return true;
  };
  for (const layer of layers) if (!(await visit(layer, 1))) return undefined;
  for (const folder of fontFolders) {
    const s = await stat(folder).catch(() => undefined);
    noteInput(folder, s);
    parts.push(`${folder}\u0001${s ? `${s.mtimeMs}:${s.ino}` : '-'}`);
  }
  return parts.join('\u0000');
}

async function loadTemplate(name: string, layers: readonly string[], shown: (f: string) => string): Promise<{ template: Template; fontFolders: string[] }> {
  const find = (rel: string) => layers.map((l) => path.join(l, rel)).find((f) => existsSync(f));
  /** A file of the template, from the nearest layer that has it; `key` is the template.json key that named it, if one did. */
  const read = async (rel: string, key?: (typeof FILE_KEYS)[number]) => {
    const layer = layers.find((l) => existsSync(path.join(l, rel)));
    if (!layer) throw problem(shown(layers[0] as string), `template ${name} has no ${rel} (looked in ${layers.map(shown).join(', ')})`);
    const file = path.join(layer, rel);
    return { file: shown(file), text: await readTemplateFile(file, shown, layer, key && (await keyBlame(key))) };
  };
  /** The position of a key in the template.json that set it. */
  const keyBlame = async (key: (typeof FILE_KEYS)[number]) => {
    const layer = layers.find((l) => existsSync(path.join(l, 'template.json')) && manifests[layers.indexOf(l)]?.[key] !== undefined);
    const file = path.join(layer ?? (layers[0] as string), 'template.json');
    const at = keyPosition(await readRegularFile(file).then((b) => b.toString('utf8'), () => ''), key);
    return { file: shown(file), key, ...at };
  };
  // Settings come from the nearest layer that sets them.
  // One per layer (undefined where it has no template.json), in the layers' order.
  const manifests = await Promise.all(layers.map((l) => readManifest([l], shown)));
  const manifestFile = shown(find('template.json') ?? (layers[0] as string));
  const stylesheetName = manifests.find((m) => m?.stylesheet)?.stylesheet ?? 'brief.css';
  const fontPackages = manifests.find((m) => m?.fontPackages)?.fontPackages ?? [];
  const shows = manifests.find((m) => m?.shows)?.shows;
  const pages = manifests.find((m) => m?.pages !== undefined)?.pages;
  const fontFaces = manifests.find((m) => m?.fontFaces)?.fontFaces;

  const partials: Record<string, string> = {};
  const partialFiles = new Map<string, TemplateFile>();
  for (const layer of [...layers].reverse()) {
    const dir = path.join(layer, 'partials');
    noteFolder(dir);
    for (const file of (await readdir(dir).catch(() => [] as string[])).sort()) {
      if (!file.endsWith('.hbs')) continue;
      const text = await readTemplateFile(path.join(dir, file), shown, layer);
      partials[file.slice(0, -4)] = text;
      partialFiles.set(file.slice(0, -4), { file: shown(path.join(dir, file)), text });
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
  const faces = fontFaces ? (await read(fontFaces, 'fontFaces')).text : '';
  const main = (await read(stylesheetName, manifests.some((m) => m?.stylesheet) ? 'stylesheet' : undefined)).text;
  // Hundreds of faces (the CJK fonts come in slices): packages are resolved once, the files
  // read together, and every url(fonts/...) rewritten in one pass.
  const folders = fontFolders(fontPackages, layers, name);
  const fonts = await Promise.all(
    fontReferences(`${faces}\n${main}`).map(async (font) => {
      const found = findFont(font, folders, fontPackages, name);
      if ('missing' in found) throw problem(manifestFile, found.missing);
      const { bytes, key } = await fontFile(found.file).catch((err: NodeJS.ErrnoException) => Promise.reject(problem(manifestFile, `font ${found.file} cannot be read (${err.code ?? err.message})`)));
      assets.set(key, bytes);
      return [font, key.slice('assets/'.length)] as const;
    }),
  );
  const renamed = new Map(fonts);
  const rename = (css: string) => css.replace(FONT_URL, (whole, font: string) => whole.replace(`fonts/${font}`, renamed.get(font) ?? `fonts/${font}`));
  const css = byText(swapFonts, rename(`${faces}\n${main}`));
  const stylesheet = add(stylesheetName, Buffer.from(css));
  // @font-face rules need no scope: only the main stylesheet goes through the (slow) prefixing.
  add(scopedName(stylesheetName), Buffer.from(`${rename(faces)}\n${byText(scopeStylesheet, rename(main))}`));

  const layout = await read('layout.hbs');
  const index = find('index.hbs') ? await read('index.hbs') : undefined;
  const template: Template = {
    name,
    layout: layout.text,
    index: index?.text,
    partials,
    stylesheet,
    assets,
    diagnostics: checkTemplate({ layout, index, partials: partialFiles }),
    shows,
    pages,
    ...byText(shippedFonts, faces, main),
  };
  // Only the files/ folders fonts were drawn from: they are listed, not walked.
  const used = [...folders.values()].flatMap((f) => ('files' in f ? [f.files] : []));
  return { template, fontFolders: used };
}

/**
 * A pure function of stylesheet text, computed once per distinct text: a process that
 * builds again and again (serve, a library caller, the tests) would otherwise parse the
 * same hundreds of @font-face rules with PostCSS at every build, most of the time a
 * one-brief build takes. A few texts are kept (one per template and edit in flight).
 */
function byText<A extends string[], R>(fn: (...texts: A) => R, ...texts: A): R {
  let known = textResults.get(fn);
  if (!known) textResults.set(fn, (known = new Map()));
  const key = texts.join('\u0000');
  if (known.has(key)) return known.get(key) as R;
  // Across processes too: each CLI run would otherwise parse the same stylesheets again.
  const codec = TEXT_CODECS.get(fn) as Codec<R> | undefined;
  const result = codec ? cachedOnDisk('stylesheets', [VERSION, fn.name, fn.toString(), ...texts], codec, () => fn(...texts)) : fn(...texts);
  if (known.size >= 8) known.delete(known.keys().next().value as string);
  known.set(key, result);
  return result;
}
const textResults = new Map<(...texts: never[]) => unknown, Map<string, unknown>>();

/** A stylesheet's text as it is. */
const TEXT: Codec<string> = { encode: (text) => text, decode: (json) => (typeof json === 'string' ? json : undefined) };

/** The results byText keeps on disk (user-cache.ts), with how each is written there. */
const TEXT_CODECS = new Map<(...texts: never[]) => unknown, Codec<unknown>>([
  [swapFonts, TEXT as Codec<unknown>],
  [scopeStylesheet, TEXT as Codec<unknown>],
  [
    shippedFonts,
    {
      encode: (value) => {
        const { coverage, families } = value as ReturnType<typeof shippedFonts>;
        return { coverage, families: [...families] };
      },
      decode: (json) => {
        const { coverage, families } = (json ?? {}) as { coverage?: unknown; families?: unknown };
        if (!Array.isArray(families) || !families.every((f) => typeof f === 'string')) return undefined;
        if (coverage !== undefined && !(Array.isArray(coverage) && coverage.every((r) => Array.isArray(r) && r.length === 2 && r.every(Number.isInteger)))) return undefined;
        return { ...(coverage ? { coverage: coverage as CodePoints } : {}), families: new Set(families as string[]) };
      },
    },
  ],
]);

/** The families the stylesheets' @font-face rules declare, and the characters they cover together (computed once per template). */
function shippedFonts(...stylesheets: string[]): { coverage?: CodePoints; families: Set<string> } {
  const families = new Set<string>();
  const ranges: [number, number][] = [];
  let known = true;
  for (const css of stylesheets) {
    postcss.parse(css).walkAtRules('font-face', (rule) => {
      let family: string | undefined;
      let range: [number, number][] | undefined;
      rule.walkDecls((decl) => {
        if (decl.prop === 'font-family') family = decl.value.replace(/^["']|["']$/g, '');
        if (decl.prop === 'unicode-range') range = parseUnicodeRange(decl.value);
      });
      if (family) families.add(family);
      if (range) ranges.push(...range);
      else known = false;
    });
  }
  return { families, ...(known && ranges.length > 0 ? { coverage: mergeRanges(ranges) } : {}) };
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

/**
 * Every @font-face that does not say how it loads gets `font-display: swap`: on a slow
 * connection the text shows at once in a fallback font instead of staying invisible until
 * the font arrives (browsers wait up to 3 s by default). A template that sets it keeps its
 * choice. The PDF still waits for the fonts (src/print/pdf.ts).
 */
export function swapFonts(css: string): string {
  if (!/@font-face/i.test(css)) return css;
  const root = postcss.parse(css);
  let changed = false;
  root.walkAtRules(/^font-face$/i, (rule) => {
    if (rule.some((node) => node.type === 'decl' && node.prop.toLowerCase() === 'font-display')) return;
    rule.append({ prop: 'font-display', value: 'swap' });
    changed = true;
  });
  return changed ? root.toString() : css;
}

/**
 * A font file's bytes and content-named key, kept by path and modification time: every
 * template (and every reload while serving) shares the same hundreds of font files.
 */
const fontFiles = new Map<string, { mtimeMs: number; bytes: Buffer; key: string }>();
async function fontFile(file: string): Promise<{ bytes: Buffer; key: string }> {
  const info = await stat(file);
  noteInput(file, info);
  const { mtimeMs } = info;
  const known = fontFiles.get(file);
  if (known?.mtimeMs === mtimeMs) return known;
  const bytes = await readRegularFile(file);
  const entry = { mtimeMs, bytes, key: `assets/${hashedName(path.basename(file), bytes)}` };
  fontFiles.set(file, entry);
  return entry;
}

const FONT_URL = /url\(\s*["']?fonts\/([A-Za-z0-9._-]+)["']?\s*\)/g;

/** File names the stylesheet loads as url(fonts/NAME). */
function fontReferences(css: string): string[] {
  const names = new Set<string>();
  for (const m of css.matchAll(FONT_URL)) names.add(m[1] as string);
  return [...names];
}

/** Each font package's files/ folder, in the template's order; undefined for one that is not installed. */
function fontFolders(packages: readonly string[], layers: readonly string[], name: string): Map<string, { files: string; names: Set<string> } | { missing: string }> {
  // A package resolves from the template's own folders first (a user's fonts), then from flashbrief's.
  const bases = [...layers, PACKAGE_ROOT].map((dir) => createRequire(path.join(dir, 'template.json')));
  // A package installed later in a folder the lookup passes first (a node_modules beside a
  // user's templates) would win: every place it looks is noted for the run's record.
  if (recordingInputs()) {
    for (const dir of [...layers, PACKAGE_ROOT]) {
      for (let at = dir; ; at = path.dirname(at)) {
        for (const pkg of packages) noteInput(path.join(at, 'node_modules', pkg), undefined);
        if (path.dirname(at) === at) break;
      }
    }
  }
  type Folder = { files: string; names: Set<string> } | { missing: string };
  return new Map(
    packages.map((pkg): [string, Folder] => {
      const entry = bases.map((require) => tryResolve(require, pkg)).find((e) => e !== undefined);
      if (!entry) return [pkg, { missing: `template ${name}: font package ${pkg} is not installed (npm install ${pkg})` }];
      const files = path.join(path.dirname(entry), 'files');
      // One listing of the folder, not one lookup per font: a CJK family has hundreds of slices.
      return [pkg, { files, names: new Set(readdirSyncOrNone(files)) }];
    }),
  );
}

/** Fonts come from npm packages, so they install with the project and never from the network. */
function findFont(file: string, folders: ReturnType<typeof fontFolders>, packages: readonly string[], name: string): { file: string } | { missing: string } {
  // url(fonts/..) names a folder, never a font: refused before any path is made of it.
  if (file === '.' || file === '..') return { missing: `template ${name}: url(fonts/${file}) names no font file` };
  for (const pkg of packages) {
    const folder = folders.get(pkg);
    if (!folder || 'missing' in folder) return folder ?? { missing: `template ${name}: font package ${pkg} is not installed` };
    if (folder.names.has(file)) return { file: path.join(folder.files, file) };
  }
  return { missing: `template ${name}: font ${file} is in none of its fontPackages (${packages.join(', ') || 'none listed'})` };
}

function readdirSyncOrNone(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function tryResolve(require: NodeJS.Require, pkg: string): string | undefined {
  try {
    return require.resolve(pkg);
  } catch {
    return undefined;
  }
}

/**
 * `--templates`, once the working directory is known: something there that is not a
 * folder (brief.config.yaml given by mistake) is refused as a folder that is not there is
 * (TemplateError, exit 3), saying what it is. A folder, or nothing at all (the build says
 * it does not exist), passes.
 */
export function checkTemplatesFolder(dir: string | undefined, cwd: string): void {
  if (dir === undefined) return;
  let found;
  try {
    found = statSync(path.resolve(cwd, dir), { throwIfNoEntry: false });
  } catch {
    return;
  }
  if (found && !found.isDirectory()) throw new TemplateError(`--templates names ${dir}, which is ${found.isFile() ? 'a file, ' : ''}not a folder`);
}
