// A roadmap tier as a config file writes it, checked as a whole: one steady stage, unique ids,
// objectives that name requests the journey sends.
import { z } from 'zod';
import type { RampStage, Tier, TierLoad } from '../../thresholds/model.ts';
import {
  addIssue,
  CitationSchema,
  duration,
  Id,
  NonNegative,
  oneOf,
  Positive,
  Share,
  strict,
  Text,
} from './fields.ts';
import { JourneySchema, toJourney } from './journey.ts';
import { ObjectiveSchema, RollbackTriggerSchema } from './objectives.ts';

const LoadSchema = oneOf(
  [
    strict({
      kind: z.literal('daily-users').optional(),
      dailyUsers: Positive,
      requestsPerUserPerDay: Positive,
      peakHourShare: Share,
      headroom: Positive.optional().meta({ description: 'Multiplier on the peak (default 1)' }),
      source: CitationSchema.optional(),
    }),
    strict({ kind: z.literal('rps').optional(), rps: Positive, source: CitationSchema.optional() }),
    strict({
      kind: z.literal('vus').optional(),
      vus: z.number().int().positive(),
      source: CitationSchema.optional(),
    }),
  ],
  'use { rps: 200 }, { vus: 50 } or { dailyUsers: 10000, requestsPerUserPerDay: 30, peakHourShare: 0.15, headroom: 2 }',
).transform((l): TierLoad => {
  const source = l.source === undefined ? {} : { source: l.source };
  if ('rps' in l) return { kind: 'rps', rps: l.rps, ...source };
  if ('vus' in l) return { kind: 'vus', vus: l.vus, ...source };
  return {
    kind: 'daily-users',
    dailyUsers: l.dailyUsers,
    requestsPerUserPerDay: l.requestsPerUserPerDay,
    peakHourShare: l.peakHourShare,
    headroom: l.headroom ?? 1,
    ...source,
  };
});

const StageSchema = strict({
  duration: duration('positive').optional(),
  durationS: Positive.optional().meta({ description: 'Seconds (the model form of duration)' }),
  target: NonNegative.meta({ description: "Share of the tier's peak load to reach (1 = peak)" }),
  steady: z.boolean().optional(),
}).transform((s, ctx): RampStage => {
  const durationS = s.duration ?? s.durationS;
  if (durationS === undefined || (s.duration !== undefined && s.durationS !== undefined)) {
    addIssue(ctx, {
      problem: durationS === undefined ? 'has no duration' : 'has both duration and durationS',
      allowed: 'give one, e.g. { duration: 5m, target: 1 }',
      noValue: true,
    });
    return z.NEVER;
  }
  return s.steady === undefined
    ? { durationS, target: s.target }
    : { durationS, target: s.target, steady: s.steady };
});

const NextPhaseSchema = strict({
  capacityShare: Share,
  source: CitationSchema.optional(),
});

const TierFields = strict({
  id: Id,
  name: Text.optional().meta({ description: 'Display name (default: the id)' }),
  description: z.string().optional(),
  load: LoadSchema,
  stages: z.array(StageSchema).min(1),
  journey: JourneySchema,
  objectives: z.array(ObjectiveSchema).min(1, {
    error: 'a tier needs at least one objective, e.g. - "p95 < 2s"',
  }),
  rollbackTriggers: z.array(RollbackTriggerSchema).optional(),
  gameDays: z.array(Text).optional(),
  nextPhase: NextPhaseSchema.optional(),
});

type TierInput = z.output<typeof TierFields>;

function checkSteady(t: TierInput, ctx: z.core.$RefinementCtx<TierInput>): void {
  const steady = t.stages.flatMap((s, i) => (s.steady === true ? [i] : []));
  if (steady.length === 0) {
    addIssue(ctx, {
      problem: `no stage of tier "${t.id}" is marked steady`,
      allowed:
        'add steady: true to the stage that holds the peak, e.g. { duration: 5m, target: 1, steady: true }',
      path: ['stages'],
      noValue: true,
    });
  }
  for (const i of steady.slice(1)) {
    addIssue(ctx, {
      problem: `is a second steady stage; stages[${steady[0]}] is steady already`,
      allowed: 'mark exactly one stage per tier steady: true',
      path: ['stages', i, 'steady'],
      noValue: true,
    });
  }
  for (const i of steady) {
    if (t.stages[i]?.target === 0) {
      addIssue(ctx, {
        problem: 'leaves the steady stage without load',
        allowed: 'give the steady stage a target > 0, e.g. 1 for the peak',
        path: ['stages', i, 'target'],
      });
    }
  }
}

/** Reports the second and later uses of an id within a list. */
export function checkUnique(
  ctx: z.core.$RefinementCtx<unknown>,
  ids: string[],
  list: string,
  rule: string,
  path: (i: number) => (string | number)[],
): void {
  const seen = new Map<string, number>();
  ids.forEach((id, i) => {
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, i);
      return;
    }
    const at = path(i);
    const problem =
      at[at.length - 1] === 'id'
        ? `is already the id of ${list}[${first}]`
        : `has the id "${id}", as ${list}[${first}] does`;
    addIssue(ctx, { problem, allowed: rule, path: at });
  });
}

function checkRequests(t: TierInput, ctx: z.core.$RefinementCtx<TierInput>): void {
  const names = t.journey.requests.map((r) => r.name);
  const allowed = `use one of ${names.join(', ')}`;
  t.objectives.forEach((o, i) => {
    if (o.request === undefined || names.includes(o.request)) return;
    const problem = "is not a request of this tier's journey";
    addIssue(ctx, { problem, allowed, path: ['objectives', i, 'request'] });
  });
  (t.rollbackTriggers ?? []).forEach((r, i) => {
    const request = r.objective.request;
    if (request === undefined || names.includes(request)) return;
    const problem = `watches request "${request}", which this tier's journey does not send`;
    addIssue(ctx, { problem, allowed, path: ['rollbackTriggers', i], noValue: true });
  });
}

export const TierSchema = TierFields.superRefine((t, ctx) => {
  checkSteady(t, ctx);
  checkRequests(t, ctx);
  const objectiveIds = t.objectives.map((o) => o.id);
  const unique = 'ids must be unique within a tier; give one its own id, e.g.';
  checkUnique(
    ctx,
    objectiveIds,
    'objectives',
    `objective ${unique} { expr: "p95 < 1.5s", id: p95-warn }`,
    (i) => ['objectives', i],
  );
  const triggerIds = (t.rollbackTriggers ?? []).map((r) => r.id);
  checkUnique(
    ctx,
    triggerIds,
    'rollbackTriggers',
    `trigger ${unique} { when: "error_rate <= 5%", id: abort-on-errors }`,
    (i) => ['rollbackTriggers', i],
  );
}).transform((t): Tier => {
  const tier: Tier = {
    id: t.id,
    name: t.name ?? t.id,
    load: t.load,
    stages: t.stages,
    journey: toJourney(t.journey, t.id),
    objectives: t.objectives,
    rollbackTriggers: t.rollbackTriggers ?? [],
  };
  if (t.description !== undefined) tier.description = t.description;
  if (t.gameDays !== undefined) tier.gameDays = t.gameDays;
  if (t.nextPhase !== undefined) {
    const { capacityShare, source } = t.nextPhase;
    tier.nextPhase = source === undefined ? { capacityShare } : { capacityShare, source };
  }
  return tier;
});
