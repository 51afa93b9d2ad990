import { existsSync } from 'node:fs';
import path from 'node:path';
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BrowserNotFoundError } from '../print/browser.js';
import { analyze, build, check, type Manifest } from '../build/build.js';
import { seriesOf } from '../core/collection.js';
import type { CompiledBrief } from '../page/compile.js';
import { blockingErrors, DIMENSIONS, exportRows, exportText, select, tallyCsv, tallyOf, tallyTable, type Dimension } from './report.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { ensureDir, InputError, OutputError, writeOutput } from '../build/files.js';
import { performance } from 'node:perf_hooks';
import { Profile } from '../build/profile.js';
import { buildProgress } from './progress.js';
import { isoDate } from '../core/schema.js';
import { jsonSchemaText, SCHEMAS, type SchemaKind } from '../core/json-schema.js';
import { scaffoldBrief, schemaComment, today } from '../core/scaffold.js';
import { serve } from '../serve/serve.js';
import { PACKAGE_ROOT, TemplateError } from '../build/templates.js';
import { VERSION } from '../build/version.js';

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, briefErrors: 1, usage: 2, environment: 3, interrupted: 130 } as const;

export interface Io {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  cwd: string;
  signal?: AbortSignal;
}

/**
 * argv to options to the library to an exit code. Nothing here knows how briefs are
 * built; it only turns flags into the options a script would pass to build() or check().
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('brief')
    .description('Build flash briefs written as YAML into HTML and PDF, with tallies computed from their incidents.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  program
    .command('build')
    .description('Build every brief into output/: <slug>.html, <slug>.pdf and their assets.')
    .argument('[paths...]', 'brief files or folders of briefs', ['briefs'])
    .option('-o, --out <dir>', 'output folder', 'output')
    .option('--html-only', 'write HTML only (no browser needed)')
    .option('--pdf-only', 'write PDF only')
    .option('--fragment', 'also write <slug>.fragment.html, the brief alone with scoped classes, for a CMS')
    .option('--templates <dir>', 'a folder of templates whose files override the bundled ones')
    .addOption(
      new Option('--page-size <size>', 'PDF page size (default: page_size in brief.config.yaml, else letter)').choices(['letter', 'a4']),
    )
    .option('--browser <path>', 'Chrome or Chromium to print with (default: FLASHBRIEF_BROWSER, or found)')
    .option('--concurrency <n>', 'pages printed at once', positiveInt)
    .option('--timeout <seconds>', 'time one brief may take to print before it is stopped and reported', positiveInt, 60)
    .option('--browser-ws <endpoint>', 'print with a running Chrome at this DevTools endpoint (ws://… or http://host:port) instead of launching one')
    .option('--shard <i/n>', 'build part i of n of the briefs (tallies still count them all), for builds spread over machines', shardSpec)
    .option('--force', 'rebuild every brief, even those unchanged since the last build')
    .option('--profile', 'print the time spent per stage (load, validate, tally, render, print, write) and peak memory')
    .option('--json', 'print the build manifest as JSON on stdout')
    .option('-q, --quiet', 'print only errors')
    .action(async (paths: string[], flags: BuildFlags) => {
      if (flags.htmlOnly && flags.pdfOnly) throw new UsageError('--html-only and --pdf-only exclude each other');
      const started = performance.now();
      const profile = flags.profile ? new Profile() : undefined;
      const progress = buildProgress(io.stderr, flags.quiet || flags.json ? 'quiet' : 'auto');
      const manifest = await build({
        inputs: paths,
        cwd: io.cwd,
        outDir: flags.out,
        formats: flags.htmlOnly ? ['html'] : flags.pdfOnly ? ['pdf'] : ['html', 'pdf'],
        pageSize: flags.pageSize === undefined ? undefined : flags.pageSize === 'a4' ? 'A4' : 'Letter',
        browser: flags.browser,
        concurrency: flags.concurrency,
        timeout: flags.timeout * 1000,
        fragment: flags.fragment,
        templates: flags.templates,
        signal: io.signal,
        force: flags.force,
        browserWs: flags.browserWs,
        shard: flags.shard,
        profile,
        log: progress.log,
        onBrief: progress.onBrief,
      }).finally(progress.stop);
      const profiled = profile?.summary();
      code = report(profiled ? { ...manifest, profile: profiled } : manifest, io, { json: flags.json, verb: 'built', ms: performance.now() - started });
      if (profiled && !flags.json) io.stderr.write(profileTable(profiled));
    });

  program
    .command('check')
    .description('Validate briefs without building: every problem as file:line:column, exit 1 on any error.')
    .argument('[paths...]', 'brief files or folders of briefs', ['briefs'])
    .option('--json', 'print the result as JSON on stdout')
    .option('--templates <dir>', 'a folder of templates whose files override the bundled ones')
    .action(async (paths: string[], flags: { json?: boolean; templates?: string }) => {
      const manifest = await check({ inputs: paths, cwd: io.cwd, signal: io.signal, templates: flags.templates });
      code = report(manifest, io, { json: flags.json, verb: 'ok' });
    });

  /** What tally and export count: the build's records, or nothing (exit 1) when a brief has errors. */
  const countFrom = async (paths: string[], window: { since?: string; until?: string; series?: string }) => {
    if (window.since && window.until && window.since > window.until) {
      throw new UsageError(`--since ${window.since} is after --until ${window.until}: the window would end before it starts`);
    }
    const { compiled: all, places } = await analyze({ inputs: paths, cwd: io.cwd, signal: io.signal });
    if (!reportBlocking(all, io)) {
      code = EXIT.briefErrors;
      return undefined;
    }
    const compiled = seriesChosen(all, window.series, io);
    const selection = select(compiled, window.since, window.until);
    const { since, until } = selection.window;
    if (since !== null && since > until) {
      const from = window.since ? `--since ${since}` : `the window's start (${since})`;
      const to = window.until ? `--until ${until}` : `the window's end (${until})`;
      throw new UsageError(`${from} is after ${to}: the window would end before it starts; move one of them`);
    }
    return { selection, places };
  };

  /** tally and export choose their incidents the same way, so they take the same arguments. */
  const counting = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .argument('[paths...]', 'brief files or folders of briefs', ['briefs'])
      .option('--since <date>', 'window start, YYYY-MM-DD (default: the brief\'s own)', validDate)
      .option('--until <date>', 'window end, YYYY-MM-DD (default: the brief\'s own)', validDate)
      .option('--series <name>', 'count the briefs of this series only (a folder may mix several)');

  const dimension = new Option('--by <dimension>', 'one breakdown only').choices(DIMENSIONS as string[]);
  counting('tally', "Print the tally of briefs: one brief's exactly as its build counts it, or several briefs' combined.")
    .addOption(dimension)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .action(async (paths: string[], flags: { since?: string; until?: string; series?: string; by?: Dimension; format: 'table' | 'json' | 'csv' }) => {
      const counted = await countFrom(paths, flags);
      if (!counted) return;
      const tally = tallyOf(counted.selection);
      const dimensions = flags.by ? [flags.by] : DIMENSIONS;
      if (flags.format === 'json') io.stdout.write(`${JSON.stringify(tally, null, 2)}\n`);
      else if (flags.format === 'csv') io.stdout.write(tallyCsv(tally, dimensions));
      else io.stdout.write(tallyTable(tally, dimensions));
    });

  counting('export', 'Write the incidents in the window for spreadsheets and GIS tools (ACLED-style columns).')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json', 'geojson']).default('csv'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (paths: string[], flags: { since?: string; until?: string; series?: string; format: 'csv' | 'json' | 'geojson'; out?: string }) => {
      const counted = await countFrom(paths, flags);
      if (!counted) return;
      const text = exportText(exportRows(counted.selection, counted.places), flags.format);
      if (flags.out) await writeOutput(path.resolve(io.cwd, flags.out), text);
      else io.stdout.write(text);
    });

  program
    .command('serve')
    .description('Preview while writing: build the briefs, serve them on this machine, rebuild and reload on every save.')
    .argument('[paths...]', 'folders of briefs', ['briefs'])
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', portNumber, 4000)
    .option('--browser <path>', 'Chrome or Chromium for PDF previews (default: FLASHBRIEF_BROWSER, or found)')
    .option('--templates <dir>', 'a folder of templates whose files override the bundled ones')
    .action(async (paths: string[], flags: { host: string; port: number; browser?: string; templates?: string }) => {
      const server = await serve({
        inputs: paths,
        cwd: io.cwd,
        host: flags.host,
        port: flags.port,
        browser: flags.browser,
        templates: flags.templates,
        log: (line) => io.stderr.write(`${line}\n`),
      });
      io.stderr.write(`serving ${server.url} (Ctrl-C stops)\n`);
      io.stdout.write(`${server.url}\n`);
      // Runs until Ctrl-C (or SIGTERM): then the server, the watchers and any browser stop.
      await new Promise<void>((resolve) => {
        if (!io.signal) return;
        if (io.signal.aborted) resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await server.close();
      io.stderr.write('stopped\n');
    });

  program
    .command('new')
    .description('Write a new brief dated today with every section, ready to fill in.')
    .argument('<title>', 'the headline')
    .option('-d, --dir <dir>', 'folder to write it in', 'briefs')
    .option('--date <date>', 'publication date, YYYY-MM-DD (default: today)', validDate)
    .option('-f, --force', 'overwrite a brief of the same name')
    .action(async (title: string, flags: { dir: string; date?: string; force?: boolean }) => {
      if (title.trim() === '') throw new UsageError('the title must not be empty');
      const dir = path.resolve(io.cwd, flags.dir);
      const schema = schemaComment(dir, path.join(PACKAGE_ROOT, 'schema', 'brief.schema.json'));
      const { fileName, text } = scaffoldBrief(title.trim(), flags.date ?? today(), schema);
      const file = path.join(dir, fileName);
      if (existsSync(file) && !flags.force) throw new UsageError(`${path.relative(io.cwd, file)} exists; use --force to overwrite`);
      await ensureDir(dir).catch((err: NodeJS.ErrnoException) => Promise.reject(new OutputError(file, err)));
      await writeOutput(file, text);
      io.stderr.write(`wrote ${path.relative(io.cwd, file)}\n`);
      io.stdout.write(`${path.relative(io.cwd, file)}\n`);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of a brief, an incident file or places.yaml (for editors and other tools).')
    .addArgument(new Argument('[kind]', 'which file').choices(Object.keys(SCHEMAS)).default('brief'))
    .option('-o, --out <file>', 'write it to a file instead of stdout')
    .action(async (kind: SchemaKind, flags: { out?: string }) => {
      if (flags.out) await writeOutput(path.resolve(io.cwd, flags.out), jsonSchemaText(kind));
      else io.stdout.write(jsonSchemaText(kind));
    });

  program.addHelpText(
    'after',
    // The same words as the README's "Exit codes": a broken template is a brief's error (1) since templates are checked with the briefs.
    `\nExit codes: 0 success, 1 a brief, a template or a file they read has errors, or a brief could not be written or printed, 2 wrong usage, 3 no browser found, a --templates folder that does not exist or shared assets that cannot be written, 130 interrupted.`,
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    return handleError(err, io);
  }
}

interface BuildFlags {
  out: string;
  htmlOnly?: boolean;
  pdfOnly?: boolean;
  fragment?: boolean;
  templates?: string;
  pageSize?: 'letter' | 'a4';
  browser?: string;
  concurrency?: number;
  timeout: number;
  force?: boolean;
  profile?: boolean;
  browserWs?: string;
  shard?: { index: number; count: number };
  json?: boolean;
  quiet?: boolean;
}

class UsageError extends Error {}

function handleError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    // --help and --version end here too, successfully.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (io.signal?.aborted) {
    io.stderr.write('brief: interrupted; outputs written so far are complete, nothing half-written was left\n');
    return EXIT.interrupted;
  }
  if (err instanceof UsageError || err instanceof InputError) {
    io.stderr.write(`brief: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof OutputError) {
    io.stderr.write(`brief: ${err.describe(io.cwd)}\n`);
    return EXIT.environment;
  }
  if (err instanceof BrowserNotFoundError || err instanceof TemplateError) {
    io.stderr.write(`brief: ${err.message}\n`);
    return EXIT.environment;
  }
  // Anything else is a bug in flashbrief, not a mistake in a brief: show the stack.
  io.stderr.write(`brief: unexpected error (please report it):\n${(err as Error).stack ?? String(err)}\n`);
  return EXIT.environment;
}

function report(manifest: Manifest, io: Io, options: { json?: boolean; verb: string; ms?: number }): number {
  // One problem can stop several briefs (an id conflict, a template, brief.config.yaml,
  // places.yaml): each entry carries it, but a person needs to read it once.
  const printed = new Set<string>();
  const print = (line: string) => {
    if (printed.has(line)) return;
    printed.add(line);
    io.stderr.write(`${line}\n`);
  };
  for (const entry of [...(manifest.files ?? []), ...manifest.briefs]) {
    for (const d of entry.errors ?? []) print(formatDiagnostic({ ...d, severity: 'error' }));
    for (const d of entry.warnings ?? []) print(formatDiagnostic({ ...d, severity: 'warning' }));
  }
  for (const problem of manifest.errors ?? []) io.stderr.write(`brief: ${problem}\n`);
  const failed = manifest.briefs.filter((b) => !b.ok);
  const unchanged = manifest.briefs.filter((b) => b.ok && b.unchanged).length;
  const passed = manifest.briefs.length - failed.length - unchanged;
  if (options.json) io.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  const took = options.ms === undefined ? '' : ` in ${(options.ms / 1000).toFixed(1)} s`;
  const summary = `${passed} ${options.verb}, ${failed.length} failed${unchanged > 0 ? `, ${unchanged} unchanged` : ''}${took}`;
  io.stderr.write(failed.length > 0 ? `${summary}: ${failed.map((b) => b.source).join(', ')}\n` : `${summary}\n`);
  const broken = (manifest.files ?? []).filter((f) => !f.ok).map((f) => f.source);
  if (broken.length > 0) io.stderr.write(`incident files with errors: ${broken.join(', ')}\n`);
  if (manifest.briefs.length === 0) io.stderr.write('no briefs found (looked for .yaml and .yml files)\n');
  return manifest.ok ? EXIT.ok : EXIT.briefErrors;
}

/** `--profile`: where the time went, stage by stage, and the most memory the process held. */
function profileTable(p: ReturnType<Profile['summary']>): string {
  const lines = ['stage        ms'];
  for (const [stage, ms] of Object.entries(p.stages)) lines.push(`${stage.padEnd(9)}${ms.toFixed(1).padStart(9)}`);
  lines.push(`${'total'.padEnd(9)}${p.totalMs.toFixed(1).padStart(9)}`);
  lines.push(`peak memory (RSS) ${(p.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
  return `${lines.join('\n')}\n`;
}

/** Numbers from briefs with errors would be wrong: say where, and refuse. */
function reportBlocking(compiled: readonly CompiledBrief[], io: Io): boolean {
  const errors = blockingErrors(compiled);
  for (const d of errors) io.stderr.write(`${formatDiagnostic(d)}\n`);
  if (errors.length > 0) io.stderr.write('brief: fix the errors above; no numbers were printed\n');
  return errors.length === 0;
}

/**
 * The briefs `--series` names, or all of them; counting briefs of several series (or
 * briefs without one) together is said on stderr, since one number then mixes campaigns.
 * A series no brief has is a usage error naming those that exist.
 */
function seriesChosen(compiled: readonly CompiledBrief[], series: string | undefined, io: Io): CompiledBrief[] {
  const named = [...new Set(compiled.flatMap((c) => (c.brief ? seriesOf(c.brief) : [])))].sort();
  if (series !== undefined) {
    const chosen = compiled.filter((c) => c.brief && seriesOf(c.brief).includes(series));
    if (chosen.length === 0) {
      throw new UsageError(`no brief has series "${series}"; ${named.length > 0 ? `series here: ${named.join(', ')}` : 'no brief here has a series'}`);
    }
    io.stderr.write(`counting series ${series}: ${chosen.length} brief${chosen.length === 1 ? '' : 's'}\n`);
    return chosen;
  }
  const without = compiled.filter((c) => c.brief && seriesOf(c.brief).length === 0).length;
  if (compiled.length > 1 && named.length + (without > 0 ? 1 : 0) > 1) {
    const parts = [...named.map((n) => `series ${n}`), ...(without > 0 ? [`${without} brief${without === 1 ? '' : 's'} without a series`] : [])];
    io.stderr.write(`counting together ${parts.join(', ')}; --series NAME counts one series only\n`);
  }
  return [...compiled];
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number, 0 to 65535');
  return n;
}

function shardSpec(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new InvalidArgumentError('must be i/n with 1 <= i <= n, e.g. 2/4');
  return { index, count };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number >= 1');
  return n;
}

function validDate(value: string): string {
  if (!isoDate('').safeParse(value).success) throw new InvalidArgumentError('must be a real date written YYYY-MM-DD');
  return value;
}

/**
 * The process edge: signals become an AbortSignal (the build closes its browser and
 * stops cleanly); a second Ctrl-C exits at once.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\nbrief: ${signal} received, stopping...\n`);
    controller.abort(new Error(`${signal} received`));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  try {
    return await main(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), signal: controller.signal });
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
  }
}
