import type { IncomingMessage, ServerResponse } from 'node:http';

/*
 * How open pages learn that a build finished: each served page carries a script that
 * listens to an event stream on the preview server and reloads the page when told.
 */

/** The event stream's path on the preview server. */
export const EVENTS_PATH = '/__flashbrief/events';

/** Added to every served page: reload when told, nothing else. */
export const RELOAD_SCRIPT = `<script>new EventSource(${JSON.stringify(EVENTS_PATH)}).onmessage = () => location.reload();</script>`;

/**
 * The pages listening for reloads (server-sent events). The server adds a page when it
 * asks for the stream; a page leaves when its connection closes or the preview stops.
 */
export class ReloadStream {
  readonly #clients = new Set<ServerResponse>();
  #closed = false;

  /**
   * Answers `req` with the event stream (200, text/event-stream, a `: connected` comment)
   * and keeps `res` open to tell the page of each build. After `close()`, ends it at once.
   */
  subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    if (this.#closed) {
      res.end();
      return;
    }
    this.#clients.add(res);
    req.on('close', () => this.#clients.delete(res));
  }

  /** Tells every listening page to reload (one `data: reload` event each). */
  reload(): void {
    for (const client of this.#clients) client.write('data: reload\n\n');
  }

  /** Ends every stream, so the server can close; a reload after this reaches nobody. */
  close(): void {
    this.#closed = true;
    for (const client of this.#clients) client.end();
    // Ended streams are written to no more (a write after end is an error on the response).
    this.#clients.clear();
  }
}
