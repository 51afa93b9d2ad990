import path from 'node:path';
import { writeNamedFile } from '../../project/files.js';
import { jsonSchemaText, type SchemaKind } from '../../core/json-schema.js';
import { EXIT, type Io } from '../io.js';
import { handleError } from '../output.js';

/** `brief schema`'s argument and flag, as commander parses them. */
export interface SchemaArgs {
  /** Which file's schema: a brief, an incident file, places.yaml or brief.config.yaml. */
  kind: SchemaKind;
  /** A file to write, relative to the working directory; undefined: stdout. */
  out?: string;
}

/**
 * `brief schema`: the JSON Schema of one kind of file, as JSON text, on stdout or to `out`.
 * Returns 0 when written, 3 when `out` cannot be written.
 */
export async function runSchema(args: SchemaArgs, io: Io): Promise<number> {
  try {
    if (args.out) await writeNamedFile(path.resolve(io.cwd, args.out), jsonSchemaText(args.kind), { signal: io.signal, std: io });
    else io.stdout.write(jsonSchemaText(args.kind));
    return EXIT.ok;
  } catch (err) {
    return handleError(err, io);
  }
}
