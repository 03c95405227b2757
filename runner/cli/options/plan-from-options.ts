// Command-line options → a LoadPlan (a tier's ramp, or an ad-hoc constant rate), checked before
// anything runs: every mistake is a UsageError naming the flag, the value and the fix.

import { UsageError } from '../../../core/errors.ts';
import { PRE_FAULT_SHARE } from '../../../thresholds/gameday-overlay.ts';
import type { LoadPlan, Objective, Roadmap, RollbackTrigger } from '../../../thresholds/model.ts';
import {
  ObjectiveSyntaxError,
  parseDurationS,
  parseObjective,
} from '../../../thresholds/objective.ts';
import {
  beyondOneMachine,
  DEFAULT_GENERATOR,
  type GeneratorOptions,
  MAX_RUN_S,
  planAdhoc,
  planTier,
} from '../../../thresholds/plan.ts';
import { provingPlan } from '../../../thresholds/plan-proof.ts';
import { headerProblem } from '../../config/journey.ts';
import { selectTier } from '../../config/roadmaps.ts';
import { targetCredentials, withAuthorization } from './target-userinfo.ts';

export interface SelectionOptions {
  roadmap?: string;
  tier?: string;
  target?: string;
  duration?: string;
  scale?: string;
  rate?: string;
  vus?: string;
  ramp?: string;
  method?: string;
  body?: string;
  header?: string[];
  path?: string;
  slo?: string[];
  trigger?: string[];
  allowErrors?: boolean;
  /** Lengthen the steady stage until its objectives can be proven (`--prove`). */
  prove?: boolean;
  /** A game day goes into the steady stage (`--gameday`): `--prove` proves what precedes it. */
  gameday?: string;
  workers?: string;
  connections?: string;
  maxInFlight?: string;
  timeout?: string;
  confidence?: string;
  /** More header or query-parameter names whose values are secret (`--redact`). */
  redact?: string[];
}

/** The address `--target demo` is planned against before the demo starts (replaced then). */
export const DEMO_PLACEHOLDER = 'http://127.0.0.1:0';

/** A decimal number as people write it: `200`, `0.5`, `2.5e3`. */
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?$/i;

export function parseNumber(
  flag: string,
  value: string | undefined,
  min: number,
  max = Infinity,
): number | undefined {
  if (value === undefined) return undefined;
  // Decimal only: Number() would also take "0x10", "0b1", "" and " 12 ".
  const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    const range = max === Infinity ? `a number ≥ ${min}` : `a number from ${min} to ${max}`;
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not valid: expected ${range}`);
  }
  return n;
}

/** A duration flag in seconds: more than 0, and at most a day (the longest run planned). */
export function parseDuration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let s: number;
  try {
    s = parseDurationS(value);
  } catch {
    s = Number.NaN;
  }
  if (!(s > 0)) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a duration: use e.g. 30s, 5m, 1h`,
    );
  }
  if (s > MAX_RUN_S) {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is longer than ${MAX_RUN_S / 3600}h, the longest tiergate plans`,
    );
  }
  return s;
}

/** A plan the local engine could only pretend to run (beyond one machine), or over a day long. */
export function refuseUnreachable(plan: LoadPlan): void {
  const what = plan.roadmap ? `tier ${plan.roadmap}/${plan.tier}` : 'ad-hoc run';
  if (plan.durationS > MAX_RUN_S) {
    throw new UsageError(
      `${what}: the plan lasts ${(plan.durationS / 3600).toFixed(1)}h, longer than the ${MAX_RUN_S / 3600}h tiergate runs`,
      'shorten it with --duration or --scale',
    );
  }
  const beyond = beyondOneMachine(plan);
  if (beyond !== undefined) throw new UsageError(`${what}: ${beyond}`);
}

export function parseSlos(slos: string[] | undefined): Objective[] {
  return (slos ?? []).map((expr) => {
    const scoped = /^(steady|whole|chaos|recovery):(.*)$/.exec(expr);
    try {
      return parseObjective(scoped ? scoped[2]! : expr, {
        window: (scoped?.[1] as Objective['window'] | undefined) ?? 'whole',
        id: `slo-${expr.replace(/[^a-z0-9_.%]+/gi, '-').replace(/^-|-$/g, '')}`,
      });
    } catch (err) {
      if (err instanceof ObjectiveSyntaxError) throw new UsageError(`--slo ${err.message}`);
      throw err;
    }
  });
}

/** `--trigger "error_rate<=5%:10s:10s:5s"`: the condition that must hold, window, for, delay. */
export function parseTriggers(triggers: string[] | undefined): RollbackTrigger[] {
  return (triggers ?? []).map((spec, i) => {
    const [expr = '', windowText = '10s', forText = '10s', delayText = '0s'] = spec.split(':');
    let objective: Objective;
    try {
      objective = parseObjective(expr, { id: `trigger-${i + 1}` });
    } catch (err) {
      if (err instanceof ObjectiveSyntaxError) throw new UsageError(`--trigger ${err.message}`);
      throw err;
    }
    const seconds = (what: string, text: string) => {
      try {
        return parseDurationS(text);
      } catch {
        throw new UsageError(
          `--trigger ${JSON.stringify(spec)}: ${what} ${JSON.stringify(text)} is not a duration (use "<condition>:<window>:<for>:<delay>", e.g. "error_rate<=5%:10s:10s:5s")`,
        );
      }
    };
    return {
      id: `trigger-${i + 1}-${expr.replace(/[^a-z0-9_.%]+/gi, '-')}`,
      objective,
      windowS: seconds('window', windowText),
      forS: seconds('for', forText),
      delayS: seconds('delay', delayText),
    };
  });
}

function parseHeaders(headers: string[] | undefined): Record<string, string> | undefined {
  if (!headers?.length) return undefined;
  const out: Record<string, string> = {};
  for (const h of headers) {
    const i = h.indexOf(':');
    if (i <= 0)
      throw new UsageError(`--header ${JSON.stringify(h)} is not valid: use "Name: value"`);
    // Only spaces and tabs are trimmed: a CR or LF anywhere is refused, not quietly cut off.
    const name = h.slice(0, i).replace(/^[ \t]+|[ \t]+$/g, '');
    const value = h.slice(i + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    const problem = headerProblem(name, value);
    if (problem !== undefined)
      throw new UsageError(
        `--header ${JSON.stringify(h)} is not valid: ${problem}`,
        'one header per --header, as "Name: value" without line breaks',
      );
    out[name] = value;
  }
  return out;
}

/** `--body` is JSON, sent as application/json: anything else would be sent mislabelled. */
function parseBody(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new UsageError(
      `--body ${JSON.stringify(body.length > 60 ? `${body.slice(0, 59)}…` : body)} is not JSON: bodies are sent as application/json`,
      `write a JSON value, e.g. --body '{"sku":1}' (a string in quotes: --body '"text"')`,
    );
  }
}

function generatorOptions(o: SelectionOptions): Partial<GeneratorOptions> {
  const g: Partial<GeneratorOptions> = {};
  const workers = parseNumber('--workers', o.workers, 1, 64);
  const connections = parseNumber('--connections', o.connections, 1, 100_000);
  const maxInFlight = parseNumber('--max-in-flight', o.maxInFlight, 1, 1_000_000);
  const timeout = parseDuration('--timeout', o.timeout);
  if (workers !== undefined) g.workers = Math.floor(workers);
  if (connections !== undefined) g.connections = Math.floor(connections);
  if (maxInFlight !== undefined) g.maxInFlight = Math.floor(maxInFlight);
  if (timeout !== undefined) g.timeoutMs = timeout * 1000;
  return g;
}

function targetUrl(target: string | undefined): string {
  if (target === undefined) {
    throw new UsageError(
      '--target is required: a base URL (http://127.0.0.1:8080) or "demo" for the built-in demo service',
    );
  }
  if (target === 'demo') return DEMO_PLACEHOLDER;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(
      `--target ${JSON.stringify(target)} is not a URL: use e.g. http://127.0.0.1:8080 or "demo"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--target ${JSON.stringify(target)} must be http:// or https://`);
  }
  return target;
}

/**
 * The plan the options describe. A target's `user:pass@` becomes a Basic `Authorization` header
 * on every request; `--redact` names join the plan's secret names.
 */
export function planFromOptions(o: SelectionOptions, roadmaps: Roadmap[]): LoadPlan {
  const credentials = targetCredentials(o.target);
  const plan = planSelected(credentials ? { ...o, target: credentials.target } : o, roadmaps);
  if (o.redact !== undefined && o.redact.length > 0) plan.redact = [...o.redact];
  const confidence = parseConfidence(o.confidence);
  if (confidence !== undefined) plan.confidence = confidence;
  if (o.allowErrors) plan.allowErrors = true;
  if (o.prove) proveWithin(plan, o.gameday !== undefined ? PRE_FAULT_SHARE : undefined);
  return credentials ? withAuthorization(plan, credentials.authorization) : plan;
}

function planSelected(o: SelectionOptions, roadmaps: Roadmap[]): LoadPlan {
  const target = targetUrl(o.target);
  const durationS = parseDuration('--duration', o.duration);
  const timeScale = parseNumber('--scale', o.scale, 0.0001, 100);
  const rate = parseNumber('--rate', o.rate, 0.01);
  const vus = parseNumber('--vus', o.vus, 1);
  const slos = parseSlos(o.slo);
  const generator = { ...DEFAULT_GENERATOR, ...generatorOptions(o) };
  if (o.roadmap !== undefined || o.tier !== undefined) {
    if (o.roadmap === undefined || o.tier === undefined) {
      throw new UsageError('--roadmap and --tier go together (see `tiergate tiers` for the ids)');
    }
    if (durationS !== undefined && timeScale !== undefined) {
      throw new UsageError('give --duration or --scale, not both');
    }
    const { tier } = selectTier(roadmaps, o.roadmap, o.tier);
    const peak = tier.load.kind === 'vus' ? vus : rate;
    if (tier.load.kind === 'vus' && rate !== undefined) {
      throw new UsageError(
        `tier ${o.roadmap}/${o.tier} is a closed (VU) tier: use --vus, not --rate`,
      );
    }
    const plan = planTier(tier, {
      roadmap: o.roadmap,
      target,
      ...(durationS !== undefined ? { durationS } : {}),
      ...(timeScale !== undefined ? { timeScale } : {}),
      ...(peak !== undefined ? { peak } : {}),
      generator,
    });
    plan.objectives = [...plan.objectives, ...slos];
    plan.rollbackTriggers = [...plan.rollbackTriggers, ...parseTriggers(o.trigger)];
    return plan;
  }
  if (rate === undefined || durationS === undefined) {
    throw new UsageError(
      'an ad-hoc run needs --rate and --duration (e.g. --rate 200 --duration 20s), or pick a tier with --roadmap and --tier',
    );
  }
  const method = (o.method ?? 'GET').toUpperCase();
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].includes(method)) {
    throw new UsageError(
      `--method ${JSON.stringify(o.method)} is not supported: use GET, POST, PUT, PATCH, DELETE or HEAD`,
    );
  }
  const base = new URL(target);
  const url =
    o.path !== undefined
      ? new URL(o.path, base).href
      : o.target === 'demo'
        ? new URL('/products', base).href
        : target;
  const body = parseBody(o.body);
  const headers = parseHeaders(o.header);
  const rampS = parseDuration('--ramp', o.ramp);
  return planAdhoc({
    url,
    rate,
    durationS,
    method: method as LoadPlan['journey']['requests'][number]['method'],
    ...(rampS !== undefined ? { rampS } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(headers !== undefined ? { headers } : {}),
    objectives: slos,
    rollbackTriggers: parseTriggers(o.trigger),
    generator,
  });
}

/** `--confidence 99` (or `99%`): the one-sided confidence of every verdict's bound, as a share. */
export function parseConfidence(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 50 || n >= 100) {
    throw new UsageError(
      `--confidence ${JSON.stringify(value)} is not valid: give a percentage above 50 and below 100, e.g. --confidence 95`,
    );
  }
  return n / 100;
}

/** `--prove`: the steady stage lengthened in place, within the longest run tiergate plans. */
function proveWithin(plan: LoadPlan, preFaultShare: number | undefined): void {
  const proving = provingPlan(plan, preFaultShare).plan;
  if (proving.durationS > MAX_RUN_S) {
    throw new UsageError(
      `--prove: proving this plan's objectives needs a ${Math.ceil(proving.durationS / 3600)} h run, beyond the ${MAX_RUN_S / 3600} h tiergate plans`,
      'raise the rate (--rate), loosen the objectives, or run without --prove',
    );
  }
  Object.assign(plan, proving);
}
