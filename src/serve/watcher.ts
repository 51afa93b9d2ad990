import { statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { folderLayout, projectLayout } from '../project/layout.js';

/*
 * What the preview watches: exactly the files the build reads (src/project/layout.ts), found
 * from the folder serve was started in, so `brief serve proj/briefs` run from elsewhere
 * still sees proj/incidents/ and proj/places.yaml. A change to any of them rebuilds every
 * brief: a series shares its counts, and places and configuration concern them all.
 */

/** Editors save in several steps (write a copy, rename it over): a change is acted on this long after the last. */
const SETTLE_MS = 60;

/** One folder to watch, and which of the names it reports count. */
export interface WatchTarget {
  /** Absolute. */
  dir: string;
  /** Its subfolders too (a template folder's partials/). */
  recursive: boolean;
  /** Whether a change to `name` (relative to `dir`, as fs.watch reports it) is one the build reads. */
  accepts(name: string): boolean;
}

export interface WatchOptions {
  /** Where the relative paths start (absolute): the folder serve was started in. */
  cwd: string;
  /** Folders of briefs or brief files, relative to `cwd`, as given to serve. */
  inputs: readonly string[];
  /** A template override folder, relative to `cwd` (`--templates`): watched with every file in it. */
  templates?: string;
}

const isYaml = (name: string) => /\.ya?ml$/i.test(name);
const isFolder = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * The folders to watch and the names in each that count: for each briefs folder, its
 * YAML files, the YAML files of incidents/ beside it and places.yaml beside it; the
 * brief.config.yaml of `cwd`; and any file under the template folder.
 */
export function watchTargets(options: WatchOptions): WatchTarget[] {
  const only = (file: string): WatchTarget => ({ dir: path.dirname(file), recursive: false, accepts: (name) => name === path.basename(file) });
  const targets: WatchTarget[] = [];
  for (const input of options.inputs) {
    const abs = path.resolve(options.cwd, input);
    // A brief file given by name: its own folder's layout, and that file alone among the briefs.
    const file = isYaml(abs) && !isFolder(abs);
    const layout = folderLayout(file ? path.dirname(abs) : abs);
    targets.push(file ? only(abs) : { dir: layout.briefs, recursive: false, accepts: isYaml }, { dir: layout.incidents, recursive: false, accepts: isYaml }, only(layout.places));
  }
  const project = projectLayout(options.cwd, { templates: options.templates });
  targets.push(only(project.config));
  // A template override is edited like a brief: any file of it (partials, CSS, template.json).
  if (project.userTemplates) targets.push({ dir: project.userTemplates, recursive: true, accepts: () => true });
  return targets;
}

/**
 * Watches the project's files (see `watchTargets`) and calls `onChange` once changes have
 * settled: a burst of events (one save, or several files saved together) is one call,
 * made SETTLE_MS after the last of them. A folder that does not exist yet is watched for
 * from its parent and watched itself once it appears.
 */
export class ProjectWatcher {
  readonly #watchers: FSWatcher[] = [];
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /** Starts watching at once. `onChange` takes no arguments: any change means "build again". */
  constructor(
    options: WatchOptions,
    private readonly onChange: () => void,
  ) {
    for (const target of watchTargets(options)) this.#watch(target);
  }

  /** Stops watching; a change still settling is dropped. Safe to call twice. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers) watcher.close();
    this.#watchers.length = 0;
  }

  #watch(target: WatchTarget): void {
    if (this.#closed) return;
    if (!isFolder(target.dir)) {
      this.#awaitFolder(target);
      return;
    }
    try {
      this.#watchers.push(watch(target.dir, { recursive: target.recursive }, (_event, name) => {
        if (name && target.accepts(String(name))) this.#changed();
      }));
    } catch {
      // a folder removed since it was looked at has nothing to watch
    }
  }

  /**
   * A folder the build would read but that does not exist yet (incidents/ before the first
   * incident file): its parent is watched until it appears, then it is watched itself, and
   * its appearance counts as a change.
   */
  #awaitFolder(target: WatchTarget): void {
    const parent = path.dirname(target.dir);
    if (parent === target.dir || !isFolder(parent)) return;
    const name = path.basename(target.dir);
    const watcher = watch(parent, (_event, changed) => {
      if (String(changed) !== name || !isFolder(target.dir)) return;
      watcher.close();
      this.#watch(target);
      this.#changed();
    });
    this.#watchers.push(watcher);
  }

  #changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (!this.#closed) this.onChange();
    }, SETTLE_MS);
  }
}
