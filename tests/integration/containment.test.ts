import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURES, mkfifoSync, projectWith, runCli, tempDir } from '../helpers.js';
import { build, check } from '../../src/project/build.js';

/*
 * A mistake stays with its brief: whatever is wrong with one file of a project, the run
 * reports it at that file (file:line:column, in plain words), exits 1, never prints a
 * stack trace, and still builds every brief the mistake does not concern.
 */

const CASES = path.join(FIXTURES, 'cases');
const good = readFileSync(path.join(CASES, 'until-placeholder-crash', 'briefs', 'good.yaml'), 'utf8');
const GOOD_SLUG = /^slug: (\S+)/m.exec(good)?.[1] as string;

/** Nothing a user's mistake causes may look like a bug of ours. */
function expectNoCrash(stderr: string): void {
  expect(stderr).not.toMatch(/unexpected error/);
  expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe('a brief with a validation error that cites {{tally.until}}', () => {
  const project = () => {
    const dir = tempDir();
    cpSync(path.join(CASES, 'until-placeholder-crash'), dir, { recursive: true });
    return dir;
  };

  it('check reports its own errors at their positions and exits 1', async () => {
    const result = await runCli(['check'], { cwd: project() });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toContain('briefs/typo.yaml:11:1: unknown key "summery" (did you mean "summary"?)');
    expect(result.stderr).toMatch(/1 ok, 1 failed: briefs\/typo\.yaml/);
  });

  it('build fails that brief alone and builds the good one', async () => {
    const dir = project();
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toContain('briefs/typo.yaml:11:1: unknown key "summery"');
    expect(readFileSync(path.join(dir, 'output', `${GOOD_SLUG}.html`), 'utf8')).toContain('<h1');
  });
});

describe('a template override with a Handlebars syntax error', () => {
  const project = () => {
    const dir = projectWith({ 'good.yaml': good });
    cpSync(path.join(CASES, 'template-unclosed-block', 'templates'), path.join(dir, 'templates'), { recursive: true });
    return dir;
  };
  const where = 'templates/flash-brief/partials/masthead.hbs:5:35: {{#if}} is never closed: add {{/if}} where the block should end';

  it('check reports it at the block that is never closed', async () => {
    const result = await runCli(['check', '--templates', 'templates'], { cwd: project() });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toContain(where);
    // One mistake, printed once, however many briefs use the template.
    expect(result.stderr.split(where).length).toBe(2);
  });

  it('build reports it, writes no page with it, and keeps the previous page', async () => {
    const dir = project();
    const first = await runCli(['build', '--html-only'], { cwd: dir });
    expect(first.code).toBe(0);
    const page = path.join(dir, 'output', `${GOOD_SLUG}.html`);
    const before = readFileSync(page, 'utf8');
    const result = await runCli(['build', '--html-only', '--templates', 'templates'], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toContain(where);
    expect(readFileSync(page, 'utf8')).toBe(before);
  });

  it('a template.json that is not JSON is reported at its position', async () => {
    const dir = project();
    rmSync(path.join(dir, 'templates', 'flash-brief', 'partials', 'masthead.hbs'));
    writeFileSync(path.join(dir, 'templates', 'flash-brief', 'template.json'), '{\n  "stylesheet": "brief.css",\n}\n');
    const result = await runCli(['check', '--templates', 'templates'], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toMatch(/^templates\/flash-brief\/template\.json:3:1: not valid JSON/m);
  });
});

/**
 * Entries of the briefs folder that are not readable regular files, each beside a good
 * brief: each is its own error at its own name, the good brief builds, nothing hangs.
 */
const ODD_ENTRIES: Record<string, { make: (file: string) => void; message: RegExp }> = {
  'a folder': { make: (f) => mkdirSync(f), message: /this is a folder where a file was expected/ },
  'a broken symbolic link': { make: (f) => symlinkSync('nowhere.yaml', f), message: /cannot be read: no such file .*\(ENOENT\)/ },
  'a symbolic link loop': { make: (f) => symlinkSync(path.basename(f), f), message: /points to itself.*\(ELOOP\)/ },
  'a FIFO': { make: (f) => mkfifoSync(f), message: /named pipe \(FIFO\), not a regular file/ },
  'a device': { make: (f) => symlinkSync('/dev/zero', f), message: /this is a device, not a regular file/ },
  'invalid UTF-8': { make: (f) => writeFileSync(f, Buffer.from([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0xff, 0x0a])), message: /not valid UTF-8/ },
  'an empty file': { make: (f) => writeFileSync(f, ''), message: /the file is empty/ },
  'a list, not a brief': { make: (f) => writeFileSync(f, '- a\n- b\n'), message: /must be a mapping of keys/ },
};

describe('odd entries in the briefs folder', () => {
  for (const [kind, { make, message }] of Object.entries(ODD_ENTRIES)) {
    it(`${kind}: its own error, and the good brief beside it builds`, async () => {
      const dir = projectWith({ 'good.yaml': good });
      make(path.join(dir, 'briefs', 'odd.yaml'));
      const manifest = await build({ cwd: dir, formats: ['html'] });
      const odd = manifest.briefs.find((b) => b.source === 'briefs/odd.yaml');
      const fine = manifest.briefs.find((b) => b.source === 'briefs/good.yaml');
      expect(manifest.ok).toBe(false);
      expect(odd?.ok).toBe(false);
      expect(odd?.errors?.[0]?.message).toMatch(message);
      expect(odd?.errors?.every((e) => e.file === 'briefs/odd.yaml' && e.line >= 1)).toBe(true);
      expect(odd?.errors?.some((e) => /unexpected error/.test(e.message))).toBe(false);
      expect(fine?.ok).toBe(true);
      expect(existsSync(path.join(dir, 'output', `${GOOD_SLUG}.html`))).toBe(true);
    }, 30_000);
  }

  it('the CLI says the same in one line per entry and exits 1', async () => {
    const dir = projectWith({ 'good.yaml': good });
    mkfifoSync(path.join(dir, 'briefs', 'pipe.yaml'));
    symlinkSync('gone.yaml', path.join(dir, 'briefs', 'link.yaml'));
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toMatch(/^briefs\/pipe\.yaml:1:1: this is a named pipe/m);
    expect(result.stderr).toMatch(/^briefs\/link\.yaml:1:1: cannot be read/m);
    expect(result.stderr).toMatch(/1 ok, 2 failed/);
  });
});

describe('shared files that are broken', () => {
  const project = (files: Record<string, string>) => {
    const dir = projectWith({ 'good.yaml': good });
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    }
    return dir;
  };

  for (const [name, text, position] of [
    ['brief.config.yaml', 'label: [unclosed\n', /^brief\.config\.yaml:1:8: this "\[" opens a list that is not closed/m],
    ['places.yaml', '- name: x\n  country: [\n', /^places\.yaml:2:12: this "\[" opens a list that is not closed/m],
    ['brief.config.yaml', 'labl: Flash\n', /^brief\.config\.yaml:1:1: unknown key "labl" \(did you mean "label"\?\)/m],
  ] as const) {
    it(`${name} (${JSON.stringify(text)}) is reported at its position, without a crash`, async () => {
      const result = await runCli(['check'], { cwd: project({ [name]: text }) });
      expect(result.code).toBe(1);
      expectNoCrash(result.stderr);
      expect(result.stderr).toMatch(position);
    });
  }

  it('brief.config.yaml that is a folder is an error at its name', async () => {
    const dir = project({});
    mkdirSync(path.join(dir, 'brief.config.yaml'));
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toMatch(/^brief\.config\.yaml:1:1: this is a folder/m);
  });
});

describe('a damaged build cache', () => {
  const damaged: Record<string, string> = {
    'not JSON': '{"format":1,"briefs":{',
    'null entries': '{"format":1,"briefs":{"a":null,"b":{"key":1}}}',
    'files of the wrong shape': `{"format":1,"briefs":{"${GOOD_SLUG}":{"key":"x","files":{"${GOOD_SLUG}.html":null}}}}`,
    'a number': '42',
    'an older format': '{"format":0,"briefs":[]}',
    'a prototype key': '{"format":1,"briefs":{"__proto__":{"key":"x","files":{}}}}',
  };
  for (const [kind, text] of Object.entries(damaged)) {
    it(`${kind}: means rebuild, not stop`, async () => {
      const dir = projectWith({ 'good.yaml': good });
      mkdirSync(path.join(dir, 'output'));
      writeFileSync(path.join(dir, 'output', '.flashbrief-cache.json'), text);
      const manifest = await build({ cwd: dir, formats: ['html'] });
      expect(manifest.ok).toBe(true);
      expect(manifest.briefs[0]?.unchanged).toBeUndefined();
      expect(existsSync(path.join(dir, 'output', `${GOOD_SLUG}.html`))).toBe(true);
      // And the cache it leaves is a good one: the next build finds the brief unchanged.
      const again = await build({ cwd: dir, formats: ['html'] });
      expect(again.briefs[0]?.unchanged).toBe(true);
    });
  }

  it('a folder where the cache file should be: the build still succeeds', async () => {
    const dir = projectWith({ 'good.yaml': good });
    mkdirSync(path.join(dir, 'output', '.flashbrief-cache.json'), { recursive: true });
    const manifest = await build({ cwd: dir, formats: ['html'] });
    expect(manifest.ok).toBe(true);
    expect(existsSync(path.join(dir, 'output', `${GOOD_SLUG}.html`))).toBe(true);
  });
});

describe('a template that fails only while rendering', () => {
  it('fails each brief with the template named as the cause, not as a bug of ours', async () => {
    const dir = projectWith({ 'good.yaml': good });
    const partials = path.join(dir, 'templates', 'flash-brief', 'partials');
    mkdirSync(partials, { recursive: true });
    // A partial chosen at run time cannot be checked before the page is rendered.
    writeFileSync(path.join(partials, 'masthead.hbs'), '<header>{{> (lookup . "nothing")}}</header>\n');
    const result = await runCli(['build', '--html-only', '--templates', 'templates'], { cwd: dir });
    expect(result.code).toBe(1);
    expectNoCrash(result.stderr);
    expect(result.stderr).toContain('briefs/good.yaml:1:1: the template could not render this brief: The partial undefined could not be found');
  });
});

describe('check validates templates', () => {
  it('reports names the page does not provide as warnings, and missing partials as errors', async () => {
    const dir = projectWith({ 'good.yaml': good });
    const partials = path.join(dir, 'templates', 'flash-brief', 'partials');
    mkdirSync(partials, { recursive: true });
    writeFileSync(path.join(partials, 'masthead.hbs'), '<header>\n  <h1>{{titel}}</h1>\n  {{#each authors}}{{nmae}}{{/each}}\n</header>\n');
    const warned = await check({ cwd: dir, templates: 'templates' });
    const entry = warned.briefs[0];
    expect(entry?.ok).toBe(true);
    expect(entry?.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'templates/flash-brief/partials/masthead.hbs', line: 2, column: 9, message: expect.stringContaining('did you mean {{title}}?') }),
        expect.objectContaining({ file: 'templates/flash-brief/partials/masthead.hbs', line: 3, column: 22, message: expect.stringContaining('did you mean {{name}}?') }),
      ]),
    );
    writeFileSync(path.join(partials, 'masthead.hbs'), '<header>{{> no-such-partial}}</header>\n');
    const failed = await check({ cwd: dir, templates: 'templates' });
    expect(failed.ok).toBe(false);
    expect(failed.briefs[0]?.errors?.[0]).toMatchObject({ file: 'templates/flash-brief/partials/masthead.hbs', line: 1, column: 9, message: expect.stringContaining('partial "no-such-partial" does not exist') });
  });
});

describe('the site after a brief fails', () => {
  const project = () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), 'title: Brief Alpha\ndate: 2024-01-10\ndevelopments: Text.\n');
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), 'title: Brief Bravo\ndate: 2024-01-11\ndevelopments: Text.\n');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.net/\n');
    return dir;
  };
  const read = (dir: string, file: string) => readFileSync(path.join(dir, 'output', file), 'utf8');
  const listedEverywhere = (dir: string, title: string, slug: string) => {
    expect(read(dir, 'index.html')).toContain(title);
    expect(read(dir, 'feed.xml')).toContain(title);
    expect(read(dir, 'sitemap.xml')).toContain(`${slug}.html`);
  };

  it('keeps a brief that now fails on the index, in the feeds and in the sitemap, with its last good entry', async () => {
    const dir = project();
    expect((await build({ cwd: dir, formats: ['html'] })).ok).toBe(true);
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), 'title: Brief Alpha\ndate: 2024-01-1O\ndevelopments: Text.\n');
    for (const force of [false, true]) {
      const manifest = await build({ cwd: dir, formats: ['html'], force });
      expect(manifest.ok).toBe(false);
      listedEverywhere(dir, 'Brief Alpha', '2024-01-10-brief-alpha');
      listedEverywhere(dir, 'Brief Bravo', '2024-01-11-brief-bravo');
    }
  });

  it('drops a brief from the site when its file is removed', async () => {
    const dir = project();
    await build({ cwd: dir, formats: ['html'] });
    rmSync(path.join(dir, 'briefs', 'a.yaml'));
    expect((await build({ cwd: dir, formats: ['html'] })).ok).toBe(true);
    expect(read(dir, 'index.html')).not.toContain('Brief Alpha');
    expect(read(dir, 'feed.xml')).not.toContain('Brief Alpha');
  });

  it('leaves the site pages as they were when brief.config.yaml has errors', async () => {
    const dir = project();
    await build({ cwd: dir, formats: ['html'] });
    const before = ['index.html', 'feed.xml', 'feed.json', 'sitemap.xml'].map((f) => read(dir, f));
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'site:\n  url: https://briefs.example.net/\nlable: x\n');
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('brief.config.yaml:3:1: unknown key "lable" (did you mean "label"?)');
    expect(result.stderr).toContain('brief.config.yaml has errors: the index, topic pages and feeds are left as they were');
    expect(['index.html', 'feed.xml', 'feed.json', 'sitemap.xml'].map((f) => read(dir, f))).toEqual(before);
  });
});

describe('an output folder that cannot be made', () => {
  for (const [kind, out] of [
    ['under /proc', '/proc/flashbrief-nope'],
    ['under /proc, two levels down', '/proc/flashbrief-nope/sub/out'],
    ['through a symbolic link that points nowhere', 'dangling/out'],
  ] as const) {
    it(`${kind}: fails at once with exit 3 and a plain reason, never spins`, async () => {
      const dir = projectWith({ 'good.yaml': good });
      symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
      const result = await runCli(['build', '--html-only', '-o', out], { cwd: dir });
      expect(result.code).toBe(3);
      expectNoCrash(result.stderr);
      expect(result.stderr).toMatch(/could not write .*: a folder on its path cannot be made there .*\(ENOENT\)/);
    }, 20_000);
  }
});

describe('template files that are not readable text', () => {
  const odd: Record<string, (file: string) => void> = {
    'a folder': (f) => mkdirSync(f),
    'a FIFO': (f) => mkfifoSync(f),
    'a broken symbolic link': (f) => symlinkSync('nowhere.hbs', f),
    'not UTF-8': (f) => writeFileSync(f, Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0x0a])),
  };
  for (const [kind, make] of Object.entries(odd)) {
    it(`a partial that is ${kind}: an error at the file, only for the briefs of that template`, async () => {
      const dir = projectWith({ 'good.yaml': good });
      writeFileSync(path.join(dir, 'briefs', 'mine.yaml'), 'title: Mine\ndate: 2024-01-10\ntemplate: mine\ndevelopments: Text.\n');
      const mine = path.join(dir, 'templates', 'mine');
      mkdirSync(path.join(mine, 'partials'), { recursive: true });
      writeFileSync(path.join(mine, 'template.json'), '{ "extends": "flash-brief" }\n');
      make(path.join(mine, 'partials', 'masthead.hbs'));
      const manifest = await build({ cwd: dir, formats: ['html'], templates: 'templates' });
      const entry = manifest.briefs.find((b) => b.source === 'briefs/mine.yaml');
      expect(entry?.ok).toBe(false);
      expect(entry?.errors?.[0]).toMatchObject({ file: 'templates/mine/partials/masthead.hbs', line: expect.any(Number) });
      expect(entry?.errors?.some((e) => /unexpected error/.test(e.message))).toBe(false);
      // The brief on the bundled template is not concerned, and builds.
      expect(manifest.briefs.find((b) => b.source === 'briefs/good.yaml')?.ok).toBe(true);
    }, 30_000);
  }
});

describe('named pipes where the build reads or writes', () => {
  it('a FIFO in place of the cache or of an output: the build neither blocks nor fails', async () => {
    const dir = projectWith({ 'good.yaml': good });
    mkdirSync(path.join(dir, 'output'));
    mkfifoSync(path.join(dir, 'output', '.flashbrief-cache.json'));
    mkfifoSync(path.join(dir, 'output', `${GOOD_SLUG}.html`));
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('output/.flashbrief-cache.json could not be read: every brief is rebuilt');
    expect(readFileSync(path.join(dir, 'output', `${GOOD_SLUG}.html`), 'utf8')).toContain('<h1');
  }, 30_000);
});

describe('a template named in brief.config.yaml that does not exist', () => {
  it('is one error at its place in brief.config.yaml, not one per brief', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'briefs'));
    writeFileSync(path.join(dir, 'briefs', 'a.yaml'), 'title: A\ndate: 2024-01-10\ndevelopments: Text.\n');
    writeFileSync(path.join(dir, 'briefs', 'b.yaml'), 'title: B\ndate: 2024-01-11\ndevelopments: Text.\n');
    writeFileSync(path.join(dir, 'brief.config.yaml'), 'template: nosuch\n');
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.includes('does not exist'));
    expect(lines).toEqual(['brief.config.yaml:1:11: template "nosuch" does not exist; available: flash-brief, situation-update']);
  });
});

describe('a symbolic link where an output goes', () => {
  it('is replaced by the output, and the file it pointed at is left alone', async () => {
    const dir = projectWith({ 'linked.yaml': 'title: Linked\ndate: 2024-01-05\nslug: linked\ndevelopments: All quiet.\n' });
    const elsewhere = path.join(tempDir(), 'precious.txt');
    writeFileSync(elsewhere, 'someone else\'s file\n');
    const asset = path.join(tempDir(), 'precious.css');
    writeFileSync(asset, 'body {}\n');
    mkdirSync(path.join(dir, 'output'));
    symlinkSync(elsewhere, path.join(dir, 'output', 'linked.html'));
    symlinkSync(asset, path.join(dir, 'output', 'index.html'));
    const result = await runCli(['build', '--html-only'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(elsewhere, 'utf8')).toBe('someone else\'s file\n');
    expect(readFileSync(asset, 'utf8')).toBe('body {}\n');
    for (const name of ['linked.html', 'index.html']) {
      const written = path.join(dir, 'output', name);
      expect(execFileSync('stat', ['-c', '%F', written], { encoding: 'utf8' }).trim(), name).toBe('regular file');
      expect(readFileSync(written, 'utf8')).toContain('<!DOCTYPE html>');
    }
  });
});

describe('an output folder that would write over the project', () => {
  it.each([['.'], ['briefs'], ['..'], ['briefs/..']])('--out %s is refused, naming what it holds, and nothing is written', async (out) => {
    const dir = projectWith({ 'kept.yaml': 'title: Kept\ndate: 2024-01-05\nslug: kept\ndevelopments: All quiet.\n' });
    writeFileSync(path.join(dir, 'index.html'), '<p>the project\'s own page</p>\n');
    const result = await runCli(['build', '--html-only', '--out', out], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the output folder .* (is the project folder or holds it|is briefs)/);
    expect(result.stderr).toContain('use a folder of its own, such as output');
    expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe('<p>the project\'s own page</p>\n');
    expect(existsSync(path.join(dir, 'briefs', 'kept.html'))).toBe(false);
  });

  it('is refused under another name too (a link to the project folder)', async () => {
    const dir = projectWith({ 'kept.yaml': 'title: Kept\ndate: 2024-01-05\nslug: kept\ndevelopments: All quiet.\n' });
    symlinkSync(dir, path.join(dir, 'site'));
    const result = await runCli(['build', '--html-only', '--out', 'site'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(existsSync(path.join(dir, 'kept.html'))).toBe(false);
  });

  it('allows a folder inside the briefs folder or anywhere else', async () => {
    const dir = projectWith({ 'kept.yaml': 'title: Kept\ndate: 2024-01-05\nslug: kept\ndevelopments: All quiet.\n' });
    for (const out of ['output', 'briefs/site', path.join(tempDir(), 'elsewhere')]) {
      const result = await runCli(['build', '--html-only', '--out', out, '-q'], { cwd: dir });
      expect(result.code, `${out}: ${result.stderr}`).toBe(0);
      expect(existsSync(path.resolve(dir, out, 'kept.html')), out).toBe(true);
    }
  });
});
