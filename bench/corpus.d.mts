// Types for the tests that use the benchmark's corpus.
export interface Corpus {
  dir: string;
  count: number;
  seed: number;
  /** Brief files, relative to the corpus folder. */
  files: string[];
  /** The brief the warm-rebuild measurement edits. */
  edited: string;
}
export function prng(seed: number): () => number;
export function generateCorpus(options: { dir: string; count: number; seed?: number }): Corpus;
export function editBrief(dir: string, file: string): void;
