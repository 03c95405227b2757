// Realistic k6 `--out json` output, as the k6 engine runs k6 (system tags scenario, name,
// status, expected_response, error_code): per iteration the 13 lines k6 v1 writes, in its
// order and key order (captured from k6 v1.8.1), timestamps in RFC 3339 with nanoseconds.
import { Rng } from './synthetic.ts';

export const LINES_PER_ITERATION = 13;

function rfc3339Nanos(epochMs: number, nanos: number): string {
  const iso = new Date(Math.floor(epochMs)).toISOString(); // 2026-11-23T20:56:28.330Z
  const subMs = String(nanos % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 23)}${subMs}Z`;
}

export interface K6LineSpec {
  /** Iterations per second of the simulated run. */
  rate: number;
  iterations: number;
  names: number;
  startEpochMs: number;
}

/** The whole output as chunks of about 1 MB (each ends on a line boundary). */
export function k6JsonChunks(spec: K6LineSpec): Buffer[] {
  const rng = new Rng(7);
  const names = Array.from({ length: spec.names }, (_, i) => `GET /api/endpoint-${i}`);
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  let size = 0;
  for (let i = 0; i < spec.iterations; i++) {
    const startMs = spec.startEpochMs + (i * 1000) / spec.rate;
    const duration = rng.latencyMs();
    const endMs = startMs + duration;
    const nanos = Math.floor(rng.next() * 1_000_000);
    const reqTime = rfc3339Nanos(endMs, nanos);
    const iterTime = rfc3339Nanos(endMs + 0.1, (nanos + 180_120) % 1_000_000);
    const failed = i % 200 === 0;
    const status = failed ? '503' : '200';
    const tags = `{"expected_response":"${!failed}","name":"${names[i % names.length]}","scenario":"tier_steady","status":"${status}"}`;
    const point = (metric: string, time: string, value: number, t: string): string =>
      `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${t}}}`;
    const scenario = '{"scenario":"tier_steady"}';
    const waiting = duration * 0.93;
    lines.push(
      point('http_reqs', reqTime, 1, tags),
      point('http_req_duration', reqTime, duration, tags),
      point('http_req_blocked', reqTime, 0.0021, tags),
      point('http_req_connecting', reqTime, 0, tags),
      point('http_req_tls_handshaking', reqTime, 0, tags),
      point('http_req_sending', reqTime, 0.012311, tags),
      point('http_req_waiting', reqTime, waiting, tags),
      point('http_req_receiving', reqTime, duration - waiting - 0.012311, tags),
      point('http_req_failed', reqTime, failed ? 1 : 0, tags),
      point('data_sent', iterTime, 72, scenario),
      point('data_received', iterTime, 124, scenario),
      point('iteration_duration', iterTime, duration + 0.3, scenario),
      point('iterations', iterTime, 1, scenario),
    );
    size += 13 * 220;
    if (size >= 1 << 20) {
      chunks.push(Buffer.from(`${lines.join('\n')}\n`));
      lines = [];
      size = 0;
    }
  }
  if (lines.length > 0) chunks.push(Buffer.from(`${lines.join('\n')}\n`));
  return chunks;
}
