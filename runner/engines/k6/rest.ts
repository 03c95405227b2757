// k6's REST API, the two calls the engine makes: is the process initialised and paused, and
// resume it. (`k6 run --paused --address …`, as k6-operator's starter does.)
import { createServer } from 'node:net';

/** k6's lib.ExecutionStatus: VUs initialised, waiting for the resume. */
const PAUSED_BEFORE_RUN = 4;

interface StatusBody {
  data?: { attributes?: { status?: number; paused?: boolean } };
}

/** A TCP port free on 127.0.0.1 right now (for k6's --address). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True once k6 at `address` has its VUs ready and waits to be resumed. */
export async function pausedAndReady(address: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${address}/v1/status`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return false;
    const body = (await res.json()) as StatusBody;
    const a = body.data?.attributes;
    return a?.paused === true && (a.status ?? 0) >= PAUSED_BEFORE_RUN;
  } catch {
    return false; // not listening yet
  }
}

export async function resume(address: string): Promise<void> {
  const res = await fetch(`http://${address}/v1/status`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      data: { type: 'status', id: 'default', attributes: { paused: false } },
    }),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`k6 at ${address} refused to resume: HTTP ${res.status}`);
}
