import type { Diagnostic, Path, YamlPositions } from './diagnostics.js';
import { EXAMPLE_HOST, isSentence, SCAFFOLD_SAMPLES } from './scaffold.js';

/**
 * Sample text from `brief new` still in a brief: "Your Name", "Topic One", an
 * example.org link. A brief that still holds them is valid, so only a warning says so,
 * at the line of each, with what to write there instead.
 */
export function scaffoldLeftovers(data: unknown, source: YamlPositions): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  const addresses: { path: Path; url: string }[] = [];
  const samples = Object.values(SCAFFOLD_SAMPLES);
  const walk = (value: unknown, path: Path) => {
    if (typeof value === 'string') {
      let found = false;
      for (const sample of samples) {
        // Where the value holds the sample: a sentence may be wrapped over lines in a block scalar.
        const at = isSentence(sample.text) ? sampleIn(value, sample.text) : value.trim() === sample.text ? value.trim() : undefined;
        if (at === undefined) continue;
        found = true;
        warnings.push({
          file: source.file,
          // Found by its first line, as the source shows it (indentation differs below).
          ...source.find(path, at.split('\n')[0] as string),
          message: `"${sample.text}" is sample text from "brief new": replace it with ${sample.what}`,
          severity: 'warning',
        });
      }
      if (!found && EXAMPLE_HOST.test(value.trim())) addresses.push({ path, url: value.trim() });
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

/**
 * Each sample sentence as a pattern that allows any run of spaces and line breaks between
 * its words, made once: every string of every brief is tested against all of them.
 */
const SENTENCE_PATTERNS = new Map(
  Object.values(SCAFFOLD_SAMPLES)
    .filter((sample) => isSentence(sample.text))
    .map((sample): [string, RegExp] => [sample.text, new RegExp(sample.text.split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'))]),
);

/** The sample sentence as the value writes it (any run of spaces and line breaks between words), or undefined. */
function sampleIn(value: string, sample: string): string | undefined {
  return SENTENCE_PATTERNS.get(sample)?.exec(value)?.[0];
}
