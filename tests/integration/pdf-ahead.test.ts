import { describe, expect, it } from 'vitest';
import { PdfPreviews } from '../../src/serve/pdf-preview.js';
import type { PrintJob } from '../../src/print/pdf.js';

/*
 * serve prints an open PDF preview again as soon as its page's new version is made
 * (PdfPreviews.printAhead), so the PDF after a save is ready about when the page is. These
 * print with the real browser: which prints are started ahead, and that a request finds
 * the one under way instead of printing the page a second time.
 */

let renders = 0;
const job = (name: string, text: string): PrintJob => ({
  name,
  html: () => {
    renders++;
    return `<!doctype html><html lang="en"><head><title>${text}</title></head><body><p>${text}</p></body></html>`;
  },
  assets: new Map(),
  metadata: { title: text, authors: [], keywords: [], date: '2024-01-01', creator: 'test', lang: 'en' },
});

describe('PDF previews printed ahead', () => {
  it('prints ahead only pages whose PDF was asked for, and hands that print to the request', async () => {
    const previews = new PdfPreviews(undefined);
    try {
      // Nothing asked for yet: nothing is printed (no browser is started for it).
      renders = 0;
      previews.printAhead([job('a.html', 'First')]);
      await new Promise((r) => setTimeout(r, 200));
      expect(renders).toBe(0);

      const first = await previews.print(job('a.html', 'First'));
      expect(first.ok).toBe(true);
      expect(renders).toBe(1);

      // The page was asked for: its next version is printed at once, and the request gets that print.
      const next = job('a.html', 'Second');
      const other = job('b.html', 'Never asked');
      previews.printAhead([next, other]);
      const ahead = await previews.print(next);
      expect(ahead.ok).toBe(true);
      expect(renders).toBe(2);
      expect(Buffer.from(ahead.ok ? ahead.pdf : []).toString('latin1')).toContain('%PDF-');
      // Asked again, the same version is not printed again.
      expect(await previews.print(next)).toBe(ahead);
      expect(renders).toBe(2);
    } finally {
      await previews.close();
    }
  });

  it('prints a version again on request when its print ahead failed', async () => {
    const previews = new PdfPreviews(undefined);
    try {
      await previews.print(job('c.html', 'Once'));
      let calls = 0;
      const flaky: PrintJob = {
        ...job('c.html', 'Flaky'),
        html: () => {
          calls++;
          if (calls === 1) throw new Error('a render that failed once');
          return '<!doctype html><html lang="en"><head><title>Flaky</title></head><body><p>Flaky</p></body></html>';
        },
      };
      previews.printAhead([flaky]);
      for (let i = 0; i < 200 && calls === 0; i++) await new Promise((r) => setTimeout(r, 25));
      // The failed print ahead is forgotten once it has ended (well within this on a loaded machine).
      await new Promise((r) => setTimeout(r, 500));
      const again = await previews.print(flaky);
      expect(again.ok).toBe(true);
      expect(calls).toBe(2);
    } finally {
      await previews.close();
    }
  });
});
