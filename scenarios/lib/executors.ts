// Plan phases → k6 scenarios: one scenario per phase, started at the phase's offset, so k6's
// cumulative thresholds can still be scoped to one phase through `{scenario:<name>}`.
import type { LoadPlan, RatePhase, VuPhase } from '../../thresholds/model.ts';
import { k6Duration } from './durations.ts';
import type { K6Scenario } from './k6-types.ts';
import { scaleRates } from './rates.ts';

export interface ExecutorSettings {
  /** k6 processes the scenarios are split across (each needs at least one VU of its own). */
  generators: number;
}

export interface CompiledScenarios {
  scenarios: Record<string, K6Scenario>;
  /** Names of the scenarios of the plan's steady phases: the `steady` window. */
  steady: string[];
  notes: string[];
}

/** k6 scenario names allow letters, digits, `-` and `_`. */
function scenarioName(phase: string, taken: Set<string>): string {
  const base = phase.replace(/[^0-9A-Za-z_-]+/g, '_') || 'phase';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/**
 * Seconds a response may take, for VU sizing: the loosest latency limit, at least 1 s. A tight
 * objective (p99 < 50 ms) would leave k6 so few VUs that a short stall drops arrivals while
 * k6 initialises more; VUs are cheap next to a run made inconclusive by the generator.
 */
export function expectedLatencyS(plan: LoadPlan): number {
  const limits = plan.objectives
    .filter((o) => (o.metric === 'latency' || o.metric === 'service_time') && o.stat !== 'min')
    .flatMap((o) => (o.limit.kind === 'absolute' ? [o.limit.value / 1000] : []));
  return Math.max(1, ...limits);
}

/**
 * VUs an arrival-rate scenario holds: enough for `rate × expected latency` requests in flight
 * up front, growing to `rate × timeout`; never beyond the plan's in-flight cap (arrivals that
 * find every VU busy are k6's dropped_iterations, as the local engine's in-flight cap).
 */
export function vusFor(
  plan: LoadPlan,
  peakRps: number,
  settings: ExecutorSettings,
): { preAllocatedVUs: number; maxVUs: number } {
  const cap = Math.max(plan.maxInFlight, settings.generators);
  const floor = Math.max(1, settings.generators);
  const pre = Math.min(cap, Math.max(floor, Math.ceil(peakRps * expectedLatencyS(plan))));
  // Half again the VUs a full timeout needs: a target slowed to the timeout is measured (as
  // timeouts) rather than turned into drops by a VU pool sized exactly at the edge.
  const max = Math.min(cap, Math.max(pre, Math.ceil((1.5 * peakRps * plan.timeoutMs) / 1000)));
  return { preAllocatedVUs: pre, maxVUs: max };
}

function arrivalScenario(
  plan: LoadPlan,
  p: RatePhase,
  settings: ExecutorSettings,
  notes: string[],
): K6Scenario {
  const base = {
    startTime: k6Duration(p.startS),
    gracefulStop: k6Duration(Math.ceil(plan.timeoutMs / 1000)),
    ...vusFor(plan, Math.max(p.fromRps, p.toRps), settings),
  };
  const scaled = scaleRates([p.fromRps, p.toRps]);
  const [from = 0, to = 0] = scaled.rates;
  if (scaled.error > 0) {
    notes.push(
      `phase ${p.name}: k6 rates are whole iterations per time unit; ` +
        `${p.fromRps}→${p.toRps} req/s rounded to ${from}→${to} per ${scaled.timeUnitS}s`,
    );
  }
  const timeUnit = k6Duration(scaled.timeUnitS);
  if (p.fromRps === p.toRps) {
    return {
      executor: 'constant-arrival-rate',
      rate: to,
      timeUnit,
      duration: k6Duration(p.durationS),
      ...base,
    };
  }
  return {
    executor: 'ramping-arrival-rate',
    startRate: from,
    timeUnit,
    stages: [{ duration: k6Duration(p.durationS), target: to }],
    ...base,
  };
}

function vuScenario(plan: LoadPlan, p: VuPhase): K6Scenario {
  return {
    executor: 'ramping-vus',
    startTime: k6Duration(p.startS),
    startVUs: p.fromVus,
    stages: [{ duration: k6Duration(p.durationS), target: p.toVus }],
    // A VU leaving during the ramp down finishes its request; at the phase's end the next
    // phase's VUs take over, so the leftover iterations get the request timeout at most.
    gracefulRampDown: k6Duration(Math.ceil(plan.timeoutMs / 1000)),
    gracefulStop: k6Duration(Math.ceil(plan.timeoutMs / 1000)),
  };
}

export function compileScenarios(plan: LoadPlan, settings: ExecutorSettings): CompiledScenarios {
  const scenarios: Record<string, K6Scenario> = {};
  const steady: string[] = [];
  const notes: string[] = [];
  const taken = new Set<string>();
  const phases: (RatePhase | VuPhase)[] = plan.shape.phases;
  for (const p of phases) {
    const [from, to] = 'fromRps' in p ? [p.fromRps, p.toRps] : [p.fromVus, p.toVus];
    // A phase without load (a pause, a ramp from 0 to 0) is idle time: k6 needs no scenario.
    if (p.durationS <= 0 || (from <= 0 && to <= 0)) continue;
    const name = scenarioName(p.name, taken);
    if (p.steady) steady.push(name);
    scenarios[name] =
      'fromRps' in p ? arrivalScenario(plan, p, settings, notes) : vuScenario(plan, p);
  }
  return { scenarios, steady, notes };
}
