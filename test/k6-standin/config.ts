// The script's options as the stand-in runs them: scenarios with durations in ms, this
// process's execution segment, and a refusal (exit 104) of options k6 refuses (tiergate's own
// validator, as the k6 engines use it) and of every option the stand-in does not implement.
import { formatProblem, validateOptions } from '../../scenarios/lib/validate-options.ts';
import { goDuration, parseDurationMs } from './durations.ts';
import { EXIT, K6Exit } from './log.ts';

export interface Stage {
  durationMs: number;
  target: number;
}

interface ScenarioBase {
  name: string;
  executor: string;
  startMs: number;
  gracefulStopMs: number;
  tags: Record<string, string>;
  env: Record<string, string>;
  exec: string;
}

/** constant- and ramping-arrival-rate: arrivals per `timeUnitMs`, from `startRate` by stages. */
export interface ArrivalScenario extends ScenarioBase {
  kind: 'arrival';
  timeUnitMs: number;
  startRate: number;
  stages: Stage[];
  preAllocatedVUs: number;
  maxVUs: number;
}

/** ramping-vus (and constant-vus, one flat stage): VUs looping iterations. */
export interface VusScenario extends ScenarioBase {
  kind: 'vus';
  startVUs: number;
  stages: Stage[];
  gracefulRampDownMs: number;
}

export type Scenario = ArrivalScenario | VusScenario;

/**
 * This process's share of equal execution segments: global arrival n and global VU n belong
 * to process `n mod count` (striping). Unequal segments are refused.
 */
export interface Segment {
  index: number;
  count: number;
}

export interface RunConfig {
  scenarios: Scenario[];
  thresholds: unknown;
  discardResponseBodies: boolean;
  noConnectionReuse: boolean;
  summaryTrendStats: string[];
  tags: Record<string, string>;
}

const TOP_LEVEL = new Set([
  'scenarios',
  'thresholds',
  'discardResponseBodies',
  'noConnectionReuse',
  'summaryTrendStats',
  'vus',
  'duration',
  'stages',
  'tags',
  'maxRedirects',
]);

function bad(message: string): never {
  throw new K6Exit(EXIT.invalidConfig, message);
}

function duration(where: string, value: unknown, fallbackMs?: number): number {
  if (value === undefined && fallbackMs !== undefined) return fallbackMs;
  const ms = parseDurationMs(value);
  if (ms === undefined) bad(`${where}: "${String(value)}" is not a duration`);
  return ms;
}

function count(where: string, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    bad(`${where}: ${JSON.stringify(value)} must be a whole number ≥ 0`);
  }
  return value;
}

function stringMap(where: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) bad(`${where} must be an object`);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

function stages(where: string, value: unknown): Stage[] {
  if (!Array.isArray(value) || value.length === 0) bad(`${where}.stages must be a non-empty list`);
  return value.map((s: { duration?: unknown; target?: unknown }, i) => ({
    durationMs: duration(`${where}.stages[${i}].duration`, s?.duration),
    target: count(`${where}.stages[${i}].target`, s?.target),
  }));
}

const FIELDS: Record<string, string[]> = {
  'constant-arrival-rate': ['rate', 'timeUnit', 'duration', 'preAllocatedVUs', 'maxVUs'],
  'ramping-arrival-rate': ['startRate', 'timeUnit', 'stages', 'preAllocatedVUs', 'maxVUs'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'constant-vus': ['vus', 'duration'],
};
const COMMON = ['executor', 'startTime', 'gracefulStop', 'tags', 'env', 'exec'];

function scenario(name: string, raw: Record<string, unknown>): Scenario {
  const where = `scenarios.${name}`;
  const executor = String(raw.executor);
  const fields = FIELDS[executor];
  if (fields === undefined) {
    bad(`${where}: executor "${executor}" is not implemented by the tiergate k6 stand-in`);
  }
  for (const key of Object.keys(raw)) {
    if (!fields.includes(key) && !COMMON.includes(key)) {
      bad(`${where}: option "${key}" is not supported by the tiergate k6 stand-in`);
    }
  }
  const base: ScenarioBase = {
    name,
    executor,
    startMs: duration(`${where}.startTime`, raw.startTime, 0),
    gracefulStopMs: duration(`${where}.gracefulStop`, raw.gracefulStop, 30_000),
    tags: stringMap(`${where}.tags`, raw.tags),
    env: stringMap(`${where}.env`, raw.env),
    exec: raw.exec === undefined ? 'default' : String(raw.exec),
  };
  if (executor === 'constant-vus' || executor === 'ramping-vus') {
    const vus = executor === 'constant-vus' ? count(`${where}.vus`, raw.vus, 1) : undefined;
    return {
      ...base,
      kind: 'vus',
      startVUs: vus ?? count(`${where}.startVUs`, raw.startVUs, 1),
      stages:
        vus === undefined
          ? stages(where, raw.stages)
          : [{ durationMs: duration(`${where}.duration`, raw.duration), target: vus }],
      gracefulRampDownMs: duration(`${where}.gracefulRampDown`, raw.gracefulRampDown, 30_000),
    };
  }
  const preAllocatedVUs = count(`${where}.preAllocatedVUs`, raw.preAllocatedVUs);
  const maxVUs = count(`${where}.maxVUs`, raw.maxVUs, preAllocatedVUs);
  const timeUnitMs = duration(`${where}.timeUnit`, raw.timeUnit, 1000);
  const constant = executor === 'constant-arrival-rate';
  const rate = constant
    ? count(`${where}.rate`, raw.rate)
    : count(`${where}.startRate`, raw.startRate, 0);
  return {
    ...base,
    kind: 'arrival',
    timeUnitMs,
    startRate: rate,
    stages: constant
      ? [{ durationMs: duration(`${where}.duration`, raw.duration), target: rate }]
      : stages(where, raw.stages),
    preAllocatedVUs,
    maxVUs,
  };
}

export function runConfig(options: Record<string, unknown>): RunConfig {
  const problems = validateOptions(options);
  if (problems.length > 0) bad(problems.map(formatProblem).join('\n'));
  for (const key of Object.keys(options)) {
    if (!TOP_LEVEL.has(key)) bad(`option "${key}" is not supported by the tiergate k6 stand-in`);
  }
  let scenarios: Scenario[];
  if (options.scenarios !== undefined) {
    scenarios = Object.entries(options.scenarios as Record<string, Record<string, unknown>>).map(
      ([name, s]) => scenario(name, s),
    );
  } else if (options.stages !== undefined) {
    scenarios = [
      scenario('default', {
        executor: 'ramping-vus',
        startVUs: options.vus ?? 1,
        stages: options.stages,
      }),
    ];
  } else if (options.duration !== undefined) {
    scenarios = [
      scenario('default', {
        executor: 'constant-vus',
        vus: options.vus ?? 1,
        duration: options.duration,
      }),
    ];
  } else {
    bad(
      'the tiergate k6 stand-in needs scenarios, stages or a duration (shared-iterations is not implemented)',
    );
  }
  const trendStats = options.summaryTrendStats ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];
  return {
    scenarios,
    thresholds: options.thresholds,
    discardResponseBodies: options.discardResponseBodies === true,
    noConnectionReuse: options.noConnectionReuse === true,
    summaryTrendStats: trendStats as string[],
    tags: stringMap('tags', options.tags),
  };
}

function fraction(text: string, where: string): [number, number] {
  const m = /^\s*(\d+)(?:\/(\d+))?\s*$/.exec(text);
  if (!m || Number(m[2] ?? 1) === 0) bad(`${where}: "${text}" is not a fraction`);
  return [Number(m[1]), Number(m[2] ?? 1)];
}

const value = ([n, d]: [number, number]) => n / d;

/** `--execution-segment` / `--execution-segment-sequence` → this process's equal share. */
export function segmentOf(segment: string | undefined, sequence: string | undefined): Segment {
  if (segment === undefined) {
    if (sequence !== undefined) bad('--execution-segment-sequence needs --execution-segment');
    return { index: 0, count: 1 };
  }
  const parts = segment.split(':');
  if (parts.length !== 2) bad(`--execution-segment "${segment}" is not from:to`);
  const from = value(fraction(parts[0]!, '--execution-segment'));
  const to = value(fraction(parts[1]!, '--execution-segment'));
  const width = to - from;
  const n = Math.round(1 / width);
  const equal = (x: number) => Math.abs(x * n - Math.round(x * n)) < 1e-9;
  if (!(width > 0) || Math.abs(n * width - 1) > 1e-9 || !equal(from) || to > 1 + 1e-9) {
    bad(
      `--execution-segment "${segment}": only equal segments (i/N:(i+1)/N) are implemented by the stand-in`,
    );
  }
  if (sequence !== undefined) {
    const points = sequence
      .split(',')
      .map((p) => value(fraction(p, '--execution-segment-sequence')));
    const even = points.length === n + 1 && points.every((p, k) => Math.abs(p - k / n) < 1e-9);
    if (!even) {
      bad(
        `--execution-segment-sequence "${sequence}": only N equal segments are implemented by the stand-in`,
      );
    }
  }
  return { index: Math.round(from * n), count: n };
}

/** Of `total` global items striped over the segments, how many are this process's. */
export function shareOf(total: number, s: Segment): number {
  return total > s.index ? Math.floor((total - s.index - 1) / s.count) + 1 : 0;
}

export function scenarioEndMs(s: Scenario): number {
  return s.startMs + s.stages.reduce((sum, st) => sum + st.durationMs, 0);
}

/** `k6 inspect --execution-requirements`: the most VUs at once, and the longest the test runs. */
export function executionRequirements(config: RunConfig, seg: Segment) {
  const needs = config.scenarios.map((s) => ({
    from: s.startMs,
    to: scenarioEndMs(s) + s.gracefulStopMs,
    vus: shareOf(
      s.kind === 'arrival' ? s.maxVUs : Math.max(s.startVUs, ...s.stages.map((st) => st.target)),
      seg,
    ),
  }));
  let maxVUs = 0;
  for (const at of needs) {
    const overlapping = needs.filter((n) => n.from <= at.from && n.to > at.from);
    maxVUs = Math.max(
      maxVUs,
      overlapping.reduce((sum, n) => sum + n.vus, 0),
    );
  }
  const totalMs = Math.max(0, ...needs.map((n) => n.to));
  return { maxVUs, totalDuration: goDuration(totalMs) };
}
