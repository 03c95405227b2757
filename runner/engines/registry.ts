// The engines tiergate can run a plan on, by kind: what each can do, what it checks before any
// load, and how it is made from its settings. Callers ask here; nothing compares engine names.
import type { CleanupStack } from '../../core/cleanup.ts';
import { UsageError } from '../../core/errors.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { loadKubeConfig } from '../kube/client.ts';
import type { Engine, EngineCapabilities } from './engine.ts';
import { checkedOptions } from './k6/checked-options.ts';
import { createK6Engine, K6_CAPABILITIES } from './k6/engine.ts';
import {
  K6_OPERATOR_CAPABILITIES,
  K6_OPERATOR_NOTES,
  K6OperatorEngine,
} from './k6-operator/engine.ts';
import { buildManifests, checkParallelism, manifestsYaml } from './k6-operator/manifests.ts';
import { LOCAL_CAPABILITIES, LocalEngine } from './local/engine.ts';
import type { EngineKindName, EngineSettings } from './settings.ts';

/** What an engine may need from the run: its id, the cleanup stack, Ctrl-C, a log for people. */
export interface EngineContext {
  runId: string;
  cleanup: CleanupStack;
  signal: AbortSignal;
  log: (line: string) => void;
}

interface EngineKind<S extends EngineSettings> {
  readonly capabilities: EngineCapabilities;
  /** Refuses a plan this engine cannot run as asked (exit 2), before anything starts. */
  check(settings: S, plan: LoadPlan): void;
  /** The engine, and the caveats every report of its runs carries. */
  create(
    settings: S,
    plan: LoadPlan,
    ctx: EngineContext,
  ): Promise<{ engine: Engine; notes: readonly string[] }>;
  /** What the engine would create, as text, touching nothing (`--dry-run`); absent: nothing to show. */
  dryRun?(settings: S, plan: LoadPlan, runId: string): Promise<DryRun>;
}

export interface DryRun {
  manifests: string;
  notes: readonly string[];
}

type Registry = { [K in EngineKindName]: EngineKind<Extract<EngineSettings, { kind: K }>> };

const ENGINES: Registry = {
  local: {
    capabilities: LOCAL_CAPABILITIES,
    check: () => undefined,
    create: async (_settings, plan) => ({ engine: new LocalEngine(plan.workers), notes: [] }),
  },
  k6: {
    capabilities: K6_CAPABILITIES,
    // The compiled k6 options, validated before the demo, a fault proxy or k6 itself start.
    check: (s, plan) => void checkedOptions(plan, { abortOnFail: false, generators: s.processes }),
    create: async (s, _plan, ctx) => {
      const engine = await createK6Engine(s.processes, s.binary);
      if (engine.binary.warning) ctx.log(`warning: ${engine.binary.warning}`);
      return { engine, notes: engine.notes };
    },
  },
  'k6-operator': {
    capabilities: K6_OPERATOR_CAPABILITIES,
    check: (s, plan) => {
      checkParallelism(plan, s.parallelism);
      checkedOptions(plan, { abortOnFail: false, generators: s.parallelism });
    },
    create: async (s, _plan, ctx) => ({
      engine: new K6OperatorEngine({
        kc: loadKubeConfig(s.kube),
        namespace: s.namespace,
        parallelism: s.parallelism,
        prometheusUrl: s.prometheusUrl,
        prometheusQueryUrl: s.prometheusQueryUrl,
        keep: s.keep,
        image: s.image,
        runId: ctx.runId,
        cleanup: ctx.cleanup,
        signal: ctx.signal,
        log: ctx.log,
      }),
      notes: K6_OPERATOR_NOTES,
    }),
    dryRun: async (s, plan, runId) => ({
      manifests: manifestsYaml(await buildManifests(plan, { ...s, runId })),
      notes: K6_OPERATOR_NOTES,
    }),
  },
};

function kindOf<S extends EngineSettings>(settings: S): EngineKind<S> {
  return ENGINES[settings.kind] as unknown as EngineKind<S>;
}

export function engineCapabilities(kind: EngineKindName): EngineCapabilities {
  return ENGINES[kind].capabilities;
}

export function checkEngine(settings: EngineSettings, plan: LoadPlan): void {
  kindOf(settings).check(settings, plan);
}

export async function dryRunEngine(
  settings: EngineSettings,
  plan: LoadPlan,
  runId: string,
): Promise<DryRun> {
  const kind = kindOf(settings);
  if (kind.dryRun === undefined) {
    throw new UsageError(`the ${settings.kind} engine creates nothing to show before a run`);
  }
  return kind.dryRun(settings, plan, runId);
}

/** The engine the settings name; its caveats join the plan's notes so every report shows them. */
export async function createEngine(
  settings: EngineSettings,
  plan: LoadPlan,
  ctx: EngineContext,
): Promise<Engine> {
  const { engine, notes } = await kindOf(settings).create(settings, plan, ctx);
  plan.notes.push(...notes);
  return engine;
}
