import { existsSync, lstatSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../core/config.js';
import { DEFAULTS } from '../core/settings.js';
import { briefFilesIn, displayPath, InputError } from './files.js';
import { BUNDLED_TEMPLATES } from './templates.js';

/*
 * Where a project's files are, in one place for every command: build, check, tally and
 * export read them from here and serve watches exactly these. The rule:
 * - incident files and places.yaml sit beside a folder of briefs (in its parent), so
 *   `brief build proj/briefs` finds proj/incidents/ and proj/places.yaml;
 * - brief.config.yaml is the one --config names, else the first found in the folder the
 *   command runs in and then its parents, up to the project root (the first folder with
 *   briefs/, .git or package.json) or the top of the file system, as other command-line tools find
 *   theirs; a run that finds none says where it looked and uses the defaults. Its folder
 *   (else the project root the search met, else the working folder) is the project
 *   folder: the configuration's own paths (logo, fonts) are relative to it, and so are
 *   the default briefs/ and output/ when no path is given;
 * - templates are looked up in the --templates folder first, then in the bundled ones;
 * - outputs go to --out, relative to the folder the command runs in.
 */

/** What belongs to one folder of briefs: the incident files and places beside it. */
export interface FolderLayout {
  /** The folder of brief files. */
  briefs: string;
  /** incidents/ beside it: incident files, `{series, incidents}`. */
  incidents: string;
  /** places.yaml beside it. */
  places: string;
}

/** The files beside a folder of briefs (absolute paths in, absolute paths out). */
export function folderLayout(briefs: string): FolderLayout {
  const root = path.dirname(briefs);
  return { briefs, incidents: path.join(root, 'incidents'), places: path.join(root, 'places.yaml') };
}

/** brief.config.yaml for a run started in `cwd` that found none: where it would be. */
export const configFile = (cwd: string): string => path.join(cwd, CONFIG_FILE);

/** Where a run's configuration is, and where it looked. */
export interface ConfigLocation {
  /** The file (absolute): the one found, or `cwd`'s brief.config.yaml when none was. */
  file: string;
  /** Whether it is there (an explicit --config is taken as there: a missing one is its own error). */
  found: boolean;
  /** The folders searched, nearest first: shown when none was found. */
  searched: string[];
  /**
   * The project folder: the configuration's, else the first folder with briefs/, .git
   * or package.json that the search met, else the working folder.
   */
  root: string;
  /** Whether the search stopped at a project root (briefs/, .git or package.json) rather than the top of the file system. */
  atRoot: boolean;
}

/**
 * The run's brief.config.yaml (see the rule above): `explicit` (--config, relative to
 * `cwd`) when given, else the nearest of `cwd` and its parents that has one, stopping at
 * the project root (a folder with briefs/, .git or package.json) or the top of the file
 * system.
 * An entry of that name counts even when it is not a readable file: reading it then says
 * what is wrong with it, rather than quietly using another.
 * @throws InputError when `explicit` names nothing.
 */
export function findConfig(cwd: string, explicit?: string): ConfigLocation {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    const entry = lstatSync(file, { throwIfNoEntry: false });
    if (!entry) throw new InputError(`--config ${explicit}: no such file; name the project's brief.config.yaml, or leave --config out to find it`);
    if (entry.isDirectory()) throw new InputError(`--config ${explicit} is a folder: name the brief.config.yaml file in it, or leave --config out to find it`);
    return { file, found: true, searched: [], root: path.dirname(file), atRoot: false };
  }
  const searched: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    searched.push(dir);
    const file = path.join(dir, CONFIG_FILE);
    if (lstatSync(file, { throwIfNoEntry: false })) return { file, found: true, searched, root: dir, atRoot: false };
    // A folder with its own briefs/ is a project of its own, even inside another's tree.
    if (['.git', 'package.json', 'briefs'].some((marker) => existsSync(path.join(dir, marker)))) return { file: configFile(cwd), found: false, searched, root: dir, atRoot: true };
    if (path.dirname(dir) === dir) break;
  }
  return { file: configFile(cwd), found: false, searched, root: path.resolve(cwd), atRoot: false };
}

/** Where a run's files are; every path absolute. */
export interface ProjectLayout {
  /** The folder the command runs in. */
  cwd: string;
  /** The project folder: brief.config.yaml's, else the project root the search met (briefs/, .git, package.json), else `cwd`. */
  root: string;
  /** brief.config.yaml (it may not exist). */
  config: string;
  /** Where brief.config.yaml was looked for, and whether it was found. */
  configSearch: ConfigLocation;
  /** Template folders in lookup order: the --templates folder if given, then the bundled templates. */
  templates: string[];
  /** The --templates folder, if one was given. */
  userTemplates?: string;
  /** The output folder. */
  output: string;
}

/**
 * Paths from the command's flags: `templates`, `outDir` and `config` relative to `cwd`;
 * without `outDir`, output/ in the project folder.
 */
export function projectLayout(cwd: string, flags: { templates?: string; outDir?: string; config?: string } = {}): ProjectLayout {
  const userTemplates = flags.templates === undefined ? undefined : path.resolve(cwd, flags.templates);
  const configSearch = findConfig(cwd, flags.config);
  const { root } = configSearch;
  return {
    cwd,
    root,
    config: configSearch.file,
    configSearch,
    templates: userTemplates ? [userTemplates, BUNDLED_TEMPLATES] : [BUNDLED_TEMPLATES],
    ...(userTemplates ? { userTemplates } : {}),
    output: flags.outDir === undefined ? path.join(root, DEFAULTS.outDir) : path.resolve(cwd, flags.outDir),
  };
}

/**
 * The brief files and folders a run reads: `inputs` as given (relative to the working
 * folder), or, when none are, the project folder's briefs/ (as `briefs` when that is
 * the working folder's own, so messages read as before).
 */
export function inputsOf(layout: Pick<ProjectLayout, 'cwd' | 'root'>, inputs: readonly string[] | undefined): readonly string[] {
  if (inputs !== undefined && inputs.length > 0) return inputs;
  return DEFAULTS.inputs.map((input) => path.relative(layout.cwd, path.join(layout.root, input)) || '.');
}

/**
 * The folders of briefs a run reads, from the brief files it found (absolute paths):
 * each file's own folder, once, in the order first met, with what lies beside it.
 */
export function briefFolders(briefFiles: readonly string[]): FolderLayout[] {
  return [...new Set(briefFiles.map((f) => path.dirname(f)))].map(folderLayout);
}

/** Whether `inner` is `outer` or inside it (both absolute). */
export const within = (inner: string, outer: string): boolean => {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** A folder as the user is shown it: relative to the working directory, `.` for the working directory itself. */
const shownFolder = (dir: string, cwd: string): string => (path.relative(cwd, dir) === '' ? '.' : displayPath(dir, cwd));

/** A path with its links resolved; one that does not exist (yet) as it is. */
const real = async (p: string): Promise<string> => realpath(p).catch(() => path.resolve(p));

/**
 * The files and folders a run reads, besides the configuration's own files (its logo and
 * font files, see checkConfiguredFiles), as absolute paths: each input (a brief or a
 * folder of briefs, and the briefs in it), the incidents/ folder and places.yaml beside each folder of briefs
 * (folderLayout), brief.config.yaml and the --templates folder.
 */
async function projectInputs(layout: ProjectLayout, inputs: readonly string[]): Promise<string[]> {
  const held = inputs.map((i) => path.resolve(layout.cwd, i));
  const folders = held.map((input) => (lstatSync(input, { throwIfNoEntry: false })?.isFile() ? path.dirname(input) : input));
  const briefs = (await Promise.all(folders.map((folder) => briefFilesIn(folder)))).flat();
  const beside = [...new Set(folders)].map(folderLayout).flatMap(({ incidents, places }) => [incidents, places]);
  return [...held, ...briefs, ...beside, layout.config, ...(layout.userTemplates ? [layout.userTemplates] : [])];
}

/**
 * Refuses a folder the build writes into (`folder`, absolute; called `name` in messages)
 * when it would write over the project's own files: the project root itself or a folder
 * above it, or a folder that is or holds a file or folder the build reads (`held`,
 * absolute). Links are followed, so another name for the same folder is caught.
 * @throws InputError naming the folder and what it holds, with what to use instead.
 */
async function checkWritableFolder(layout: ProjectLayout, held: readonly string[], folder: string, name: string, instead: string): Promise<void> {
  const out = await real(folder);
  const shown = shownFolder(folder, layout.cwd);
  if (within(await real(layout.cwd), out) || within(await real(layout.root), out)) {
    throw new InputError(`the ${name} ${shown} is the project folder or holds it: its pages would overwrite the project's own files; use a folder of its own, such as ${instead}`);
  }
  for (const input of held) {
    if (within(await real(input), out)) {
      const what = (await real(input)) === out ? 'is' : 'holds';
      throw new InputError(`the ${name} ${shown} ${what} ${displayPath(input, layout.cwd)}, which the build reads: its pages could overwrite it, or be published beside it; use a folder of its own, such as ${instead}`);
    }
  }
}

/**
 * Refuses an output folder that would write over the project's own files: the project
 * root itself or a folder above it, or a folder that is or holds an input (a brief file
 * or folder, an incidents/ folder or places.yaml beside one, brief.config.yaml, a
 * --templates folder). `--out .` wrote index.html over the project's own, `--out briefs`
 * wrote pages among the briefs, and `--out incidents` put the site beside raw incident
 * files. Links are followed, so another name for the same folder is caught too. The
 * configuration's own files (logo, fonts) are checked once it is read: checkConfiguredFiles.
 * @throws InputError naming the folder and what it holds, with what to use instead.
 */
export async function checkOutputFolder(layout: ProjectLayout, inputs: readonly string[]): Promise<void> {
  await checkWritableFolder(layout, await projectInputs(layout, inputs), layout.output, 'output folder', 'output');
}

/**
 * Refuses an output folder, or a folder for embargoed briefs (`embargoDir`), that is or
 * holds a file the configuration names (`files`, absolute: the logo, fonts.files): with
 * `--out branding` the uncleaned original logo would have been deployed beside its cleaned copy.
 * Called once the configuration is read, before anything is written.
 * @throws InputError naming the folder and the file, with what to use instead.
 */
export async function checkConfiguredFiles(layout: ProjectLayout, files: readonly string[], embargoDir?: string): Promise<void> {
  await checkWritableFolder(layout, files, layout.output, 'output folder', 'output');
  if (embargoDir !== undefined) await checkWritableFolder(layout, files, embargoDir, 'folder for embargoed briefs (--embargoed-out)', 'embargoed');
}

/**
 * Refuses a folder for briefs under embargo (`--embargoed-out`, `dir` absolute) that is
 * the output folder, lies inside it or holds it: whatever is in the output folder is
 * deployed, and an embargoed page there would be published at a guessable address. Like
 * the output folder, it may not be the project folder or hold the project's inputs.
 * @throws InputError naming the folder and what is wrong with it, with what to use instead.
 */
export async function checkEmbargoFolder(layout: ProjectLayout, inputs: readonly string[], dir: string): Promise<void> {
  const name = 'folder for embargoed briefs (--embargoed-out)';
  await checkWritableFolder(layout, await projectInputs(layout, inputs), dir, name, 'embargoed');
  const [folder, output] = [await real(dir), await real(layout.output)];
  const shown = shownFolder(dir, layout.cwd);
  const out = shownFolder(layout.output, layout.cwd);
  if (folder === output) {
    throw new InputError(`the ${name} ${shown} is the output folder, which is deployed: embargoed briefs would be published with it; use a folder beside it, such as embargoed`);
  }
  if (within(folder, output)) {
    throw new InputError(`the ${name} ${shown} is inside the output folder ${out}, which is deployed: embargoed briefs would be published with it; use a folder beside it, such as embargoed`);
  }
  if (within(output, folder)) {
    throw new InputError(`the ${name} ${shown} holds the output folder ${out}: keep the two apart, so that deploying one never takes the other; use a folder beside it, such as embargoed`);
  }
}
