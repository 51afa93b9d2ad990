// Types for the tests that use the series benchmark's generator.
export interface Series {
  dir: string;
  count: number;
  seed: number;
  /** Brief files, relative to the folder. */
  files: string[];
  /** Per brief: its file, the incidents it lists new and again, whether its window reaches back four weeks. */
  weeks: { file: string; own: number; relisted: number; reachesBack: boolean }[];
}
export function generateSeries(options: { dir: string; count: number; seed?: number; perWeek?: [number, number]; places?: boolean }): Series;
export interface SeriesResult {
  n: number;
  ok: boolean;
  wallSeconds: number;
  cpuSeconds: number | null;
  peakRssMb: number | null;
  msPerBrief: number;
  cpuMsPerBrief: number | null;
}
export function runSeriesBench(options?: { sizes?: number[]; seed?: number; heap?: number; out?: string; keep?: boolean }): Promise<SeriesResult[]>;
