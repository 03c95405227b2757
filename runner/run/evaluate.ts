// From a timeline to the stats of every window and the gate's verdict: used by a live run and
// by `tiergate gate` on a stored run, so both judge the same way.
import { DEFAULT_CONFIDENCE } from '../../thresholds/confidence.ts';
import { evaluateGate, generatorValidity, type StatsLookup } from '../../thresholds/gate.ts';
import type {
  GateVerdict,
  LoadPlan,
  Objective,
  WindowName,
  WindowStats,
} from '../../thresholds/model.ts';
import type { GapStats } from '../../thresholds/result.ts';
import { windowGaps } from '../../thresholds/seconds.ts';
import type { Windows } from '../../thresholds/windows.ts';
import type { TimelineStore, WindowQuery } from '../timeline/store.ts';

export interface BoundsOptions {
  /** One-sided confidence of the percentiles' bounds (default 95 %). */
  confidence?: number | undefined;
  /** The engine recorded latencies at bucket upper edges this coarse (EngineInfo). */
  latencyBucketRatio?: number | undefined;
}

/**
 * Stats of each window: over all requests, and per request name of the journey, percentiles
 * bounded at the options' confidence.
 */
export function windowStats(
  store: TimelineStore,
  windows: Windows,
  requestNames: string[],
  options: BoundsOptions = {},
): WindowStats[] {
  const precision = {
    confidence: options.confidence ?? DEFAULT_CONFIDENCE,
    ...(options.latencyBucketRatio !== undefined
      ? { bucketRatio: options.latencyBucketRatio }
      : {}),
  };
  const queries: WindowQuery[] = [];
  for (const [window, bounds] of Object.entries(windows) as [
    WindowName,
    { startS: number; endS: number },
  ][]) {
    queries.push({ window, ...bounds, ...precision });
    for (const request of requestNames) queries.push({ window, ...bounds, request, ...precision });
  }
  return store.statsMany(queries);
}

/** Figures of the seconds between the windows: with the windows', they count every request once. */
export function gapStats(store: TimelineStore, windows: Windows): GapStats[] {
  const gaps = windowGaps(windows);
  const stats = store.statsMany(gaps.map((g) => ({ window: 'whole', ...g })));
  return gaps.map((g, i) => {
    const { window: _, ...figures } = stats[i]!;
    return { ...figures, name: g.name, startS: g.startS, endS: g.endS };
  });
}

export function lookup(stats: WindowStats[]): StatsLookup {
  return (window, request) => stats.find((s) => s.window === window && s.request === request);
}

export interface EvaluateInput {
  plan: LoadPlan;
  objectives?: Objective[];
  stats: WindowStats[];
  baseline?: WindowStats[];
  /** Extra reasons the run cannot support a verdict (e.g. steady state broken before a fault). */
  inconclusiveReasons?: string[];
}

export function judge(input: EvaluateInput): GateVerdict {
  const stats = lookup(input.stats);
  const reasons = [
    ...generatorValidity(stats('whole'), input.plan.budget),
    ...(input.inconclusiveReasons ?? []),
  ];
  return evaluateGate({
    objectives: input.objectives ?? input.plan.objectives,
    allowErrors: input.plan.allowErrors === true,
    stats,
    ...(input.baseline ? { baseline: lookup(input.baseline) } : {}),
    inconclusiveReasons: reasons,
    confidence: input.plan.confidence ?? DEFAULT_CONFIDENCE,
  });
}
