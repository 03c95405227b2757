// The autocannon probe against a real node:http server on 127.0.0.1: throughput, errors, and
// the closed-loop warning in both the result and the CLI report.
import { afterEach, describe, expect, it } from 'vitest';
import type { Terminal } from '../../../core/terminal.ts';
import { startServer, type TestServer } from '../../../test/helpers/servers.ts';
import { probeCommand } from '../../cli/probe-command.ts';
import { CLOSED_LOOP_WARNING, probe } from './probe.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function captureTerminal(): Terminal & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    info: (t) => stderr.push(t),
    error: (t) => stderr.push(t),
    isTty: false,
    color: false,
    infoColor: false,
  };
}

describe('autocannon probe (closed loop, real HTTP on 127.0.0.1)', () => {
  it('reports throughput, latency percentiles and the closed-loop warning', async () => {
    server = await startServer();
    const r = await probe(`${server.url}/`, { connections: 4, durationS: 1 });
    expect(r.reqPerSec).toBeGreaterThan(0);
    // Requests still in flight when the probe stopped reached the server but were not counted.
    expect(r.completed).toBeLessThanOrEqual(server.received);
    expect(server.received - r.completed).toBeLessThanOrEqual(4);
    expect(r.errors).toBe(0);
    expect(r.latencyMs.max).toBeGreaterThanOrEqual(r.latencyMs.p50);
    expect(r.warning).toBe(CLOSED_LOOP_WARNING);
    expect(r.warning).toMatch(
      /closed-loop: latencies understate the tail \(coordinated omission\)/,
    );
    expect(r.warning).toMatch(/never used for a gate's latency objective/);
  });

  it('counts failing statuses as errors by class, and the command exits 1 with the warning', async () => {
    server = await startServer((i) => ({ delayMs: 0, status: i % 4 === 0 ? 503 : 200 }));
    const term = captureTerminal();
    const code = await probeCommand(`${server.url}/`, { connections: '2', duration: '1s' }, term);
    const report = term.stdout.join('\n');
    expect(code).toBe(1);
    expect(report).toMatch(/throughput\s+[\d,]+ req\/s/);
    expect(report).toMatch(/http_503 [\d,]+/);
    expect(report).toContain(CLOSED_LOOP_WARNING);
  });

  it('refuses a URL that is not http(s) before sending anything', async () => {
    await expect(probeCommand('ftp://127.0.0.1/', {}, captureTerminal())).rejects.toThrow(
      /not an http\(s\) URL/,
    );
  });
});
