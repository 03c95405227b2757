// A roadmap's ladder from its stored runs: for each tier, in the roadmap's order, whether it
// passed (its newest run's verdict, and its newest pass), by how much (the tightest objective's
// margin), what capacity that pass proved, how far that goes towards the next tier, and the
// roadmap's next-phase advice ("review the next phase at 80 % of current capacity"). Pure.
import type { ObjectiveVerdict, Roadmap, Tier } from '../thresholds/model.ts';
import { metricUnit } from '../thresholds/objective.ts';
import type { RunResult } from '../thresholds/result.ts';
import { peakRpsOfTraffic, tierPeak } from '../thresholds/traffic.ts';
import { describeBreach, observedText } from './breach.ts';
import { outcomeSentence, type RunVerdict, runVerdict, windowRps } from './facts.ts';

export interface LadderRun {
  runId: string;
  startedAt: string;
  verdict: RunVerdict;
}

/** The tightest objective of a pass: the one with the least room left before its limit. */
export interface Margin {
  objective: string;
  expression: string;
  /** The observed value as people read it. */
  observed: string;
  /**
   * Share of the room between the limit and the best possible value that is left: for
   * lower-is-better objectives (latency, error rate) `(limit − observed) / limit`; for shares
   * that must stay high (availability, throughput ratio) `(observed − limit) / (1 − limit)`,
   * the error budget left; for throughput `(observed − limit) / limit`. Negative: over it.
   */
  headroom: number;
}

export interface Capacity {
  /** Tested capacity: requests completed per second in the steady window of the newest pass. */
  testedRps: number;
  /** `whole` when that run had no steady window. */
  window: 'steady' | 'whole';
  /** The tier's peak arrival rate (its traffic model); null for a closed (VU) tier. */
  tierRps: number | null;
  /** Set when the pass was a scaled-down rehearsal: the peak it ran at (below the tier's). */
  rehearsalRps?: number;
}

export interface NextTier {
  tier: string;
  name: string;
  /** The next tier's peak arrival rate; null for a closed (VU) tier. */
  peakRps: number | null;
  /** testedRps / peakRps: how much of the next tier the tested capacity already carries. */
  coverage: number | null;
}

/**
 * The tier's next-phase trigger applied to its tested capacity. tiergate cannot see production
 * traffic, so the tier's own load (its traffic model's peak) stands for the observed load.
 */
export interface NextPhase {
  /** The tier's `nextPhase.capacityShare` (0.8 = plan at 80 % of capacity). */
  capacityShare: number;
  /** capacityShare × tested capacity, req/s. */
  triggerRps: number;
  /** The trigger in daily users through the tier's traffic model; null without one. */
  triggerUsers: number | null;
  /** The tier's load, req/s. */
  loadRps: number;
  /** loadRps / tested capacity. */
  loadShare: number;
  /** The load reached the trigger: plan the next phase. */
  plan: boolean;
}

/** The newest capacity search of the roadmap, as the ladder shows it. */
export interface Search {
  runId: string;
  startedAt: string;
  kneeRps: number | null;
  /** The highest rate that held, knee or not. */
  carriedRps: number | null;
  highestTier: string | null;
}

/** A tier against the newest search's knee: its rate as a share of it. */
export interface KneeShare {
  runId: string;
  kneeRps: number;
  /** Tier rate ÷ knee: at or below 1 the tier fits under the knee. */
  share: number;
}

export interface Rung {
  tier: string;
  name: string;
  /** Where the tier's rate sits against the newest capacity search's knee. */
  knee?: KneeShare;
  /** Finished runs of this tier. */
  runs: number;
  /** The newest of them; null: the tier was never run. */
  newest: LadderRun | null;
  /** What broke in the newest run, when it did not pass. */
  breach?: string;
  /** The newest run that passed (`pass` or `warn`). */
  lastPass: LadderRun | null;
  margin: Margin | null;
  capacity: Capacity | null;
  next: NextTier | null;
  nextPhase: NextPhase | null;
}

export interface Ladder {
  roadmap: string;
  name: string;
  /** Finished runs of this roadmap. */
  runs: number;
  rungs: Rung[];
  /** The newest capacity search (`tiergate capacity`) of the roadmap. */
  search?: Search;
  notes: string[];
}

/** The ladder of `roadmap` from finished runs (any order; other roadmaps' runs are ignored). */
export function buildLadder(roadmap: Roadmap, runs: RunResult[]): Ladder {
  const all = runs
    .filter((r) => r.plan.roadmap === roadmap.id)
    .sort((x, y) => time(y.startedAt) - time(x.startedAt) || y.runId.localeCompare(x.runId));
  // A capacity search is judged on its knee's step, not on one tier: it gets its own line.
  const mine = all.filter((r) => r.capacity === undefined);
  const search = all.find((r) => r.capacity !== undefined);
  const rungs = roadmap.tiers.map((tier, i) => {
    const r = rung(
      tier,
      roadmap.tiers[i + 1],
      mine.filter((x) => x.plan.tier === tier.id),
    );
    const knee = search?.capacity?.findings.knee;
    const rate = openPeak(tier);
    if (search && knee && rate !== null && knee.rateRps > 0) {
      r.knee = { runId: search.runId, kneeRps: knee.rateRps, share: rate / knee.rateRps };
    }
    return r;
  });
  const known = new Set(roadmap.tiers.map((t) => t.id));
  const strays = mine.filter((r) => !known.has(r.plan.tier ?? ''));
  const notes: string[] = [];
  if (strays.length > 0) {
    const tiers = [...new Set(strays.map((r) => r.plan.tier ?? '(none)'))].join(', ');
    notes.push(`${strays.length} run(s) of tiers no longer in ${roadmap.id} left out: ${tiers}`);
  }
  const ladder: Ladder = {
    roadmap: roadmap.id,
    name: roadmap.name,
    runs: all.length,
    rungs,
    notes,
  };
  if (search?.capacity) {
    const f = search.capacity.findings;
    ladder.search = {
      runId: search.runId,
      startedAt: search.startedAt,
      kneeRps: f.knee?.rateRps ?? null,
      carriedRps: f.carriedRps,
      highestTier: f.highestTier?.id ?? null,
    };
  }
  return ladder;
}

function rung(tier: Tier, nextTier: Tier | undefined, runs: RunResult[]): Rung {
  const newest = runs[0];
  const pass = runs.find(passed);
  const r: Rung = {
    tier: tier.id,
    name: tier.name,
    runs: runs.length,
    newest: newest ? ladderRun(newest) : null,
    lastPass: pass ? ladderRun(pass) : null,
    margin: pass ? tightest(pass) : null,
    capacity: pass ? capacity(pass, tier) : null,
    next: null,
    nextPhase: null,
  };
  if (newest && !passed(newest)) r.breach = breach(newest);
  if (nextTier) {
    const peakRps = openPeak(nextTier);
    r.next = {
      tier: nextTier.id,
      name: nextTier.name,
      peakRps,
      coverage: r.capacity && peakRps ? r.capacity.testedRps / peakRps : null,
    };
  }
  if (tier.nextPhase && r.capacity && r.capacity.tierRps !== null && r.capacity.testedRps > 0) {
    const { capacityShare } = tier.nextPhase;
    const triggerRps = capacityShare * r.capacity.testedRps;
    const loadRps = r.capacity.tierRps;
    r.nextPhase = {
      capacityShare,
      triggerRps,
      triggerUsers:
        tier.load.kind === 'daily-users'
          ? triggerRps / peakRpsOfTraffic({ ...tier.load, dailyUsers: 1 })
          : null,
      loadRps,
      loadShare: loadRps / r.capacity.testedRps,
      plan: loadRps >= triggerRps * (1 - 1e-9),
    };
  }
  return r;
}

function passed(run: RunResult): boolean {
  const v = runVerdict(run);
  return v === 'pass' || v === 'warn';
}

function ladderRun(run: RunResult): LadderRun {
  return { runId: run.runId, startedAt: run.startedAt, verdict: runVerdict(run) };
}

function breach(run: RunResult): string | undefined {
  const failing = run.verdict.objectives.find((v) => v.status === 'fail');
  return (
    outcomeSentence(run) ??
    (failing ? `${describeBreach(failing)} [${failing.window}]` : undefined) ??
    run.verdict.inconclusiveReasons[0]
  );
}

/** Room left before an objective's limit, as a share of the room there is (see Margin). */
export function headroom(v: ObjectiveVerdict): number | null {
  const { observed, limit } = v;
  if (observed === null || limit === null) return null;
  const { op, metric } = v.objective;
  if (op === '<' || op === '<=') return limit > 0 ? (limit - observed) / limit : null;
  if (metricUnit(metric) === '%') return limit < 1 ? (observed - limit) / (1 - limit) : null;
  return limit > 0 ? (observed - limit) / limit : null;
}

function tightest(run: RunResult): Margin | null {
  let best: Margin | null = null;
  for (const v of run.verdict.objectives) {
    if (v.status === 'skipped') continue;
    const h = headroom(v);
    if (h === null || (best && best.headroom <= h)) continue;
    best = { objective: v.id, expression: v.expression, observed: observedText(v), headroom: h };
  }
  return best;
}

function capacity(run: RunResult, tier: Tier): Capacity | null {
  const stats =
    run.stats.find((s) => s.window === 'steady' && s.request === undefined) ??
    run.stats.find((s) => s.window === 'whole' && s.request === undefined);
  const testedRps = stats ? windowRps(stats) : null;
  if (!stats || testedRps === null) return null;
  const c: Capacity = {
    testedRps,
    window: stats.window === 'steady' ? 'steady' : 'whole',
    tierRps: openPeak(tier),
  };
  const { peak, tierPeak: asked } = run.plan;
  if (run.plan.shape.model === 'open' && asked !== undefined && peak < asked * 0.999) {
    c.rehearsalRps = peak;
  }
  return c;
}

function openPeak(tier: Tier): number | null {
  const p = tierPeak(tier.load);
  return p.model === 'open' ? p.peak : null;
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}
