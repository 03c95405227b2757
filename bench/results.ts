// The bench's results: headline figures and ratios (the keys CI and the closing note read),
// the targets they are judged against, and every raw figure behind them.
import type { GateResult } from './children/gate-eval.ts';
import type { IngestResult } from './children/ingest.ts';
import type { MemoryResult } from './children/memory.ts';
import type { BenchMode } from './mode.ts';
import type { ComparableFigures, FixedRateFigures } from './sections/fixed-rate.ts';
import type { ThroughputFigures } from './sections/throughput.ts';
import type { Versions } from './versions.ts';

export interface Target {
  name: string;
  target: string;
  value: string;
  met: boolean;
}

/** Whether k6 was measured: only when K6_BIN names a k6 (tiergate has none of its own). */
export type K6Column = { measured: true } | { measured: false; why: string };

export interface BenchResults {
  schema: 'tiergate-bench/1';
  mode: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  durationS: number;
  versions: Versions;
  /** Without k6, every k6 figure and ratio is absent (not computed against nothing). */
  k6: K6Column;
  /** The local engine's bar for a held rate: send lag p99 below this (ms), none dropped. */
  localLagBarMs: number;
  /** A fixed CPU loop on the generator core before and after (ms): a drift means the core's speed changed. */
  cpuRulerMs: { before: number; after: number };
  /** Durations, rates and search settings of this run. */
  settings: BenchMode;
  /** Load average (1 min) before and after: other work on the machine perturbs the figures. */
  loadAverage: { before: number; after: number; max: number };

  localSustainedRps: number;
  k6SustainedRps?: number;
  localVsK6RateRatio?: number;
  localVsAutocannonThroughputRatio: number;
  localClosedVsAutocannonRatio: number;
  localVsWrkThroughputRatio: number;
  localLatencyOverheadP50Us: number;
  localLatencyOverheadP99Us: number;
  rssMbIdle: number;
  rssMbAt1M: number;
  rssMbAt10M: number;
  rssGrowth1MTo10MPct: number;
  /** k6 JSON lines parsed, recorded and merged per second (the k6 engine's parser, 1 core). */
  k6IngestLinesPerSec: number;
  /** The same with the engine's readline splitting of k6's stdout in front. */
  k6IngestStreamLinesPerSec: number;
  gateEvalMs: number;

  targets: Target[];
  raw: {
    throughput: ThroughputFigures;
    fixedRate: FixedRateFigures;
    comparable?: ComparableFigures;
    memory: MemoryResult;
    memoryDense: MemoryResult | undefined;
    ingest: IngestResult;
    gate: GateResult;
  };
}

export interface Measured {
  throughput: ThroughputFigures;
  fixedRate: FixedRateFigures;
  /** The same-load RSS of the local engine and k6: only with k6. */
  comparable?: ComparableFigures;
  memory: MemoryResult;
  memoryDense: MemoryResult | undefined;
  ingest: IngestResult;
  gate: GateResult;
}

function rssAt(m: MemoryResult, samples: number): number {
  const c = m.checkpoints.find((x) => x.samples >= samples);
  return c?.rssMb ?? Number.NaN;
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const signed = (n: number): string => `${n >= 0 ? '+' : '−'}${fmt(Math.abs(n))}`;

export function assemble(
  m: Measured,
  meta: Pick<
    BenchResults,
    | 'mode'
    | 'startedAt'
    | 'finishedAt'
    | 'durationS'
    | 'versions'
    | 'k6'
    | 'loadAverage'
    | 'localLagBarMs'
    | 'settings'
    | 'cpuRulerMs'
  >,
): BenchResults {
  const t = m.throughput;
  const local = t.local.held;
  const k6 = t.k6?.held;
  const f = m.fixedRate;
  const rss1 = rssAt(m.memory, 1_000_000);
  const rss10 = rssAt(m.memory, 10_000_000);
  const growth = ((rss10 - rss1) / rss1) * 100;
  const r: Omit<BenchResults, 'targets' | 'raw'> = {
    schema: 'tiergate-bench/1',
    ...meta,
    localSustainedRps: local,
    ...(k6 === undefined ? {} : { k6SustainedRps: k6, localVsK6RateRatio: local / k6 }),
    localVsAutocannonThroughputRatio: local / t.autocannon.reqPerSec,
    localClosedVsAutocannonRatio: t.localClosed.achievedRps / t.autocannon.reqPerSec,
    localVsWrkThroughputRatio: local / t.wrk.reqPerSec,
    localLatencyOverheadP50Us: f.local.latencyP50Ms * 1000 - f.wrk1.p50Us,
    localLatencyOverheadP99Us: f.local.latencyP99Ms * 1000 - f.wrk1.p99Us,
    rssMbIdle: rssAt(m.memory, 0),
    rssMbAt1M: rss1,
    rssMbAt10M: rss10,
    rssGrowth1MTo10MPct: growth,
    k6IngestLinesPerSec: m.ingest.parseLinesPerSec,
    k6IngestStreamLinesPerSec: m.ingest.streamLinesPerSec,
    gateEvalMs: m.gate.totalMs,
  };
  const vsK6 = r.localVsK6RateRatio;
  const targets: Target[] = [
    ...(vsK6 === undefined
      ? []
      : [
          {
            name: 'sustained open-model rate per core vs k6',
            target: '≥ 2×',
            value: `${fmt(vsK6, 2)}×`,
            met: vsK6 >= 2,
          },
        ]),
    {
      name: 'sustained open-model rate vs autocannon closed-loop throughput',
      target: '≥ 0.6×',
      value: `${fmt(r.localVsAutocannonThroughputRatio, 2)}×`,
      met: r.localVsAutocannonThroughputRatio >= 0.6,
    },
    {
      name: 'RSS after 10 M samples',
      target: '< 150 MB',
      value: `${fmt(rss10)} MB`,
      met: rss10 < 150,
    },
    {
      name: 'RSS at 10 M within 10 % of RSS at 1 M',
      target: '≤ 10 %',
      value: `${fmt(growth, 1)} %`,
      met: Math.abs(growth) <= 10,
    },
    {
      name: 'k6 JSON ingest per core',
      target: '≥ 1,000,000 lines/s',
      value: `${fmt(r.k6IngestLinesPerSec)} lines/s`,
      met: r.k6IngestLinesPerSec >= 1_000_000,
    },
  ];
  return { ...r, targets, raw: m };
}

export function markdown(r: BenchResults): string {
  const t = r.raw.throughput;
  const f = r.raw.fixedRate;
  const c = r.raw.comparable;
  const g = r.raw.gate;
  const mem = r.raw.memory;
  const dense = r.raw.memoryDense;
  const us = (ms: number): string => `${fmt(ms * 1000)} µs`;
  const k6Rate = t.k6?.held;
  const k6Latency = (p: 'p50Ms' | 'p99Ms'): string => (f.k6 ? ` · k6 ${us(f.k6[p])}` : '');
  const rows: string[][] = [
    ['Measurement', 'tiergate local', 'Peer', 'Ratio / difference'],
    [
      'Open-model rate held, 1 core',
      `${fmt(t.local.held)} req/s (send lag p99 < ${fmt(r.localLagBarMs)} ms, 0 dropped)`,
      k6Rate === undefined
        ? 'k6 not measured'
        : `k6 ${fmt(k6Rate)} req/s (0 dropped, ≥ 99 % achieved)`,
      r.localVsK6RateRatio === undefined ? '—' : `${fmt(r.localVsK6RateRatio, 2)}×`,
    ],
    ...(k6Rate === undefined
      ? []
      : [
          [
            'Same bar as k6 (0 dropped, ≥ 99 %), highest step',
            `${fmt(t.local.heldLikeK6)} req/s`,
            `k6 ${fmt(k6Rate)} req/s`,
            `${fmt(t.local.heldLikeK6 / k6Rate, 2)}×`,
          ],
        ]),
    [
      `Open-model rate vs closed loop (${t.autocannon.connections} conns)`,
      `${fmt(t.local.held)} req/s`,
      `autocannon ${fmt(t.autocannon.reqPerSec)} req/s`,
      `${fmt(r.localVsAutocannonThroughputRatio, 2)}×`,
    ],
    [
      `Closed loop, ${t.autocannon.connections} VUs/conns`,
      `${fmt(t.localClosed.achievedRps)} req/s`,
      `autocannon ${fmt(t.autocannon.reqPerSec)} req/s`,
      `${fmt(r.localClosedVsAutocannonRatio, 2)}×`,
    ],
    [
      'Practical ceiling (closed loop)',
      `${fmt(t.local.held)} req/s open`,
      `wrk ${fmt(t.wrk.reqPerSec)} req/s`,
      `${fmt(r.localVsWrkThroughputRatio, 2)}×`,
    ],
    [
      `Latency p50 at ${fmt(f.rate)} req/s`,
      `${us(f.local.latencyP50Ms)} (service ${us(f.local.serviceP50Ms)})`,
      `wrk -c1 ${fmt(f.wrk1.p50Us)} µs${k6Latency('p50Ms')}`,
      `${signed(r.localLatencyOverheadP50Us)} µs`,
    ],
    [
      `Latency p99 at ${fmt(f.rate)} req/s`,
      `${us(f.local.latencyP99Ms)} (service ${us(f.local.serviceP99Ms)})`,
      `wrk -c1 ${fmt(f.wrk1.p99Us)} µs${k6Latency('p99Ms')}`,
      `${signed(r.localLatencyOverheadP99Us)} µs`,
    ],
    ...(c === undefined
      ? []
      : [
          [
            `Peak RSS, same load (${fmt(c.rate)} req/s × ${c.durationS} s)`,
            `${fmt(c.localPeakRssMb)} MB (${fmt(c.localRequests)} requests)`,
            `k6 ${fmt(c.k6PeakRssMb)} MB (${fmt(c.k6Requests)} requests)`,
            `${fmt(c.localPeakRssMb / c.k6PeakRssMb, 2)}×`,
          ],
        ]),
    [
      `RSS recording (idle → 1 M → 10 M samples, ${mem.checkpoints.at(-1)?.seconds ?? 0} s of intervals)`,
      `${fmt(r.rssMbIdle)} → ${fmt(r.rssMbAt1M)} → ${fmt(r.rssMbAt10M)} MB`,
      dense
        ? `same 10 M in ${dense.checkpoints.at(-1)?.seconds ?? 0} s: ${fmt(rssAt(dense, 10_000_000))} MB`
        : '—',
      `${fmt(r.rssGrowth1MTo10MPct, 1)} % (timeline ${fmt(mem.timelineEncodedMb, 1)} MB encoded)`,
    ],
    [
      'k6 --out json ingest, 1 core',
      `${fmt(r.k6IngestLinesPerSec)} lines/s (with readline splitting ${fmt(r.k6IngestStreamLinesPerSec)})`,
      `${fmt(r.raw.ingest.lines)} lines`,
      '—',
    ],
    [
      `Gate evaluation (${fmt(g.seconds)} s × ${g.requests} requests, ${g.objectives} objectives)`,
      `${fmt(g.totalMs)} ms (windowStats ${fmt(g.windowStatsMs)}, judge ${fmt(g.judgeMs, 1)})`,
      `run.json ${fmt(g.runJsonMb, 1)} MB`,
      '—',
    ],
  ];
  const table = rows.map((cells) => `| ${cells.join(' | ')} |`);
  table.splice(1, 0, `|${' --- |'.repeat(rows[0]!.length)}`);
  const targets = r.targets.map(
    (x) => `- ${x.met ? 'met' : 'NOT met'}: ${x.name} ${x.target} (measured ${x.value})`,
  );
  const v = r.versions;
  return [
    `## tiergate bench (${r.mode}, ${r.startedAt})`,
    '',
    ...table,
    '',
    '### Targets',
    ...targets,
    '',
    ...(r.k6.measured ? [] : [`k6 not measured: ${r.k6.why}.`]),
    `Peers: ${v.k6 === undefined ? '' : `${v.k6}; `}${v.wrk}; autocannon ${v.autocannon}; nginx ${v.nginx}; node ${v.node}; ` +
      `undici ${v.undici}; hdr-histogram-js ${v.hdrHistogramJs}.`,
    `Machine: ${v.cpu}, ${v.cores} cores; ${v.pinned ? 'target on core 1, generators on core 0 (taskset)' : 'no pinning (taskset or a 2nd core missing)'}; ` +
      `load average ${fmt(r.loadAverage.before, 2)} → ${fmt(r.loadAverage.after, 2)} (max ${fmt(r.loadAverage.max, 2)}); ` +
      `CPU ruler ${fmt(r.cpuRulerMs.before)} → ${fmt(r.cpuRulerMs.after)} ms.`,
    `Method: every local step is a fresh process: ${r.settings.localStep.warmupS} s unmeasured warm-up ` +
      `(a ramp to ≥ 10,000 req/s: V8 compiles the hot path after enough calls), then ` +
      `${r.settings.localStep.durationS} s measured; ` +
      `${r.k6.measured ? `k6 steps run ${r.settings.k6StepS} s; ` : ''}closed loops ` +
      `${r.settings.closedS} s with ${r.settings.connections} connections.` +
      `${r.settings.localSearch.confirm ? ` A rate that fails is tried once more; closed loops keep the best of ${r.settings.closedRuns} runs.` : ''}` +
      ' Local-engine processes run with V8’s memory reducer off (it compacts idle isolates ~8 s after start, on the same core).',
    'Latency: the local engine measures from the intended send time, wrk -c1 from the actual send; ' +
      'at this rate about one request is in flight, so the difference is the engine’s own overhead.',
    '',
  ].join('\n');
}
