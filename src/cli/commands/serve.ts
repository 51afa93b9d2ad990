import { findBrowser } from '../../print/browser.js';
import { serve } from '../../serve/serve.js';
import { checkTemplatesFolder } from '../../project/templates.js';
import { EXIT, noticeTo, type Io } from '../io.js';
import { handleError } from '../output.js';

/** `brief serve`'s arguments and flags, as commander parses them. */
export interface ServeArgs {
  /** Folders of briefs, relative to the working directory. */
  paths: string[];
  /** The address to listen on. */
  host: string;
  /** The port to listen on; 0: any free port. */
  port: number;
  /** Chrome or Chromium for PDF previews. */
  browser?: string;
  /** A folder of templates whose files override the bundled ones. */
  templates?: string;
  /** brief.config.yaml to read, relative to the working directory (default: found). */
  config?: string;
}

/**
 * `brief serve`: builds the briefs, serves them, and rebuilds and reloads on every save,
 * until `io.signal` is aborted (without a signal, until the process ends). Prints the
 * address on stdout and what it does on stderr.
 * Returns 0 once stopped; 2 for a path that does not exist, 3 when the server cannot
 * listen (a port in use or not allowed, a host not of this machine: said in words) or the
 * templates folder is not there or not a folder, 130 when `io.signal` was aborted before
 * it could start.
 */
export async function runServe(args: ServeArgs, io: Io): Promise<number> {
  try {
    checkTemplatesFolder(args.templates, io.cwd);
    // A --browser that names no browser is said at once (exit 3), not at the first PDF preview.
    if (args.browser !== undefined) await findBrowser({ explicit: args.browser });
    const server = await serve({
      inputs: args.paths,
      cwd: io.cwd,
      host: args.host,
      port: args.port,
      browser: args.browser,
      templates: args.templates,
      config: args.config,
      log: noticeTo(io),
    });
    io.stderr.write(`serving ${server.url} (Ctrl-C stops)\n`);
    io.stdout.write(`${server.url}\n`);
    // Runs until Ctrl-C (or SIGTERM): then the server, the watchers and any browser stop.
    await abortOf(io.signal);
    await server.close();
    noticeTo(io)('stopped');
    return EXIT.ok;
  } catch (err) {
    return handleError(err, io);
  }
}

/** Settles when `signal` is aborted (at once if it already is); never without one. */
function abortOf(signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
