import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BuildOptions } from '../project/build.js';
import { inputsOf, projectLayout } from '../project/layout.js';
import type { PrintJob } from '../print/pdf.js';
import { BuiltPages } from './pages.js';
import { PdfPreviews } from './pdf-preview.js';
import { RebuildLoop } from './rebuild.js';
import { ReloadStream } from './reload.js';
import { listen, type ListenOptions, type PreviewServer } from './server.js';
import { ProjectWatcher, type WatchOptions } from './watcher.js';

/*
 * `brief serve`: the analyst's preview. It builds the briefs' HTML into a private folder,
 * serves it on loopback, rebuilds what a save changed and tells open pages to reload.
 * A brief with errors shows them over its last good page instead of a blank one, and the
 * index lists it; its PDF is printed when asked for (not while it has errors). A removed
 * brief's page is gone from the preview. Nothing opens by itself, and closing stops everything,
 * the browser included.
 *
 * Who does what: BuiltPages (pages.ts) builds and remembers each page's errors and print
 * job; RebuildLoop (rebuild.ts) runs one build at a time; ProjectWatcher (watcher.ts)
 * asks for builds; ReloadStream (reload.ts) tells pages a build finished; PdfPreviews
 * (pdf-preview.ts) owns the browser; server.ts answers requests from all of them.
 * This file only connects them, and stops them in order.
 */

export { ListenError } from './server.js';

export interface ServeOptions extends Pick<BuildOptions, 'cwd' | 'browser' | 'templates' | 'config'> {
  /** Folders of briefs, relative to `cwd`. Default: briefs/. */
  inputs?: string[];
  /** Default: 127.0.0.1 (loopback only). */
  host?: string;
  /** 0 picks a free port. Default: 4000. */
  port?: number;
  /**
   * Build errors (each distinct one once per build) and `rebuilt …` lines, one line per
   * call; which configuration applies, as `brief build` says it, once at the start (again
   * only if that changes); `no briefs found …` for a build that finds none. Default: dropped.
   */
  log?: (line: string) => void;
}

/** A running preview. */
export interface Server {
  /** `http://host:port/` (the host in brackets if IPv6). */
  url: string;
  /** Stops the watchers, the server and any browser, and removes the build folder. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Builds the briefs, starts watching the project and serving the pages, and resolves once
 * the server listens.
 * @throws What the first build throws, or the listen error (EADDRINUSE, …); nothing is left
 *   running or on disk then. Briefs with errors are not an error: their pages show them.
 */
export async function serve(options: ServeOptions = {}): Promise<Server> {
  const folder = await mkdtemp(path.join(tmpdir(), 'flashbrief-serve-'));
  const preview = new Preview(folder, options);
  try {
    const url = await preview.start();
    return { url, close: () => preview.close() };
  } catch (err) {
    // The watchers would keep the process alive, and the folder would be left behind.
    await preview.close();
    throw err;
  }
}

/** One run of the preview: its parts, started in order and stopped in order. */
class Preview {
  readonly #folder: string;
  readonly #watching: WatchOptions;
  readonly #listening: ListenOptions;
  readonly #pages: BuiltPages;
  readonly #reloads = new ReloadStream();
  readonly #pdfs: PdfPreviews;
  readonly #rebuilds: RebuildLoop;
  #watcher: ProjectWatcher | undefined;
  #server: PreviewServer | undefined;
  #closing: Promise<void> | undefined;

  /** @param folder The preview's own build folder (absolute, existing); removed by close(). */
  constructor(folder: string, options: ServeOptions) {
    const cwd = options.cwd ?? process.cwd();
    const inputs = [...inputsOf(projectLayout(cwd, { templates: options.templates, config: options.config }), options.inputs)];
    const log = options.log ?? (() => undefined);
    this.#folder = folder;
    this.#watching = { cwd, inputs, templates: options.templates, config: options.config };
    this.#listening = { host: options.host, port: options.port };
    this.#pdfs = new PdfPreviews(options.browser);
    // An open PDF preview is printed again as soon as its page's new version is made, while the build goes on.
    const printAhead = (job: PrintJob) => this.#pdfs.printAhead([job]);
    this.#pages = new BuiltPages({ cwd, inputs, folder, templates: options.templates, config: options.config, browser: options.browser, log, notice: log, onPrintJob: printAhead });
    this.#rebuilds = new RebuildLoop(
      () => this.#rebuild(),
      (err) => log(`rebuild failed: ${(err as Error).message}`),
    );
  }

  /** Builds, then watches and listens. @returns The server's URL. @throws See serve(). */
  async start(): Promise<string> {
    // The first build is awaited, so the first page served is a built one; its failure is serve's.
    await this.#pages.rebuild();
    this.#watcher = new ProjectWatcher(this.#watching, () => this.#rebuilds.request());
    const content = { folder: this.#folder, pages: this.#pages, pdfs: this.#pdfs, reloads: this.#reloads, settled: () => this.#rebuilds.idle() };
    this.#server = await listen(content, this.#listening);
    return this.#server.url;
  }

  /** Stops everything started, whatever start() got to. Later calls share the first one's promise. */
  close(): Promise<void> {
    return (this.#closing ??= this.#stop());
  }

  /** A build after a save; open pages reload once it is written. */
  async #rebuild(): Promise<void> {
    await this.#pages.rebuild();
    this.#reloads.reload();
  }

  async #stop(): Promise<void> {
    // No build starts from here on; one under way is waited for below.
    const built = this.#rebuilds.stop();
    this.#watcher?.close();
    this.#reloads.close();
    await this.#server?.close();
    await this.#pdfs.close();
    // A build under way still writes into the folder: it is removed after.
    await built;
    await rm(this.#folder, { recursive: true, force: true });
  }
}
