import { Argument, Command, CommanderError, Option, type OptionValues } from 'commander';
import { VERSION } from '../project/version.js';
import { SCHEMA_KINDS } from '../core/schema-kinds.js';
import { DEFAULTS } from '../core/settings.js';
import { DIMENSIONS } from '../core/tally.js';
import { anyCaseChoices, devtoolsEndpoint, portNumber, positiveInt, shardSpec, validDate } from './arguments.js';
import type { BuildArgs } from './commands/build.js';
import type { CheckArgs } from './commands/check.js';
import type { ExportArgs } from './commands/export.js';
import type { InitArgs } from './commands/init.js';
import type { NewArgs } from './commands/new.js';
import type { SchemaArgs } from './commands/schema.js';
import type { ServeArgs } from './commands/serve.js';
import type { TallyArgs } from './commands/tally.js';
import { EXIT, type Io } from './io.js';

export { EXIT, type Io } from './io.js';

/*
 * argv to options to a command to an exit code. This file only declares the command line
 * (flags, help texts, the parsers of flag values) and hands what commander parsed to the
 * command functions in commands/; nothing here knows how briefs are built.
 */

/** What commander parsed for one command: its arguments in declaration order, its options by camel-cased name. */
interface Parsed {
  args: unknown[];
  options: OptionValues;
}

/** One command: how commander declares it, and how it runs once commander has parsed and checked its call. */
interface CommandSpec {
  declare(command: Command): Command;
  run(parsed: Parsed, io: Io): Promise<number>;
}

/** The window and series flags, declared alike for tally and export since they choose their incidents the same way. */
const counting = (command: Command): Command =>
  command
    .argument('[paths...]', "brief files or folders of briefs (default: the project's briefs/)")
    .option('--since <date>', "window start, YYYY-MM-DD (default: the brief's own)", validDate)
    .option('--until <date>', "window end, YYYY-MM-DD (default: the brief's own)", validDate)
    .option('--series <name>', 'count the briefs of this series only (a folder may mix several)');

/** The commands in the order `brief --help` lists them. */
const COMMANDS: Record<string, CommandSpec> = {
  build: {
    declare: (command) =>
      command
        .description('Build every brief into output/: <slug>.html, <slug>.pdf and their assets.')
        .argument('[paths...]', "brief files or folders of briefs (default: the project's briefs/)")
        .option('-o, --out <dir>', "output folder (default: the project's output/)")
        .option('--embargoed-out <dir>', 'write briefs under embargo (HTML, PDF, their assets) into this folder, apart from the output folder (default: checked but not written until the embargo lifts)')
        .option('--html-only', 'write HTML only (no browser needed)')
        .option('--pdf-only', 'write PDF only')
        .option('--fragment', 'also write <slug>.fragment.html, the brief alone with scoped classes, for a CMS')
        .option('--templates <dir>', 'a folder of templates whose files override the bundled ones')
        .addOption(
          anyCaseChoices(new Option('--page-size <size>', 'PDF page size, in any case (default: page_size in brief.config.yaml, else letter)'), ['letter', 'a4']),
        )
        .option('--browser <path>', 'Chrome or Chromium to print with (default: FLASHBRIEF_BROWSER, or found)')
        .option('--concurrency <n>', 'pages printed at once', positiveInt)
        .option('--timeout <seconds>', 'time one brief may take to print before it is stopped and reported', positiveInt, DEFAULTS.printTimeoutMs / 1000)
        .option('--browser-ws <endpoint>', 'print with a running Chrome at this DevTools endpoint (ws://… or http://host:port) instead of launching one', devtoolsEndpoint)
        .option('--shard <i/n>', 'build part i of n of the briefs (tallies still count them all), for builds spread over machines; n alone takes i from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (0-based)', shardSpec)
        .option('--force', 'rebuild every brief, even those unchanged since the last build')
        .option('--profile', 'print the time spent per stage (load, validate, tally, render, print, write) and peak memory')
        .option('--json', 'print the build manifest as JSON on stdout'),
    run: async ({ args: [paths], options }, io) => (await import('./commands/build.js')).runBuild({ paths, ...options } as BuildArgs, io),
  },
  check: {
    declare: (command) =>
      command
        .description('Validate briefs without building: every problem as file:line:column, exit 1 on any error.')
        .argument('[paths...]', "brief files or folders of briefs (default: the project's briefs/)")
        .option('--json', 'print the result as JSON on stdout')
        .option('--templates <dir>', 'a folder of templates whose files override the bundled ones'),
    run: async ({ args: [paths], options }, io) => (await import('./commands/check.js')).runCheck({ paths, ...options } as CheckArgs, io),
  },
  tally: {
    declare: (command) =>
      counting(command)
        .description("Print the tally of briefs: one brief's exactly as its build counts it, or several briefs' combined.")
        .addOption(anyCaseChoices(new Option('--by <dimension>', 'one breakdown only'), DIMENSIONS))
        .addOption(anyCaseChoices(new Option('--format <format>', 'output format'), ['table', 'json', 'csv']).default('table')),
    run: async ({ args: [paths], options }, io) => (await import('./commands/tally.js')).runTally({ paths, ...options } as TallyArgs, io),
  },
  export: {
    declare: (command) =>
      counting(command)
        .description('Write the incidents in the window for spreadsheets and GIS tools (ACLED-style columns).')
        .addOption(anyCaseChoices(new Option('--format <format>', 'output format'), ['csv', 'json', 'geojson']).default('csv'))
        .option('-o, --out <file>', 'write to a file instead of stdout'),
    run: async ({ args: [paths], options }, io) => (await import('./commands/export.js')).runExport({ paths, ...options } as ExportArgs, io),
  },
  serve: {
    declare: (command) =>
      command
        .description('Preview while writing: build the briefs, serve them on this machine, rebuild and reload on every save.')
        .argument('[paths...]', "folders of briefs (default: the project's briefs/)")
        .option('--host <host>', 'address to listen on', DEFAULTS.serveHost)
        .option('--port <n>', 'port to listen on (0: any free port)', portNumber, DEFAULTS.servePort)
        .option('--browser <path>', 'Chrome or Chromium for PDF previews (default: FLASHBRIEF_BROWSER, or found)')
        .option('--templates <dir>', 'a folder of templates whose files override the bundled ones'),
    run: async ({ args: [paths], options }, io) => (await import('./commands/serve.js')).runServe({ paths, ...options } as ServeArgs, io),
  },
  init: {
    declare: (command) =>
      command
        .description('Start a new project: an example brief, brief.config.yaml with every setting, places.yaml, .gitignore and a CI workflow.')
        .argument('[dir]', 'folder to make it in', '.')
        .option('-f, --force', 'replace files of the same names'),
    run: async ({ args: [dir], options }, io) => (await import('./commands/init.js')).runInit({ dir, ...options } as InitArgs, io),
  },
  new: {
    declare: (command) =>
      command
        .description('Write a new brief dated today with every section, ready to fill in.')
        .argument('<title>', 'the headline')
        .option('-d, --dir <dir>', 'folder to write it in', DEFAULTS.inputs[0])
        .option('--date <date>', 'publication date, YYYY-MM-DD (default: today)', validDate)
        .option('-f, --force', 'overwrite a brief of the same name'),
    run: async ({ args: [title], options }, io) => (await import('./commands/new.js')).runNew({ title, ...options } as NewArgs, io),
  },
  schema: {
    declare: (command) =>
      command
        .description('Print the JSON Schema of a brief, an incident file, places.yaml or brief.config.yaml (for editors and other tools).')
        .addArgument(anyCaseChoices(new Argument('[kind]', 'which file'), SCHEMA_KINDS).default('brief'))
        .option('-o, --out <file>', 'write it to a file instead of stdout'),
    run: async ({ args: [kind], options }, io) => (await import('./commands/schema.js')).runSchema({ kind, ...options } as SchemaArgs, io),
  },
};

/** The commands that read a project, and so its brief.config.yaml. */
const READS_PROJECT = new Set(['build', 'check', 'tally', 'export', 'serve']);

/** -q and --verbose, alike on every command. */
const withVerbosity = (command: Command): Command =>
  command
    .addOption(new Option('-q, --quiet', 'print only problems (errors and warnings) and the summary: no progress or notices'))
    .addOption(new Option('--verbose', 'print every step: each brief as it is done, and where the time went').conflicts('quiet'));

// The same words as the README's "Exit codes": a broken template is a brief's error (1) since templates are checked with the briefs.
const EXIT_CODES_HELP =
  '\nExit codes: 0 success, 1 a brief, a template or a file they read has errors, or a brief could not be written or printed, 2 wrong usage, ' +
  '3 no browser found, startable or reachable, a --templates folder that does not exist or is not a folder, a file or folder that cannot be written, ' +
  'or an address serve cannot listen on, 130 interrupted.';

/** The whole command line, its help and errors written to `io`, its exits thrown (commander's exitOverride) rather than taken. */
function declareProgram(io: Io): Command {
  const program = new Command(io.name ?? 'brief')
    .description('Build flash briefs written as YAML into HTML and PDF, with tallies computed from their incidents.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  // Subcommands made after the calls above inherit their output, help-after-error and exitOverride.
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const command = withVerbosity(spec.declare(program.command(name)));
    if (READS_PROJECT.has(name)) command.option('--config <file>', 'the brief.config.yaml to read (default: the nearest in this folder or those above it, up to the project root)');
  }
  return program.addHelpText('after', EXIT_CODES_HELP);
}

/**
 * Runs the command line `argv` (without node and the script) in `io` and returns the exit
 * code, one of {@link EXIT}'s: usage mistakes commander finds are printed by commander
 * on stderr (2); --help and --version print on stdout (0). Never throws: whatever a
 * command throws becomes a line on stderr and an exit code.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const program = declareProgram(io);
  try {
    // The commands have no action handlers, so commander only parses and checks the call;
    // the command it chose is run below and its exit code returned.
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    // --help, --version and commander's usage errors are said already; anything else goes to handleError.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return failed(err, io);
  }
  const command = program.commands.find((c) => c.name() === program.args[0]);
  const spec = command && COMMANDS[command.name()];
  if (!command || !spec) return failed(new Error(`no command was chosen for: ${argv.join(' ')}`), io);
  const { quiet, verbose, ...options } = command.opts();
  const verbosity = quiet ? 'quiet' : verbose ? 'verbose' : 'normal';
  return spec.run({ args: command.processedArgs, options }, { ...io, verbosity });
}

/**
 * handleError (output.ts), loaded when a call goes wrong: it knows every error class of
 * the build, so importing it up front would load the whole library for --version too.
 */
const failed = async (err: unknown, io: Io): Promise<number> => (await import('./output.js')).handleError(err, io);

function ignoreClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
}

/** Signals that stop a command: Ctrl-C, a service manager's stop, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * How long a command has, after the first signal, to stop by itself (close its browser,
 * leave no half-written file) before the process quits anyway. Closing Chromium takes
 * well under a second; this bound is for what cannot be stopped, such as a read from a
 * network drive that no longer answers.
 */
const STOP_GRACE_MS = 5000;

/**
 * The process edge: signals become an AbortSignal (the build closes its browser and
 * stops cleanly). A second signal, or a command still running STOP_GRACE_MS after the
 * first, ends the process at once by the signal's default action: process.exit() is not
 * enough, since it waits for any thread blocked in a read. Returns the exit code for the
 * process to exit with. `name` is the command's name as installed (`flashbrief`, or its
 * alias `brief`), used in usage and messages.
 */
export async function run(argv: readonly string[], name = 'brief'): Promise<number> {
  const controller = new AbortController();
  const quitNow = (signal: NodeJS.Signals) => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    process.kill(process.pid, signal);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) return quitNow(signal);
    process.stderr.write(`\n${name}: ${signal} received, stopping... (again to quit at once)\n`);
    controller.abort(new Error(`${signal} received`));
    // Unref'd: a command that stops in time lets the process end without waiting for it.
    setTimeout(() => {
      process.stderr.write(`${name}: still not stopped ${STOP_GRACE_MS / 1000} s after ${signal}; quitting now\n`);
      quitNow(signal);
    }, STOP_GRACE_MS).unref();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  // A reader that stops early (`brief export | head -1`) closes the pipe: the rest of the
  // output has nowhere to go, which is no fault of the command's, so it runs on quietly.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedPipe);
  try {
    return await main(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), signal: controller.signal, name });
  } finally {
    // Once interrupted, the handlers stay until the process ends: a read still blocked
    // in a thread would otherwise hold it past a second Ctrl-C.
    if (!controller.signal.aborted) for (const s of STOP_SIGNALS) process.off(s, onSignal);
  }
}
