import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
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
  /** Its subfolders too (a template folder's partials/), each watched by itself, those made later included. */
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
  /** brief.config.yaml as --config names it, relative to `cwd`; else the one the build finds. */
  config?: string;
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
  const project = projectLayout(options.cwd, { templates: options.templates, config: options.config });
  targets.push(only(project.config));
  // A template override is edited like a brief: any file of it (partials, CSS, template.json).
  if (project.userTemplates) targets.push({ dir: project.userTemplates, recursive: true, accepts: () => true });
  return targets;
}

/**
 * Watches the project's files (see `watchTargets`) and calls `onChange` once changes have
 * settled: a burst of events (one save, or several files saved together) is one call,
 * made SETTLE_MS after the last of them. A folder that does not exist yet, or that is
 * removed while watched, is watched for from its parent and watched itself once it
 * appears; its appearance counts as a change.
 *
 * Every folder is watched by itself (non-recursive fs.watch), a template tree's
 * subfolders each with a watcher of their own: Node 20's recursive watch on Linux misses
 * saves that rename a copy over a file, about one in two.
 */
export class ProjectWatcher {
  /** Every watcher open, whatever it watches. */
  readonly #watchers = new Set<FSWatcher>();
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
    this.#watchers.clear();
  }

  #watch(target: WatchTarget): void {
    if (!isFolder(target.dir)) {
      this.#awaitFolder(target);
      return;
    }
    if (target.recursive) {
      this.#watchTree(target, new Map(), target.dir);
      return;
    }
    const watcher = this.#open(target.dir, (name) => {
      if (!isFolder(target.dir)) {
        // The folder itself was removed: wait for it to come back.
        this.#drop(watcher);
        this.#awaitFolder(target);
        this.#changed();
      } else if (name !== undefined && target.accepts(name)) this.#changed();
    });
  }

  /**
   * Watches `dir` and every folder under it, each by itself, recorded in `tree` (by
   * path). A folder that appears later is watched when its parent reports it; one that
   * is removed has its watchers (its own and its subfolders') closed; the target's own
   * folder removed is awaited from its parent. Any name in the tree counts as a change.
   */
  #watchTree(target: WatchTarget, tree: Map<string, FSWatcher>, dir: string): void {
    if (tree.has(dir)) return;
    const watcher = this.#open(dir, (name) => {
      if (tree.get(dir) !== watcher) return;
      if (!isFolder(dir)) {
        this.#unwatchTree(tree, dir);
        if (dir === target.dir) this.#awaitFolder(target);
        this.#changed();
        return;
      }
      if (name === undefined) return this.#changed();
      const changed = path.join(dir, name);
      // A folder that appeared (already watched: nothing to do), or one that was removed.
      if (isFolder(changed)) this.#watchTree(target, tree, changed);
      else this.#unwatchTree(tree, changed);
      if (target.accepts(path.relative(target.dir, changed))) this.#changed();
    });
    if (!watcher) return;
    tree.set(dir, watcher);
    const entries = (() => {
      try {
        return readdirSync(dir, { withFileTypes: true });
      } catch {
        // removed since it was watched: its watcher reports that
        return [];
      }
    })();
    for (const entry of entries) if (entry.isDirectory()) this.#watchTree(target, tree, path.join(dir, entry.name));
  }

  /** Closes the watchers of `dir` and of every folder under it (none if it was not watched). */
  #unwatchTree(tree: Map<string, FSWatcher>, dir: string): void {
    for (const [watched, watcher] of tree) {
      if (watched !== dir && !watched.startsWith(dir + path.sep)) continue;
      tree.delete(watched);
      this.#drop(watcher);
    }
  }

  /**
   * A folder the build would read but that does not exist (incidents/ before the first
   * incident file, or a folder removed while watched): its parent is watched until it
   * appears, then it is watched itself, and its appearance counts as a change.
   */
  #awaitFolder(target: WatchTarget): void {
    const parent = path.dirname(target.dir);
    if (parent === target.dir || !isFolder(parent)) return;
    const name = path.basename(target.dir);
    const watcher = this.#open(parent, (changed) => {
      if (changed !== name || !isFolder(target.dir) || !this.#watchers.has(watcher as FSWatcher)) return;
      this.#drop(watcher);
      this.#watch(target);
      this.#changed();
    });
  }

  /**
   * A non-recursive watcher of `dir`, calling `onEvent` with the name it reports (relative
   * to `dir`; undefined when the system gives none). A watcher that fails later is closed
   * (the folder's removal is seen by its parent's watcher); one that cannot start (the
   * folder was removed since it was looked at) is undefined. None once closed.
   */
  #open(dir: string, onEvent: (name: string | undefined) => void): FSWatcher | undefined {
    if (this.#closed) return undefined;
    try {
      const watcher = watch(dir, (_event, name) => {
        if (!this.#closed) onEvent(name === null ? undefined : String(name));
      });
      watcher.on('error', () => this.#drop(watcher));
      this.#watchers.add(watcher);
      return watcher;
    } catch {
      return undefined;
    }
  }

  #drop(watcher: FSWatcher | undefined): void {
    if (!watcher) return;
    watcher.close();
    this.#watchers.delete(watcher);
  }

  #changed(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (!this.#closed) this.onChange();
    }, SETTLE_MS);
  }
}
