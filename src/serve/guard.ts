import type { IncomingHttpHeaders } from 'node:http';
import { isIPv6 } from 'node:net';

/*
 * Who may ask the preview for what. The preview listens on loopback, but a browser on this
 * machine talks to loopback for any web page: a page from attacker.example whose name is
 * re-pointed at 127.0.0.1 (DNS rebinding) sends `Host: attacker.example` and could read the
 * unpublished briefs; any page's `<img src="http://127.0.0.1:4000/x.pdf">` makes the preview
 * print. The first is refused by the Host check (every request), the second by the
 * cross-site check (requests that cost work: PDFs and every method but GET).
 */

/** 127.0.0.0/8 in dotted decimal, as browsers send it in Host (no leading zeros, no shorthand). */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LOOPBACK_V4 = new RegExp(`^127\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** `name` or `[v6]`, then an optional `:port`: nothing else (no userinfo, path or second colon). */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]/@\s]+)(?::(\d{1,5}))?$/i;

/** Whether `name` (lowercase, no port, IPv6 unbracketed) is a loopback address or `localhost`. */
export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || LOOPBACK_V4.test(name)) return true;
  if (!isIPv6(name)) return false;
  // ::1 written out in any of its forms (0:0:0:0:0:0:0:1, ::0001), as the URL parser shortens it.
  return new URL(`http://[${name}]/`).hostname === '[::1]';
}

/**
 * Whether a request's `Host` header names this machine: `localhost`, an address in
 * 127.0.0.0/8 or `[::1]`, with or without a port, in any case; or exactly `listenHost`
 * (the name serve was asked to listen on) when that name is known to be loopback.
 * A missing Host, another name, or a name that only starts like one
 * (`127.0.0.1.attacker.example`, `localhost.attacker.example`) is not.
 * @param listenHost The `--host` name, only if it resolved to a loopback address; lowercase.
 */
export function isLoopbackHost(host: string | undefined, listenHost?: string): boolean {
  if (host === undefined) return false;
  const match = HOST_HEADER.exec(host);
  if (!match) return false;
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  const name = (match[1] as string).toLowerCase();
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  // A bracketed name must be IPv6, an unbracketed one must not be (`::1` without brackets has no port syntax).
  if (name.startsWith('[') !== isIPv6(bare)) return false;
  if (isLoopbackName(bare)) return true;
  return listenHost !== undefined && bare === listenHost.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/**
 * Whether the browser that sent a request says it comes from another site: `Sec-Fetch-Site`
 * is `cross-site` or `same-site` (another port of localhost is another origin), or an
 * `Origin` header names another origin than the one the request was sent to (`null`, from
 * a sandboxed page or a file, included). `same-origin`, `none` (typed in the address bar)
 * and requests without these headers (curl, scripts) are not.
 */
export function isCrossSite(headers: IncomingHttpHeaders): boolean {
  const site = headers['sec-fetch-site']?.toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = headers.origin;
  if (origin === undefined) return false;
  // The server's own origin is the one the browser addressed: http and the Host header.
  return origin.toLowerCase() !== `http://${(headers.host ?? '').toLowerCase()}`;
}
