import type { Diagnostic, Path, SourceMap } from './diagnostics.js';
import { EXAMPLE_HOST, SCAFFOLD_SAMPLES } from './scaffold.js';

/**
 * Sample text from `brief new` still in a brief: "Your Name", "Topic One", an
 * example.org link. A brief that still holds them is valid, so only a warning says so,
 * at the line of each, with what to write there instead.
 */
export function scaffoldLeftovers(data: unknown, source: SourceMap): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const addresses: { path: Path; url: string }[] = [];
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
      } else if (EXAMPLE_HOST.test(value.trim())) addresses.push({ path, url: value.trim() });
    } else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
  };
  walk(data, []);
  // A brief drafted from notes often has many: one warning, at the first, names the lines
  // of the others, so they do not bury the warnings about numbers.
  const [first, ...more] = addresses;
  if (first) {
    const lines = [...new Set(more.map((a) => source.locate(a.path).line))];
    const others = more.length === 0 ? '' : `, and so ${more.length === 1 ? 'is 1 more link' : `are ${more.length} more links`} (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')})`;
    const fix = more.length === 0 ? 'replace it with the real link (or remove the entry)' : 'replace them with the real links (or remove the entries)';
    warnings.push(source.warning(first.path, `${first.url} is a sample address${others}: ${fix}`));
  }
  return warnings;
}
