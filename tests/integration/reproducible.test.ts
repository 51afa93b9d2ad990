import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfInfo, runCli, tempDir } from '../helpers.js';

describe('reproducible outputs', () => {
  it('gives byte-identical HTML and PDF for the same briefs, with a consistent tag tree', async () => {
    const [a, b] = [tempDir(), tempDir()];
    for (const out of [a, b]) expect((await runCli(['build', '--out', out])).code).toBe(0);
    const files = readdirSync(a).filter((f) => /\.(html|pdf)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(Buffer.compare(readFileSync(path.join(a, f)), readFileSync(path.join(b, f))), f).toBe(0);

    // Renumbering Chromium's tag names keeps every table header pointing at a named element.
    const pdf = path.join(a, 'militia-attacks-after-us-strikes.pdf');
    expect(pdfInfo(pdf).Tagged).toBe('yes');
    const doc = await PDFDocument.load(readFileSync(pdf));
    const ids = new Set<string>();
    const cited: string[] = [];
    for (const [, obj] of doc.context.enumerateIndirectObjects()) {
      if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('StructElem')) continue;
      const id = obj.get(PDFName.of('ID'));
      if (id instanceof PDFString) ids.add(id.decodeText());
      const attrs = obj.lookup(PDFName.of('A'));
      for (const item of attrs instanceof PDFArray ? attrs.asArray() : [attrs]) {
        const headers = item instanceof PDFDict ? item.lookup(PDFName.of('Headers')) : undefined;
        if (headers instanceof PDFArray) for (const h of headers.asArray()) cited.push((h as PDFString).decodeText());
      }
    }
    expect(cited.length).toBeGreaterThan(0);
    for (const id of cited) expect(ids.has(id), id).toBe(true);
    expect(readFileSync(pdf, 'latin1')).not.toContain('(node0');
  });
});
