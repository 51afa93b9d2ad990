import type { Diagnostic, Path, SourceMap } from './diagnostics.js';
import { EXAMPLE_HOST, SCAFFOLD_SAMPLES } from './scaffold.js';

/**
 * Sample text from `brief new` still in a brief: "Your Name", "Topic One", an
 * example.org link. A brief that still holds them is valid, so only a warning says so,
 * at the line of each, with what to write there instead.
 */
export function scaffoldLeftovers(data: unknown, source: SourceMap): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const samples = Object.values(SCAFFOLD_SAMPLES);
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') {
      const sample = samples.find((s) => value.includes(s.text));
      if (sample) {
        warnings.push({
          file: source.file,
          ...source.find(path, sample.text),
          message: `"${sample.text}" is sample text from "brief new": replace it with ${sample.what}`,
          severity: 'warning',
        });
      } else if (EXAMPLE_HOST.test(value.trim())) {
        warnings.push(source.warning(path, `${value.trim()} is a sample address: replace it with the real link (or remove the entry)`));
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(data, []);
  return warnings;
}
