import { readFile, stat, readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Paths as the user wrote them, relative to where they ran the command, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

export const isYamlFile = (name: string) => /\.ya?ml$/i.test(name) && !name.startsWith('.');

export class InputError extends Error {}

/**
 * Files and folders to brief files: a folder means the .yaml/.yml files directly in it,
 * in name order, so builds are the same on every machine.
 */
export async function findBriefFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    const info = await stat(abs).catch(() => undefined);
    if (!info) throw new InputError(`${input}: no such file or folder`);
    if (info.isDirectory()) {
      files.push(...(await yamlFilesIn(abs)));
    } else files.push(abs);
  }
  return [...new Set(files)];
}

/** The .yaml and .yml files directly in a folder, in name order; none if it does not exist. */
export async function yamlFilesIn(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter(isYamlFile).sort().map((n) => path.join(dir, n));
}


/**
 * Written to a temporary file beside the target and renamed into place, so a reader
 * (or a crash) never sees half a file and the previous output stays until the new one
 * is complete. Unchanged content is not rewritten, to keep timestamps and caches quiet.
 */
export async function writeOutput(file: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const existing = await readFile(file).catch(() => undefined);
  if (existing && Buffer.compare(existing, bytes) === 0) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    // On failure write-file-atomic removes its temporary file: the old output is untouched.
    await writeFileAtomic(file, bytes);
  } catch (err) {
    throw new OutputError(file, err as NodeJS.ErrnoException);
  }
}

/** Why a file could not be written, in words a user can act on. */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the output folder is on a read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a file is in the way of the folder',
  EISDIR: 'a folder is in the way of the file',
};

/** An output file that could not be written; the previous version of it is intact. */
export class OutputError extends Error {
  constructor(
    readonly file: string,
    cause: NodeJS.ErrnoException,
  ) {
    const reason = (cause.code && WRITE_FAILURES[cause.code]) ?? cause.message;
    super(`${reason}${cause.code ? ` (${cause.code})` : ''}`, { cause });
    this.name = 'OutputError';
  }

  /** "could not write output/x.pdf: the disk is full (ENOSPC)", with the path as the user sees it. */
  describe(cwd: string): string {
    return `could not write ${displayPath(this.file, cwd)}: ${this.message}; the previous file, if any, is unchanged`;
  }
}
