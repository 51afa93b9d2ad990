import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serve } from '../../src/serve/serve.js';
import { pdfInfo, pdfText, processesTagged, ROOT, tempDir } from '../helpers.js';
import { build } from '../../src/project/build.js';

/** The first "data:" event on the reload stream, or a timeout. */
async function nextReload(url: string, ms: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    const res = await fetch(`${url}__flashbrief/events`, { signal: controller.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      text += new TextDecoder().decode(value);
      if (text.includes('data: reload')) return true;
    }
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}


describe('brief serve', () => {
  it('serves the briefs, reloads on save, overlays errors, prints PDFs on demand, and stops cleanly', async () => {
    const dir = tempDir();
    cpSync(path.join(ROOT, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
    cpSync(path.join(ROOT, 'places.yaml'), path.join(dir, 'places.yaml'));
    const file = path.join(dir, 'briefs', 'militia-attacks-on-us-troops.yaml');
    // Chromium inherits this tag from our environment, so its processes can be found.
    const tag = `serve-${process.pid}-${Date.now()}`;
    process.env.FLASHBRIEF_TEST_TAG = tag;
    const server = await serve({ cwd: dir, port: 0 });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await (await fetch(server.url)).text();
      expect(index).toContain('militia-attacks-on-us-troops.html');
      const page = `${server.url}militia-attacks-on-us-troops.html`;
      expect(await (await fetch(page)).text()).toContain('PDF preview');

      // Edit the title: the open page is told to reload, and shows the new title.
      const original = readFileSync(file, 'utf8');
      const reloaded = nextReload(server.url, 3000);
      await new Promise((r) => setTimeout(r, 100));
      // (How fast is a benchmark's question, not a test's: the wait here only bounds a hang.)
      writeFileSync(file, original.replace('title: Iran-Backed Militias', 'title: Edited Militias'));
      expect(await reloaded).toBe(true);
      expect(await (await fetch(page)).text()).toContain('<title>Edited Militias Keep Up Attacks');

      // Break the YAML: the page shows the errors over the last good version.
      const broke = nextReload(server.url, 3000);
      await new Promise((r) => setTimeout(r, 100));
      writeFileSync(file, `${original}\ntitle: [broken\n`);
      expect(await broke).toBe(true);
      const broken = await (await fetch(page)).text();
      expect(broken).toContain('id="flashbrief-errors"');
      expect(broken).toMatch(/briefs\/militia-attacks-on-us-troops\.yaml:\d+:\d+: /);

      // Fix it: the overlay is gone.
      const fixed = nextReload(server.url, 3000);
      await new Promise((r) => setTimeout(r, 100));
      writeFileSync(file, original);
      expect(await fixed).toBe(true);
      expect(await (await fetch(page)).text()).not.toContain('flashbrief-errors');

      const pdf = await fetch(`${server.url}militia-attacks-after-us-strikes.pdf`);
      expect(pdf.status).toBe(200);
      const preview = Buffer.from(await pdf.arrayBuffer());
      expect(preview.subarray(0, 5).toString()).toBe('%PDF-');
      // The preview is the PDF a build publishes: the same metadata, page count and text.
      writeFileSync(path.join(dir, 'preview.pdf'), preview);
      const built = await build({ cwd: dir, inputs: ['briefs/militia-attacks-after-us-strikes.yaml'], outDir: 'published', formats: ['pdf'] });
      expect(built.ok).toBe(true);
      const published = path.join(dir, 'published', 'militia-attacks-after-us-strikes.pdf');
      const info = (file: string) => {
        const { Title, Author, Subject, Keywords, Creator, CreationDate, Pages } = pdfInfo(file);
        return { Title, Author, Subject, Keywords, Creator, CreationDate, Pages };
      };
      expect(info(path.join(dir, 'preview.pdf'))).toEqual(info(published));
      expect(info(published).Title).toContain('Militia');
      expect(pdfText(path.join(dir, 'preview.pdf'))).toBe(pdfText(published));
      expect((await fetch(`${server.url}../../etc/passwd`)).status).toBe(404);
      expect(processesTagged(tag).filter((pid) => pid !== process.pid).length).toBeGreaterThan(0);
    } finally {
      await server.close();
      delete process.env.FLASHBRIEF_TEST_TAG;
    }
    // Stopping the server stops the browser it started for the PDF.
    for (let i = 0; i < 50 && processesTagged(tag).some((pid) => pid !== process.pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(processesTagged(tag).filter((pid) => pid !== process.pid)).toEqual([]);
  });

  it('rebuilds on an edit to the incident files, places.yaml, the config or a template override, started from another folder', async () => {
    const dir = tempDir();
    const proj = path.join(dir, 'proj');
    mkdirSync(path.join(proj, 'briefs'), { recursive: true });
    mkdirSync(path.join(proj, 'incidents'));
    mkdirSync(path.join(proj, 'tpl', 'flash-brief', 'partials'), { recursive: true });
    writeFileSync(
      path.join(proj, 'briefs', 'a.yaml'),
      'title: Served From Afar\ndate: 2024-01-10\nslug: afar\nseries: s\ndevelopments: |\n  {{tally.total}} attacks.\ntally:\n  since: 2024-01-01\n',
    );
    const incidents = path.join(proj, 'incidents', 'feed.yaml');
    const incident = (n: number) => `  - {id: i${n}, date: 2024-01-0${n}, location: Base, country: Iraq, lat: 33, lon: 44}\n`;
    writeFileSync(incidents, `series: s\nincidents:\n${incident(1)}`);
    const masthead = path.join(proj, 'tpl', 'flash-brief', 'partials', 'masthead.hbs');
    writeFileSync(masthead, readFileSync(path.join(ROOT, 'templates', 'flash-brief', 'partials', 'masthead.hbs'), 'utf8'));
    // Started from the parent folder, as `brief serve proj/briefs --templates proj/tpl` would be.
    const server = await serve({ cwd: dir, inputs: ['proj/briefs'], templates: 'proj/tpl', port: 0 });
    const page = `${server.url}afar.html`;
    const edit = async (file: string, text: string) => {
      const reloaded = nextReload(server.url, 3000);
      await new Promise((r) => setTimeout(r, 100));
      writeFileSync(file, text);
      expect(await reloaded, file).toBe(true);
      return (await fetch(page)).text();
    };
    try {
      expect(await (await fetch(page)).text()).toContain('1 attacks.');
      expect(await edit(incidents, `series: s\nincidents:\n${incident(1)}${incident(2)}`)).toContain('2 attacks.');
      expect(await edit(path.join(proj, 'places.yaml'), '- name: Base\n  country: Iraq\n  lat: 33\n  lon: 44\n')).toContain('2 attacks.');
      expect(await edit(path.join(dir, 'brief.config.yaml'), 'organization: Far Institute\n')).toContain('Far Institute');
      const edited = readFileSync(masthead, 'utf8').replace('<header class="masthead">', '<header class="masthead"><p>Edited masthead</p>');
      expect(await edit(masthead, edited)).toContain('Edited masthead');
    } finally {
      await server.close();
    }
  });

  it('prints, for a PDF asked for as soon as the page shows a save, the version saved, however soon', async () => {
    // A build writes the page before it ends; the PDF preview once printed the version
    // before the save in that moment. Each round saves a new title and asks for the PDF
    // the instant the page carries it, as an analyst clicking "PDF preview" after the reload.
    const dir = tempDir();
    cpSync(path.join(ROOT, 'briefs'), path.join(dir, 'briefs'), { recursive: true });
    cpSync(path.join(ROOT, 'places.yaml'), path.join(dir, 'places.yaml'));
    const file = path.join(dir, 'briefs', 'militia-attacks-on-us-troops.yaml');
    const original = readFileSync(file, 'utf8');
    const server = await serve({ cwd: dir, port: 0 });
    const page = `${server.url}militia-attacks-on-us-troops.html`;
    try {
      for (const title of ['First Saved Title', 'Second Saved Title', 'Third Saved Title']) {
        writeFileSync(file, original.replace(/^title: .*$/m, `title: ${title}`));
        for (let i = 0; i < 2000 && !(await (await fetch(page)).text()).includes(title); i++) await new Promise((r) => setTimeout(r, 5));
        const pdf = await fetch(`${server.url}militia-attacks-on-us-troops.pdf`);
        expect(pdf.status).toBe(200);
        const saved = path.join(dir, `${title}.pdf`);
        writeFileSync(saved, Buffer.from(await pdf.arrayBuffer()));
        expect(pdfText(saved)).toContain(title);
      }
    } finally {
      await server.close();
    }
  });
});
