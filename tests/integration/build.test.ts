import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFixtures, pdfFonts, pdfInfo, pdfText, ROOT, runCli, tempDir, type CliResult } from '../helpers.js';

// One real build of the fixtures, as a user runs it, then every output opened and read.
describe('brief build (fixtures)', () => {
  let dir: string;
  let result: CliResult;
  const out = (f: string) => path.join(dir, 'out', f);

  beforeAll(async () => {
    dir = copyFixtures('valid');
    result = await runCli(['build', '--json', '--out', 'out'], { cwd: dir });
  });

  it('exits 0 and prints only the manifest on stdout, in the contract shape', () => {
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(result.stdout);
    expect(manifest.ok).toBe(true);
    const full = manifest.briefs.find((b: { slug: string }) => b.slug === 'full-fixture');
    expect(full).toMatchObject({
      source: 'briefs/full.yaml',
      ok: true,
      outputs: ['out/full-fixture.html', 'out/full-fixture.pdf'],
    });
    expect(full.tally).toEqual({
      since: '2024-03-01', until: '2024-03-10', days: 10, total: 3, new: 3, first: '2024-03-02', last: '2024-03-07',
      killed: 1, injured: 3, claimed: 1,
      byCountry: { Northland: 2, Southland: 1 },
      byLocation: { 'Camp Bravo Station': 2, 'Port Delta': 1 },
      byPerpetrator: { 'Group One': 1 },
      byWeapon: {
        drone: { incidents: 2, munitions: 3, exact: false },
        missile: { incidents: 1, munitions: 1, exact: true },
        rocket: { incidents: 1, munitions: 1, exact: false },
      },
      perDay: { '2024-03-02': 1, '2024-03-05': 1, '2024-03-07': 1 },
    });
    expect(result.stderr).toContain('2 built, 0 failed');
  });

  it('writes HTML with every section, escaped text and no script', () => {
    const html = readFileSync(out('full-fixture.html'), 'utf8');
    expect(html).toContain('<title>Drone Strikes on &lt;Northern&gt; Bases &amp; &quot;Depots&quot; Continue</title>');
    for (const heading of ['Latest Developments', 'Expert Analysis', 'First Background Heading', 'Second Background Heading', 'Related', 'Issues']) {
      // The heading's text, whether the template marks it as English (<span>) or isolates it.
      expect(html).toMatch(new RegExp(`>${heading}(?:</span>|</bdi>)?</h2>`));
    }
    // The only script element is structured data, which no browser runs.
    expect(html.match(/<script[^>]*>/gi)).toEqual(['<script type="application/ld+json">']);
    expect(html).not.toMatch(/onerror=|javascript:/i);
    const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '');
    expect(ld).toMatchObject({ '@type': 'Report', headline: 'Drone Strikes on <Northern> Bases & "Depots" Continue', datePublished: '2024-03-10' });
    expect(html).not.toContain('<Northern>');
    // A Content-Security-Policy allows no script, no plugin and only its own inline style.
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; style-src &#x27;self&#x27; &#x27;sha256-[^"]+; script-src &#x27;none&#x27;;/);
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('There were 3 incidents, 2 in Northland and\n2 at Camp Bravo Station; 0 elsewhere.');
    expect(html).toContain('Drones hit 2 times, with at least 3 launched.');
    // Assets are named after their content, shared by every page.
    const stylesheet = /<link rel="stylesheet" href="(assets\/brief\.[0-9a-f]{10}\.css)">/.exec(html)?.[1] as string;
    expect(existsSync(out(stylesheet))).toBe(true);
    const font = /url\((source-serif-4-latin-400-normal\.[0-9a-f]{10}\.woff2)\)/.exec(readFileSync(out(stylesheet), 'utf8'))?.[1] as string;
    expect(existsSync(out(`assets/${font}`))).toBe(true);
  });

  it('writes a PDF whose text has the title, every heading, each quoted name and the tally', () => {
    const text = pdfText(out('full-fixture.pdf'));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Drone Strikes on <Northern> Bases & "Depots" Continue');
    for (const heading of ['LATEST DEVELOPMENTS', 'EXPERT ANALYSIS', 'FIRST BACKGROUND HEADING', 'SECOND BACKGROUND HEADING', 'RELATED', 'ISSUES']) {
      expect(flat).toContain(heading);
    }
    for (const name of ['Quentin Quoted', 'Pat Paraphrased', 'Director of Testing']) expect(flat).toContain(name);
    expect(flat).toMatch(/Northland\s+2/);
    expect(flat).toMatch(/drone\s+2\s+3\+/);
    expect(flat).toMatch(/Killed 1\s+Injured 3\s+Claimed by a group 1/);
    expect(flat).toContain('Page 1 of');
  });

  it('embeds only the fonts that ship with the project', () => {
    const fonts = pdfFonts(out('full-fixture.pdf'));
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name).toMatch(/\+(SourceSerif4|SourceSans3)/);
    }
  });

  it('sets title, authors, subject, keywords and dates from the brief', () => {
    const info = pdfInfo(out('full-fixture.pdf'));
    expect(info).toMatchObject({
      Title: 'Drone Strikes on <Northern> Bases & "Depots" Continue',
      Author: 'Ada Example, Ben Sample',
      Subject: 'Test summary with bold text and 3 incidents.',
      Keywords: 'Alpha Topic, Beta Topic',
      Tagged: 'yes',
    });
    expect(info.CreationDate).toMatch(/Mar 10 00:00:00 2024/);
    expect(info['Page size']).toContain('letter');
  });

  it('is tagged, with bookmarks from the headings and the language set', async () => {
    const { PDFDocument, PDFName } = await import('@cantoo/pdf-lib');
    const doc = await PDFDocument.load(readFileSync(out('full-fixture.pdf')));
    expect(doc.catalog.has(PDFName.of('StructTreeRoot'))).toBe(true);
    expect(doc.catalog.has(PDFName.of('Outlines'))).toBe(true);
    expect(String(doc.catalog.get(PDFName.of('Lang')))).toBe('(en)');
  });

  it('carries an XMP metadata stream that agrees with the Info dictionary', () => {
    // poppler prints the catalog's /Metadata stream as it is in the file.
    const xmp = execFileSync('pdfinfo', ['-meta', out('full-fixture.pdf')], { encoding: 'utf8' });
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'rdf:li' }).parse(xmp);
    const d = doc['x:xmpmeta']['rdf:RDF']['rdf:Description'];
    const items = (node: { [k: string]: { 'rdf:li': unknown[] } }, kind: string) => node[kind]!['rdf:li'].map((li) => (typeof li === 'object' ? (li as { '#text': string })['#text'] : li));
    expect(items(d['dc:title'], 'rdf:Alt')[0]).toBe('Drone Strikes on <Northern> Bases & "Depots" Continue');
    expect(items(d['dc:creator'], 'rdf:Seq')).toEqual(['Ada Example', 'Ben Sample']);
    expect(items(d['dc:subject'], 'rdf:Bag')).toEqual(['Alpha Topic', 'Beta Topic']);
    expect(items(d['dc:language'], 'rdf:Bag')).toEqual(['en']);
    expect(items(d['dc:description'], 'rdf:Alt')[0]).toBe('Test summary with bold text and 3 incidents.');
    expect(d['xmp:CreateDate']).toBe('2024-03-10T00:00:00Z');
    expect(d['xmp:CreatorTool']).toMatch(/^flashbrief/);
    expect(d['pdf:Producer']).toBe(d['xmp:CreatorTool']);
  });

  it('builds a brief with only the required keys', () => {
    const html = readFileSync(out('2024-03-11-minimal-brief.html'), 'utf8');
    expect(html).toContain('the tally is 0.');
    // No incidents: no empty boxes, charts or record.
    for (const cls of ['class="tally"', 'class="figures"', 'class="chart"', 'class="map"', 'incident-record']) expect(html).not.toContain(cls);
    expect(pdfInfo(out('2024-03-11-minimal-brief.pdf')).Pages).toBe('1');
  });
});

describe('brief build (the example brief)', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = tempDir();
    result = await runCli(['build', path.join(ROOT, 'briefs'), '--out', dir, '--page-size', 'a4']);
  });

  it('prints the running title from page 2 and page numbers on every page', () => {
    expect(result.code, result.stderr).toBe(0);
    const pdf = path.join(dir, 'militia-attacks-on-us-troops.pdf');
    const pages = pdfText(pdf).split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const title = 'Iran-Backed Militias Keep Up Attacks on U.S. Troops in Iraq and Syria';
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      // Page 1 shows the title as the headline (over two lines), not as a running head.
      if (i > 0) expect(page.replace(/\s+/g, ' ')).toContain(title);
    });
    expect(pages[0]?.split('\n').slice(0, 3).join(' ')).not.toContain(title);
  });

  it('prints on A4 when asked', () => {
    expect(pdfInfo(path.join(dir, 'militia-attacks-on-us-troops.pdf'))['Page size']).toMatch(/A4/);
  });

  it('shows the tally computed from the example incidents', () => {
    const flat = pdfText(path.join(dir, 'militia-attacks-on-us-troops.pdf')).replace(/\s+/g, ' ');
    expect(flat).toMatch(/ATTACKS ON U\.S\. FORCES SINCE OCTOBER 17 .*\b6\b.*INCIDENTS.*LATEST DEVELOPMENTS/);
    expect(flat).toMatch(/Iraq 3/);
    expect(flat).toMatch(/Syria 3/);
    expect(flat).toContain('attacked U.S. positions 6 times in 8 days: 3 times in Iraq and 3 times in Syria, 5 of them with drones');
  });
});
