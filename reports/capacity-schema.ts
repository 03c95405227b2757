// The capacity section of `--summary-json` (a `tiergate capacity` run): the knee, the break,
// the tiers, and every step's rate, status and latency: the latency-vs-rate curve.
import { z } from 'zod';
import { CAPACITY_STEP_STATUSES } from '../thresholds/capacity.ts';

const StepStatus = z.enum(CAPACITY_STEP_STATUSES);

const Ms = z.number().nullable();

export const CapacityStepSummary = z.object({
  step: z.number().int().describe('1-based, in the order the steps ran.'),
  kind: z.enum(['climb', 'bisect']),
  rateRps: z.number().describe('The arrival rate held.'),
  tier: z.string().nullable().describe('The tier whose journey and objectives the step ran.'),
  status: StepStatus,
  holdStartS: z.number().describe('Start of the hold on the run’s timeline, in seconds.'),
  endS: z.number(),
  achievedRps: z.number(),
  dropped: z.number().int(),
  errorRate: z.number().nullable(),
  latencyMs: z
    .object({ p50: Ms, p95: Ms, p99: Ms })
    .describe('Of the hold, from the intended send time.'),
  reason: z.string(),
});

export const CapacitySummary = z
  .object({
    mode: z.enum(['roadmap', 'slo']),
    resolution: z.number().describe('Bisection stops when break ÷ knee ≤ 1 + resolution.'),
    stop: z.enum([
      'resolved',
      'top-held',
      'lowest-broke',
      'generator-bound',
      'rollback',
      'not-steady',
      'max-steps',
      'interrupted',
      'errored',
    ]),
    kneeRps: z
      .number()
      .nullable()
      .describe('Highest rate at which every objective held; null when none was measured.'),
    kneeProven: z
      .boolean()
      .nullable()
      .describe('Whether the knee’s step proved every objective (false: unproven).'),
    carriedRps: z
      .number()
      .nullable()
      .describe('Highest rate that held below every break, knee or not.'),
    breakRps: z.number().nullable().describe('Lowest rate that broke.'),
    brokenBy: z
      .object({ id: z.string(), expression: z.string(), reason: z.string() })
      .nullable()
      .describe('What broke first at the break rate.'),
    highestTier: z.object({ id: z.string(), rateRps: z.number() }).nullable().optional(),
    nextTier: z
      .object({ id: z.string(), rateRps: z.number(), headroom: z.number().nullable() })
      .nullable()
      .optional()
      .describe('headroom: knee ÷ the next tier’s rate.'),
    advice: z.string().nullable().optional(),
    steps: z.array(CapacityStepSummary),
  })
  .describe('Capacity searches only: the knee and every step.');

export type CapacitySummary = z.output<typeof CapacitySummary>;
