import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectWith, runCli } from '../helpers.js';

// A list over its limit (LIST_LIMITS in src/core/schema.ts) fails its own brief, at the
// entry to cut, and no other.
const base = (title: string, slug: string) => `title: ${title}\ndate: 2024-03-11\nslug: ${slug}\ndevelopments: Quiet.\n`;
const topics = (n: number) => `topics:\n${Array.from({ length: n }, (_, i) => `  - Topic ${i}`).join('\n')}\n`;
const weapons = (n: number) =>
  `incidents:\n  - date: 2024-03-10\n    location: Base\n    country: Iraq\n    weapons:\n${Array.from({ length: n }, () => '      - {type: drone}').join('\n')}\n`;

describe('lists over their limits, through the CLI', () => {
  it('fail the brief with the positioned message, exit 1, and the other briefs still build', async () => {
    const dir = projectWith({
      'fine.yaml': base('Fine', 'fine') + topics(50),
      'topics.yaml': base('Too Many Topics', 'too-many-topics') + topics(51),
      'weapons.yaml': base('Too Many Weapons', 'too-many-weapons') + weapons(51),
    });
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    // topics: 4 lines of brief, "topics:", then the 51st topic on line 56.
    expect(result.stderr).toContain('briefs/topics.yaml:56:5: topics lists 51 topics; a brief may list at most 50: keep the topics a reader would look the brief up by');
    // weapons: 4 lines of brief, 5 lines of incident, then the 51st weapon on line 60.
    expect(result.stderr).toContain('briefs/weapons.yaml:60:9: incidents[0].weapons lists 51 weapons; an incident may list at most 50: list each weapon type once, with its count');
    const out = path.join(dir, 'output');
    expect(existsSync(path.join(out, 'fine.html'))).toBe(true);
    expect(existsSync(path.join(out, 'too-many-topics.html'))).toBe(false);
    expect(existsSync(path.join(out, 'too-many-weapons.html'))).toBe(false);
    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="fine.html"');
    expect(index).not.toContain('too-many');

    const check = await runCli(['check', 'briefs/topics.yaml'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('briefs/topics.yaml:56:5: topics lists 51 topics;');
  });
});
