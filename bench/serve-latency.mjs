// What an analyst waits for in `brief serve`: from the save of a brief to the served page
// showing the change, and from then to the PDF preview of that version. The CLI runs as
// a person starts it (`brief serve --port 0` in a copy of the example project); the page
// and the PDF are fetched over HTTP as the browser's reload and the "PDF preview" link do.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How often the page is fetched while waiting for the change, in ms: finer than the targets (100 ms) by far. */
const POLL_MS = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `node bin` serve in `dir` and measures `edits` saves of `brief` (a path under
 * dir). Each save writes a title with a new marker; `page` is the served page's path.
 * Returns { saveToPage: [s...], pageToPdf: [s...], firstBuild: s } or throws with the
 * server's output when it does not start or a change never shows (after `limitMs`).
 */
export async function measureServe({ bin, dir, brief, page, pdf, edits = 5, limitMs = 20000 }) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stderr.on('data', (d) => (said += d));
  child.stdout.on('data', (d) => (said += d));
  const started = performance.now();
  try {
    const url = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`serve ended with ${child.exitCode} before it served:\n${said}`);
        return /serving (http:\/\/\S+\/)/.exec(said)?.[1];
      },
      limitMs,
      () => `serve did not start within ${limitMs / 1000} s:\n${said}`,
    );
    const firstBuild = (performance.now() - started) / 1000;
    const file = path.join(dir, brief);
    const original = readFileSync(file, 'utf8');
    const title = /^title: (.*)$/m.exec(original);
    if (!title) throw new Error(`${brief} has no title line to edit`);
    // The first preview prints with a browser started for it; the timed ones find it warm, as an analyst's do.
    await fetchPdf(`${url}${pdf}`);
    const saveToPage = [];
    const pageToPdf = [];
    let before = await fetchPdf(`${url}${pdf}`);
    for (let i = 0; i < edits; i++) {
      const marker = `Bench edit ${i} ${Date.now()}`;
      // A quiet moment between saves, as between an analyst's.
      await sleep(300);
      const saved = performance.now();
      writeFileSync(file, original.replace(title[0], `title: ${marker}`));
      await waitFor(async () => (await (await fetch(`${url}${page}`)).text()).includes(marker), limitMs, () => `the page never showed edit ${i}:\n${said}`);
      const shown = performance.now();
      const after = await fetchPdf(`${url}${pdf}`);
      const printed = performance.now();
      if (Buffer.compare(after, before) === 0) throw new Error(`the PDF preview after edit ${i} is the one before it`);
      before = after;
      saveToPage.push((shown - saved) / 1000);
      pageToPdf.push((printed - shown) / 1000);
    }
    writeFileSync(file, original);
    return { firstBuild, saveToPage, pageToPdf };
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
  }
}

async function fetchPdf(url) {
  const answer = await fetch(url);
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
  return Buffer.from(await answer.arrayBuffer());
}

/** The first truthy value of `probe` (tried every POLL_MS), or an Error with `why()` after `limitMs`. */
async function waitFor(probe, limitMs, why) {
  const end = performance.now() + limitMs;
  while (performance.now() < end) {
    const value = await probe();
    if (value) return value;
    await sleep(POLL_MS);
  }
  throw new Error(why());
}
