import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findBrowser, ManagedBrowser } from '../print/browser.js';
import { build, type BuildOptions, type ManifestEntry } from '../build/build.js';
import type { PrintJob } from '../print/pdf.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { configFile, folderLayout } from '../build/layout.js';
import { escapeHtml } from '../core/markdown.js';

/*
 * `brief serve`: the analyst's preview. It builds the briefs' HTML into a private folder,
 * serves it on loopback, rebuilds what a save changed and tells open pages to reload.
 * A brief with errors shows them over its last good page instead of a blank one; its PDF
 * is printed when asked for. Nothing opens by itself, and closing stops everything,
 * the browser included.
 */

export interface ServeOptions extends Pick<BuildOptions, 'cwd' | 'browser' | 'templates'> {
  inputs?: string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  log?: (line: string) => void;
}

export interface Server {
  url: string;
  close(): Promise<void>;
}

const EVENTS = '/__flashbrief/events';

/** Added to every served page: reload when told, nothing else. */
const RELOAD = `<script>new EventSource(${JSON.stringify(EVENTS)}).onmessage = () => location.reload();</script>`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export async function serve(options: ServeOptions = {}): Promise<Server> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? (() => undefined);
  const inputs = options.inputs ?? ['briefs'];
  const out = await mkdtemp(path.join(tmpdir(), 'flashbrief-serve-'));
  const clients = new Set<ServerResponse>();
  /** Errors of the briefs that failed their last build, by slug. */
  const failed = new Map<string, ManifestEntry>();
  /** Each source's slug when it last built: a file too broken to read still has its page. */
  const lastSlug = new Map<string, string>();
  let browser: ManagedBrowser | undefined;
  /** Each brief's print job from the build that last rendered it, by slug. */
  const jobs = new Map<string, PrintJob>();
  let closed = false;

  // Every brief is compiled again (milliseconds each; a series shares its counts) and
  // only files whose content changed are rewritten.
  const rebuild = async () => {
    const started = Date.now();
    const manifest = await build({
      ...options,
      cwd,
      inputs,
      outDir: out,
      formats: ['html'],
      log: () => undefined,
      // The page's print job, as `brief build` would print it; a brief not rendered again keeps its last one.
      onPrintJob: (_source, job) => jobs.set(job.name.replace(/\.html$/, ''), job),
    });
    for (const b of manifest.briefs) {
      const slug = b.slug ?? lastSlug.get(b.source);
      if (b.ok && b.slug) lastSlug.set(b.source, b.slug);
      if (slug && !b.ok) failed.set(slug, b);
      else if (slug) failed.delete(slug);
      for (const e of b.errors ?? []) log(formatDiagnostic({ ...e, severity: 'error' }));
    }
    // An incident file's own problems belong to no brief page: the log is where they show.
    for (const f of manifest.files ?? []) for (const e of f.errors ?? []) log(formatDiagnostic({ ...e, severity: 'error' }));
    log(`rebuilt ${manifest.briefs.length} brief(s) in ${Date.now() - started} ms`);
    for (const client of clients) client.write('data: reload\n\n');
  };
  await rebuild();

  // A save rebuilds the briefs of that folder (a series shares counts); a change to
  // shared data or configuration rebuilds all of them.
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const changed = () => {
    clearTimeout(timer);
    // Editors save in several steps (write, rename): wait for the last one.
    timer = setTimeout(() => {
      if (closed) return;
      if (pending) return changed();
      pending = true;
      rebuild()
        .catch((err: unknown) => log(`rebuild failed: ${(err as Error).message}`))
        .finally(() => (pending = false));
    }, 60);
  };
  const watchers: FSWatcher[] = [];
  const watchDir = (dir: string, filter: (name: string) => boolean, recursive = false) => {
    try {
      watchers.push(watch(dir, { recursive }, (_event, name) => name && filter(String(name)) && changed()));
    } catch {
      // a folder that does not exist has nothing to watch
    }
  };
  const yaml = (n: string) => /\.ya?ml$/i.test(n);
  // Exactly the files the build reads (layout.ts), wherever serve was started from.
  for (const input of inputs) {
    const layout = folderLayout(path.resolve(cwd, input));
    watchDir(layout.briefs, yaml);
    watchDir(layout.incidents, yaml);
    watchDir(path.dirname(layout.places), (n) => n === path.basename(layout.places));
  }
  const config = configFile(cwd);
  watchDir(path.dirname(config), (n) => n === path.basename(config));
  // A template override is edited like a brief: any file of it (partials, CSS, template.json).
  if (options.templates) watchDir(path.resolve(cwd, options.templates), () => true, true);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`flashbrief: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === EVENTS) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname).replace(/^\/+/, '');
    const file = path.resolve(out, rel);
    // Only files inside the build folder, whatever the path says.
    if (!file.startsWith(out + path.sep)) return notFound(res);
    const slug = path.basename(rel).replace(/\.(html|pdf)$/, '');

    if (rel.endsWith('.pdf')) return pdf(res, slug);
    const body = await readFile(file).catch(() => undefined);
    const errors = failed.get(slug);
    if (rel.endsWith('.html') && (body || errors)) {
      const page = body?.toString('utf8') ?? '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Errors</title></head><body></body></html>';
      res.writeHead(200, { 'content-type': TYPES['.html'] as string, 'cache-control': 'no-store' });
      const preview = body && slug !== 'index' && !rel.startsWith('topics/') ? pdfLink(slug) : '';
      // The published pages forbid scripts; the preview's own reload script needs that lifted.
      const previewPage = page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, '');
      res.end(previewPage.replace('</body>', `${errors ? overlay(errors) : ''}${preview}${RELOAD}</body>`));
      return;
    }
    if (!body) return notFound(res);
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  }

  /** Printed on demand with the print job `brief build` makes: same page, assets and metadata as the published PDF. */
  async function pdf(res: ServerResponse, slug: string) {
    const job = jobs.get(slug);
    if (!job || failed.has(slug)) return notFound(res);
    browser ??= new ManagedBrowser(await findBrowser({ explicit: options.browser }));
    const { printAll } = await import('../print/pdf.js');
    let bytes: Uint8Array | undefined;
    let failure = '';
    await printAll(
      browser,
      [job],
      { concurrency: 1, timeout: 60_000 },
      async (_i, result) => {
        if (result.ok) bytes = result.pdf;
        else failure = result.error;
      },
    );
    if (!bytes) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(failure);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES['.pdf'] as string, 'cache-control': 'no-store' });
    res.end(Buffer.from(bytes));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/`,
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await browser?.close();
      await rm(out, { recursive: true, force: true });
    },
  };
}

/** The preview's own link to the PDF, which `brief serve` prints when it is followed. */
const pdfLink = (slug: string) =>
  `<a href="${escapeHtml(slug)}.pdf" style="position:fixed;right:1rem;bottom:1rem;z-index:2147483646;padding:.4rem .8rem;` +
  'background:#0d2f57;color:#fff;font:600 14px/1.2 system-ui,sans-serif;border-radius:4px;text-decoration:none">PDF preview</a>';

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found');
}

/** The errors, over the last good page, in the same words `brief check` prints. */
function overlay(entry: ManifestEntry): string {
  const lines = (entry.errors ?? []).map((e) => `<li>${escapeHtml(formatDiagnostic({ ...e, severity: 'error' }))}</li>`).join('');
  return (
    '<div id="flashbrief-errors" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;' +
    'background:#fff5f5;border-bottom:4px solid #a3161b;padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace;color:#1b1f24">' +
    `<strong style="font:700 15px/1.4 system-ui,sans-serif;color:#a3161b">${escapeHtml(entry.source)} has errors; fix them and this page reloads</strong>` +
    `<ul style="margin:.5rem 0 0;padding-left:1.2rem">${lines}</ul></div>`
  );
}
