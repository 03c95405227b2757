// `tiergate probe <url>`: a quick closed-loop throughput smoke check through autocannon. Its
// latencies are printed with the plain warning that they understate the tail; exit 1 when any
// request failed, 3 when the target is unreachable or answered nothing.

import { RunError, UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { grouped } from '../../thresholds/format.ts';
import { CLOSED_LOOP_WARNING, type ProbeResult, probe } from '../engines/autocannon/probe.ts';
import { preflightTarget } from '../run/preflight.ts';
import { parseDuration, parseNumber } from './options/plan-from-options.ts';

export interface ProbeFlags {
  connections?: string;
  duration?: string;
  pipelining?: string;
  json?: boolean;
}

const DEFAULT_CONNECTIONS = 64;
const DEFAULT_DURATION_S = 10;

function targetUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    return u.href;
  } catch {
    throw new UsageError(
      `${JSON.stringify(url)} is not an http(s) URL: use e.g. http://127.0.0.1:8080/`,
    );
  }
}

const int = (n: number): string => grouped(Math.round(n));
const ms = (n: number): string => `${n} ms`;

export function renderProbe(r: ProbeResult): string {
  const kinds = Object.entries(r.errorKinds)
    .map(([k, n]) => `${k} ${int(n)}`)
    .join(', ');
  const l = r.latencyMs;
  return [
    `probe ${r.url}  (autocannon ${r.autocannonVersion}, ${r.connections} connections` +
      `${r.pipelining > 1 ? `, pipelining ${r.pipelining}` : ''}, ${r.durationS.toFixed(1)} s)`,
    `  throughput  ${int(r.reqPerSec)} req/s  (${int(r.completed)} responses)`,
    `  latency     p50 ${ms(l.p50)} · p90 ${ms(l.p90)} · p99 ${ms(l.p99)} · p99.9 ${ms(l['p99.9'])} · max ${ms(l.max)}  (1 ms resolution)`,
    `  errors      ${int(r.errors)}${kinds ? `  (${kinds})` : ''}`,
    r.warning,
    'for latency objectives run the open model: tiergate run --target <url> --rate <req/s>',
  ].join('\n');
}

export async function probeCommand(
  url: string,
  flags: ProbeFlags,
  term: Terminal,
): Promise<number> {
  const target = targetUrl(url);
  const connections =
    parseNumber('--connections', flags.connections, 1, 10_000) ?? DEFAULT_CONNECTIONS;
  const durationS = parseDuration('--duration', flags.duration) ?? DEFAULT_DURATION_S;
  const pipelining = parseNumber('--pipelining', flags.pipelining, 1, 1_000) ?? 1;
  await preflightTarget(target);
  if (!flags.json) {
    term.info(
      `probing ${target} for ${durationS} s with ${Math.round(connections)} connections (closed loop)…`,
    );
  }
  const result = await probe(target, {
    connections: Math.round(connections),
    durationS,
    pipelining: Math.round(pipelining),
  });
  // Zeros from a target that never answered would read as a clean, fast probe.
  if (result.completed === 0 && result.errors === 0) {
    throw new RunError(
      `${target} accepted connections but answered no request in ${durationS} s: nothing to report`,
      'check that the server answers (curl -v the URL), or probe for longer with --duration',
    );
  }
  term.out(flags.json ? JSON.stringify(result, null, 2) : renderProbe(result));
  // The warning goes with the figures in JSON too (result.warning); on stderr as well when the
  // report itself is machine-readable, so a human watching still sees it.
  if (flags.json) term.info(CLOSED_LOOP_WARNING);
  return result.errors > 0 ? EXIT.fail : EXIT.pass;
}
