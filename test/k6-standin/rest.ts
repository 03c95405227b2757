// k6's REST API on --address, the part tiergate and k6-operator's starter use: GET and
// PATCH /v1/status (resume a --paused test, stop it).
import { createServer, type Server } from 'node:http';
import { EXIT, K6Exit } from './log.ts';

/** k6's lib.ExecutionStatus. */
export const STATUS = {
  created: 0,
  initVUs: 1,
  initExecutors: 2,
  initDone: 3,
  pausedBeforeRun: 4,
  started: 5,
  setup: 6,
  running: 7,
  teardown: 8,
  ended: 9,
  interrupted: 10,
} as const;

export interface StatusSource {
  status(): number;
  paused(): boolean;
  vus(): number;
  vusMax(): number;
  stopped(): boolean;
  running(): boolean;
  tainted(): boolean;
  resume(): void;
  stop(): void;
}

export function statusBody(s: StatusSource) {
  return {
    data: {
      type: 'status',
      id: 'default',
      attributes: {
        status: s.status(),
        paused: s.paused(),
        vus: s.vus(),
        'vus-max': s.vusMax(),
        stopped: s.stopped(),
        running: s.running(),
        tainted: s.tainted(),
      },
    },
  };
}

export async function startRestApi(address: string, s: StatusSource): Promise<Server> {
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at) || '127.0.0.1';
  const port = Number(address.slice(at + 1));
  const server = createServer((req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url !== '/v1/status') return send(404, { errors: [{ title: 'not found' }] });
    if (req.method === 'GET') return send(200, statusBody(s));
    if (req.method !== 'PATCH') return send(405, { errors: [{ title: 'method not allowed' }] });
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      try {
        const a = (
          JSON.parse(text) as { data?: { attributes?: { paused?: boolean; stopped?: boolean } } }
        ).data?.attributes;
        if (a?.stopped === true) s.stop();
        if (a?.paused === false) s.resume();
        if (a?.paused === true && s.status() >= STATUS.started) {
          return send(400, {
            errors: [{ title: 'pausing a running test is not implemented by the stand-in' }],
          });
        }
        send(200, statusBody(s));
      } catch (err) {
        send(400, { errors: [{ title: (err as Error).message }] });
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new K6Exit(EXIT.cannotStartApi, `listen tcp ${address}: ${(err as Error).message}`)),
    );
    server.listen(port, host, resolve);
  });
  server.unref();
  return server;
}
