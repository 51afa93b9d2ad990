import { statSync, type Stats } from 'node:fs';
import path from 'node:path';

/*
 * The files and folders a run reads, noted as they are read, with their stamps taken
 * before the read: what the record of a run (run-record.ts) checks to know that nothing
 * changed. Kept apart, without imports of the project's own, so the modules that read
 * (files.ts, templates.ts) can note without depending on the record.
 */

/** [size, mtimeMs, inode] of a file, [-1, mtimeMs, inode] of a folder; null: nothing there. */
export type PathStamp = readonly [number, number, number] | null;

/** The inputs of the runs being recorded, by absolute path: the first stamp taken of each. */
const recording = new Set<Map<string, PathStamp>>();

/** A path's stamp from its stats; null for none. */
export const stampOf = (info: Stats | undefined): PathStamp => (info ? [info.isDirectory() ? -1 : info.size, info.mtimeMs, info.ino] : null);

/**
 * Notes an input of the runs being recorded: a file about to be read (its stats from the
 * open handle), a folder about to be listed, or a path found empty (`info` undefined).
 * Costs nothing when no run is recorded.
 */
export function noteInput(file: string, info: Stats | undefined): void {
  if (recording.size === 0) return;
  const stamp = stampOf(info);
  const at = path.resolve(file);
  for (const inputs of recording) if (!inputs.has(at)) inputs.set(at, stamp);
}

/** Notes a folder (or any path) by its stats now, before it is listed: see noteInput. */
export function noteFolder(dir: string): void {
  if (recording.size === 0) return;
  noteInput(dir, statSync(dir, { throwIfNoEntry: false }));
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

