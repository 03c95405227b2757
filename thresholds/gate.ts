// The gate: objectives evaluated on windows of the timeline. Pure: it sees WindowStats only.
// No data fails closed unless the objective is optional (Kayenta's "no data scores 100" and
// Argo's "NaN passes" are the traps this avoids).

import { DEFAULT_CONFIDENCE } from './confidence.ts';
import type {
  GateStatus,
  GateVerdict,
  GeneratorBudget,
  Metric,
  Objective,
  ObjectiveVerdict,
  WindowName,
  WindowStats,
} from './model.ts';
import { compare, formatMetricValue, formatObjective, parseObjective } from './objective.ts';
import { guardsUpper, proveObjective, statBound } from './proof.ts';
import { relativeBreach } from './relative-breach.ts';
import { windowSeconds } from './seconds.ts';

/** Gives the stats of a window (optionally of one request name), or undefined if the run has no such window. */
export type StatsLookup = (window: WindowName, request?: string) => WindowStats | undefined;

/** The observed value of an objective's metric in a window, and how many samples back it. */
export function observe(
  o: Pick<Objective, 'metric' | 'stat'>,
  s: WindowStats,
): { value: number | null; samples: number } {
  const { first, end } = windowSeconds(s.startS, s.endS);
  const durationS = end - first;
  switch (o.metric) {
    case 'latency':
    case 'service_time': {
      const summary = o.metric === 'latency' ? s.latency : s.serviceTime;
      if (summary.count === 0) return { value: null, samples: 0 };
      const stat = o.stat === 'value' ? 'p95' : o.stat;
      return { value: summary[stat], samples: summary.count };
    }
    case 'error_rate':
      return s.completed === 0
        ? { value: null, samples: 0 }
        : { value: s.errors / s.completed, samples: s.completed };
    case 'availability':
      return s.completed === 0
        ? { value: null, samples: 0 }
        : { value: (s.completed - s.errors) / s.completed, samples: s.completed };
    case 'dropped_rate':
      return s.scheduled === 0
        ? { value: null, samples: 0 }
        : { value: s.dropped / s.scheduled, samples: s.scheduled };
    case 'throughput':
      return durationS <= 0 || s.scheduled === 0
        ? { value: null, samples: 0 }
        : { value: s.completed / durationS, samples: s.completed };
    case 'throughput_ratio':
      return s.scheduled === 0
        ? { value: null, samples: 0 }
        : { value: s.completed / s.scheduled, samples: s.scheduled };
    case 'recovery_time':
      return s.recoveryTimeS === undefined
        ? { value: null, samples: 0 }
        : { value: s.recoveryTimeS, samples: 1 };
  }
}

/** Metrics where a higher value is better (a "within x %" limit guards the lower side). */
const HIGHER_IS_BETTER: ReadonlySet<Metric> = new Set([
  'availability',
  'throughput',
  'throughput_ratio',
]);

function resolveLimit(
  o: Objective,
  baselineValue: number | null | undefined,
): { limit: number | null; op: Objective['op']; missing?: string } {
  switch (o.limit.kind) {
    case 'absolute':
      return { limit: o.limit.value, op: o.op };
    case 'baseline-factor':
      if (baselineValue === undefined)
        return { limit: null, op: o.op, missing: 'no baseline run given' };
      if (baselineValue === null)
        return { limit: null, op: o.op, missing: 'the baseline run has no data for it' };
      return { limit: o.limit.factor * baselineValue, op: o.op };
    case 'baseline-within': {
      if (baselineValue === undefined)
        return { limit: null, op: o.op, missing: 'no baseline run given' };
      if (baselineValue === null)
        return { limit: null, op: o.op, missing: 'the baseline run has no data for it' };
      const share = o.limit.percent / 100;
      return HIGHER_IS_BETTER.has(o.metric)
        ? { limit: baselineValue * (1 - share), op: '>=' }
        : { limit: baselineValue * (1 + share), op: '<=' };
    }
  }
}

function by(observed: number, limit: number, metric: Metric): string {
  const delta = observed - limit;
  const rel = limit !== 0 ? ` (${delta > 0 ? '+' : ''}${((delta / limit) * 100).toFixed(1)}%)` : '';
  return `by ${formatMetricValue(metric, Math.abs(delta))}${rel}`;
}

export function evaluateObjective(
  o: Objective,
  stats: WindowStats | undefined,
  baseline?: WindowStats | null,
  confidence = DEFAULT_CONFIDENCE,
): ObjectiveVerdict {
  const expression = formatObjective(o);
  const base = { id: o.id, objective: o, expression, window: o.window };
  const failOrSkip = (reason: string, samples = 0): ObjectiveVerdict => ({
    ...base,
    status: o.optional ? 'skipped' : 'fail',
    observed: null,
    limit: o.limit.kind === 'absolute' ? o.limit.value : null,
    samples,
    reason: o.optional ? `${reason} (optional: not judged)` : `${reason}: no data fails closed`,
  });
  if (stats === undefined) return failOrSkip(`the run has no ${o.window} window`);
  if (o.metric === 'recovery_time' && stats.recoveryTimeS === null) {
    return {
      ...failOrSkip('the system did not recover before the run ended'),
      status: 'fail',
      reason: 'the system did not recover before the run ended',
    };
  }
  const { value, samples } = observe(o, stats);
  if (value === null) {
    return failOrSkip(`no ${o.request ? `"${o.request}" ` : ''}samples in the ${o.window} window`);
  }
  const baselineValue =
    baseline === undefined ? undefined : baseline === null ? null : observe(o, baseline).value;
  const { limit, op, missing } = resolveLimit(o, baselineValue);
  if (limit === null) {
    const v = failOrSkip(missing ?? 'no limit', samples);
    return { ...v, observed: value, baseline: baselineValue ?? null };
  }
  const ok = compare(value, op, limit);
  const shown = `${formatMetricValue(o.metric, value)} ${ok ? 'meets' : 'breaks'} ${op} ${formatMetricValue(o.metric, limit)}`;
  const verdict: ObjectiveVerdict = {
    ...base,
    status: ok ? 'pass' : o.severity === 'warn' ? 'warn' : 'fail',
    observed: value,
    limit,
    samples,
    reason: ok ? shown : `${shown} ${by(value, limit, o.metric)}`,
  };
  if (baselineValue !== undefined) verdict.baseline = baselineValue;
  if (!ok && baseline && o.limit.kind !== 'absolute' && !o.implicit) {
    const breach = relativeBreach(
      o,
      stats,
      baseline,
      op,
      (b) => resolveLimit(o, b).limit,
      { run: samples, baseline: observe(o, baseline).samples },
      confidence,
    );
    if (breach !== undefined) {
      verdict.confidence = confidence;
      if (breach.proven) {
        verdict.reason = `${verdict.reason} (${breach.text})`;
      } else {
        verdict.status = 'unproven';
        verdict.breachUnproven = true;
        verdict.reason = `${verdict.reason} on the estimates, inconclusive: ${breach.text}; ${breach.needs}`;
        if (breach.needs !== undefined) verdict.needs = breach.needs;
      }
    }
  }
  // A breach the run saw is a breach; a pass must also hold at the bound. The implicit
  // failed-requests guard is judged on its estimate: it is there to catch failing runs.
  const against = ok && baseline ? baselineLimit(o, baseline, op, confidence) : undefined;
  const proof =
    ok && !o.implicit
      ? against?.limit === null
        ? { bound: null, proven: false, needs: against.needs }
        : proveObjective(o, stats, against?.limit ?? limit, op, confidence)
      : undefined;
  if (proof !== undefined) {
    verdict.bound = proof.bound;
    verdict.confidence = confidence;
    const pct = `${Math.round(confidence * 1000) / 10} %`;
    const boundText =
      proof.bound === null
        ? `no ${pct} bound from ${proof.evidence ?? `${samples} samples`}`
        : `${pct} bound ${formatMetricValue(o.metric, proof.bound)}, ${proof.evidence ?? `${samples} samples`}`;
    const versus = against?.text ? `, ${against.text}` : '';
    if (proof.proven) {
      verdict.reason = `${shown} (${boundText}${versus})`;
    } else {
      verdict.status = 'unproven';
      verdict.reason = `${shown}, unproven: ${proof.evidence ? `${proof.evidence}; ` : ''}${proof.needs}${versus}`;
      if (proof.needs !== undefined) verdict.needs = proof.needs;
    }
  }
  return verdict;
}

/**
 * A relative limit is only as sure as the baseline it is made of: it is proven against the
 * baseline's bound on the side that makes it tightest (a `<=` limit from the baseline's lower
 * bound). Undefined for an absolute limit, or a baseline stored without bounds.
 */
function baselineLimit(
  o: Objective,
  baseline: WindowStats,
  op: Objective['op'],
  confidence: number,
): { limit: number | null; text?: string; needs?: string } | undefined {
  if (o.limit.kind === 'absolute') return undefined;
  const side = guardsUpper(op) ? 'lower' : 'upper';
  const bound = statBound(o, baseline, side, confidence);
  if (bound === undefined) return undefined;
  if (bound === null) {
    return {
      limit: null,
      needs: `the baseline's ${side} bound is needed too, and its samples cannot give one`,
    };
  }
  const limit = resolveLimit(o, bound).limit;
  if (limit === null) return undefined;
  return {
    limit,
    text: `against ${formatMetricValue(o.metric, limit)} from the baseline's ${side} bound ${formatMetricValue(o.metric, bound)}`,
  };
}

/** Reasons the generator's own figures make the run unable to support a verdict. */
export function generatorValidity(
  whole: WindowStats | undefined,
  budget: GeneratorBudget,
): string[] {
  if (whole === undefined || whole.scheduled === 0) return [];
  const reasons: string[] = [];
  if (whole.sendLag.count > 0 && whole.sendLag.p99 > budget.sendLagP99Ms) {
    reasons.push(
      `the generator fell behind its schedule: send lag p99 ${whole.sendLag.p99.toFixed(1)} ms > ` +
        `${budget.sendLagP99Ms} ms budget (add --workers, or lower the rate)`,
    );
  }
  const droppedShare = whole.dropped / whole.scheduled;
  if (droppedShare > budget.droppedShare) {
    reasons.push(
      `${whole.dropped} of ${whole.scheduled} requests (${(droppedShare * 100).toFixed(2)}%) could not be sent ` +
        `on time (in-flight cap reached) > ${(budget.droppedShare * 100).toFixed(2)}% budget ` +
        '(raise --max-in-flight, or the target is far beyond capacity)',
    );
  }
  return reasons;
}

/** Id of the objective a gate adds when none of a run's objectives judges failed requests. */
export const ERROR_GUARD_ID = 'implicit-error-rate';

/**
 * The failed-requests guard: a run whose requests fail never passes silently. Unless an
 * objective already judges failed requests over all requests (an `error_rate` or `availability`
 * objective without a request filter, in any window), the gate adds `error_rate <= 1%` on the
 * whole run (a 99 % success rate, the usual canary default). `allowErrors` opts out.
 */
export function withErrorGuard(objectives: Objective[], allowErrors: boolean): Objective[] {
  const judged = objectives.some(
    (o) => (o.metric === 'error_rate' || o.metric === 'availability') && o.request === undefined,
  );
  if (judged || allowErrors) return objectives;
  return [
    ...objectives,
    {
      ...parseObjective('error_rate <= 1%', {
        id: ERROR_GUARD_ID,
        window: 'whole',
        description:
          'implicit: no objective of the run judges failed requests (opt out with --allow-errors)',
      }),
      implicit: true,
    },
  ];
}

/** Why a gate with no objective at all supports no verdict. */
export const NO_OBJECTIVES_REASON =
  'no objectives to judge (add some with --slo, e.g. "p99<300ms", or drop --allow-errors)';

export interface GateInput {
  objectives: Objective[];
  /** Judge without the failed-requests guard (`--allow-errors`). */
  allowErrors?: boolean;
  stats: StatsLookup;
  /** Stats of the baseline run, when one was given. */
  baseline?: StatsLookup;
  /** Reasons the run cannot support a verdict (generator validity, broken steady state, …). */
  inconclusiveReasons?: string[];
  /** One-sided confidence of every bound (default 0.95). */
  confidence?: number;
}

export function evaluateGate(input: GateInput): GateVerdict {
  const judged = withErrorGuard(input.objectives, input.allowErrors === true);
  const objectives = judged.map((o) => {
    const v = evaluateObjective(
      o,
      input.stats(o.window, o.request),
      input.baseline ? (input.baseline(o.window, o.request) ?? null) : undefined,
      input.confidence,
    );
    return o.id === ERROR_GUARD_ID ? { ...v, expression: `${v.expression} (implicit)` } : v;
  });
  const reasons = [
    ...(input.inconclusiveReasons ?? []),
    ...(objectives.length === 0 ? [NO_OBJECTIVES_REASON] : []),
  ];
  return { status: overallStatus(objectives, reasons), objectives, inconclusiveReasons: reasons };
}

/**
 * A run that could not support a verdict is inconclusive whatever its objectives say: a lagging
 * generator inflates intended-time latency and hides load, so neither a pass nor a fail is earned.
 * An unproven objective warns (so --strict fails it), and fails where it asks to be proven.
 */
export function overallStatus(objectives: ObjectiveVerdict[], inconclusive: string[]): GateStatus {
  if (inconclusive.length > 0) return 'inconclusive';
  const mustProve = (v: ObjectiveVerdict) => v.status === 'unproven' && v.objective.prove;
  if (objectives.some((v) => v.status === 'fail' || mustProve(v))) return 'fail';
  if (objectives.some((v) => v.status === 'warn' || v.status === 'unproven')) return 'warn';
  return 'pass';
}
