import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, projectWith, runCli, tempDir } from '../helpers.js';

// What an analyst sees for each YAML mistake from the trial: exit 1 and one line, the fix in it.
const CASES: [file: string, line: string][] = [
  [
    'yaml-unquoted-colon.yaml',
    'briefs/yaml-unquoted-colon.yaml:2:26: the title contains ": ", which YAML reads as the start of another key: put the title in quotes, e.g. title: "Red Sea Escalation: Houthis Strike Ten Ships in a Week"',
  ],
  [
    'yaml-wrong-indent-cascade.yaml',
    'briefs/yaml-wrong-indent-cascade.yaml:98:3: this line is indented 2 spaces, less than the other lines of its incident (4): indent it by 2 more spaces to line it up with them',
  ],
  [
    'yaml-prose-starts-with-placeholder.yaml',
    'briefs/yaml-prose-starts-with-placeholder.yaml:19:15: prose that starts with "{{" needs "|": YAML reads "{{" as the start of a mapping. Write "developments: |" on this line and the text, indented, on the lines below it: "developments: |" then "  {{tally.total}} attacks. Houthi forces ..."',
  ],
];

describe('brief check on YAML mistakes', () => {
  it.each(CASES)('%s: exit 1 and exactly one line', async (file, expected) => {
    const dir = projectWith({});
    copyFileSync(path.join(FIXTURES, 'cases', file), path.join(dir, 'briefs', file));
    const { code, stderr } = await runCli(['check'], { cwd: dir });
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('briefs/'));
    expect(lines).toEqual([expected]);
  });
});

describe('brief check on a brief just made by brief new', () => {
  it('passes, with a warning at each sample text left in it', async () => {
    const dir = tempDir();
    expect((await runCli(['new', 'Rocket Fire on Northern Bases', '--date', '2024-05-01'], { cwd: dir })).code).toBe(0);
    const { code, stderr } = await runCli(['check'], { cwd: dir });
    expect(code).toBe(0);
    const file = 'briefs/2024-05-01-rocket-fire-on-northern-bases.yaml';
    expect(stderr).toContain(`${file}:6:11: warning: "Your Name" is sample text from "brief new": replace it with the author's name\n`);
    expect(stderr).toContain(`${file}:9:10: warning: "Topic One" is sample text from "brief new"`);
    expect(stderr).toContain(`${file}:28:10: warning: https://example.org/analysis/earlier-brief is a sample address`);
    // Thirteen sample texts (the tally sentence of developments among them) and one for the link.
    expect(stderr.match(/warning: /g)).toHaveLength(14);
  });
});
