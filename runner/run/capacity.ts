// `tiergate capacity` end to end: prepare the target once, run each step the search asks for
// (its own engine and cleanup, so nothing of one step outlives it), cool down between steps,
// then lay the steps on one timeline, write one run folder and show the knee.
import { CleanupStack } from '../../core/cleanup.ts';
import { resolveRunId } from '../../core/run-id.ts';
import type { Terminal } from '../../core/terminal.ts';
import { renderCapacity, stopReason } from '../../reports/capacity-text.ts';
import {
  type CapacityOptions,
  type CapacityRung,
  type CapacityStep,
  type CapacityStop,
  capacityStatus,
  findings,
  type LadderTier,
  nextStep,
} from '../../thresholds/capacity.ts';
import { planStep, rateText } from '../../thresholds/capacity-plan.ts';
import { exitCodeFor } from '../../thresholds/exit-code.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { withTarget } from '../../thresholds/plan.ts';
import type { RunResult } from '../../thresholds/result.ts';
import { checkEngine, createEngine } from '../engines/registry.ts';
import { capacityStep } from './capacity-step.ts';
import { type RanStep, stepLabel, stitchRuns } from './capacity-stitch.ts';
import { publishVerdict } from './conduct.ts';
import { executeRun } from './execute.ts';
import { persistRun } from './persist.ts';
import { ProgressPrinter } from './progress.ts';
import { claimRunFolder } from './run-folder.ts';
import type { RunSettings } from './settings.ts';

export interface CapacitySettings {
  search: CapacityOptions;
  /** Each step's hold; without it, long enough to prove the step's objectives (capacity-plan.ts). */
  holdS?: number;
  rampS: number;
  cooldownS: number;
  /** Seconds at the lowest rung re-checking the steady state before every step but the first. */
  recheckS: number;
}

export interface CapacityLadder {
  mode: 'roadmap' | 'slo';
  rungs: CapacityRung[];
  tiers?: LadderTier[];
  /** The plan a step of this tier (or, without one, of the search) starts from. */
  base: (tier: string | undefined) => LoadPlan;
  /** Names the run folder: the roadmap's id, or `adhoc`. */
  name: string;
}

export interface CapacityConduct {
  settings: RunSettings;
  capacity: CapacitySettings;
  ladder: CapacityLadder;
  term: Terminal;
  signal: AbortSignal;
  /** Starts what the search needs (the demo) on the cleanup stack; says where load goes. */
  prepare: (cleanup: CleanupStack) => Promise<{ target: string }>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function conductCapacity(c: CapacityConduct): Promise<number> {
  const { settings } = c;
  const first = c.ladder.rungs[0]!;
  checkEngine(settings.engine, c.ladder.base(first.tier));
  const runId = resolveRunId(settings.output.runId, `${c.ladder.name}-capacity`);
  const folder = await claimRunFolder(settings.output.resultsDir, runId, {
    force: settings.output.force,
  });
  try {
    return await searchClaimed(c, runId, folder.dir);
  } finally {
    await folder.release();
  }
}

async function searchClaimed(c: CapacityConduct, runId: string, dir: string): Promise<number> {
  const { term, capacity, ladder } = c;
  const cleanup = new CleanupStack();
  const ran: RanStep[] = [];
  const notes = new Set<string>();
  let stop: CapacityStop;
  let cleanupError: Error | undefined;
  try {
    const { target } = await c.prepare(cleanup);
    const lowest = ladder.rungs[0]!.rateRps;
    for (;;) {
      const next = nextStep(
        ladder.rungs,
        ran.map((r) => r.step),
        capacity.search,
      );
      if (next.kind === 'stop') {
        stop = next.stop;
        break;
      }
      if (ran.length > 0) await sleep(capacity.cooldownS * 1000, c.signal);
      if (c.signal.aborted) {
        stop = 'interrupted';
        break;
      }
      const rateRps = next.kind === 'climb' ? next.rung.rateRps : next.rateRps;
      const tier = next.kind === 'climb' ? next.rung.tier : next.tier;
      const { plan, holdS } = planStep(withTarget(ladder.base(tier), target), {
        rateRps,
        rampS: capacity.rampS,
        ...(capacity.holdS !== undefined ? { holdS: capacity.holdS } : {}),
        ...(ran.length > 0 && capacity.recheckS > 0
          ? { recheck: { rateRps: lowest, seconds: capacity.recheckS } }
          : {}),
      });
      const index = ran.length;
      const label = stepLabel({ index, rateRps, ...(tier !== undefined ? { tier } : {}) });
      term.info(`${label}: ${next.kind} at ${rateText(rateRps)}, hold ${holdS} s`);
      const run = await runStep(c, plan, runId, index);
      for (const n of plan.notes) notes.add(n);
      const previous = ran.at(-1);
      const offsetS = previous
        ? Math.max(
            previous.step.endS,
            Math.round((Date.parse(run.startedAt) - Date.parse(ran[0]!.run.startedAt)) / 1000),
          )
        : 0;
      const step = capacityStep(run, {
        index,
        kind: next.kind,
        rateRps,
        offsetS,
        ...(tier !== undefined ? { tier } : {}),
      });
      ran.push({ step, run });
      term.info(`${label}: ${step.status} — ${step.reason}`);
    }
  } finally {
    cleanupError = await cleanup.unwind().then(
      () => undefined,
      (err: Error) => err,
    );
  }
  if (ran.length === 0) {
    term.error('tiergate: the capacity search was interrupted before its first step');
    return exitCodeFor({ state: 'interrupted', signal: 'SIGINT', atS: 0 }, 'inconclusive', false);
  }
  return finish(c, { runId, dir, ran, stop, notes: [...notes], cleanupError });
}

/** One step with its own engine and cleanup stack, unwound before the next step starts. */
async function runStep(c: CapacityConduct, plan: LoadPlan, runId: string, index: number) {
  const steps = new CleanupStack();
  try {
    const engine = await createEngine(c.settings.engine, plan, {
      runId: `${runId}-step-${index + 1}`,
      cleanup: steps,
      signal: c.signal,
      log: (line) => c.term.info(line),
    });
    return await executeRun({
      plan,
      engine,
      runId,
      strict: c.settings.strict,
      progress: new ProgressPrinter(
        process.stderr,
        c.settings.output.quiet ? 'quiet' : c.term.isTty ? 'tty' : 'plain',
      ),
      cleanup: steps,
      signal: c.signal,
    });
  } finally {
    await steps.unwind();
  }
}

interface Finished {
  runId: string;
  dir: string;
  ran: RanStep[];
  stop: CapacityStop;
  notes: string[];
  cleanupError: Error | undefined;
}

async function finish(c: CapacityConduct, f: Finished): Promise<number> {
  const { term, settings, capacity, ladder } = c;
  const steps: CapacityStep[] = f.ran.map((r) => r.step);
  const found = findings(steps, f.stop, ladder.tiers);
  const status = capacityStatus(found, steps);
  let run: RunResult = stitchRuns(f.ran, found, f.runId, 0, f.notes);
  if (f.stop === 'interrupted' && run.outcome.state === 'completed') {
    run.outcome = {
      state: 'interrupted',
      signal: String(c.signal.reason ?? 'SIGINT'),
      atS: run.timeline.length,
    };
  }
  if (f.cleanupError) {
    const reason = `cleanup failed: ${f.cleanupError.message}`;
    run.outcome = { state: 'errored', reason };
    term.error(`tiergate: ${reason}`);
  }
  run.capacity = {
    mode: ladder.mode,
    resolution: capacity.search.resolution,
    ...(capacity.search.maxRateRps !== undefined ? { maxRateRps: capacity.search.maxRateRps } : {}),
    steps,
    findings: found,
  };
  // The search's verdict is the run's: the judged step's objectives, with why the search
  // could not measure a knee where it could not.
  const why = stopReason(found, steps.at(-1));
  run.verdict = {
    ...run.verdict,
    status,
    inconclusiveReasons:
      status === 'inconclusive'
        ? [...run.verdict.inconclusiveReasons, why]
        : run.verdict.inconclusiveReasons,
  };
  run.exitCode = exitCodeFor(run.outcome, status, settings.strict);
  run = await persistRun(f.dir, run, {}, (line) => term.error(line));
  term.info('');
  term.out(renderCapacity(run.capacity!, { color: term.color }));
  await publishVerdict(run, f.dir, settings.output, term);
  return run.exitCode;
}
