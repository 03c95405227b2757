// Real HTTP servers on 127.0.0.1 with behaviour knobs, for tests of the load engine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** Requests the server has received. */
  readonly received: number;
  /** Exact time (ms) each response was held by the server, in arrival order. */
  readonly holdMs: number[];
  close(): Promise<void>;
}

export type Behaviour = (
  index: number,
  startedAtMs: number,
) => { delayMs: number; status?: number };

/** A server that answers each request after `behaviour(i).delayMs` with `status` (default 200). */
export async function startServer(
  behaviour: Behaviour = () => ({ delayMs: 0 }),
): Promise<TestServer> {
  const holdMs: number[] = [];
  let received = 0;
  const t0 = performance.now();
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    const { delayMs, status = 200 } = behaviour(received++, arrived - t0);
    req.resume();
    const answer = () => {
      holdMs.push(performance.now() - arrived);
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return received;
    },
    holdMs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every response that arrives inside a stall window waits until the window ends. */
export function stallEvery(periodMs: number, stallMs: number): Behaviour {
  return (_i, at) => {
    const phase = at % periodMs;
    return { delayMs: phase < stallMs ? stallMs - phase : 0 };
  };
}

/** Exact percentile of a list (nearest rank). */
export function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[rank]!;
}
