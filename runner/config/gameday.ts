// A game day as a config file writes it (`steady: 20s`, faults at offsets, objectives as
// expressions), checked as a whole and normalised to the exact GameDay model: every fault
// starts after the steady period, replica indexes exist, objectives sit on windows that fit.
import { z } from 'zod';
import type { GameDay, ScheduledFault } from '../../thresholds/gameday.ts';
import type { Objective } from '../../thresholds/model.ts';
import { type FaultEntry, FaultSchema } from './fault.ts';
import {
  addIssue,
  CitationSchema,
  duration,
  Id,
  NonNegative,
  Positive,
  strict,
  Text,
} from './fields.ts';
import { objectiveSchema } from './objectives.ts';
import { checkUnique } from './tier.ts';

/** Load after the last fault when a game day says nothing (as the built-ins do). */
export const DEFAULT_RECOVERY_S = 30;

const SteadyStateObjective = objectiveSchema(() => 'steady');
const ResilienceObjective = objectiveSchema((m) => (m === 'recovery_time' ? 'recovery' : 'chaos'));

const GameDayFields = strict({
  id: Id,
  name: Text.optional().meta({ description: 'Display name (default: the id)' }),
  description: z.string().optional(),
  steady: duration('positive')
    .optional()
    .meta({ description: 'Load before the first fault; the steady state is checked on it' }),
  steadyS: Positive.optional().meta({ description: 'Seconds (the model form of steady)' }),
  recovery: duration('zero-ok')
    .optional()
    .meta({ description: `Load after the last fault is removed (default ${DEFAULT_RECOVERY_S}s)` }),
  recoveryS: NonNegative.optional().meta({ description: 'Seconds (the model form of recovery)' }),
  replicas: z
    .number()
    .int()
    .min(1)
    .optional()
    .meta({ description: 'Replicas of the demo target behind the fault proxy (default 1)' }),
  faults: z.array(FaultSchema).min(1, {
    error:
      'a game day needs at least one fault, e.g. - { at: 20s, hold: 15s, latency: { ms: 300 } }',
  }),
  steadyState: z
    .array(SteadyStateObjective)
    .optional()
    .meta({ description: 'Objectives on the steady window, checked before any fault' }),
  objectives: z.array(ResilienceObjective).optional().meta({
    description: 'Resilience objectives (window default: chaos; recovery_time: recovery)',
  }),
  kubernetesOnly: Text.optional().meta({ description: 'Why this game day cannot run locally' }),
  source: CitationSchema.optional(),
});

type Fields = z.output<typeof GameDayFields>;
type Ctx = z.core.$RefinementCtx<Fields>;

/** One of two alternative keys (`steady` or `steadyS`); an issue when both or (if required) neither. */
function pick(ctx: Ctx, g: Fields, friendly: 'steady' | 'recovery', required: string | undefined) {
  const model = `${friendly}S` as const;
  const value = g[friendly] ?? g[model];
  if (g[friendly] !== undefined && g[model] !== undefined) {
    addIssue(ctx, {
      problem: `is given as well as ${friendly}`,
      allowed: `give one of ${friendly} and ${model}`,
      path: [model],
    });
  }
  if (value === undefined && required !== undefined) {
    addIssue(ctx, { problem: 'is missing', allowed: required, path: [friendly] });
  }
  return value;
}

function checkFaults(ctx: Ctx, g: Fields, steadyS: number): void {
  const replicas = g.replicas ?? 1;
  g.faults.forEach((f, i) => {
    if (f.atS !== undefined && f.atS < steadyS) {
      addIssue(ctx, {
        problem: `starts before the steady period ends at ${steadyS}s`,
        allowed: `start faults at ${steadyS}s or later, so the steady state is measured first, or shorten steady`,
        path: ['faults', i, f.atKey],
      });
    }
    const fault = f.fault;
    if (
      (fault.kind === 'kill-replica' || fault.kind === 'pause-replica') &&
      fault.replica >= replicas
    ) {
      addIssue(ctx, {
        problem: `is not a replica of this game day, which has ${replicas}`,
        allowed:
          g.replicas === undefined
            ? 'use 0, or set replicas: N; the default is 1'
            : `use ${replicas === 1 ? '0' : `0 to ${replicas - 1}`}, or raise replicas`,
        path: ['faults', i, ...f.replicaPath],
      });
    }
  });
  const ids = faultIds(g.id, g.faults);
  checkUnique(ctx, ids, 'faults', 'fault ids must be unique within a game day', (i) => [
    'faults',
    i,
    'id',
  ]);
}

function checkObjectives(ctx: Ctx, g: Fields): void {
  (g.steadyState ?? []).forEach((o, i) => {
    if (o.metric === 'recovery_time') {
      const problem = 'measures recovery, which the steady window has none of';
      addIssue(ctx, { problem, allowed: 'move it to objectives', path: ['steadyState', i] });
    } else if (o.window !== 'steady') {
      addIssue(ctx, {
        problem: 'is not the steady window',
        allowed:
          'steadyState objectives are judged on the steady window: drop window, or move it to objectives',
        path: ['steadyState', i, 'window'],
      });
    }
  });
  (g.objectives ?? []).forEach((o, i) => {
    if (o.metric !== 'recovery_time' || o.window === 'recovery') return;
    addIssue(ctx, {
      problem: 'is not where recovery time is measured',
      allowed: 'recovery_time objectives use window: recovery, the default',
      path: ['objectives', i, 'window'],
    });
  });
  const unique = (list: 'steadyState' | 'objectives', objectives: Objective[]) =>
    checkUnique(
      ctx,
      objectives.map((o) => o.id),
      list,
      'objective ids must be unique within a list; give one its own id, e.g. { expr: "p99 < 2s", id: chaos-p99 }',
      (i) => [list, i],
    );
  unique('steadyState', g.steadyState ?? []);
  unique('objectives', g.objectives ?? []);
}

function faultIds(gameDayId: string, faults: FaultEntry[]): string[] {
  return faults.map((f, i) => f.id ?? `${gameDayId}-${i + 1}`);
}

function toGameDay(g: Fields): GameDay {
  const steadyS = g.steady ?? g.steadyS ?? 0;
  const ids = faultIds(g.id, g.faults);
  const faults = g.faults.map(
    (f, i): ScheduledFault => ({
      id: ids[i] ?? '',
      fault: f.fault,
      atS: f.atS ?? steadyS,
      holdS: f.holdS,
    }),
  );
  const out: GameDay = {
    id: g.id,
    name: g.name ?? g.id,
    description: g.description ?? '',
    steadyS,
    faults,
    recoveryS: g.recovery ?? g.recoveryS ?? DEFAULT_RECOVERY_S,
    steadyState: g.steadyState ?? [],
    objectives: g.objectives ?? [],
  };
  const cluster = faults.flatMap((f) =>
    f.fault.kind === 'kubernetes-only' ? [f.fault.chaos] : [],
  );
  if (g.kubernetesOnly !== undefined) out.kubernetesOnly = g.kubernetesOnly;
  else if (cluster.length > 0) out.kubernetesOnly = `${cluster.join(', ')} needs a cluster`;
  if (g.replicas !== undefined) out.replicas = g.replicas;
  if (g.source !== undefined) out.source = g.source;
  return out;
}

export const GameDaySchema = GameDayFields.superRefine((g, ctx) => {
  const steadyS = pick(ctx, g, 'steady', 'add steady: 20s, the load before the first fault');
  pick(ctx, g, 'recovery', undefined);
  if (steadyS !== undefined) checkFaults(ctx, g, steadyS);
  checkObjectives(ctx, g);
}).transform(toGameDay);

/** Reports a game-day id used twice in one list. */
export function checkGameDayIds(ctx: z.core.$RefinementCtx<unknown>, gameDays: GameDay[]): void {
  checkUnique(
    ctx,
    gameDays.map((g) => g.id),
    'gameDays',
    "game-day ids must be unique; rename one, or reuse a built-in's id to replace it",
    (i) => ['gameDays', i, 'id'],
  );
}

const GameDayListSchema = strict({
  $schema: z.string().optional(),
  gameDays: z.array(GameDaySchema).min(1),
})
  .superRefine((f, ctx) => checkGameDayIds(ctx, f.gameDays))
  .transform((f) => f.gameDays);

/**
 * The schema of a `--gameday-file`: `{ gameDays: [...] }` or one game day on its own. Chosen by
 * the top-level keys, so that messages come from the form the file is written in.
 */
export function gameDayFileSchema(value: unknown): z.ZodType<GameDay[]> {
  const list = value !== null && typeof value === 'object' && 'gameDays' in value;
  return list ? GameDayListSchema : GameDaySchema.transform((g) => [g]);
}
