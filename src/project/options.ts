import type { PrintJob } from '../print/pdf.js';
import type { ManifestEntry } from './manifest.js';
import type { Profile } from './profile.js';

export type Format = 'html' | 'pdf';

/** Where the outputs of briefs under embargo go: see BuildOptions.embargoed. */
export type EmbargoedOutputs = 'hold' | 'output' | { dir: string };

/**
 * What build(), check() and analyze() are asked to do. Every value is optional: what is
 * not given comes from brief.config.yaml or from DEFAULTS (src/core/settings.ts).
 */
export interface BuildOptions {
  /** Brief files or folders of them. Default (also when empty): the project folder's briefs/. */
  inputs?: readonly string[];
  /** Where relative paths start. Default: the process's working directory. */
  cwd?: string;
  /** Default: the project folder's output/. */
  outDir?: string;
  /**
   * brief.config.yaml to read (relative to `cwd`). Default: the nearest in `cwd` or a
   * folder above it, up to the project root (see src/project/layout.ts).
   */
  config?: string;
  /** Default: both. */
  formats?: readonly Format[];
  pageSize?: 'Letter' | 'A4';
  /** Path of a Chrome or Chromium to use instead of looking for one. */
  browser?: string;
  /** A running browser's DevTools endpoint (ws://… or http://host:port) to print with instead of launching one. */
  browserWs?: string;
  /** Pages printed at once. Default: 2, or 1 on a single core. */
  concurrency?: number;
  /** Milliseconds one brief may take to print. Default: 60 000. */
  timeout?: number;
  /** Cancels the run: the browser is closed and nothing half-written is left. */
  signal?: AbortSignal;
  /** A folder of templates whose files override the bundled ones, file by file. */
  templates?: string;
  /** Also write <slug>.fragment.html (the brief alone, scoped) for pasting into a CMS. */
  fragment?: boolean;
  /** The clock embargoes are judged by. Default: now. */
  now?: Date;
  /**
   * What becomes of a brief under embargo (its `embargo` time still ahead of `now`): it is
   * always checked and rendered, and never on the index, topic pages, feeds or sitemap.
   * - `'hold'` (default): nothing of it is written (nor printed); files of it that an
   *   earlier build wrote into the output folder are removed from there.
   * - `{ dir }`: its HTML, PDF (and fragment) and the assets they use are written into
   *   `dir` (relative to `cwd`), a folder apart from the output folder, which may neither
   *   hold nor lie inside it, nor hold the project's inputs; removed from the output folder
   *   as with 'hold'. A brief whose embargo has lifted is taken out of `dir` again (only
   *   files a build wrote there).
   * - `'output'`: written into the output folder like any other brief. Only for a folder
   *   nobody deploys: `brief serve`'s preview.
   */
  embargoed?: EmbargoedOutputs;
  /** Progress lines for people (stderr in the CLI). */
  log?: (line: string) => void;
  /**
   * What the run found about the project's files that the user should know even when
   * progress is off: no brief.config.yaml, or one (or a places.yaml) that is not read where
   * it lies. Default: `log`.
   */
  notice?: (line: string) => void;
  /** Rebuild every brief, ignoring what the last build left (the incremental cache). */
  force?: boolean;
  /**
   * Flush the briefs' files to disk before the build's record of them is saved (default
   * true). False only for a folder that does not outlive the process: `brief serve`'s
   * preview, where the flush (a `sync` per rebuild) is time an analyst waits for nothing.
   */
  flush?: boolean;
  /**
   * Build only part i of n (1-based) of the briefs, for a CI matrix or a batch scheduler.
   * Tallies still count the whole collection, and every shard writes the same site pages,
   * so the outputs of all shards merge into one folder.
   */
  shard?: { index: number; count: number };
  /** Collects time per stage and peak memory (`--profile`). */
  profile?: Profile;
  /**
   * Called with the print job of every brief rendered in this run (by source file), before
   * any is printed: what `serve` prints its PDF previews from, so a preview is the PDF a
   * build publishes.
   */
  onPrintJob?: (source: string, job: PrintJob) => void;
  /** Called once per brief as it is finished (built, unchanged or failed), for progress bars. */
  onBrief?: (entry: ManifestEntry, done: number, total: number) => void;
}
