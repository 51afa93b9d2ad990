import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_TEMPLATES, loadTemplates } from '../../src/project/templates.js';
import { projectWith, runCli, tempDir } from '../helpers.js';

/*
 * A template names only files of its own folder. Whatever path template.json gives, and
 * whatever link sits in the folder, a file outside it is never read, never written to
 * the output, and its content never shows in a message: the mistake is reported at the
 * key that named it (or at the link), in plain words, with how to fix it.
 */

const SECRET = 'TOP-SECRET-LINE do-not-publish';

/** A user's templates folder holding one template, `own`, with the given files, beside a secret file outside it. */
function userTemplate(files: Record<string, string>, links: Record<string, string> = {}): { root: string; dir: string; secret: string } {
  const root = tempDir();
  const dir = path.join(root, 'my-templates', 'own');
  mkdirSync(path.join(dir, 'partials'), { recursive: true });
  const secret = path.join(root, 'secret.txt');
  writeFileSync(secret, `${SECRET}\n`);
  writeFileSync(path.join(root, 'secret.css'), `body { content: "${SECRET}"; }\n`);
  for (const [name, text] of Object.entries({ 'template.json': '{}', 'layout.hbs': '<main>{{title}}</main>\n', 'brief.css': 'body { color: black; }\n', ...files })) writeFileSync(path.join(dir, name), text);
  for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(dir, name));
  return { root, dir, secret };
}

async function ownTemplate(root: string) {
  const templates = await loadTemplates([path.join(root, 'my-templates'), BUNDLED_TEMPLATES], { cwd: root });
  const own = templates.get('own');
  if (!own) throw new Error('template own not loaded');
  return own;
}

/** The template failed with one error, at the given place, that says nothing of the secret. */
function expectRefused(own: Awaited<ReturnType<typeof ownTemplate>>, where: RegExp, words: RegExp): void {
  const errors = own.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toHaveLength(1);
  const d = errors[0]!;
  expect(`${d.file}:${d.line}:${d.column}: ${d.message}`).toMatch(where);
  expect(d.message).toMatch(words);
  expect(JSON.stringify(own)).not.toContain('TOP-SECRET');
  expect(own.assets.size).toBe(0);
}

describe('template.json names only files inside its template folder', () => {
  const climbing = [
    '../../secret.css',
    '../../../x/evil.css',
    'partials/../../../secret.css',
    './../../secret.css',
    '..',
    'a//b.css',
    '..\\..\\secret.css',
    'C:/secret.css',
  ];
  for (const key of ['stylesheet', 'fontFaces'] as const) {
    for (const bad of climbing) {
      it(`"${key}": ${JSON.stringify(bad)} is refused at the key`, async () => {
        const manifest = `{\n  "description": "mine",\n  "${key}": ${JSON.stringify(bad)}\n}\n`;
        const { root } = userTemplate({ 'template.json': manifest });
        const own = await ownTemplate(root);
        expectRefused(own, /^my-templates\/own\/template\.json:3:3: /, new RegExp(`"${key}" names .*not inside the template folder .*: name a file in that folder`));
      });
    }
    it(`"${key}": an absolute path is refused at the key, though the file exists`, async () => {
      const root = tempDir();
      const absolute = path.join(root, 'secret.css');
      const { root: r } = userTemplate({ 'template.json': `{"${key}": ${JSON.stringify(absolute)}}` });
      writeFileSync(absolute, `body { content: "${SECRET}"; }`);
      const own = await ownTemplate(r);
      expectRefused(own, /^my-templates\/own\/template\.json:1:2: /, /not inside the template folder/);
    });
  }

  it('a link in the folder to a file outside it is refused, for every kind of file', async () => {
    for (const name of ['brief.css', 'layout.hbs', 'index.hbs', 'template.json', 'partials/masthead.hbs']) {
      const { root, dir, secret } = userTemplate({});
      const file = path.join(dir, name);
      if (existsSync(file)) unlinkSync(file);
      symlinkSync(secret, file);
      const own = await ownTemplate(root);
      expectRefused(own, new RegExp(`^my-templates/own/${name.replace('.', '\\.')}:1:1: `), /is a link to a file outside the template folder my-templates\/own: put the file itself in the folder/);
    }
  });

  it('a link named by "stylesheet" is refused at the key', async () => {
    const { root, dir, secret } = userTemplate({ 'template.json': '{\n  "stylesheet": "look.css"\n}' });
    symlinkSync(secret, path.join(dir, 'look.css'));
    const own = await ownTemplate(root);
    expectRefused(own, /^my-templates\/own\/template\.json:2:3: "stylesheet" names look\.css, but my-templates\/own\/look\.css is a link to a file outside/, /put the file itself in the folder/);
  });

  it('a link to a file inside the folder is fine', async () => {
    const { root, dir } = userTemplate({ 'template.json': '{"stylesheet": "look.css"}', 'real.css': 'body { color: navy; }' });
    symlinkSync(path.join(dir, 'real.css'), path.join(dir, 'look.css'));
    const own = await ownTemplate(root);
    expect(own.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...own.assets.values()].map(String).join('')).toContain('color: navy');
  });

  it('a stylesheet in a subfolder of the template is fine', async () => {
    const { root, dir } = userTemplate({ 'template.json': '{"stylesheet": "css/main.css"}' });
    mkdirSync(path.join(dir, 'css'));
    writeFileSync(path.join(dir, 'css', 'main.css'), 'body { color: teal; }');
    const own = await ownTemplate(root);
    expect(own.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...own.assets.values()].map(String).join('')).toContain('color: teal');
  });

  for (const pkg of ['../../secret', '/etc', './fonts', 'C:\\fonts', '@scope/../../x']) {
    it(`"fontPackages": ${JSON.stringify(pkg)} is not a package name and is refused at the key`, async () => {
      const { root } = userTemplate({ 'template.json': `{\n  "fontPackages": [${JSON.stringify(pkg)}]\n}` });
      const own = await ownTemplate(root);
      expectRefused(own, /^my-templates\/own\/template\.json:2:3: "fontPackages" lists .* which is not an npm package name/, /list installed packages by name/);
    });
  }
});

describe('brief build with such a template', () => {
  it('fails the briefs that use it at the key, writes nothing outside the output, and never shows the file', async () => {
    const dir = projectWith({ 'x.yaml': 'title: X\ndate: 2024-03-11\nslug: x\ntemplate: own\ndevelopments: Words.\n' });
    writeFileSync(path.join(path.dirname(dir), `${path.basename(dir)}-evil.css`), `body { content: "${SECRET}"; }`);
    mkdirSync(path.join(dir, 'my-templates', 'own'), { recursive: true });
    writeFileSync(path.join(dir, 'my-templates', 'own', 'template.json'), `{\n  "stylesheet": "../../../${path.basename(dir)}-evil.css"\n}\n`);
    writeFileSync(path.join(dir, 'my-templates', 'own', 'layout.hbs'), '<main>{{title}}</main>');
    // Other test files make folders beside this one at the same time: only this project's own neighbours count.
    const neighbours = () => readdirSync(path.dirname(dir)).filter((f) => f.startsWith(path.basename(dir)));
    const before = neighbours();
    const result = await runCli(['build', '--html-only', '--templates', 'my-templates'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('my-templates/own/template.json:2:3: "stylesheet" names');
    expect(result.stderr).toContain('is not inside the template folder my-templates/own');
    expect(result.stderr + result.stdout).not.toContain('TOP-SECRET');
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(neighbours()).toEqual(before);
    const written = existsSync(path.join(dir, 'output', 'assets')) ? readdirSync(path.join(dir, 'output', 'assets')) : [];
    expect(written.filter((f) => f.includes('evil'))).toEqual([]);
    expect(readFileSync(path.join(dir, 'my-templates', 'own', 'template.json'), 'utf8')).toContain('evil');
  });
});
