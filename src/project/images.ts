import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { hasScheme, isSafeImageSrc, markdownParts, type ImageLookup, type LocalImage } from '../core/markdown.js';
import { markdownFields } from '../page/compile.js';
import { displayPath, NotRegularFileError, readRegularFile } from './files.js';
import { noteInput } from './input-log.js';
import type { SvgResult } from './svg.js';
import { cachedOnDiskAsync, type Codec } from './user-cache.js';
import { VERSION } from './version.js';

/*
 * Image files a page shows, read from the project: the images written in a brief's
 * Markdown now, and the configuration's logo later. A file is used only when it lies
 * inside the project (links followed), its bytes are one of the types every browser
 * and the print show, its name agrees with them, and it is not too big; an SVG is
 * active content, so it is sanitized before it goes anywhere. Each file becomes a
 * content-named asset, like the template's own.
 */

/** The types a page may show: what browsers and the print draw alike. */
export type ImageType = 'png' | 'jpg' | 'gif' | 'webp' | 'svg';

const TYPE_NAMES: Record<ImageType, string> = { png: 'PNG', jpg: 'JPEG', gif: 'GIF', webp: 'WebP', svg: 'SVG' };

/** The file extensions each type may have. */
const EXTENSIONS: Record<string, ImageType> = { png: 'png', jpg: 'jpg', jpeg: 'jpg', jpe: 'jpg', gif: 'gif', webp: 'webp', svg: 'svg' };

/** Past this an image is refused: one camera original would make a PDF of tens of megabytes. */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
/** Past this an image is used, with a word that a smaller export reads the same. */
export const IMAGE_WARN_BYTES = 2 * 1024 * 1024;

/** An image file made ready for a page. */
export interface ImageAsset {
  type: ImageType;
  /** Output-relative path: assets/<name>.<hash>.<ext>. */
  key: string;
  /** The bytes written and printed: for an SVG, the sanitized document. */
  bytes: Buffer;
  /** Intrinsic size in CSS pixels, when it can be read. */
  width?: number;
  height?: number;
}

export interface ImageProblem {
  severity: 'error' | 'warning';
  message: string;
}

/** What reading one image gave: the asset when it can be used, and what to tell the author either way. */
export interface ImageResult {
  asset?: ImageAsset;
  problems: ImageProblem[];
}

/** Where an image is looked for, and how it is named to the author. */
export interface ImageRequest {
  /** The file, absolute. */
  file: string;
  /** The project folder it must lie in (absolute): the folder the build runs in. */
  root: string;
  /** How messages name it, e.g. "image photos/x.jpg" or "logo branding/logo.svg". */
  label: string;
  /** Where relative paths are shown from (the working directory the user sees). */
  cwd: string;
}

const mb = (bytes: number) => `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
const error = (message: string): ImageResult => ({ problems: [{ severity: 'error', message }] });

/**
 * Reads, checks and prepares one image file: inside `root` (links followed), at most
 * IMAGE_MAX_BYTES, a PNG, JPEG, GIF, WebP or SVG by its bytes with a name that agrees,
 * an SVG sanitized. Never throws for the file's sake: every problem is in `problems`.
 */
export async function readImage(request: ImageRequest): Promise<ImageResult> {
  const { file, root, label, cwd } = request;
  const shown = displayPath(file, cwd) || file;
  const rootShown = displayPath(root, cwd) || '.';
  if (!isInside(path.resolve(file), path.resolve(root))) {
    return error(`${label} is outside the project folder (${rootShown}): copy the image into the project and write its path from there`);
  }
  // The path as named, through its links: a link pointed elsewhere is a change (input-log.ts).
  noteInput(file, undefined);
  if (!(await lstat(file).catch(() => undefined))) return error(`${label} does not exist: looked for ${shown}`);
  const real = await realpath(file).catch(() => undefined);
  if (!real) return error(`${label} is a link to a file that does not exist (${shown}): point it at the image, or copy the image there`);
  const realRoot = await realpath(root).catch(() => root);
  if (!isInside(real, realRoot)) {
    return error(`${label} is a link to a file outside the project folder (${rootShown}): copy the image itself into the project, e.g. beside the brief, and write its path`);
  }
  let size = 0;
  const bytes = await readRegularFile(real, {
    info: (info) => {
      size = info.size;
      // Refused before a byte is read; the message is made below.
      if (size > IMAGE_MAX_BYTES) throw new RangeError('too large');
    },
  }).catch((err: unknown) => err);
  if (bytes instanceof NotRegularFileError) return error(`${label} is ${bytes.kind}, not a file (${shown}): name the image file itself`);
  if (bytes instanceof RangeError) {
    return error(`${label} is ${mb(size)}, more than the ${mb(IMAGE_MAX_BYTES)} an image may have: export a smaller one (about 2000 px wide; JPEG for photos)`);
  }
  if (!(bytes instanceof Buffer)) return error(`${label} cannot be read (${shown}): ${(bytes as Error).message}`);
  const problems: ImageProblem[] = [];
  if (bytes.length > IMAGE_WARN_BYTES) {
    problems.push({ severity: 'warning', message: `${label} is ${mb(bytes.length)}, which the PDF grows by: a smaller export (about 2000 px wide; JPEG for photos) looks the same on the page and in print` });
  }
  const sniffed = await sniff(bytes);
  const named = EXTENSIONS[path.extname(file).slice(1).toLowerCase()];
  const kinds = Object.values(TYPE_NAMES).join(', ').replace(/, (?=[^,]*$)/, ' or ');
  if (!sniffed.type) return error(`${label} is not a ${kinds} image${sniffed.found ? ` (its content is ${sniffed.found})` : ''}: export it as one of those`);
  if (named !== sniffed.type) {
    const stem = path.basename(file, path.extname(file));
    const is = `its content is ${TYPE_NAMES[sniffed.type]}`;
    return error(named ? `${label} is named as ${TYPE_NAMES[named]} but ${is}: rename it ${stem}.${sniffed.type}` : `${label} has no image extension but ${is}: rename it ${stem}.${sniffed.type}`);
  }
  let used = bytes;
  if (sniffed.type === 'svg') {
    const clean = await cleanSvg(bytes.toString('utf8'));
    if ('error' in clean) return error(`${label} is not a well-formed SVG file (${clean.error}): export it again from the drawing program`);
    if (clean.removed.length > 0) {
      problems.push({ severity: 'warning', message: `${label} had content a page may not carry, which was removed (${clean.removed.join(', ')}): check that it still looks right` });
    }
    if (clean.hasText) {
      problems.push({ severity: 'warning', message: `${label} has text, which an image cannot set in the page's fonts: it prints in a font of the machine that builds the PDF, which differs from one machine to the next; convert the text to outlines (paths) in the drawing program, or export the image as PNG` });
    }
    used = Buffer.from(clean.svg, 'utf8');
  }
  const { imageSize } = await import('image-size');
  return { asset: { type: sniffed.type, key: `assets/${assetName(file, used, sniffed.type)}`, bytes: used, ...dimensions(imageSize, used) }, problems };
}

/**
 * sanitizeSvg(text) (svg.ts), kept in the user's cache: the same logo is cleaned once, not
 * on every build, and a run that finds it there does not load jsdom and DOMPurify (about
 * 0.6 s of CPU and a thousand modules, most of a small build's start-up). The key names
 * every input of the result: the text, the cleaning code's own text and the versions of
 * the two libraries it calls.
 */
async function cleanSvg(text: string): Promise<SvgResult> {
  const clean = async () => {
    // Loaded only when an SVG is not in the cache: jsdom takes a while to start.
    const { sanitizeSvg } = await import('./svg.js');
    return sanitizeSvg(text);
  };
  const code = svgCode();
  return code ? cachedOnDiskAsync('svg', [VERSION, ...code, text], SVG_RESULT, clean) : clean();
}

/** The stored form of a cleaning's result is the result itself; anything else read back is computed again. */
const SVG_RESULT: Codec<SvgResult> = {
  encode: (value) => value,
  decode: (json) => {
    const value = json as Partial<{ svg: unknown; removed: unknown; hasText: unknown; error: unknown }> | null;
    if (typeof value?.error === 'string') return { error: value.error };
    const ok = typeof value?.svg === 'string' && typeof value.hasText === 'boolean' && Array.isArray(value.removed) && value.removed.every((r) => typeof r === 'string');
    return ok ? { svg: value.svg as string, removed: value.removed as string[], hasText: value.hasText as boolean } : undefined;
  },
};

let svgCodeKey: string[] | null | undefined;
/**
 * The text of the cleaning modules and the versions of jsdom and DOMPurify as installed;
 * null when the modules' text cannot be read (then nothing is cached, as nothing could
 * tell a result of other code from this code's).
 */
function svgCode(): string[] | null {
  if (svgCodeKey !== undefined) return svgCodeKey;
  const own = (stem: string): string | undefined => {
    // Compiled (.js), or the TypeScript sources where the library is run from them.
    for (const ext of ['.js', '.ts']) {
      try {
        return readFileSync(new URL(`${stem}${ext}`, import.meta.url), 'utf8');
      } catch {
        // the other extension, or none
      }
    }
    return undefined;
  };
  const texts = ['./svg', './svg-style'].map(own);
  svgCodeKey = texts.every((t) => t !== undefined) ? [...texts, ...['dompurify', 'jsdom'].map((name) => `${name}@${installedVersion(name)}`)] : null;
  return svgCodeKey;
}

/** The version of the package `name` that this module imports, from the package.json above its entry file. */
function installedVersion(name: string): string {
  for (let dir = path.dirname(createRequire(import.meta.url).resolve(name)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const found = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (found.name === name) return String(found.version);
    } catch {
      // no package.json at this level
    }
  }
  return 'unknown';
}

/** Whether `file` is `root` or below it (both real paths). */
const isInside = (file: string, root: string): boolean => {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** The type of an image by its bytes, or what else it is when it is none of ours. */
async function sniff(bytes: Buffer): Promise<{ type?: ImageType; found?: string }> {
  if (looksLikeSvg(bytes)) return { type: 'svg' };
  // Loaded when an image is met: most briefs have none, and a run without them does not pay for it.
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (!found) return {};
  const ours: Partial<Record<string, ImageType>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };
  const type = ours[found.mime];
  return type ? { type } : { found: `${found.ext.toUpperCase()}, ${found.mime}` };
}

/** An XML document (prolog, comments and doctype aside) whose root is <svg>. */
function looksLikeSvg(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)\s*)*<svg[\s>/]/i.test(head);
}

/** The intrinsic size, turned as a JPEG's orientation turns it on screen; nothing when it cannot be read. */
function dimensions(imageSize: typeof import('image-size').imageSize, bytes: Buffer): { width?: number; height?: number } {
  try {
    const size = imageSize(bytes);
    if (!size.width || !size.height) return {};
    // EXIF orientations 5 to 8 turn the picture a quarter: browsers show it turned.
    const turned = (size.orientation ?? 1) >= 5;
    return turned ? { width: size.height, height: size.width } : { width: size.width, height: size.height };
  } catch {
    return {};
  }
}

/** assets/<stem>.<hash>.<ext>: letters, digits, "-" and "_" only, so the page's address needs no escaping. */
function assetName(file: string, bytes: Buffer, type: ImageType): string {
  const stem =
    path
      .basename(file, path.extname(file))
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'image';
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  return `${stem}.${hash}.${type}`;
}

/** The local images of a brief as the page uses them (ImageLookup), and their assets by key. */
export interface BriefImages {
  lookup: ImageLookup;
  assets: Map<string, Buffer>;
}

/**
 * Every local image written in a brief's Markdown (`data`, as loaded), read relative to
 * the brief's folder. `read` reads one file (readImage, or a run's cache of it, so an
 * image many briefs share is read once).
 */
export async function briefImages(briefFile: string, data: unknown, root: string, cwd: string, read: (request: ImageRequest) => Promise<ImageResult> = readImage): Promise<BriefImages> {
  const lookup = new Map<string, LocalImage>();
  const assets = new Map<string, Buffer>();
  for (const field of markdownFields(data)) {
    // Most fields have no image: they are not parsed again for one.
    if (!field.text.includes('![')) continue;
    let images: ReturnType<typeof markdownParts>['images'];
    try {
      images = markdownParts(field.text).images;
    } catch {
      continue; // nested past the parser's stack: rendering the field reports it
    }
    for (const { src, alt } of images) {
      if (lookup.has(src) || isSafeImageSrc(src) || hasScheme(src) || alt.trim() === '') continue;
      const result = await localImage(src, briefFile, root, cwd, read);
      if (result.asset) assets.set(result.asset.key, result.asset.bytes);
      const { asset } = result;
      lookup.set(src, { problems: result.problems, ...(asset ? { asset: asset.key, width: asset.width, height: asset.height } : {}) });
    }
  }
  return { lookup, assets };
}

/** One image path written in a brief: refused when absolute or leading out of the project, else read. */
async function localImage(src: string, briefFile: string, root: string, cwd: string, read: (request: ImageRequest) => Promise<ImageResult>): Promise<ImageResult> {
  const label = `image ${src}`;
  const written = decodePath(src);
  const rootShown = displayPath(root, cwd) || '.';
  if (/^(?:[\\/]|[a-z]:[\\/])/i.test(written)) {
    return error(`${label} is an absolute path: write the path from this brief's folder, with the image inside the project (${rootShown}), e.g. photos/${path.basename(written)}`);
  }
  const file = path.resolve(path.dirname(briefFile), written);
  if (!isInside(file, path.resolve(root))) {
    return error(`${label} is outside the project folder (${rootShown}): copy the image into the project, e.g. into photos/ beside this brief, and write photos/${path.basename(written)}`);
  }
  return read({ file, root, label, cwd });
}

/** The Markdown parser writes a path's spaces and non-ASCII letters as %XX; the file has them as themselves. */
function decodePath(src: string): string {
  try {
    return decodeURI(src);
  } catch {
    return src;
  }
}

/** readImage with each file read once per run, however many briefs show it. */
export function cachedImageReader(): (request: ImageRequest) => Promise<ImageResult> {
  const results = new Map<string, Promise<ImageResult>>();
  return (request) => {
    // The label names the image as its brief wrote it: the same file under another name is read again.
    const id = `${request.file}\0${request.label}`;
    let result = results.get(id);
    if (!result) results.set(id, (result = readImage(request)));
    return result;
  };
}
