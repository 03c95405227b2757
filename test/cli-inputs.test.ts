// Inputs that used to be taken at face value: objectives that judge nothing, numbers and
// durations no one means, bodies sent mislabelled, a plan `run` refuses, oversized or ambiguous
// config files, a busy demo port and a target that never answers. Real CLI, real sockets on
// 127.0.0.1; every refusal is one line and sends nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, tiergate } from './helpers/cli.ts';
import { startServer, type TestServer } from './helpers/servers.ts';

const work = () => mkdtempSync(join(tmpdir(), 'tiergate-inputs-'));

function expectUsage(r: CliResult, message: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

describe('inputs refused before anything runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  const adhoc = (...more: string[]) =>
    tiergate([
      ...['run', '--target', server.url, '--rate', '5', '--duration', '1s', '--quiet'],
      ...['--results-dir', work()],
      ...more,
    ]);

  it('refuses objectives that judge nothing or can never hold', async () => {
    const before = server.received;
    for (const [slo, why] of [
      ['p99>300ms', /latency is better lower/],
      ['error_rate<200%', /200% is more than all of them/],
      ['availability>=150%', /150% is more than all of them/],
      ['error_rate<=100%', /always holds/],
      ['p99<0ms', /can never hold/],
    ] as const) {
      expectUsage(await adhoc('--slo', slo), why);
    }
    const dir = work();
    writeFileSync(
      join(dir, 'tiergate.yaml'),
      'roadmaps:\n  - id: x\n    name: X\n    description: d\n    seeds: []\n    tiers:\n      - id: t\n        name: T\n        load: { rps: 5 }\n        stages: [{ duration: 5s, target: 1, steady: true }]\n        journey: { name: j, requests: [{ name: a, path: / }] }\n        objectives: ["availability >= 150%"]\n',
    );
    expectUsage(
      await tiergate(['tiers'], { cwd: dir }),
      /objectives\[0\].*150% is more than all of them/,
    );
    expect(server.received).toBe(before);
  });

  it('refuses numbers and durations no one means, and a body that is not JSON', async () => {
    const before = server.received;
    expectUsage(await adhoc('--rate', '0x10'), /--rate "0x10" is not valid/);
    expectUsage(await adhoc('--duration', '99999h'), /--duration "99999h" is longer than 24h/);
    expectUsage(await adhoc('--body', 'hello'), /--body "hello" is not JSON/);
    expect(server.received).toBe(before);
  });

  it('plan and run agree on a rate beyond one machine: both exit 2 with the same line', async () => {
    const args = ['--target', server.url, '--rate', '1e9', '--duration', '2s'];
    const plan = await tiergate(['plan', ...args]);
    const run = await tiergate(['run', ...args, '--results-dir', work()]);
    expectUsage(plan, /ad-hoc run: peak 1,000,000,000 req\/s is beyond/);
    expectUsage(run, /ad-hoc run: peak 1,000,000,000 req\/s is beyond/);
    const line = (r: CliResult) => r.stderr.split('\n').find((l) => l.includes('is beyond'));
    expect(line(plan)).toBe(line(run));
  });

  it('refuses a config file over 1 MB and a JSON config with a key twice', async () => {
    const big = work();
    writeFileSync(join(big, 'tiergate.yaml'), `roadmaps: []\n${'# filler\n'.repeat(300_000)}`);
    expectUsage(await tiergate(['tiers'], { cwd: big }), /tiergate\.yaml: is 2\.6 MB.*up to 1 MB/);
    const twice = work();
    writeFileSync(
      join(twice, 'tiergate.json'),
      '{ "roadmaps": [], "chaosNamespaces": ["a"], "chaosNamespaces": ["b"] }',
    );
    expectUsage(await tiergate(['tiers'], { cwd: twice }), /tiergate\.json:1:\d+: has a key twice/);
    // YAML tells 1 and "1" apart; the object it becomes cannot: the header would silently be b.
    const colliding = work();
    writeFileSync(
      join(colliding, 'tiergate.yaml'),
      'roadmaps:\n  - id: x\n    name: X\n    description: d\n    seeds: []\n    tiers:\n      - id: t\n        name: T\n        load: { rps: 5 }\n        stages: [{ duration: 5s, target: 1, steady: true }]\n        journey: { name: j, requests: [{ name: a, path: /, headers: { 1: a, "1": b } }] }\n        objectives: ["p95 < 1s"]\n',
    );
    expectUsage(
      await tiergate(['tiers'], { cwd: colliding }),
      /tiergate\.yaml:11:\d+: has the key "1" twice/,
    );
  });
});

describe('demo and probe say what went wrong', () => {
  let busy: Server;
  let silent: Server;
  const held: Socket[] = [];
  const listen = (s: Server) =>
    new Promise<number>((resolve) =>
      s.listen(0, '127.0.0.1', () => resolve((s.address() as { port: number }).port)),
    );
  let busyPort: number;
  let silentPort: number;
  beforeAll(async () => {
    busy = createServer();
    busyPort = await listen(busy);
    // Accepts connections and reads requests, but never answers one.
    silent = createServer((socket) => {
      held.push(socket);
      socket.resume();
    });
    silentPort = await listen(silent);
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await Promise.all([busy, silent].map((s) => new Promise((r) => s.close(r))));
  });

  it('demo --port <in use> is exit 2 with one line', async () => {
    const r = await tiergate(['demo', '--port', String(busyPort)], { timeoutMs: 30_000 });
    expectUsage(
      r,
      new RegExp(`--port ${busyPort}: cannot listen on 127\\.0\\.0\\.1:${busyPort} \\(in use`),
    );
  });

  it('probe against a server that never answers is exit 3, not "errors 0 · p99 0 ms"', async () => {
    const r = await tiergate(
      ['probe', `http://127.0.0.1:${silentPort}/`, '--duration', '2s', '--connections', '2'],
      { timeoutMs: 30_000 },
    );
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(/answered no request in 2 s/);
    expect(r.stdout).not.toMatch(/errors\s+0/);
  });
});
