import path from 'node:path';
import { writeNamedFile } from '../../project/files.js';
import { EXIT, type Io } from '../io.js';
import { handleError } from '../output.js';
import { exportRows, exportText } from '../report.js';
import { countFrom, type CountingArgs } from './counting.js';

/** `brief export`'s arguments and flags, as commander parses them. */
export interface ExportArgs extends CountingArgs {
  format: 'csv' | 'json' | 'geojson';
  /** A file to write, relative to the working directory; undefined: stdout. */
  out?: string;
}

/**
 * `brief export`: writes the incidents in the window, one row each with ACLED-style
 * columns, as CSV, JSON or GeoJSON, on stdout or to `out`.
 * Returns 0 when written, 1 when a brief has errors (they are printed on stderr and no
 * rows are), 2 for a window that ends before it starts, a series no brief has or a path
 * that does not exist, 3 when `out` cannot be written, 130 when `io.signal` stopped it.
 */
export async function runExport(args: ExportArgs, io: Io): Promise<number> {
  try {
    const counted = await countFrom(args, io);
    if (!counted) return EXIT.briefErrors;
    const text = exportText(exportRows(counted.selection, counted.places), args.format);
    if (args.out) await writeNamedFile(path.resolve(io.cwd, args.out), text, { signal: io.signal, std: io });
    else io.stdout.write(text);
    return EXIT.ok;
  } catch (err) {
    return handleError(err, io);
  }
}
