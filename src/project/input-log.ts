import { lstatSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

/*
 * The files and folders a run reads, noted as they are read, with their stamps taken
 * before the read: what the record of a run (run-record.ts) checks to know that nothing
 * changed. Kept apart, without imports of the project's own, so the modules that read
 * (files.ts, templates.ts) can note without depending on the record.
 */

/**
 * [size, mtimeMs, ctimeMs, inode] of a file; size -1 for a folder, -2 for a symbolic link
 * that leads nowhere (its own times and inode); null: nothing there. The change time
 * moves with every change to the inode (a write, chmod, a time set back by hand), so a
 * file made unreadable, or edited with its modification time restored, differs too.
 */
export type PathStamp = readonly [number, number, number, number] | null;

/** The inputs of the runs being recorded, by absolute path: the first stamp taken of each. */
const recording = new Set<Map<string, PathStamp>>();

/** Whether a run is being recorded now (to skip the stat calls noting would take). */
export const recordingInputs = (): boolean => recording.size > 0;

/** The size a stamp gives a folder, and a symbolic link that leads nowhere. */
const FOLDER = -1;
export const DANGLING_LINK = -2;

/** A stamp from stats (of the path, or of a dangling link when `dangling`). */
const stampFrom = (info: Stats, dangling = false): PathStamp => [dangling ? DANGLING_LINK : info.isDirectory() ? FOLDER : info.size, info.mtimeMs, info.ctimeMs, info.ino];

/** A path's stamp now, through its links (`follow`), or of the path itself; a dangling link has its own stamp, never null. */
export function stampPath(file: string, follow = true): PathStamp {
  try {
    return stampFrom(follow ? statSync(file) : lstatSync(file));
  } catch {
    if (!follow) return null;
    const link = lstatSync(file, { throwIfNoEntry: false });
    return link ? stampFrom(link, true) : null;
  }
}

/**
 * Notes an input of the runs being recorded: a file about to be read (its stats from the
 * open handle), a folder about to be listed, or a path named before it is looked at
 * (`info` undefined: its stamp is taken here, through its links, only while a run is
 * recorded). Costs nothing when no run is recorded.
 */
export function noteInput(file: string, info: Stats | undefined): void {
  if (recording.size === 0) return;
  const at = path.resolve(file);
  const stamp = info ? stampFrom(info) : stampPath(at);
  for (const inputs of recording) if (!inputs.has(at)) inputs.set(at, stamp);
}

/** Notes a folder (or any path) by its stats now, before it is listed: see noteInput. */
export function noteFolder(dir: string): void {
  if (recording.size === 0) return;
  noteInput(dir, statSync(dir, { throwIfNoEntry: false }) ?? undefined);
}

/** Runs `work` while noting every input read meanwhile; returns them with its result. */
export async function withInputsNoted<T>(work: () => Promise<T>): Promise<{ value: T; inputs: Map<string, PathStamp> }> {
  const inputs = new Map<string, PathStamp>();
  recording.add(inputs);
  try {
    return { value: await work(), inputs };
  } finally {
    recording.delete(inputs);
  }
}

