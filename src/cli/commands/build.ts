import { performance } from 'node:perf_hooks';
import { build, type BuildOptions } from '../../project/build.js';
import { Profile } from '../../project/profile.js';
import { shardFromEnvironment } from '../arguments.js';
import { checkTemplatesFolder } from '../../project/templates.js';
import { plainOutput, UsageError, type Io } from '../io.js';
import { handleError, profileTable, reportManifest } from '../output.js';
import { buildProgress } from '../progress.js';

/** `brief build`'s arguments and flags, as commander parses them. */
export interface BuildArgs {
  /** Brief files or folders of briefs, relative to the working directory. */
  paths: string[];
  /** The output folder, relative to the working directory. */
  out: string;
  /** The folder for briefs under embargo, relative to the working directory; undefined: they are held (not written). */
  embargoedOut?: string;
  htmlOnly?: boolean;
  pdfOnly?: boolean;
  /** Also write <slug>.fragment.html for a CMS. */
  fragment?: boolean;
  /** A folder of templates whose files override the bundled ones. */
  templates?: string;
  /** Undefined: page_size in brief.config.yaml, else letter. */
  pageSize?: 'letter' | 'a4';
  /** Chrome or Chromium to print with. */
  browser?: string;
  /** Pages printed at once. */
  concurrency?: number;
  /** Seconds one brief may take to print. */
  timeout: number;
  force?: boolean;
  profile?: boolean;
  /** A running Chrome's DevTools endpoint to print with instead of launching one. */
  browserWs?: string;
  /** Part `index` (1-based) of `count` parts of the briefs; without `index`, it is read from the environment (shardFromEnvironment). */
  shard?: { index: number; count: number } | { count: number };
  json?: boolean;
  /** brief.config.yaml to read, relative to the working directory (default: found). */
  config?: string;
}

/**
 * `brief build`: builds the briefs into the output folder, showing progress on stderr,
 * then prints every diagnostic, the summary line and, with `profile`, the time per stage
 * (stderr); with `json`, the manifest on stdout and no progress.
 * Returns 0 when every brief was built, 1 when one has errors or could not be written or
 * printed, 2 for --html-only with --pdf-only, a path that does not exist, or an output or
 * --embargoed-out folder that would overwrite the project or publish embargoed briefs, 3 when no
 * browser is found (or an explicit one is not there, even with nothing to print) or the
 * remote one cannot be reached, no templates folder is found or an output cannot be
 * written, 130 when `io.signal` stopped it.
 */
export async function runBuild(args: BuildArgs, io: Io): Promise<number> {
  try {
    if (args.htmlOnly && args.pdfOnly) throw new UsageError('--html-only and --pdf-only exclude each other');
    checkTemplatesFolder(args.templates, io.cwd);
    const started = performance.now();
    // --verbose says where the time went, as --profile does.
    const profile = args.profile || io.verbosity === 'verbose' ? new Profile() : undefined;
    const quiet = io.verbosity === 'quiet';
    const mode = quiet || args.json ? 'quiet' : io.verbosity === 'verbose' || plainOutput(io.stderr as { isTTY?: boolean }, io.env ?? process.env) ? 'lines' : 'bar';
    const progress = buildProgress(io.stderr, mode);
    // Notices about the project's files are shown with --json too (stderr stays free for them); -q drops them.
    const notice = quiet ? () => undefined : args.json ? (line: string) => void io.stderr.write(`${line}\n`) : progress.log;
    const options = { ...buildOptions(args, io), profile, log: progress.log, notice, onBrief: progress.onBrief };
    const manifest = await build(options).finally(progress.stop);
    const profiled = profile?.summary();
    const ms = performance.now() - started;
    const code = reportManifest(profiled ? { ...manifest, profile: profiled } : manifest, io, { json: args.json, verb: 'built', ms });
    if (profiled && !args.json) io.stderr.write(profileTable(profiled));
    return code;
  } catch (err) {
    return handleError(err, io);
  }
}

/** The library's options for what the flags ask (timeout in milliseconds, page size as the library spells it). */
function buildOptions(args: BuildArgs, io: Io): BuildOptions {
  return {
    inputs: args.paths,
    cwd: io.cwd,
    outDir: args.out,
    embargoed: args.embargoedOut === undefined ? 'hold' : { dir: args.embargoedOut },
    formats: args.htmlOnly ? ['html'] : args.pdfOnly ? ['pdf'] : ['html', 'pdf'],
    pageSize: args.pageSize === undefined ? undefined : args.pageSize === 'a4' ? 'A4' : 'Letter',
    browser: args.browser,
    concurrency: args.concurrency,
    timeout: args.timeout * 1000,
    fragment: args.fragment,
    templates: args.templates,
    config: args.config,
    signal: io.signal,
    force: args.force,
    browserWs: args.browserWs,
    shard: args.shard === undefined ? undefined : shardFromEnvironment(args.shard, io.env ?? process.env, (m) => new UsageError(m)),
  };
}
