import { readRegularFile } from '../project/files.js';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEFAULTS } from '../core/settings.js';
import type { BuiltPages } from './pages.js';
import { isCrossSite, isLoopbackHost, isLoopbackName } from './guard.js';
import { PreviewsBusyError, type PdfPreviews } from './pdf-preview.js';
import { gonePage, pdfRefusal, previewPage } from './preview-page.js';
import { EVENTS_PATH, type ReloadStream } from './reload.js';

/*
 * The preview's HTTP server. Routes:
 *   /__flashbrief/events  the reload event stream
 *   /<slug>.pdf           the page's PDF preview, printed from its print job; while its
 *                         brief has errors, 409 with the errors instead (no stale PDF)
 *   /<path>.html, /       the built page, with the error overlay, PDF link and reload
 *                         script; the index also lists the briefs that have errors
 *   /<path>               any other built file (CSS, fonts, feeds) as it is
 * Before any route: 421 for a Host that is not this machine's (DNS rebinding: see guard.ts),
 * then 403 for a request a browser marks cross-site that would cost work (a PDF, any method
 * but GET). 503 with Retry-After when too many PDFs are asked for at once.
 * 404 for everything else, a path outside the build folder included, and for the page or
 * PDF of a brief that is gone (removed, or its slug changed: its file is still in the
 * folder, with a page saying so), for a dotfile (the build's record) and a file of a type
 * no build writes; 400 for a malformed %-escape; 500 with the reason for a request that
 * fails (a PDF that could not be printed). Nothing may be cached: every
 * answer is the current build.
 */

/**
 * What the server answers from. It reads the pages' state and never changes it; it hands
 * event-stream requests to `reloads` and print jobs to `pdfs`.
 */
export interface PreviewContent {
  /** The build folder (absolute): the only files served. */
  folder: string;
  pages: Pick<BuiltPages, 'failure' | 'failing' | 'gone' | 'printJob'>;
  pdfs: Pick<PdfPreviews, 'print'>;
  reloads: Pick<ReloadStream, 'subscribe'>;
  /**
   * Resolves once no rebuild is under way. A PDF preview waits for it: a build writes a
   * brief's page before it ends, and the page's print job and errors are known only once
   * it has, so a PDF asked for as soon as the page showed a change printed the version before it.
   */
  settled?: () => Promise<void>;
}

export interface ListenOptions {
  /** Default: 127.0.0.1 (loopback: the preview is for this machine only). */
  host?: string;
  /** Default: DEFAULTS.servePort (4000); 0 picks a free port. */
  port?: number;
}

/** A listening preview server. */
export interface PreviewServer {
  /** `http://host:port/`, the host in brackets if IPv6. */
  url: string;
  /** Stops listening and ends every connection; resolves when the server is closed. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  // A project's own font files (brief.config.yaml fonts.files) keep their format.
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
};

/** The preview cannot listen where it was asked to: the machine's answer, in words that say what to change. */
export class ListenError extends Error {}

const LISTEN_FAILURES: Record<string, (at: string) => string> = {
  EADDRINUSE: (at) => `cannot serve on ${at}: another program uses that port; choose another with --port, or --port 0 for any free one`,
  EACCES: (at) => `cannot serve on ${at}: this user may not use that port (ports below 1024 need privileges); choose one from 1024 up with --port`,
  EADDRNOTAVAIL: (at) => `cannot serve on ${at}: that is not an address of this machine`,
};

/** Why the preview listens on loopback only, said when another address is asked for. */
const LOOPBACK_ONLY =
  'the preview listens on this machine only (--host localhost, 127.0.0.1, ::1, or a name of one of them), since it shows unpublished and embargoed briefs; ' +
  'to publish a build, serve its output folder with a web server';

/**
 * Refuses, before listening, a `--host` that is not loopback: an address of a network
 * (`0.0.0.0`, `::`, a LAN address) or a name that resolves to one, or to nothing. A name
 * is looked up once, here; one that resolves to loopback only is allowed (and the Host
 * check then accepts it: see isLoopbackHost).
 * @throws ListenError saying why, in words.
 */
async function checkListenHost(host: string, port: number): Promise<void> {
  const at = `${host}:${port}`;
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isLoopbackName(bare)) return;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(bare, { all: true, verbatim: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ListenError(`cannot serve on ${at}: no address of this machine has that name${code ? ` (${code})` : ''}; ${LOOPBACK_ONLY}`);
  }
  const outside = addresses.map((a) => a.address.toLowerCase()).filter((a) => !isLoopbackName(a));
  if (outside.length > 0) {
    const what = outside.every((a) => a === '0.0.0.0' || a === '::') ? 'every address of this machine, its network ones included' : `${outside.join(', ')}, not loopback`;
    throw new ListenError(`cannot serve on ${at}: that is ${what}; ${LOOPBACK_ONLY}`);
  }
}

/** A request the server cannot read (a malformed %-escape): 400. */
class BadRequest extends Error {}

/**
 * Starts the preview server on `host:port` and resolves once it listens.
 * @throws ListenError for a port in use or not allowed, or a host not of this machine.
 */
export async function listen(content: PreviewContent, options: ListenOptions = {}): Promise<PreviewServer> {
  /** The --host name, once it is known to have bound a loopback address: Host may name it too. */
  let namedHost: string | undefined;
  // A request without Host is ours to refuse (421, below), not Node's 400 before any check.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    if (!isLoopbackHost(req.headers.host, namedHost)) return refuse(res, 421, 'this preview answers only requests addressed to this machine (localhost, 127.0.0.1 or [::1])');
    if ((req.method !== 'GET' || isPdfRequest(req.url)) && isCrossSite(req.headers)) return refuse(res, 403, 'this preview does not answer requests from other sites');
    // Whatever goes wrong with one request (a malformed %-escape, a print that throws) is
    // that request's 500, never the server's end.
    handle(content, req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return void res.end();
      if (err instanceof BadRequest) return refuse(res, 400, err.message);
      if (err instanceof PreviewsBusyError) return refuse(res, 503, err.message, { 'retry-after': '5' });
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`flashbrief: ${(err as Error).message}`);
    });
  });
  const port = options.port ?? DEFAULTS.servePort;
  const host = options.host ?? DEFAULTS.serveHost;
  await checkListenHost(host, port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const explain = LISTEN_FAILURES[err.code ?? ''];
      reject(explain ? new ListenError(explain(`${host}:${port}`)) : err);
    });
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  if (isLoopbackName(address.address.toLowerCase())) namedHost = host;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${shown}:${address.port}/`, close: () => stop(server) };
}

/** Whether the request's path (as the routes read it) asks for a PDF, which costs a print. */
function isPdfRequest(rawUrl: string | undefined): boolean {
  // Decoded as handle() decodes it: `/x%2Epdf` is a PDF too.
  try {
    return decodeURIComponent(new URL(rawUrl ?? '/', 'http://localhost').pathname).toLowerCase().endsWith('.pdf');
  } catch {
    // A malformed escape or URL is handle()'s 400; nothing is printed for it.
    return false;
  }
}

/** A short plain-text refusal, before any file or print is looked at. */
function refuse(res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(`flashbrief: ${reason}`);
}

async function stop(server: HttpServer): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
}

/** Answers one request (see the routes above). Rejects for a request it cannot answer (a 500). */
async function handle(content: PreviewContent, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === EVENTS_PATH) return content.reloads.subscribe(req, res);
  const rel = decodedPath(url.pathname === '/' ? '/index.html' : url.pathname).replace(/^\/+/, '');
  const file = path.resolve(content.folder, rel);
  // Only files inside the build folder, whatever the path says, and of them only the
  // pages and assets a build writes: not the build's record or any other dotfile, nor a
  // file of a type no build writes (a temporary file of a write under way).
  if (!file.startsWith(content.folder + path.sep)) return notFound(res);
  if (!isServed(path.relative(content.folder, file))) return notFound(res);
  // Brief pages and PDFs are in the folder itself, named by slug; index.html is not a brief's.
  const slug = /^([^/]+)\.(?:html|pdf)$/.exec(rel)?.[1];
  const brief = slug !== undefined && slug !== 'index' ? slug : undefined;
  if (brief !== undefined && content.pages.gone(brief)) return answer(res, 404, gonePage(brief));
  if (rel.endsWith('.pdf')) return brief === undefined ? notFound(res) : servePdf(content, res, brief);
  const body = await readRegularFile(file).catch(() => undefined);
  const failure = brief === undefined ? undefined : content.pages.failure(brief);
  // The index lists the briefs with errors: one that never built is not on it.
  const failing = rel === 'index.html' ? content.pages.failing() : [];
  if (rel.endsWith('.html') && (body || failure || failing.length > 0)) {
    // Index and topic pages have no PDF; a page with errors and no good version has none yet.
    const pdfSlug = body ? brief : undefined;
    return answer(res, 200, previewPage(body?.toString('utf8'), { failure, pdfSlug, failing }));
  }
  if (!body) return notFound(res);
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * Printed on demand with the print job `brief build` makes: same page, assets and metadata
 * as the published PDF. While the brief has errors, a 409 page with them: no PDF is
 * printed, not even the last good one, which would not be what the file now says.
 */
async function servePdf(content: PreviewContent, res: ServerResponse, slug: string): Promise<void> {
  await content.settled?.();
  const failure = content.pages.failure(slug);
  if (failure) return answer(res, 409, pdfRefusal(failure));
  const job = content.pages.printJob(slug);
  if (!job) return notFound(res);
  // A client that goes away (a closed tab, a cancelled request) takes its print with it:
  // out of the line if it waits, stopped if it prints, so it holds no place of the queue.
  const gone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) gone.abort(new Error('the client went away'));
  };
  res.on('close', onClose);
  let result: Awaited<ReturnType<typeof content.pdfs.print>>;
  try {
    result = await content.pdfs.print(job, gone.signal);
  } catch (err) {
    if (gone.signal.aborted) return;
    throw err;
  } finally {
    res.off('close', onClose);
  }
  if (!result.ok) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(result.error);
    return;
  }
  res.writeHead(200, { 'content-type': TYPES['.pdf'] as string, 'cache-control': 'no-store' });
  res.end(Buffer.from(result.pdf));
}

/** A URL path with its %-escapes decoded. @throws BadRequest for a malformed escape (`%zz`, `%`, bytes that are not UTF-8). */
function decodedPath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    throw new BadRequest('the address has a malformed %-escape');
  }
}

/**
 * Whether a path inside the build folder (relative, with the system's separators) is one
 * the preview serves: no part of it starts with a dot, and its type is one a build writes
 * (pages, stylesheets, fonts, images, feeds, PDFs).
 */
export function isServed(rel: string): boolean {
  return !rel.split(path.sep).some((part) => part.startsWith('.')) && Object.hasOwn(TYPES, path.extname(rel).toLowerCase());
}

/** An HTML page of the preview's, never cached. */
function answer(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': TYPES['.html'] as string, 'cache-control': 'no-store' });
  res.end(html);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found');
}
