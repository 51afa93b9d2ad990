import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { finishBrief, parseBrief, type CompiledBrief, type CompileContext, type Renderable } from '../page/compile.js';
import { limitsOf, parseConfig, type Config } from '../core/config.js';
import { incidentFileProblems, parseIncidentFile, parsePlaces, releaseSyntax, type Collection, type ParsedBrief, type ParsedIncidentFile, type ParsedPlaces } from '../core/collection.js';
import { hasErrors, type Diagnostic, type YamlPositions } from '../core/diagnostics.js';
import type { Limits } from '../core/load.js';
import type { Brief, Place } from '../core/schema.js';
import { formatsOf, pageSizeOf } from '../core/settings.js';
import type { Timer } from '../core/timer.js';
import type { PageSection } from '../core/warnings.js';
import { createPageRenderer, type PageRenderer } from '../page/renderer.js';
import { contentKey } from '../core/content-key.js';
import type { CodePoints } from '../core/coverage.js';
import { briefFolders, inputsOf, projectLayout, type FolderLayout, type ProjectLayout } from './layout.js';
import { briefFilesIn, displayPath, findBriefFiles, readText, yamlFilesIn, type ReadTextOptions } from './files.js';
import { loadTemplates, type Template } from './templates.js';
import { VERSION } from './version.js';
import { missingFontWarnings } from './system-fonts.js';
import { readFontFiles, type FontFile } from './font-files.js';
import { untimed } from './profile.js';
import { noteInput } from './input-log.js';
import { fileEntry, type FileEntry } from './manifest.js';
import { internalError } from './failures.js';
import type { BuildOptions } from './options.js';
import { briefImages, cachedImageReader, readImage, type ImageProblem, type ImageRequest, type ImageResult } from './images.js';

/*
 * A project made ready to build: every brief found and read, and with them what their
 * tallies may draw on (the other briefs of their folder for series, incidents/*.yaml and
 * places.yaml beside that folder), the configuration, the templates and the logo. Then
 * the pure core compiles each brief, and clashing slugs are rejected.
 */

/** A brief that compiled without errors: ready to render and write. */
export type Ready = CompiledBrief & { renderable: Renderable; slug: string; brief: Brief };

/** Whether a compiled brief is ready to render: no error, a slug, and its page's makings. */
export const isReady = (c: CompiledBrief): c is Ready => c.renderable !== undefined && c.slug !== undefined && c.brief !== undefined;

/** The configuration's logo, read once: a content-named asset (`assets/<name>.<hash>.<ext>`) like the template's own. */
export interface ProjectLogo {
  key: string;
  bytes: Buffer;
}

/** What a run builds from. */
export interface Prepared {
  config: Config;
  /** brief.config.yaml has no errors (or there is none). */
  configOk: boolean;
  /** The brief.config.yaml read, relative to `cwd`, or null when there was none. */
  configFile: string | null;
  logo?: ProjectLogo;
  /** brief.config.yaml's fonts.files, read: written to assets/ and handed to every print job. */
  fontFiles: FontFile[];
  /** Where relative paths start: the option, else the process's working directory. */
  cwd: string;
  /** The briefs of this run (this shard's), in input order, compiled. */
  compiled: CompiledBrief[];
  /** Every brief of the folders read, the run's or not, compiled without pages: what the site lists. */
  everyBrief: CompiledBrief[];
  templates: Map<string, Template>;
  places: Place[];
  /** The incident files beside the briefs' folders, each once with its own problems. */
  files: FileEntry[];
  /** The local images the run's briefs show, by output-relative path (CompiledBrief.images names each brief's). */
  images: Map<string, Buffer>;
}

/** The templates and what the compile step needs of them. */
interface Templates {
  templates: Map<string, Template>;
  /** By template name; a template with errors renders nothing: the briefs that use it fail with its errors. */
  pageRenderers: Map<string, PageRenderer>;
  templateDiagnostics: Map<string, Diagnostic[]>;
  /** The parts of a brief each template shows (undefined: every part). */
  templateShows: Map<string, readonly PageSection[] | undefined>;
  /** By template name: the characters its shipped fonts print (see Template.coverage). */
  fontCoverage: Map<string, CodePoints>;
  /** A hash per template of its text and, through their content-named keys, its assets. */
  fingerprints: Map<string, string>;
}

/** brief.config.yaml as read: its values, its problems so far, and where its keys are (for more problems). */
interface ProjectConfig {
  config: Config;
  /** Shared by every brief of the run: each reports them (Collection.shared). */
  problems: Diagnostic[];
  source?: YamlPositions;
  /** Its fonts.files that could be read (the others are in `problems`). */
  fontFiles: FontFile[];
}

/**
 * How this run reads its input files, and each brief read so far (by path), so a brief is
 * read once though both its folder and the inputs name it.
 */
interface Reader {
  cwd: string;
  /** Where notices about the project's files go (BuildOptions.notice). */
  notice?: (line: string) => void;
  signal?: AbortSignal;
  limits: Limits;
  time: Timer;
  parsed: Map<string, ParsedBrief>;
  /** Reads an image once per run, however many briefs show it. */
  readImage: (request: ImageRequest) => Promise<ImageResult>;
  /** Every image asset read so far, by output-relative path. */
  images: Map<string, Buffer>;
}

/**
 * Called per brief with its slug, its cache key and whether it is under embargo now: true
 * when its last outputs still stand (BuildCache.fresh, in the folder its outputs go to).
 */
export type Freshness = (slug: string, key: string, embargoed: boolean) => boolean;

/**
 * Reads and compiles the run's briefs (`options.inputs`, this shard's share), with the
 * folders, incident files, places, configuration, templates and logo they draw on.
 * `pages`: prepare each ready brief's page (build) or only validate (check, analyze).
 * `fresh`: for an incremental build, which briefs need not be rendered again.
 * Every problem of a brief or file is in its diagnostics; it throws only when the run
 * cannot start (no templates folder, no inputs) or is aborted through `options.signal`.
 */
export async function prepare(options: BuildOptions, pages: boolean, fresh?: Freshness): Promise<Prepared> {
  const time = options.profile?.time ?? untimed;
  const cwd = options.cwd ?? process.cwd();
  const layout = projectLayout(cwd, options);
  const files = await runFiles(options, layout);
  const templates = await projectTemplates(layout);
  const { config, problems: configProblems, source: configSource, fontFiles } = await readProjectConfig(options, layout, templates.templates);
  const notice = options.notice ?? options.log;
  // A brief.config.yaml that is there but cannot be read has its own error instead.
  if (!configSource && configProblems.length === 0) notice?.(await noConfigNotice(layout, files));
  const reader: Reader = { cwd, notice, signal: options.signal, limits: limitsOf(config), time, parsed: new Map(), readImage: cachedImageReader(), images: new Map() };
  const logo = await readLogo(config, layout.root);
  configProblems.push(...logoDiagnostics(configSource as YamlPositions, logo.problems));
  const context = compileContext(options, templates, config, { logo: logo.logo, fontFiles }, { pages, time, fresh });

  const collections = await readCollections(reader, files, configProblems);
  const compiled = await compileAll(reader, files, collections, context);
  rejectSlugClashes(compiled);
  const places = [...collections.values()].flatMap((c) => c.places?.places ?? []);
  const everyBrief = siteBriefs(collections, compiled, context);
  const incidentFiles = [...collections.values()].flatMap((collection) => incidentFileProblems(collection).map(({ file, diagnostics }) => fileEntry(file, diagnostics)));
  const configFile = configSource ? displayPath(layout.config, cwd) : null;
  return {
    config,
    configOk: !hasErrors(configProblems),
    configFile,
    cwd,
    compiled,
    everyBrief,
    templates: templates.templates,
    places,
    logo: logo.logo,
    fontFiles,
    files: incidentFiles,
    images: reader.images,
  };
}

/** The brief files of the run: all those the inputs name, or this shard's share of them. */
async function runFiles(options: BuildOptions, layout: ProjectLayout): Promise<string[]> {
  const all = await findBriefFiles(inputsOf(layout, options.inputs), layout.cwd);
  // Round robin over the files in a fixed order: every shard gets its share, deterministically.
  const { shard } = options;
  return shard ? all.filter((_, i) => i % shard.count === shard.index - 1) : all;
}

/** The bundled templates, overridden file by file by the --templates folder, with their renderers. */
async function projectTemplates(layout: ProjectLayout): Promise<Templates> {
  const templates = await loadTemplates(layout.templates, { cwd: layout.cwd });
  // A template with errors renders nothing: the briefs that use it fail with its errors.
  const pageRenderers = new Map<string, PageRenderer>([...templates].filter(([, t]) => !hasErrors(t.diagnostics)).map(([name, t]) => [name, createPageRenderer(t)]));
  const templateDiagnostics = new Map([...templates].filter(([, t]) => t.diagnostics.length > 0).map(([name, t]) => [name, t.diagnostics]));
  // A template's fingerprint covers its text and, through their content-named keys, its assets.
  const fingerprints = new Map(
    [...templates].map(([name, t]) => [name, contentKey({ layout: t.layout, index: t.index, partials: t.partials, assets: [...t.assets.keys()].sort() })]),
  );
  const templateShows = new Map([...templates].map(([name, t]) => [name, t.shows]));
  const fontCoverage = new Map([...templates].flatMap(([name, t]) => (t.coverage ? [[name, t.coverage] as const] : [])));
  return { templates, pageRenderers, templateDiagnostics, templateShows, fontCoverage, fingerprints };
}

/** brief.config.yaml, checked, and its `template` checked against the templates there are. */
async function readProjectConfig(options: BuildOptions, { cwd, root, config: file }: ProjectLayout, templates: ReadonlyMap<string, Template>): Promise<ProjectConfig> {
  const text = await readOptional(file, { shown: displayPath(file, cwd), signal: options.signal });
  const { config, diagnostics, source } = readConfig(text, displayPath(file, cwd));
  if (config.template !== undefined && !templates.has(config.template)) {
    diagnostics.push((source as YamlPositions).error(['template'], `template "${config.template}" does not exist; available: ${[...templates.keys()].sort().join(', ')}`));
  }
  // The project's own font files ship their families as the templates ship theirs.
  const fonts = await readFontFiles(config, root, source);
  diagnostics.push(...fonts.problems);
  const shipped = new Set([...templates.values()].flatMap((t) => [...t.families]));
  const provided = new Set(fonts.files.map((f) => f.face.family));
  diagnostics.push(...(await missingFontWarnings(config, source, new Set([...shipped, ...provided]), provided)));
  return { config, problems: diagnostics, source, fontFiles: fonts.files };
}

/**
 * What to tell a run that found no brief.config.yaml where it looks for one (the folder
 * the command runs in): that the defaults apply, or, when a folder of briefs has one
 * beside it, that that one is not read and where to run from instead.
 */
async function noConfigNotice(layout: ProjectLayout, files: readonly string[]): Promise<string> {
  const shown = (p: string) => displayPath(p, layout.cwd) || '.';
  for (const { briefs } of briefFolders(files)) {
    const root = path.dirname(briefs);
    const beside = path.join(root, path.basename(layout.config));
    // Noted there or not: its coming or going changes this notice.
    const found = beside === layout.config ? undefined : await lstat(beside).catch(() => undefined);
    if (beside !== layout.config) noteInput(beside, undefined);
    if (found) {
      return `${shown(beside)} is not read: brief.config.yaml is read from the folder the command runs in or one above it (run it in ${shown(root)}, or name it with --config); the defaults apply`;
    }
  }
  // Folders as relative paths (., .., ../..): the way up is what the reader needs.
  const { searched, atRoot } = layout.configSearch;
  const top = path.relative(layout.cwd, searched.at(-1) ?? layout.cwd).split(path.sep).join('/');
  const looked = !atRoot ? 'in this folder or any above it' : top === '' ? 'in this folder' : `in . or the folders above it up to ${top} (the project root)`;
  return `no ${path.basename(layout.config)} ${looked}: the defaults apply`;
}

/** The configuration's logo, read once, or the problem with its `logo` value when the file is not there. */
async function readLogo(config: Config, cwd: string): Promise<{ logo?: ProjectLogo; problems: ImageProblem[] }> {
  if (!config.logo) return { problems: [] };
  // The logo is published on every page, so it is read as a brief's image is: from inside
  // the project only (links followed), typed by its bytes, an SVG sanitized of scripts,
  // handlers, foreignObject and remote references.
  const { asset, problems } = await readImage({ file: path.resolve(cwd, config.logo), root: cwd, label: `logo ${config.logo}`, cwd: process.cwd() });
  return { logo: asset && !problems.some((p) => p.severity === 'error') ? { key: asset.key, bytes: asset.bytes } : undefined, problems };
}

/** The logo's problems at the `logo` key of brief.config.yaml. */
const logoDiagnostics = (source: YamlPositions, problems: readonly ImageProblem[]): Diagnostic[] =>
  problems.map((p) => (p.severity === 'error' ? source.error(['logo'], p.message) : source.warning(['logo'], p.message)));

/**
 * What `compileBrief` needs to compile and render briefs outside a build, as a build of
 * `options.cwd` would: the templates (bundled, and `options.templates`), brief.config.yaml
 * and its logo, the page size and formats. Problems in the configuration (and its logo)
 * are in `diagnostics`; a template's problems are reported by the briefs that use it.
 * @throws TemplateError when a templates folder does not exist.
 */
export async function createCompileContext(options: Omit<BuildOptions, 'inputs' | 'outDir'> = {}): Promise<CompileContext & { diagnostics: Diagnostic[] }> {
  const cwd = options.cwd ?? process.cwd();
  const layout = projectLayout(cwd, options);
  const templates = await projectTemplates(layout);
  const { config, problems, source, fontFiles } = await readProjectConfig(options, layout, templates.templates);
  const logo = await readLogo(config, layout.root);
  problems.push(...logoDiagnostics(source as YamlPositions, logo.problems));
  return { ...compileContext(options, templates, config, { logo: logo.logo, fontFiles }, { pages: true, time: untimed }), diagnostics: problems };
}

/** What the pure core compiles every brief of the run with. */
function compileContext(
  options: BuildOptions,
  { pageRenderers, templateDiagnostics, templateShows, fontCoverage, fingerprints }: Templates,
  config: Config,
  { logo, fontFiles }: { logo?: ProjectLogo; fontFiles: readonly FontFile[] },
  run: { pages: boolean; time: Timer; fresh?: Freshness },
): CompileContext {
  const { pages, time, fresh } = run;
  return {
    pageRenderers,
    templateDiagnostics,
    templateShows,
    fontCoverage,
    pages,
    time,
    cache: fresh && { fingerprint: (name) => fingerprints.get(name) ?? '', fresh },
    fragment: options.fragment === true,
    options: {
      pageSize: pageSizeOf(options.pageSize, config),
      generator: `flashbrief ${VERSION}`,
      config,
      pdf: formatsOf(options.formats).includes('pdf'),
      now: options.now ?? new Date(),
      logo: logo?.key,
      // Through their content-named paths, the font files' bytes are part of every page's
      // cache key: a changed font rebuilds the briefs.
      ...(fontFiles.length > 0 ? { fontFaces: fontFiles.map((f) => f.face) } : {}),
      // The index and topic pages are written with the HTML (writeSite in build.ts).
      site: formatsOf(options.formats).includes('html'),
    },
  };
}

/**
 * A places.yaml inside a folder of briefs is not read (places sit beside the folder, in
 * its parent): said once, so a map without points and missing place warnings have a cause.
 */
async function noteMisplacedPlaces(reader: Reader, layout: FolderLayout, placesRead: boolean): Promise<void> {
  const inside = path.join(layout.briefs, path.basename(layout.places));
  if (!(await lstat(inside).catch(() => undefined))) return;
  const shown = (p: string) => displayPath(p, reader.cwd);
  reader.notice?.(`${shown(inside)} is not read: places.yaml is read beside the folder of briefs, as ${shown(layout.places)}${placesRead ? ' (which is read)' : '; move it there'}`);
}

/** Reading options for an input file: abortable, and refused past the size limit before reading. */
function reading(reader: Reader, file: string): ReadTextOptions {
  return { shown: displayPath(file, reader.cwd), signal: reader.signal, maxChars: reader.limits.fileChars };
}

/**
 * One brief read and parsed inside its own boundary: whatever goes wrong becomes that
 * brief's error, and the others go on. Only Ctrl-C stops the run.
 */
async function readBrief(reader: Reader, file: string): Promise<ParsedBrief> {
  reader.signal?.throwIfAborted();
  const existing = reader.parsed.get(file);
  if (existing) return existing;
  const shown = displayPath(file, reader.cwd);
  let brief: ParsedBrief;
  try {
    const text = await readText(file, reading(reader, file));
    brief = 'text' in text ? parseBrief(text.text, shown, reader.limits, reader.time) : unreadable(shown, text.diagnostic);
  } catch (err) {
    if (reader.signal?.aborted) throw err;
    brief = unreadable(shown, internalError(shown, err));
  }
  reader.parsed.set(file, brief);
  return brief;
}

/** One incident file read and parsed; a file that cannot be read has that error and no incidents. */
async function readIncidentFile(reader: Reader, file: string): Promise<ParsedIncidentFile> {
  const text = await readText(file, reading(reader, file));
  const shown = displayPath(file, reader.cwd);
  return 'text' in text ? parseIncidentFile(text.text, shown) : { ...parseIncidentFile('', shown), diagnostics: [text.diagnostic] };
}

/**
 * Each folder of the run's briefs, by path, with everything in it and beside it: all its
 * briefs (for series), its incident files and places, and the configuration's problems
 * (`shared`), which every brief reports.
 */
async function readCollections(reader: Reader, files: readonly string[], shared: readonly Diagnostic[]): Promise<Map<string, Collection>> {
  const collections = new Map<string, Collection>();
  for (const layout of briefFolders(files)) {
    const folder = layout.briefs;
    const placesFile = layout.places;
    const placesText = await readOptional(placesFile, reading(reader, placesFile));
    await noteMisplacedPlaces(reader, layout, placesText !== undefined);
    collections.set(folder, {
      briefs: await Promise.all((await briefFilesIn(folder)).map((file) => readBrief(reader, file))),
      incidentFiles: await Promise.all((await yamlFilesIn(layout.incidents)).map((file) => readIncidentFile(reader, file))),
      places: placesText === undefined ? undefined : readPlaces(placesText, displayPath(placesFile, reader.cwd)),
      shared,
    });
  }
  return collections;
}

/** The run's briefs compiled, in input order; a bug met by one brief fails that brief alone. */
async function compileAll(reader: Reader, files: readonly string[], collections: ReadonlyMap<string, Collection>, context: CompileContext): Promise<CompiledBrief[]> {
  const compiled: CompiledBrief[] = [];
  for (const file of files) {
    const parsed = await readBrief(reader, file);
    try {
      await readImagesOf(reader, file, parsed);
      compiled.push(finishBrief(parsed, collections.get(path.dirname(file)) as Collection, context));
      releaseSyntax(parsed);
    } catch (err) {
      // A bug met by one brief must not take the others down: it fails alone, said plainly.
      compiled.push({ file: parsed.file, diagnostics: [...parsed.diagnostics, internalError(parsed.file, err)] });
    }
  }
  return compiled;
}

/**
 * The local images a brief of the run shows, read (relative to its file, inside the
 * project folder) and kept on the parsed brief for the compile step; their bytes go to
 * the run's images. Only the run's briefs: the others of their folders are not rendered.
 */
async function readImagesOf(reader: Reader, file: string, parsed: ParsedBrief): Promise<void> {
  if (parsed.data === undefined || parsed.images) return;
  const { lookup, assets } = await briefImages(file, parsed.data, reader.cwd, reader.cwd, reader.readImage);
  parsed.images = lookup;
  for (const [key, bytes] of assets) reader.images.set(key, bytes);
}

/**
 * Two briefs writing the same file would silently overwrite each other: every brief after
 * the first with a slug gets an error at its slug and is not rendered. Changes `compiled`
 * in place.
 */
function rejectSlugClashes(compiled: CompiledBrief[]): void {
  const first = new Map<string, CompiledBrief>();
  for (const c of compiled) {
    if (!c.slug) continue;
    const earlier = first.get(c.slug);
    if (!earlier) {
      first.set(c.slug, c);
      continue;
    }
    c.diagnostics.push({
      file: c.file,
      ...(c.slugAt ?? { line: 1, column: 1 }),
      message: `slug "${c.slug}" is already used by ${earlier.file}; give this brief its own slug`,
      severity: 'error',
    });
    delete c.renderable;
  }
}

/**
 * Every brief of the folders, the run's as compiled and the others compiled without
 * pages: the site lists them all, so building one brief must not shrink the index to one
 * entry.
 */
function siteBriefs(collections: ReadonlyMap<string, Collection>, compiled: readonly CompiledBrief[], context: CompileContext): CompiledBrief[] {
  const byFile = new Map(compiled.map((c) => [c.file, c]));
  const siblings = { ...context, pages: false };
  return [...collections.values()].flatMap((collection) =>
    collection.briefs.map((b) => {
      const built = byFile.get(b.file);
      if (built) return built;
      try {
        const compiled = finishBrief(b, collection, siblings);
        releaseSyntax(b);
        return compiled;
      } catch {
        return { file: b.file, diagnostics: [] } as CompiledBrief;
      }
    }),
  );
}

type ReadResult = Awaited<ReturnType<typeof readText>>;

/** The configuration, or none: the project runs without one. */
function readConfig(text: ReadResult | undefined, file: string): { config: Config; diagnostics: Diagnostic[]; source?: YamlPositions } {
  if (text === undefined) return { config: {}, diagnostics: [] };
  return 'text' in text ? parseConfig(text.text, file) : { config: {}, diagnostics: [text.diagnostic] };
}

function readPlaces(text: ReadResult, file: string): ParsedPlaces {
  return 'text' in text ? parsePlaces(text.text, file) : { ...parsePlaces('[]', file), diagnostics: [text.diagnostic] };
}

/** A file the project may do without (brief.config.yaml, places.yaml): undefined when there is none. */
async function readOptional(file: string, options: ReadTextOptions): Promise<ReadResult | undefined> {
  // lstat, so a link that points nowhere is reported rather than taken for no file.
  const exists = await lstat(file).then(
    () => true,
    () => (noteInput(file, undefined), false),
  );
  return exists ? readText(file, options) : undefined;
}

/** A brief whose bytes are not text: it has an error and nothing else. */
function unreadable(file: string, diagnostic: Diagnostic): ParsedBrief {
  return { ...parseBrief('', file), data: undefined, diagnostics: [diagnostic] };
}
