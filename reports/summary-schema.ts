// The shape of `--summary-json`, as a zod schema: the summary's TypeScript types come from it,
// and so does the JSON Schema `tiergate schema summary` prints. Fields are only ever added; a
// change of meaning bumps SUMMARY_SCHEMA_VERSION.
import { z } from 'zod';
import { GAMEDAY_VERDICTS } from '../thresholds/result.ts';
import { CapacitySummary } from './capacity-schema.ts';

export const SUMMARY_SCHEMA_VERSION = 1;

const WindowName = z.enum(['steady', 'chaos', 'recovery', 'whole']);

const Percentiles = z
  .object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() })
  .describe('Latency percentiles in milliseconds, rounded to 3 decimals (µs resolution).');

const SummaryUnit = z
  .enum(['ms', 'fraction', 'rps', 's'])
  .describe("Unit of an objective's figures; `fraction`: 0.01 means 1 %.");

const SummaryObjective = z
  .object({
    id: z.string().describe('Objective id, unique within the tier, e.g. `checkout-p95`.'),
    expression: z
      .string()
      .describe('The objective as written for people, e.g. `checkout p95 < 1.5 s`.'),
    window: WindowName.describe('Timeline window the objective was measured on.'),
    severity: z
      .enum(['fail', 'warn'])
      .describe('`warn` objectives never fail the gate (unless run with --strict).'),
    status: z
      .enum(['pass', 'warn', 'fail', 'skipped', 'unproven'])
      .describe(
        'How it fared; `skipped`: optional and without data, so not judged; `unproven`: the value meets the limit but its confidence bound does not.',
      ),
    observed: z
      .number()
      .nullable()
      .describe('Measured value in `unit`; null when the window held no data.'),
    limit: z
      .number()
      .nullable()
      .describe(
        'Limit in `unit`, resolved against the baseline for relative objectives; null if unresolved.',
      ),
    baseline: z
      .number()
      .nullable()
      .describe('Baseline value in `unit` for relative objectives; null for absolute ones.'),
    unit: SummaryUnit,
    samples: z.number().int().nonnegative().describe('Requests the value was measured on.'),
    bound: z
      .number()
      .nullable()
      .optional()
      .describe(
        'The one-sided confidence bound in `unit` on the side the objective guards; null where the samples cannot bound it; absent for exact figures (max, throughput, recovery time, a mean).',
      ),
    confidence: z.number().optional().describe('The confidence of `bound`, e.g. 0.95.'),
    needs: z.string().optional().describe('For `unproven`: what would prove it.'),
    breachUnproven: z
      .literal(true)
      .optional()
      .describe(
        'For `unproven`: the estimates broke a relative limit, but the bounds of both runs cannot show it.',
      ),
    reason: z.string().describe('Why the objective has its status, in one sentence.'),
  })
  .describe('One objective of the gate and how it fared.');

const SummaryWindow = z
  .object({
    startS: z.number(),
    endS: z.number(),
    scheduled: z
      .number()
      .int()
      .nonnegative()
      .describe('Requests the plan scheduled in the window (sent + dropped).'),
    requests: z
      .number()
      .int()
      .nonnegative()
      .describe('Requests of the window that completed (response or error), whenever they did.'),
    errors: z.number().int().nonnegative(),
    latencyMs: Percentiles.nullable(),
  })
  .describe("A game-day window's figures, of the requests whose intended send time fell in it.");

const LatencyOf = (what: string) => Percentiles.nullable().describe(what);

export const RunSummarySchema = z
  .object({
    schemaVersion: z.literal(SUMMARY_SCHEMA_VERSION).describe("Version of this document's shape."),
    runId: z.string().describe('Id of the run; its result folder is `results/<runId>/`.'),
    startedAt: z.string().describe('ISO 8601 wall-clock time the run started.'),
    verdict: z
      .enum(['pass', 'warn', 'fail', 'inconclusive', 'aborted', 'errored', 'interrupted'])
      .describe(
        "The gate's verdict, or how the run ended when it did not complete: `aborted` (a rollback trigger fired), `errored` (the run could not complete), `interrupted` (stopped by a signal).",
      ),
    exitCode: z
      .number()
      .int()
      .describe(
        'Process exit code tiergate used for this run (0 pass, 1 fail/aborted, 3, 4, 130).',
      ),
    roadmap: z.string().nullable().describe('Roadmap id; null for an ad-hoc run.'),
    tier: z.string().nullable().describe('Tier id; null for an ad-hoc run.'),
    engine: z.string().describe('Load engine: `local`, `k6`, `k6-operator` or `autocannon`.'),
    generators: z
      .number()
      .int()
      .positive()
      .describe('Generators the load was split across (worker threads, k6 processes, runners).'),
    loadModel: z
      .enum(['open', 'closed'])
      .describe('`open` (arrival rate, the default) or `closed` (virtual users).'),
    durationS: z.number().nonnegative().describe('Length of the whole window in seconds.'),
    requests: z
      .number()
      .int()
      .nonnegative()
      .describe('Requests completed (response or error) in the whole window.'),
    errors: z
      .number()
      .int()
      .nonnegative()
      .describe('Requests that failed (error status, timeout, connection error).'),
    dropped: z
      .number()
      .int()
      .nonnegative()
      .describe('Requests that could not be sent on schedule (no free connection or VU).'),
    errorRate: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .describe('errors / requests as a fraction (0.01 = 1 %); null when no request completed.'),
    achievedRps: z.number().nonnegative().describe('requests / durationS, per second.'),
    targetRps: z
      .number()
      .nullable()
      .describe("The plan's peak arrival rate (open model); null for a closed model."),
    plannedRps: z
      .number()
      .nullable()
      .describe(
        "What the plan scheduled per second over the run's span, ramps included; null if closed.",
      ),
    latencyMs: LatencyOf(
      'Latency of all requests over the whole window, measured from the intended send time (no coordinated omission); null with no requests.',
    ),
    serviceTimeMs: LatencyOf(
      'Time from the actual send to the response (what closed-loop tools report).',
    ),
    objectives: z
      .array(SummaryObjective)
      .describe("Every objective of the gate, in the tier's order."),
    abortedBy: z
      .string()
      .nullable()
      .describe('Id of the rollback trigger that aborted the run; null when none did.'),
    inconclusiveReasons: z
      .array(z.string())
      .describe(
        'Why the run cannot support a verdict (empty unless the verdict is `inconclusive`).',
      ),
    gameDayVerdict: z
      .enum(GAMEDAY_VERDICTS)
      .optional()
      .describe(
        "Game days only: the game day's own verdict (`deviated`: faults removed, never recovered).",
      ),
    windows: z
      .object({
        steady: SummaryWindow.optional(),
        fault: SummaryWindow.optional(),
        recovery: SummaryWindow.optional(),
      })
      .optional()
      .describe('Game days only: figures of the windows before, during and after the faults.'),
    gaps: z
      .array(SummaryWindow.extend({ name: z.string() }))
      .optional()
      .describe(
        'Game days only: the seconds between those windows, each named (`steady→chaos`); empty when the windows tile the run.',
      ),
    timeToDetectS: z
      .number()
      .nullable()
      .optional()
      .describe(
        'Game days only: fault start → first second breaking the steady state; null if none did.',
      ),
    timeToRecoverS: z
      .number()
      .nullable()
      .optional()
      .describe(
        'Game days only: fault removal → first run of good seconds; null when it never recovered.',
      ),
    faults: z
      .array(
        z.object({
          kind: z.string(),
          injectedAt: z.number().nullable(),
          removedAt: z.number().nullable(),
          recovered: z.boolean(),
        }),
      )
      .optional()
      .describe('Game days only: each fault, with run-relative times in seconds.'),
    capacity: CapacitySummary.optional(),
  })
  .describe('What `--summary-json <file>` writes: a run’s outcome in one small, stable document.');

export type LatencyPercentilesMs = z.output<typeof Percentiles>;
export type SummaryUnit = z.output<typeof SummaryUnit>;
export type SummaryObjective = z.output<typeof SummaryObjective>;
export type SummaryWindow = z.output<typeof SummaryWindow>;
export type RunSummary = z.output<typeof RunSummarySchema>;

/** The JSON Schema (draft 2020-12) of `--summary-json`: exact for this version's fields. */
export function summaryJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(RunSummarySchema, { io: 'output' }), title: 'tiergate run summary' };
}
