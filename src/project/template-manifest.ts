import { closest, distance } from 'fastest-levenshtein';
import type * as z from 'zod';
import { PAGE_SECTIONS } from '../core/warnings.js';

/*
 * What a template.json key must hold, said in plain words at the key (or at the list
 * entry) that breaks it, with how to fix it: the validation library's own text
 * ("Invalid string: must match pattern ...") at 1:1 tells a template author nothing.
 * Pure: the JSON text and the library's issues in, messages with positions out.
 */

/** What each key of template.json holds, said as the rest of "…" must …. */
export const MANIFEST_RULES: Record<string, string> = {
  description: 'must be text: a line saying what the template is for',
  extends:
    'must name a template by its folder name alone, in a-z, 0-9 and single hyphens, such as "flash-brief": a template builds only on another template, never on a path',
  stylesheet: 'must be the path of a CSS file in the template folder, relative to it, such as "brief.css"',
  fontPackages: 'must be a list of installed npm package names, such as ["@fontsource/inter"]',
  shows: `must be a list of the parts of a brief the pages show, each one of ${PAGE_SECTIONS.map((s) => `"${s}"`).join(', ')}`,
  fontFaces: 'must be the path of a CSS file of @font-face rules in the template folder, relative to it, such as "fonts.css"',
  pages: "must be a whole number of at least 1, such as 2: the most pages a brief's PDF should take",
};

/** A place in a text: 1-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A value shown in a message: as JSON, so quotes and control characters are escaped; cut short when long. */
const shown = (value: unknown): string => {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
};

/** "did you mean …" when a word is one slip away from a known one. */
const suggestion = (word: string, known: readonly string[]): string => {
  const near = closest(word, [...known]);
  return distance(word.toLowerCase(), near.toLowerCase()) <= 2 ? ` (did you mean "${near}"?)` : '';
};

/**
 * The first problem of template.json, said in plain words at its position: an unknown
 * key at that key, a wrong value at its key, a wrong entry of a list at the entry.
 * `data` is the parsed JSON, `text` the file's text, `issues` what the schema found.
 */
export function manifestProblem(text: string, data: unknown, issues: readonly z.core.$ZodIssue[]): { message: string } & TextPosition {
  const at = jsonLocator(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { message: `template.json must be a JSON object of settings, such as {"extends": "flash-brief"}, not ${Array.isArray(data) ? 'a list' : shown(data)}`, line: 1, column: 1 };
  }
  const keys = Object.keys(MANIFEST_RULES);
  const issue = issues[0];
  if (!issue) return { message: 'template.json could not be read', line: 1, column: 1 };
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] as string;
    return {
      message: `"${shown(key).slice(1, -1)}" is not a setting of template.json${suggestion(key, keys)}: remove it, or use one of ${keys.map((k) => `"${k}"`).join(', ')}`,
      ...at([key]),
    };
  }
  const [key, index] = issue.path as [string, number | undefined];
  const value = (data as Record<string, unknown>)[key];
  const rule = MANIFEST_RULES[key] ?? 'is not a setting of template.json';
  if (typeof index === 'number' && Array.isArray(value)) {
    const entry: unknown = value[index];
    if (key === 'shows') {
      const near = typeof entry === 'string' ? suggestion(entry, PAGE_SECTIONS) : '';
      return { message: `"shows" lists ${shown(entry)}, which is not a part of a brief${near}: list only parts from ${PAGE_SECTIONS.map((s) => `"${s}"`).join(', ')}`, ...at([key, index]) };
    }
    return { message: `"${key}" lists ${shown(entry)}, but "${key}" ${rule}`, ...at([key, index]) };
  }
  return { message: `"${key}" ${rule}, not ${shown(value)}`, ...at([key]) };
}

/**
 * Where things are written in a JSON text: `at(['shows', 2])` is the third entry of
 * "shows", `at(['pages'])` the key "pages" (its opening quote). 1:1 when the path is not
 * there. The text must be valid JSON (JSON.parse read it); a duplicate key is found at its
 * last writing, the one JSON.parse keeps.
 */
export function jsonLocator(text: string): (path: readonly (string | number)[]) => TextPosition {
  const places = new Map<string, number>();
  let i = 0;
  const space = () => {
    while (i < text.length && /[\s]/.test(text[i] as string)) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: readonly (string | number)[], depth: number): void => {
    space();
    const c = text[i];
    if (depth > 64) throw new RangeError('too deep');
    if (c === '{') {
      i++;
      for (;;) {
        space();
        if (text[i] === '}' || i >= text.length) break;
        const where = i;
        const key = string();
        places.set(JSON.stringify([...path, key]), where);
        space();
        i++; // ':'
        value([...path, key], depth + 1);
        space();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '[') {
      i++;
      for (let n = 0; ; n++) {
        space();
        if (text[i] === ']' || i >= text.length) break;
        places.set(JSON.stringify([...path, n]), i);
        value([...path, n], depth + 1);
        space();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    }
  };
  try {
    value([], 0);
  } catch {
    // Past what a template.json needs, or not JSON after all: the places found so far stand.
  }
  return (path) => {
    const offset = places.get(JSON.stringify(path));
    if (offset === undefined) return { line: 1, column: 1 };
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
}
