import { CommanderError } from 'commander';
import { NO_BRIEFS, type FileEntry, type Manifest } from '../project/build.js';
import { InputError, OutputError } from '../project/files.js';
import type { Profile } from '../project/profile.js';
import { TemplateError } from '../project/templates.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import type { CompiledBrief } from '../page/compile.js';
import { BrowserLaunchError, BrowserNotFoundError, BrowserUnreachableError } from '../print/browser.js';
import { ListenError } from '../serve/serve.js';
import { blockingErrors } from './report.js';
import { EXIT, says, UsageError, type Io } from './io.js';

/*
 * What the commands print for people, on stderr: diagnostics as file:line:column, the
 * summary line, the --profile table, and the one line an exception becomes.
 */

/** What {@link reportManifest} says besides the diagnostics. */
export interface ReportOptions {
  /** Also print the manifest as JSON (two-space indented) on stdout. */
  json?: boolean;
  /** The word for a brief that passed: 'built' or 'ok'. */
  verb: string;
  /** Milliseconds the run took, shown in the summary line as seconds with one decimal. */
  ms?: number;
}

/**
 * Prints a build's or a check's outcome: every diagnostic once on stderr, the run's own
 * problems, the manifest as JSON on stdout when asked, then the summary line
 * (`2 built, 1 failed in 1.3 s: briefs/bad.yaml`) and what else went wrong.
 * Returns the exit code: ok when the manifest is, else briefErrors.
 */
export function reportManifest(manifest: Manifest, io: Io, options: ReportOptions): number {
  printDiagnostics(manifest, io);
  for (const problem of manifest.errors ?? []) io.stderr.write(`${says(io)}${problem}\n`);
  if (options.json) io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  io.stderr.write(summaryLine(manifest, options));
  const broken = (manifest.files ?? []).filter((f) => !f.ok).map((f) => f.source);
  if (broken.length > 0) io.stderr.write(`incident files with errors: ${broken.join(', ')}\n`);
  if (manifest.briefs.length === 0) io.stderr.write(`${NO_BRIEFS}\n`);
  return manifest.ok ? EXIT.ok : EXIT.briefErrors;
}

/** Errors, then warnings, of each incident file and brief, as `file:line:column: …` lines. */
function printDiagnostics(manifest: Manifest, io: Io): void {
  const lines = [...(manifest.files ?? []), ...manifest.briefs].flatMap((entry) => [
    ...(entry.errors ?? []).map((d) => formatDiagnostic({ ...d, severity: 'error' })),
    ...(entry.warnings ?? []).map((d) => formatDiagnostic({ ...d, severity: 'warning' })),
  ]);
  // One problem can stop several briefs (an id conflict, a template, brief.config.yaml,
  // places.yaml): each entry carries it, but a person needs to read it once.
  for (const line of new Set(lines)) io.stderr.write(`${line}\n`);
}

/**
 * `N <verb>, N failed[, N unchanged][, N held][ in S s][: failed sources]`, with its
 * newline. Held: briefs under embargo that were checked but not written.
 */
function summaryLine(manifest: Manifest, options: ReportOptions): string {
  const failed = manifest.briefs.filter((b) => !b.ok);
  const unchanged = manifest.briefs.filter((b) => b.ok && b.unchanged).length;
  const held = manifest.briefs.filter((b) => b.ok && b.embargo?.held).length;
  const passed = manifest.briefs.length - failed.length - unchanged - held;
  const took = options.ms === undefined ? '' : ` in ${(options.ms / 1000).toFixed(1)} s`;
  const summary = `${passed} ${options.verb}, ${failed.length} failed${unchanged > 0 ? `, ${unchanged} unchanged` : ''}${held > 0 ? `, ${held} held` : ''}${took}`;
  return failed.length > 0 ? `${summary}: ${failed.map((b) => b.source).join(', ')}\n` : `${summary}\n`;
}

/**
 * `--profile`: where the time went, stage by stage in milliseconds, and the most memory
 * the process held, in MiB. Returns the table's lines, ending with a newline.
 */
export function profileTable(p: ReturnType<Profile['summary']>): string {
  const lines = ['stage        ms'];
  for (const [stage, ms] of Object.entries(p.stages)) lines.push(`${stage.padEnd(9)}${ms.toFixed(1).padStart(9)}`);
  lines.push(`${'total'.padEnd(9)}${p.totalMs.toFixed(1).padStart(9)}`);
  lines.push(`peak memory (RSS) ${(p.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
  return `${lines.join('\n')}\n`;
}

/**
 * Numbers from briefs with errors would be wrong: prints where the errors are on stderr,
 * each once (as {@link reportManifest} does), and returns false when there is any, true
 * when the briefs can be counted.
 */
export function reportBlocking(compiled: readonly CompiledBrief[], io: Io, files: readonly FileEntry[] = []): boolean {
  const blocking = blockingErrors(compiled);
  // Only the briefs decide: an incident file with errors stops the briefs of its series
  // (each says so, pointing at it), not briefs it cannot concern. When briefs are stopped,
  // the files' own errors come first, since the briefs only point at them.
  const errors = blocking.length > 0 ? [...files.flatMap((f) => f.errors ?? []), ...blocking] : [];
  // A problem several briefs share (an id conflict, brief.config.yaml) is in each of them.
  for (const line of new Set(errors.map(formatDiagnostic))) io.stderr.write(`${line}\n`);
  if (errors.length > 0) io.stderr.write(`${says(io)}fix the errors above; no numbers were printed\n`);
  return errors.length === 0;
}

/**
 * Turns what a command threw into a line on stderr and an exit code: commander's own
 * errors (it has printed them already; --help and --version end here too) are usage
 * errors or success; anything thrown after Ctrl-C is an interruption (130); mistakes in
 * the call are usage errors (2); files that cannot be written, a missing or unreachable
 * browser, a missing templates folder or an address serve cannot listen on are the
 * environment's (3). Anything else is a bug: its stack is shown.
 */
export function handleError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (io.signal?.aborted) {
    io.stderr.write(`${says(io)}interrupted; outputs written so far are complete, nothing half-written was left\n`);
    return EXIT.interrupted;
  }
  if (err instanceof UsageError || err instanceof InputError) {
    io.stderr.write(`${says(io)}${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof OutputError) {
    io.stderr.write(`${says(io)}${err.describe(io.cwd)}\n`);
    return EXIT.environment;
  }
  if (err instanceof BrowserNotFoundError || err instanceof BrowserLaunchError || err instanceof BrowserUnreachableError || err instanceof TemplateError || err instanceof ListenError) {
    io.stderr.write(`${says(io)}${err.message}\n`);
    return EXIT.environment;
  }
  io.stderr.write(`${says(io)}unexpected error (please report it):\n${(err as Error).stack ?? String(err)}\n`);
  return EXIT.environment;
}
