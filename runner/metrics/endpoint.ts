// The live metrics endpoint of a run: an HTTP server on the main thread serving the snapshot the
// run loop last published (the generators send from worker threads, so a scrape never delays a
// send). A snapshot is rendered once, on its first scrape. Closing waits for one more scrape
// when a scraper was seen, so the run's final figures reach it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../../core/errors.ts';
import { metricFamilies } from './families.ts';
import { acceptsProtobuf, PROTOBUF_CONTENT_TYPE, renderProtobuf } from './protobuf-format.ts';
import { EMPTY_SNAPSHOT, type MetricsSnapshot } from './snapshot.ts';
import {
  acceptedTextFormat,
  renderText,
  TEXT_CONTENT_TYPES,
  type TextFormat,
} from './text-format.ts';

export interface MetricsAddress {
  host: string;
  port: number;
}

/** The longest close() waits for the final scrape, however slowly the scraper scrapes. */
const FINAL_SCRAPE_CAP_MS = 60_000;

export class MetricsEndpoint {
  private snapshot = EMPTY_SNAPSHOT;
  private readonly text = new Map<TextFormat, string>();
  private protobuf: Uint8Array | undefined;
  private lastScrapes: number[] = [];
  private onScrape: (() => void) | undefined;

  private constructor(private readonly server: Server) {
    server.on('request', (req, res) => this.serve(req, res));
  }

  /** Listens at `address` (port 0: a free one); a port in use or a foreign host is exit 2. */
  static async listen(address: MetricsAddress): Promise<MetricsEndpoint> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const where = formatHostPort(address.host, address.port);
        reject(
          err.code === 'EADDRINUSE'
            ? new UsageError(`metrics address ${where} is in use`, 'pick another port, e.g. :9465')
            : err.code === 'EADDRNOTAVAIL'
              ? new UsageError(
                  `metrics address ${where} is not an address of this machine`,
                  'give one of its addresses, or :<port> for 127.0.0.1',
                )
              : err,
        );
      });
      server.listen(address.port, address.host, () => resolve());
    });
    return new MetricsEndpoint(server);
  }

  /** Where scrapers find it, e.g. http://127.0.0.1:9464/metrics. */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${formatHostPort(address, port)}/metrics`;
  }

  publish(snapshot: MetricsSnapshot): void {
    this.snapshot = snapshot;
    this.text.clear();
    this.protobuf = undefined;
  }

  /** Waits for a last scrape (at most twice the scrape interval seen), then stops listening. */
  async close(): Promise<void> {
    const [before, last] = this.lastScrapes;
    if (before !== undefined && last !== undefined) {
      const waitMs = Math.min(FINAL_SCRAPE_CAP_MS, 2 * (last - before));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.onScrape = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('see /metrics\n');
      return;
    }
    const { accept } = req.headers;
    const body = acceptsProtobuf(accept)
      ? this.protobufBody()
      : this.textBody(acceptedTextFormat(accept));
    res.writeHead(200, { 'content-type': body.type }).end(body.data, () => this.scraped());
  }

  private scraped(): void {
    this.lastScrapes = [...this.lastScrapes.slice(-1), Date.now()];
    this.onScrape?.();
  }

  private textBody(format: TextFormat): { type: string; data: string } {
    let data = this.text.get(format);
    if (data === undefined) {
      data = renderText(metricFamilies(this.snapshot), format);
      this.text.set(format, data);
    }
    return { type: TEXT_CONTENT_TYPES[format], data };
  }

  private protobufBody(): { type: string; data: Uint8Array } {
    this.protobuf ??= renderProtobuf(metricFamilies(this.snapshot));
    return { type: PROTOBUF_CONTENT_TYPE, data: this.protobuf };
  }
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
