// From a timeline to the stats of every window and the gate's verdict: used by a live run and
// by `tiergate gate` on a stored run, so both judge the same way.
import { evaluateGate, generatorValidity, type StatsLookup } from '../../thresholds/gate.ts';
import type {
  GateVerdict,
  LoadPlan,
  Objective,
  WindowName,
  WindowStats,
} from '../../thresholds/model.ts';
import type { TimelineStore, WindowQuery } from '../timeline/store.ts';
import type { Windows } from './windows.ts';

/** Stats of each window: over all requests, and per request name of the journey. */
export function windowStats(
  store: TimelineStore,
  windows: Windows,
  requestNames: string[],
): WindowStats[] {
  const queries: WindowQuery[] = [];
  for (const [window, bounds] of Object.entries(windows) as [
    WindowName,
    { startS: number; endS: number },
  ][]) {
    queries.push({ window, ...bounds });
    for (const request of requestNames) queries.push({ window, ...bounds, request });
  }
  return store.statsMany(queries);
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
  });
}
