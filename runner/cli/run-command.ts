// `tiergate run`: plan → (demo) → engine → gate → reports → exit code.
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { spawnDemo } from '../../demo/spawn.ts';
import { overlayGameDay } from '../../thresholds/gameday-overlay.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { loadRoadmaps, loadUserConfig } from '../config/user-config.ts';
import { checkEngine, dryRunEngine, engineCapabilities } from '../engines/registry.ts';
import { conductRun, newRunId } from '../run/conduct.ts';
import type { RunSettings } from '../run/settings.ts';
import { findRunnableGameDay, localPrepare } from './local-gameday.ts';
import { demoOptionsFrom } from './options/demo-flags.ts';
import { planFromOptions, refuseUnreachable } from './options/plan-from-options.ts';
import type { RunFlags } from './options/run-flags.ts';
import { runSettings } from './options/run-settings.ts';

export async function runCommand(
  flags: RunFlags,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  const { settings, warning } = runSettings(flags);
  const plan = planFromOptions(flags, await loadRoadmaps(flags.config));
  refuseUnreachable(plan);
  if (warning) term.info(warning);
  if (flags.dryRun) return printDryRun(settings, plan, term);
  if (flags.gameday !== undefined) return runWithGameDay(flags, settings, plan, term, signal);
  const demoOptions = flags.target === 'demo' ? demoOptionsFrom(flags) : undefined;
  return conductRun({
    settings,
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

/** `--dry-run`: what the engine would create (k6-operator: ConfigMap and TestRun) as YAML. */
async function printDryRun(settings: RunSettings, plan: LoadPlan, term: Terminal): Promise<number> {
  checkEngine(settings.engine, plan);
  const runId = newRunId(settings.output.runId, plan);
  const { manifests, notes } = await dryRunEngine(settings.engine, plan, runId);
  term.out(manifests.trimEnd());
  term.info(`tiergate: --dry-run: run ${runId}, nothing was sent to a cluster`);
  for (const note of [...plan.notes, ...notes]) term.info(`note: ${note}`);
  return EXIT.pass;
}

/** `run --gameday`: the tier's ramp with a game day in its steady stage, behind the fault proxy. */
async function runWithGameDay(
  flags: RunFlags,
  settings: RunSettings,
  plan: LoadPlan,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  if (!engineCapabilities(settings.engine.kind).localFaults) {
    throw new UsageError(
      '--gameday runs its faults on this machine: use --engine local or k6 (for a cluster: tiergate gameday --chaos chaos-mesh)',
    );
  }
  const { gameDays } = await loadUserConfig(flags.config);
  const g = findRunnableGameDay(flags.gameday, '--gameday', false, gameDays);
  const overlaid = overlayGameDay(plan, g);
  return conductRun({
    settings,
    term,
    signal,
    plan: overlaid.plan,
    prepare: localPrepare(overlaid.gameDay, flags, term, signal),
  });
}
