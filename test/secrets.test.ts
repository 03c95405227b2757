// Secrets stay secret, through the real CLI against a real HTTP server on 127.0.0.1: a bearer
// token, an `?api_key=` in the target, a `--redact` header and `user:pass@` are sent to the
// target as given, and appear in no artifact (run.json, reports, summary JSON, k6 export) and
// not on the terminal. userinfo is sent as Basic auth, never dropped.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';

const TOKEN = 'tok-8d1f0c2a9b';
const API_KEY = 'key-51c7e3aa04';
const CUSTOM = 'custom-c0ffee77';
const PASSWORD = 'pw-9f9e1d2c';
const SECRETS = [TOKEN, API_KEY, CUSTOM, PASSWORD];

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}
let seen: Seen[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

/** Every file under `dir`, as text. */
function allText(dir: string): { name: string; text: string }[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => ({
      name: join(e.parentPath, e.name),
      text: readFileSync(join(e.parentPath, e.name), 'utf8'),
    }));
}

function expectNoSecret(where: { name: string; text: string }[]): void {
  for (const { name, text } of where) {
    for (const secret of SECRETS) expect(text, `${secret} in ${name}`).not.toContain(secret);
  }
}

describe('secrets in headers, query parameters and userinfo', () => {
  it('are sent to the target, and redacted in run.json, every report, the summary and the terminal', async () => {
    seen = [];
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-secrets-'));
    const r = await tiergate(
      [
        'run',
        '--target',
        `http://${base}/orders?api_key=${API_KEY}&page=2`,
        '--header',
        `Authorization: Bearer ${TOKEN}`,
        '--header',
        `X-Custom: ${CUSTOM}`,
        '--redact',
        'x-custom',
        '--rate',
        '10',
        '--duration',
        '1s',
        '--slo',
        'p99<1s',
        '--results-dir',
        join(dir, 'results'),
        '--run-id',
        'secret',
        '--summary-json',
        join(dir, 'summary.json'),
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen[0]!.url).toBe(`/orders?api_key=${API_KEY}&page=2`);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]!.headers['x-custom']).toBe(CUSTOM);

    const files = allText(dir);
    expect(files.map((f) => f.name.slice(dir.length + 1)).sort()).toEqual(
      expect.arrayContaining([
        'results/secret/run.json',
        'results/secret/report.html',
        'summary.json',
      ]),
    );
    expectNoSecret([
      ...files,
      { name: 'stdout', text: r.stdout },
      { name: 'stderr', text: r.stderr },
    ]);
    const run = JSON.parse(readFileSync(join(dir, 'results', 'secret', 'run.json'), 'utf8'));
    const request = run.plan.journey.requests[0];
    expect(request.headers).toEqual({ Authorization: '[redacted]', 'X-Custom': '[redacted]' });
    expect(request.path).toBe('/orders?api_key=[redacted]&page=2');
  });

  it('user:pass@ in the target is sent as Basic auth and redacted like the rest', async () => {
    seen = [];
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-secrets-'));
    const r = await tiergate(
      [
        'run',
        '--target',
        `http://ops:${PASSWORD}@${base}/health`,
        '--rate',
        '10',
        '--duration',
        '1s',
        '--slo',
        'p99<1s',
        '--results-dir',
        join(dir, 'results'),
        '--run-id',
        'basic',
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBeGreaterThan(5);
    const basic = `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`;
    expect(seen.every((s) => s.headers.authorization === basic)).toBe(true);
    const files = allText(dir);
    expectNoSecret([
      ...files,
      { name: 'stdout', text: r.stdout },
      { name: 'stderr', text: r.stderr },
    ]);
    for (const { name, text } of files) expect(text, name).not.toContain(basic.slice(6));
  });

  it('k6 export: no secret in the script, options or plan.json; the script reads them from __ENV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-secrets-'));
    const out = join(dir, 'export');
    const r = await tiergate([
      'k6',
      'export',
      '--target',
      `http://${base}/orders?api_key=${API_KEY}`,
      '--header',
      `Authorization: Bearer ${TOKEN}`,
      '--rate',
      '10',
      '--duration',
      '5s',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const files = allText(out);
    expect(files).toHaveLength(3);
    expectNoSecret([
      ...files,
      { name: 'stdout', text: r.stdout },
      { name: 'stderr', text: r.stderr },
    ]);
    const script = files.find((f) => f.name.endsWith('.js'))!.text;
    expect(script).toContain('__ENV.TIERGATE_SECRET_AUTHORIZATION');
    expect(script).toContain('__ENV.TIERGATE_SECRET_API_KEY');
    const plan = JSON.parse(files.find((f) => f.name.endsWith('.plan.json'))!.text);
    expect(plan.journey.requests[0].headers.Authorization).toBe('[redacted]');
    expect(plan.secrets.map((s: { env: string }) => s.env).sort()).toEqual([
      'TIERGATE_SECRET_API_KEY',
      'TIERGATE_SECRET_AUTHORIZATION',
    ]);
    expect(r.stderr).toMatch(
      /k6 run -e TIERGATE_SECRET_API_KEY=… -e TIERGATE_SECRET_AUTHORIZATION=…|k6 run -e TIERGATE_SECRET_AUTHORIZATION=… -e TIERGATE_SECRET_API_KEY=…/,
    );
  });
});
