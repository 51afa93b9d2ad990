import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfText, ROOT, runCli, tempDir } from '../helpers.js';

// The example series' tallies, reviewed by hand and kept in tests/golden/. After an
// intended change, rewrite them with UPDATE_GOLDEN=1 npm test and read the diff.
const GOLDEN = path.join(ROOT, 'tests', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

describe('the example series (golden)', () => {
  let out: string;
  let manifest: { briefs: { slug: string; tally: unknown }[] };
  beforeAll(async () => {
    out = tempDir();
    const result = await runCli(['build', '--json', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    manifest = JSON.parse(result.stdout);
  });

  it.each(['militia-attacks-on-us-troops', 'militia-attacks-after-us-strikes'])('%s has its reviewed tally', (slug) => {
    const file = path.join(GOLDEN, `${slug}.tally.json`);
    const actual = `${JSON.stringify(manifest.briefs.find((b) => b.slug === slug)?.tally, null, 2)}\n`;
    if (update || !existsSync(file)) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });

  it('prints the tally numbers and the chart and map text alternatives in the PDF', () => {
    const flat = pdfText(path.join(out, 'militia-attacks-after-us-strikes.pdf')).replace(/\s+/g, ' ');
    expect(flat).toMatch(/ATTACKS ON U\.S\. FORCES SINCE OCTOBER 17 .*\b12\b.*INCIDENTS/);
    expect(flat).toMatch(/6 new since the .*previous brief of .*October 24, 2023/);
    expect(flat).toContain('Incidents per day, Oct 17 – Oct 30, 2023, by weapon type. Oct 17: 1 (drone); Oct 18: 1 (drone); Oct 19: 2 (drone ×2);');
    // Every label is printed once: copied or read aloud, the map does not stutter.
    expect(flat).toMatch(/WHERE THE INCIDENTS WERE TURKEY al-Harir Air Base /);
    expect(flat).toContain('Incident locations: al-Harir Air Base (1), Erbil Air Base (1)');
    expect(flat).toContain('INCIDENT RECORD');
    // On paper the source's address follows the figure: the link cannot be followed there.
    expect(flat).toMatch(/Voice of America: 24 \(https:\/\/www\.longwarjournal\.org\/[^)]*\) as of October 30, 2023, 12 more than ours/);
    expect(flat).toContain('Oct 29 al-Shaddadi');
  });
});
