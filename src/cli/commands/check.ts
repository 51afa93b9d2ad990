import { check } from '../../project/build.js';
import { checkTemplatesFolder } from '../../project/templates.js';
import { noticeTo, type Io } from '../io.js';
import { handleError, reportManifest } from '../output.js';

/** `brief check`'s arguments and flags, as commander parses them. */
export interface CheckArgs {
  /** Brief files or folders of briefs, relative to the working directory. */
  paths: string[];
  /** Also print the result as JSON on stdout. */
  json?: boolean;
  /** A folder of templates whose files override the bundled ones. */
  templates?: string;
  /** brief.config.yaml to read, relative to the working directory (default: found). */
  config?: string;
}

/**
 * `brief check`: validates the briefs without writing anything, prints every diagnostic
 * and the summary line (`2 ok, 0 failed`) on stderr, and with `json` the manifest on stdout.
 * Returns 0 when no brief has errors, 1 when one has, 2 for a path that does not exist,
 * 3 for a templates folder that does not exist or is not a folder, 130 when `io.signal` stopped it.
 */
export async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  try {
    checkTemplatesFolder(args.templates, io.cwd);
    const manifest = await check({ inputs: args.paths, cwd: io.cwd, signal: io.signal, templates: args.templates, config: args.config, log: noticeTo(io) });
    // --verbose: a line per brief, as build prints one.
    if (io.verbosity === 'verbose') for (const b of manifest.briefs) io.stderr.write(`${b.ok ? 'ok' : 'failed'} ${b.source}\n`);
    return reportManifest(manifest, io, { json: args.json, verb: 'ok' });
  } catch (err) {
    return handleError(err, io);
  }
}
