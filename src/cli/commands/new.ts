import { existsSync } from 'node:fs';
import path from 'node:path';
import { ensureDir, OutputError, writeOutput } from '../../project/files.js';
import { PACKAGE_ROOT } from '../../project/templates.js';
import { scaffoldBrief, today } from '../../core/scaffold.js';
import { schemaReference } from '../../project/version.js';
import { projectLayout } from '../../project/layout.js';
import { DEFAULTS } from '../../core/settings.js';
import { EXIT, noticeTo, UsageError, type Io } from '../io.js';
import { handleError } from '../output.js';

/** `brief new`'s argument and flags, as commander parses them. */
export interface NewArgs {
  /** The headline; surrounding spaces are trimmed. */
  title: string;
  /** The folder to write it in, relative to the working directory. */
  dir: string;
  /** Publication date, YYYY-MM-DD; undefined: today, on this machine's clock. */
  date?: string;
  /** Overwrite a brief of the same name. */
  force?: boolean;
}

/**
 * `brief new`: writes a brief with every section, ready to fill in, to
 * `<dir>/<date>-<slug of title>.yaml`, and prints its path (relative to the working
 * directory) on stdout and `wrote <path>` on stderr.
 * Returns 0 when written, 2 for an empty title or a file that exists without `force`,
 * 3 when the folder or file cannot be written.
 */
export async function runNew(args: NewArgs, io: Io): Promise<number> {
  try {
    if (args.title.trim() === '') throw new UsageError('the title must not be empty');
    // The default folder is the project's briefs/, found from a subfolder as build finds it.
    const dir = args.dir === DEFAULTS.inputs[0] ? path.join(projectLayout(io.cwd).root, DEFAULTS.inputs[0]) : path.resolve(io.cwd, args.dir);
    const schema = schemaReference(dir, 'brief', PACKAGE_ROOT);
    const { fileName, text } = scaffoldBrief(args.title.trim(), args.date ?? today(), schema);
    const file = path.join(dir, fileName);
    if (existsSync(file) && !args.force) throw new UsageError(`${path.relative(io.cwd, file)} exists; use --force to overwrite`);
    await ensureDir(dir).catch((err: NodeJS.ErrnoException) => Promise.reject(new OutputError(file, err)));
    await writeOutput(file, text);
    noticeTo(io)(`wrote ${path.relative(io.cwd, file)}`);
    io.stdout.write(`${path.relative(io.cwd, file)}\n`);
    return EXIT.ok;
  } catch (err) {
    return handleError(err, io);
  }
}
