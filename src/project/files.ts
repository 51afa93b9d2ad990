import { lstatSync, type Stats } from 'node:fs';
import { constants, lstat, open, readdir, mkdir, realpath, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Diagnostic } from '../core/diagnostics.js';
import { decodeUtf8 } from '../core/load.js';
import { noteFolder, noteInput } from './input-log.js';

/** Paths as the user wrote them, relative to where they ran the command, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

export const isYamlFile = (name: string) => /\.ya?ml$/i.test(name) && !name.startsWith('.');

export class InputError extends Error {}

/** A project's own YAML files, never briefs, though a folder of briefs may hold them (`brief check .` at a project's root). */
const PROJECT_FILES = new Set(['brief.config.yaml', 'places.yaml']);

/**
 * Files and folders to brief files (absolute paths): a folder means the .yaml/.yml files
 * directly in it, in name order, so builds are the same on every machine, except the
 * project's own brief.config.yaml and places.yaml.
 * @throws InputError for an empty path, a path that does not exist, or a project folder
 *   named instead of its briefs folder (one with no briefs of its own and a briefs/ in it).
 */
export async function findBriefFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    if (input.trim() === '') throw new InputError('an empty path was given: name a brief file or a folder of briefs');
    const abs = path.resolve(cwd, input);
    const info = await stat(abs).catch(() => undefined);
    if (!info) {
      // The default folder missing usually means a folder that is not a project (yet).
      const start = abs === path.resolve(cwd, 'briefs') ? '; to start a project here, run `npx flashbrief init`' : '';
      throw new InputError(`${input}: no such file or folder${start}`);
    }
    if (!info.isDirectory()) {
      files.push(abs);
      continue;
    }
    const found = await briefFilesIn(abs);
    const briefsInside = path.join(abs, 'briefs');
    if (found.length === 0 && (await stat(briefsInside).catch(() => undefined))?.isDirectory()) {
      const shown = displayPath(briefsInside, cwd);
      const instead = abs === path.resolve(cwd) ? 'give no path (briefs/ is the default)' : `run the command in ${input}`;
      throw new InputError(`${input} holds no briefs of its own; its briefs are in ${shown}: name that folder, or ${instead}`);
    }
    files.push(...found);
  }
  return [...new Set(files)];
}

/** The briefs directly in a folder: its YAML files except the project's own (see PROJECT_FILES). */
export async function briefFilesIn(dir: string): Promise<string[]> {
  return (await yamlFilesIn(dir)).filter((file) => !PROJECT_FILES.has(path.basename(file).toLowerCase()));
}

/**
 * The .yaml and .yml entries directly in a folder, in name order; none if it does not
 * exist. Entries are not checked here: one that is not a readable file (a folder named
 * x.yaml, a broken link) is reported by readText as that entry's own error.
 */
export async function yamlFilesIn(dir: string): Promise<string[]> {
  noteFolder(dir);
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter(isYamlFile).sort().map((n) => path.join(dir, n));
}

/** Why a file could not be read, in words a user can act on. */
const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file (a symbolic link that points nowhere?)',
  ELOOP: 'a symbolic link that points to itself, directly or through other links',
  EACCES: 'permission denied: the file cannot be read',
  EPERM: 'permission denied: the file cannot be read',
  EISDIR: 'a folder, not a file',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'the disk reported an error while reading',
};

export interface ReadTextOptions {
  /** Stops a read in progress (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * The characters a file may hold (limits.file_chars). A file of more than four bytes a
   * character, more than any UTF-8 text of that length can be, is refused before it is read.
   */
  maxChars?: number;
  /** How the file is named in messages: as the user wrote it, relative to where they ran. */
  shown: string;
}

/** What a path holds when it is not a regular file, in words ("a named pipe (FIFO)"). */
export type NotRegular = 'a folder' | 'a named pipe (FIFO)' | 'a socket' | 'a device';

/** Thrown by {@link readRegularFile} for a path that is not a regular file. */
export class NotRegularFileError extends Error {
  constructor(
    readonly file: string,
    readonly kind: NotRegular,
  ) {
    super(`${file} is ${kind}, not a regular file`);
  }
}

/**
 * The bytes of a regular file, never blocking on what is not one. The file is opened
 * without waiting (O_NONBLOCK) and its kind is read from the open handle, so a named pipe
 * is refused at once, even one swapped in after an earlier look; a blocked open() or
 * read() holds a thread that not even process.exit() can leave, so Ctrl-C would hang.
 * O_NONBLOCK changes nothing for a regular file. `info` sees the file's stat before any
 * byte is read (to refuse a size, say); what it throws is thrown.
 * @throws NotRegularFileError for a folder, pipe, socket or device; the system's error
 *   (ENOENT, EACCES, ...) for a path that cannot be opened; the signal's reason when aborted.
 */
export async function readRegularFile(
  file: string,
  options: { signal?: AbortSignal; info?: (stats: import('node:fs').Stats) => void } = {},
): Promise<Buffer> {
  options.signal?.throwIfAborted();
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch((err: unknown) => {
    noteInput(file, undefined);
    throw err;
  });
  try {
    const info = await handle.stat();
    noteInput(file, info);
    if (!info.isFile()) {
      throw new NotRegularFileError(file, info.isDirectory() ? 'a folder' : info.isFIFO() ? 'a named pipe (FIFO)' : info.isSocket() ? 'a socket' : 'a device');
    }
    options.info?.(info);
    return await handle.readFile({ signal: options.signal });
  } finally {
    await handle.close();
  }
}

/**
 * One input file (a brief, an incident file, places.yaml, brief.config.yaml) as text, or
 * the reason it cannot be one, as a Diagnostic at 1:1 of that file. Only regular files are
 * read: a FIFO would block forever and a device such as /dev/zero never ends, so both are
 * refused by their kind before any byte is read (see readRegularFile). Invalid UTF-8 is
 * refused at its position. Aborting the signal rejects with the signal's reason, like
 * every other abortable step.
 */
export async function readText(file: string, options: ReadTextOptions): Promise<{ text: string } | { diagnostic: Diagnostic }> {
  const problem = (message: string): { diagnostic: Diagnostic } => ({
    diagnostic: { file: options.shown, line: 1, column: 1, message, severity: 'error' },
  });
  class TooLarge extends Error {}
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, {
      signal: options.signal,
      info: (info) => {
        if (options.maxChars !== undefined && info.size > options.maxChars * 4) {
          throw new TooLarge(
            `the file has ${info.size.toLocaleString('en-US')} bytes, more than ${options.maxChars.toLocaleString('en-US')} characters can take; the limit is limits.file_chars in brief.config.yaml`,
          );
        }
      },
    });
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (err instanceof TooLarge) return problem(err.message);
    if (err instanceof NotRegularFileError) {
      return problem(err.kind === 'a folder' ? 'this is a folder where a file was expected; move it, or rename it' : `this is ${err.kind}, not a regular file, so it is not read; remove it from the folder`);
    }
    return problem(describeReadFailure(err));
  }
  return decodeUtf8(bytes, options.shown);
}

/** An errno from reading, as a sentence; unknown codes keep the system's own words. */
function describeReadFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reason = (e.code && READ_FAILURES[e.code]) ?? e.message;
  return `cannot be read: ${reason}${e.code ? ` (${e.code})` : ''}`;
}


/**
 * Written to a temporary file beside the target and renamed into place, so a reader
 * (or a crash) never sees half a file and the previous output stays until the new one
 * is complete. Unchanged content is not rewritten, to keep timestamps and caches quiet.
 * A symbolic link where an output goes is replaced by the file, never written through:
 * write-file-atomic follows links to their target, so `output/x.html -> ~/.bashrc`
 * would have overwritten that file.
 * `durable: false` skips the flush to disk before the rename, for files named after their
 * content (the shared assets) and the site's files, which every HTML build makes whole: a
 * crash can at worst leave one cut short, and the next build, comparing content, writes it again. A flush per file made writing a template's
 * 500 font slices most of a one-brief build's time.
 * `mayReplace`, when given, is asked about a regular file already there with other
 * content: false leaves that file as it is and throws ForeignFileError (the build never
 * overwrites a file it did not write; see ownership.ts).
 * `within`, the folder the build writes into (absolute; `file` must be inside it), makes
 * every folder between it and the file a real folder first (see ensureRealDir), so that
 * a linked folder (`output/assets -> elsewhere`) is never written through either.
 * @throws OutputError (ForeignFileError for a file `mayReplace` refused) naming the file.
 */
export async function writeOutput(
  file: string,
  data: string | Uint8Array,
  options: { durable?: boolean; mayReplace?: (existing: Buffer) => boolean; within?: string } = {},
): Promise<void> {
  // The same bytes this process wrote or found there before, and the file as it was then:
  // nothing to do. A synchronous lstat (a twentieth of the time of a queued one, for 500
  // fonts on each rebuild of serve) of a file this process has written or read already.
  const known = typeof data === 'string' ? undefined : confirmed.get(data)?.get(file);
  if (known !== undefined && known === stampOf(lstatOrNothing(file))) return;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const remember = async () => {
    if (typeof data === 'string') return;
    const stamp = stampOf(await lstat(file).catch(() => undefined));
    if (stamp === undefined) return;
    let files = confirmed.get(data);
    if (!files) confirmed.set(data, (files = new Map()));
    files.set(file, stamp);
  };
  // First the folders: through a linked one, the lstat below would see the link's target.
  if (options.within !== undefined) await ensureRealDir(options.within, path.dirname(file)).catch((err: NodeJS.ErrnoException) => Promise.reject(new OutputError(file, err)));
  const entry = await lstat(file).catch(() => undefined);
  // Only a regular file is compared: reading a named pipe left where an output goes would block.
  const existing = entry?.isFile() ? await readRegularFile(file).catch(() => undefined) : undefined;
  if (existing && Buffer.compare(existing, bytes) === 0) return remember();
  if (existing && options.mayReplace && !options.mayReplace(existing)) throw new ForeignFileError(file);
  try {
    if (entry?.isSymbolicLink()) await unlink(file);
    await ensureDir(path.dirname(file));
    // On failure write-file-atomic removes its temporary file: the old output is untouched.
    await writeFileAtomic(file, bytes, { fsync: options.durable ?? true });
  } catch (err) {
    throw new OutputError(file, err as NodeJS.ErrnoException);
  }
  await remember();
}

/**
 * Each byte array writeOutput wrote or found already there, by the files it is in, with
 * each file's stamp then. The shared assets (a template's 500 font slices) are the same
 * arrays from one build to the next in a process (templates.ts keeps a loaded template),
 * so serve's rebuild after a save looks at each with one lstat instead of reading it back
 * to compare (was most of a rebuild's time). Held weakly: a template loaded again lets
 * its old arrays go. A file changed, replaced or removed since has another stamp (the
 * change time moves with any write, rename or chmod) and is compared as before.
 */
const confirmed = new WeakMap<Uint8Array, Map<string, string>>();

function lstatOrNothing(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

const stampOf = (info: Stats | undefined): string | undefined =>
  info?.isFile() ? `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}` : undefined;

/**
 * A folder and its missing parents, made one level at a time. Not mkdir's own recursive
 * option: on Linux, Node's recursive mkdir spins forever, unkillable by SIGTERM, when a
 * parent exists but cannot hold the child (a path under /proc, where mkdir answers ENOENT
 * for a folder whose parent exists; the same loop bun fixed in
 * https://github.com/oven-sh/bun/pull/40600, and Node once fixed on Windows in
 * https://github.com/nodejs/node/issues/27198). Each
 * level here is made once, so such a path fails at once with the system's answer.
 * Throws the errno error of the level that failed.
 */
export async function ensureDir(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const info = await stat(at).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`not a folder: ${at}`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of missing.reverse()) {
    await mkdir(level).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
  }
}

/**
 * Whether `inner` (absolute) is a path strictly inside `outer` (absolute), by name only;
 * the relative path from one to the other when it is.
 */
function below(outer: string, inner: string): string | undefined {
  const rel = path.relative(outer, inner);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel;
}

/**
 * Makes `dir` a real folder at every level below `root` (both absolute; `root` itself is
 * the user's choice and may be a link to a folder elsewhere): a missing level is made, and
 * a symbolic link at a level is removed (the link alone, never what it points to) and a
 * folder made in its place. A link there would send the build's writes (and removals) to
 * wherever it points: `output/assets -> ~/work` had hundreds of font files written into
 * that folder. `dir` outside `root` is made as ensureDir makes it.
 * Safe to run for many files of one folder at once: a level another call is replacing is
 * taken as it is left.
 * @throws the errno error of the level that failed (ENOTDIR for a file in the way).
 */
export async function ensureRealDir(root: string, dir: string): Promise<void> {
  const rel = below(path.resolve(root), path.resolve(dir));
  await ensureDir(rel === undefined ? dir : root);
  if (rel === undefined) return;
  let at = path.resolve(root);
  for (const level of rel.split(path.sep)) {
    at = path.join(at, level);
    const info = await lstat(at).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    if (info?.isDirectory()) continue;
    if (info && !info.isSymbolicLink()) throw Object.assign(new Error(`not a folder: ${at}`), { code: 'ENOTDIR' });
    if (info) await unlink(at).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)));
    await mkdir(at).catch((err: NodeJS.ErrnoException) => (err.code === 'EEXIST' ? undefined : Promise.reject(err)));
    // Another write may have made it meanwhile; what stands must now be a real folder.
    if (!(await lstat(at)).isDirectory()) throw Object.assign(new Error(`not a folder: ${at}`), { code: 'ENOTDIR' });
  }
}

/**
 * Removes a file the build wrote inside `root` (both absolute), unless a folder between
 * `root` and it is a symbolic link (or not a folder): then the file is not the build's
 * and stays. Returns whether it is gone (true too when it was not there).
 */
export async function removeOutput(root: string, file: string): Promise<boolean> {
  const rel = below(path.resolve(root), path.resolve(file));
  if (rel === undefined) return false;
  let at = path.resolve(root);
  for (const level of rel.split(path.sep).slice(0, -1)) {
    at = path.join(at, level);
    const info = await lstat(at).catch(() => undefined);
    if (!info) return true; // its folder is gone, so is it
    if (!info.isDirectory()) return false;
  }
  return unlink(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
  );
}

/**
 * The one file a user names for a command's output (`brief schema --out X`,
 * `brief export -o X`), written as shell redirection would: what X is decides how.
 * - A named pipe, a character device or a socket-like file (anything but a regular file
 *   or folder), or any path under /dev or /proc (`/dev/stdout`, `/dev/fd/3`), is opened
 *   and written into, never renamed over: `--out /dev/full` once turned the device into a
 *   regular file. It is opened for appending and without waiting (a pipe with no reader
 *   yet is tried again every 50 ms, until one opens it or `signal` is aborted), so
 *   `--out /dev/stdout >> log` adds to the log, and Ctrl-C still stops a wait.
 * - The process's own standard output or error named by path (`/dev/stdout`,
 *   `/dev/fd/2`, `/proc/self/fd/1`) is written to `std`'s stream, as the command's output
 *   without --out is: opening that path again fails when it is a socket (as a parent
 *   process's pipe often is), and writing beside the stream would reorder the text.
 * - A symbolic link is followed, as `>` follows it: the file it leads to is written
 *   (atomically, as writeOutput writes) and the link stays; a link that leads nowhere is
 *   an error.
 * - Anything else (a regular file, or nothing yet) is written atomically by writeOutput.
 * @throws OutputError in plain words: ENOSPC from /dev/full, EPIPE from a pipe whose
 *   reader left, EISDIR for a folder; the signal's reason when aborted.
 */
export async function writeNamedFile(
  file: string,
  data: string,
  options: { signal?: AbortSignal; std?: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } } } = {},
): Promise<void> {
  const bytes = Buffer.from(data, 'utf8');
  const fail = (err: NodeJS.ErrnoException, inPlace = true) => Promise.reject(options.signal?.aborted ? options.signal.reason : new OutputError(file, err, inPlace));
  const std = /^\/(?:dev\/(?:(stdout|stderr)|fd\/([12]))|proc\/self\/fd\/([12]))$/.exec(path.resolve(file));
  if (std && options.std && process.platform !== 'win32') {
    options.std[std[1] === 'stdout' || std[2] === '1' || std[3] === '1' ? 'stdout' : 'stderr'].write(data);
    return;
  }
  const info = await stat(file).catch(() => undefined);
  const special = process.platform !== 'win32' && /^\/(dev|proc)\//.test(path.resolve(file));
  if (special || (info && !info.isFile() && !info.isDirectory())) return writeInPlace(file, bytes, info?.isFIFO() === true, options.signal).catch((err: NodeJS.ErrnoException) => fail(err));
  const entry = await lstat(file).catch(() => undefined);
  if (!entry?.isSymbolicLink()) return writeOutput(file, bytes);
  const target = await realpath(file).catch((err: NodeJS.ErrnoException) =>
    Promise.reject(new OutputError(file, Object.assign(new Error(`a symbolic link that leads nowhere (${err.code ?? err.message})`), { code: err.code === 'ELOOP' ? 'ELOOP' : 'EDANGLING' }), false)),
  );
  await writeOutput(target, bytes);
}

/** Writes `bytes` into what is at `file` (a pipe, a device), opened for appending without waiting; see writeNamedFile. */
async function writeInPlace(file: string, bytes: Buffer, fifo: boolean, signal?: AbortSignal): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK | constants.O_NOCTTY;
  let handle: import('node:fs/promises').FileHandle | undefined;
  while (!handle) {
    signal?.throwIfAborted();
    // ENXIO from a named pipe: nobody reads it yet. A blocking open would hold a thread Ctrl-C cannot free.
    handle = await open(file, flags).catch((err: NodeJS.ErrnoException) => (fifo && err.code === 'ENXIO' ? sleep(50).then(() => undefined) : Promise.reject(err)));
  }
  try {
    for (let at = 0; at < bytes.length; ) {
      signal?.throwIfAborted();
      // EAGAIN: the pipe is full until its reader catches up.
      at += await handle.write(bytes, at).then(({ bytesWritten }) => bytesWritten, (err: NodeJS.ErrnoException) => (err.code === 'EAGAIN' ? sleep(10).then(() => 0) : Promise.reject(err)));
    }
  } finally {
    await handle.close();
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
  ENOENT: 'a folder on its path cannot be made there (a path under /proc or /sys, or a symbolic link that points nowhere?)',
  EPIPE: 'the program reading it stopped reading',
  ENXIO: 'no device or reader is there (a socket cannot be written as a file)',
  ELOOP: 'a symbolic link that leads to itself, directly or through other links',
  EDANGLING: 'a symbolic link that leads nowhere: make the file it names, or name another',
};

/** The same, for a pipe or device written in place, where "the disk" may not be one. */
const IN_PLACE_FAILURES: Record<string, string> = {
  ENOSPC: 'no space is left on the device (a full disk, or /dev/full)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'no such file or device',
};

/** An output file that could not be written; the previous version of it is intact. */
export class OutputError extends Error {
  /**
   * `inPlace`: the write went into a pipe or device (writeNamedFile), so there is no
   * previous file to keep, and part of the output may have gone out.
   */
  constructor(
    readonly file: string,
    cause: NodeJS.ErrnoException,
    readonly inPlace = false,
  ) {
    const reason = (cause.code && ((inPlace && IN_PLACE_FAILURES[cause.code]) || WRITE_FAILURES[cause.code])) ?? cause.message;
    const code = cause.code && cause.code !== 'EDANGLING' ? ` (${cause.code})` : '';
    super(`${reason}${code}`, { cause });
    this.name = 'OutputError';
  }

  /** "could not write output/x.pdf: the disk is full (ENOSPC)", with the path as the user sees it. */
  describe(cwd: string): string {
    const after = this.inPlace ? 'what was written before the error may have gone out' : 'the previous file, if any, is unchanged';
    return `could not write ${displayPath(this.file, cwd)}: ${this.message}; ${after}`;
  }
}

/** A file in the output folder that the build did not write, where it would write one: it is left alone. */
export class ForeignFileError extends OutputError {
  constructor(file: string) {
    super(file, new Error('a file flashbrief did not write is there'));
    this.name = 'ForeignFileError';
  }

  override describe(cwd: string): string {
    return (
      `did not write ${displayPath(this.file, cwd)}: a file is there that flashbrief did not write (no build recorded it and it carries no flashbrief mark), ` +
      'so it is left as it is; move it out of the output folder, or build into another folder with --out'
    );
  }
}
