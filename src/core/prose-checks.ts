import type { Diagnostic, Path, YamlPositions } from './diagnostics.js';
import { isSafeImageSrc, markdownParts, type ImageLookup } from './markdown.js';

/*
 * What the Markdown of a brief will look like in print, checked where the author wrote it:
 * images without a description, images the PDF cannot show, and notes that will not
 * print as notes. Each problem is at its own line and column.
 */

/** One Markdown field as written, before placeholders are filled. */
export interface ProseField {
  path: Path;
  text: string;
  /** One line of inline Markdown (a quote, an incident summary): it cannot hold notes. */
  inline: boolean;
}

/**
 * The problems of every Markdown field of a brief, in the order of the fields. `images`:
 * the brief's local images as the project found them, whose problems are said at each
 * place the image is written.
 */
export function proseProblems(source: YamlPositions, fields: readonly ProseField[], images: ImageLookup = new Map()): Diagnostic[] {
  return fields.flatMap((field) => fieldProblems(source, field, images));
}

function fieldProblems(source: YamlPositions, field: ProseField, images: ImageLookup): Diagnostic[] {
  let parts: ReturnType<typeof markdownParts>;
  try {
    parts = markdownParts(field.text);
  } catch {
    // Markdown nested past the parser's stack: rendering the field reports it, at the field.
    return [];
  }
  const seen = new Map<string, number>();
  // The n-th time the same text is written in the field is the n-th match in the source.
  const at = (raw: string) => {
    const needle = raw.split('\n')[0] ?? raw;
    const occurrence = seen.get(needle) ?? 0;
    seen.set(needle, occurrence + 1);
    return source.find(field.path, needle, occurrence);
  };
  const problem = (raw: string, severity: Diagnostic['severity'], message: string): Diagnostic => ({ file: source.file, ...at(raw), message, severity });
  const out: Diagnostic[] = [];
  for (const image of parts.images) {
    const local = images.get(image.src);
    if (image.alt.trim() === '') {
      out.push(problem(image.raw, 'error', `image ${image.src} has no alt text: say what it shows between the brackets, ![what it shows](${image.src}); readers who cannot see it, and the PDF when it cannot print it, have only that`));
    } else if (isSafeImageSrc(image.src)) {
      out.push(problem(image.raw, 'warning', `image ${image.src} is on the web: the page shows it, but the PDF cannot fetch it and prints a placeholder with its alt text and address instead`));
    } else if (local) {
      // Found even without problems: the same image written again is the next match.
      const where = at(image.raw);
      for (const p of local.problems) out.push({ file: source.file, ...where, message: p.message, severity: p.severity });
    } else {
      out.push(problem(image.raw, 'warning', `image ${image.src} is not shown: only http and https images and image files in the project are; the page and the PDF print its alt text instead`));
    }
  }
  for (const ref of parts.unresolved) {
    const message = field.inline
      ? `${ref.raw} prints as written: notes need a field of paragraphs (summary, developments, a background section)`
      : `${ref.raw} has no note and prints as written: add a line "${ref.raw}: the note" below the text of this field`;
    out.push(problem(ref.raw, 'warning', message));
  }
  for (const note of parts.uncited) {
    out.push(problem(note.raw, 'warning', `note ${note.raw.slice(0, -1)} is not cited in the text of this field, so it is not printed`));
  }
  return out;
}
