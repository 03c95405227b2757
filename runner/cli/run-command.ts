// `tiergate run`: plan → (demo) → engine → gate → reports → exit code.
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { spawnDemo } from '../../demo/spawn.ts';
import { overlayGameDay } from '../../thresholds/gameday-overlay.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { K6_OPERATOR_NOTES } from '../engines/k6-operator/engine.ts';
import {
  type OperatorFlags,
  operatorChoice,
  operatorTargetWarning,
  refuseOperatorFlags,
} from '../engines/k6-operator/flags.ts';
import {
  buildManifests,
  checkParallelism,
  manifestsYaml,
} from '../engines/k6-operator/manifests.ts';
import { conductRun, newRunId } from './conduct.ts';
import { demoOptionsFrom } from './demo-flags.ts';
import { loadRoadmaps, loadUserConfig } from './load-roadmaps.ts';
import { findRunnableGameDay, localPrepare } from './local-gameday.ts';
import { planFromOptions, refuseUnreachable } from './plan-from-options.ts';
import type { RunFlags } from './run-flags.ts';
import type { Terminal } from './terminal.ts';

export async function runCommand(
  flags: RunFlags,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  checkRunEngine(flags);
  const plan = planFromOptions(flags, await loadRoadmaps(flags.config));
  refuseUnreachable(plan);
  if (flags.engine === 'k6-operator') {
    checkParallelism(plan, operatorChoice(flags).parallelism);
    const warning = operatorTargetWarning(flags.target);
    if (warning) term.info(warning);
    if (flags.dryRun) return printOperatorManifests(flags, plan, term);
  }
  if (flags.gameday !== undefined) {
    if (flags.prove) {
      throw new UsageError(
        '--prove lengthens the steady stage of a plain run; with --gameday the faults are cut into that stage',
        'run --prove without --gameday, or lengthen the game-day run with --duration',
      );
    }
    return runWithGameDay(flags, plan, term, signal);
  }
  const demoOptions = flags.target === 'demo' ? demoOptionsFrom(flags) : undefined;
  return conductRun({
    flags,
    term,
    signal,
    plan,
    prepare: async (cleanup) => {
      if (!demoOptions) return { target: plan.target };
      const demo = await spawnDemo(demoOptions, { signal });
      cleanup.push('demo target', () => demo.stop());
      term.info(
        `demo target listening on ${demo.url} (capacity ${demoOptions.capacityRps ?? 'default'} req/s)`,
      );
      return { target: demo.url };
    },
  });
}

/** Game days run their load on this machine (local or k6 engine). */
export function checkEngine(engine: string | undefined): void {
  if (engine === 'k6-operator') {
    throw new UsageError(
      'game days do not run on --engine k6-operator: use --engine local or --engine k6 --processes N',
    );
  }
}

/** Flags of one engine are refused with another; k6-operator's are checked before any load. */
function checkRunEngine(flags: OperatorFlags): void {
  refuseOperatorFlags(flags);
  if (flags.engine === 'k6-operator') operatorChoice(flags);
}

/** `--dry-run`: the ConfigMap and TestRun on stdout as YAML; no cluster, no kubeconfig. */
async function printOperatorManifests(
  flags: RunFlags,
  plan: LoadPlan,
  term: Terminal,
): Promise<number> {
  const choice = operatorChoice(flags);
  const runId = newRunId(flags.runId, plan);
  term.out(manifestsYaml(await buildManifests(plan, { ...choice, runId })).trimEnd());
  term.info(`tiergate: --dry-run: run ${runId}, nothing was sent to a cluster`);
  for (const note of [...plan.notes, ...K6_OPERATOR_NOTES]) term.info(`note: ${note}`);
  return EXIT.pass;
}

/** `run --gameday`: the tier's ramp with a game day in its steady stage, behind the fault proxy. */
async function runWithGameDay(
  flags: RunFlags,
  plan: LoadPlan,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  if (flags.engine === 'k6-operator') {
    throw new UsageError(
      '--gameday runs its faults on this machine: use --engine local or k6 (for a cluster: tiergate gameday --chaos chaos-mesh)',
    );
  }
  const { gameDays } = await loadUserConfig(flags.config);
  const g = findRunnableGameDay(flags.gameday, '--gameday', 'local', gameDays);
  const overlaid = overlayGameDay(plan, g);
  return conductRun({
    flags,
    term,
    signal,
    plan: overlaid.plan,
    prepare: localPrepare(overlaid.gameDay, flags, term, signal),
  });
}
