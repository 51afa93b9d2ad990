/*
 * Characters a brief may hold that the shipped text faces do not draw, written as ones
 * they do. Word and other editors insert the Unicode hyphen (U+2010), the non-breaking
 * hyphen (U+2011: "Shahed‑136", "Kh‑101"), the figure dash (U+2012) and the horizontal
 * bar (U+2015). Source Serif 4 and Source Sans 3 have none of them, so Chromium took each
 * from a CJK or Arabic face further down the list, which draws it as a low bar:
 * "Shahed_136". The non-breaking hyphen becomes a plain one: Word puts it in names it
 * was never asked to keep whole, and kept unbreakable, a long joined name
 * ("Kirkuk-Regional-Air-Base-Extension") could only be cut mid-letter to fit its column.
 * "Shahed-136" still stays whole: a line never breaks between a hyphen and a digit
 * (UAX #14, rule LB25).
 */

const SWAPS: Readonly<Record<string, string>> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '\u2013',
  '\u2015': '\u2014',
};
const UNDRAWN = /[\u2010\u2011\u2012\u2015]/g;

/**
 * `html` (a rendered page, fragment or index) with each hyphen or dash the text faces do
 * not draw replaced by the one they do (see above). Works on markup as well as text: none
 * of these characters has a meaning in HTML syntax.
 */
export const drawableDashes = (html: string): string => html.replace(UNDRAWN, (c) => SWAPS[c] ?? c);
