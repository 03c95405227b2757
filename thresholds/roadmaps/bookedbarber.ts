// BookedBarber V2 (seed 004): today's 1,000 RPS, the 100,000 RPS target, and the seed's two
// k6 load tests (10,000 and 50,000 VUs), gated on the migration's KPIs, with the canary
// threshold as a rollback trigger and the performance-degradation alert as a warning.
import { cite, defineRoadmap } from '../define.ts';
import type { Citation, Journey, Objective, RampStage, RollbackTrigger, Tier } from '../model.ts';
import { parseObjective } from '../objective.ts';
import { defaultRamp, rollbackTrigger, throughputRatio } from './common.ts';

export const SEED_004 = '004_ff269ade39e12b93.txt';

function seed(line: number, quote: string, assumption?: string): Citation {
  return cite(SEED_004, line, quote, assumption);
}

const UPTIME =
  'uptime is judged as availability: the share of successful requests in the steady window';

/** List barbers, look at a barber's slots, book one (weighted 2 : 3 : 1). */
function bookingJourney(): Journey {
  return {
    name: 'booking',
    requests: [
      { name: 'barbers', method: 'GET', path: '/api/barbers', weight: 2, expectStatus: [200] },
      {
        name: 'slots',
        method: 'GET',
        path: '/api/barbers/1/slots',
        weight: 3,
        expectStatus: [200],
      },
      {
        name: 'book',
        method: 'POST',
        path: '/api/appointments',
        body: { barberId: 1, slot: '10:00' },
        weight: 1,
        expectStatus: [201],
      },
    ],
  };
}

function p95(assumption?: string): Objective {
  return parseObjective('p95 < 100ms', {
    id: 'p95',
    window: 'steady',
    description: 'API response time KPI',
    source: seed(389, '< 100ms p95 API response time', assumption),
  });
}

function availability(uptime: string, source: Citation, description: string): Objective {
  return parseObjective(`availability >= ${uptime}`, {
    id: 'availability',
    window: 'steady',
    description,
    source,
  });
}

/** The KPIs the migrated platform is held to at the target scale. */
function targetObjectives(): Objective[] {
  return [
    p95(),
    availability('99.99%', seed(388, 'Maintain 99.99% availability', UPTIME), '99.99% uptime KPI'),
  ];
}

function rollbackTriggers(): RollbackTrigger[] {
  return [
    rollbackTrigger(
      'rollback-canary',
      'availability >= 99.5%',
      { windowS: 60, forS: 30, delayS: 30 },
      seed(
        253,
        '--threshold=99.5',
        "the canary monitor's threshold read as availability (%) on a sliding 60 s window; " +
          'breached for 30 s, the rollout rolls back',
      ),
      'abort when fewer than 99.5% of requests succeed, as the canary monitor would',
    ),
  ];
}

/**
 * The PerformanceDegradation alert, as the seed labels it: `severity: warning`, an alert and not
 * an abort, so a warning on the gate rather than a rollback trigger.
 */
function degradationAlert(): Objective {
  return parseObjective('p95 <= 500ms', {
    id: 'degradation-alert',
    window: 'steady',
    severity: 'warn',
    description: 'the PerformanceDegradation alert (p95 above 0.5 s): warns',
    source: seed(
      416,
      'http_request_duration_seconds_bucket[5m])) > 0.5',
      'the alert is `severity: warning` (line 419), so it warns and never aborts; it is judged ' +
        "over the steady window rather than the alert's 5-minute rate and `for: 5m`",
    ),
  });
}

function tier(fields: Omit<Tier, 'journey' | 'rollbackTriggers' | 'gameDays'>): Tier {
  return {
    ...fields,
    objectives: [...fields.objectives, degradationAlert()],
    journey: bookingJourney(),
    rollbackTriggers: rollbackTriggers(),
    gameDays: ['region-failure', 'cache-failure'],
  };
}

/** k6 `--vus N --duration D`: a two-minute ramp, then the seed's duration held steady. */
function vuRamp(holdS: number): RampStage[] {
  return [
    { durationS: 60, target: 0.5 },
    { durationS: 60, target: 1 },
    { durationS: holdS, target: 1, steady: true },
    { durationS: 30, target: 0 },
  ];
}

export const BOOKEDBARBER = defineRoadmap({
  id: 'bookedbarber',
  name: 'BookedBarber V2, enterprise migration',
  description:
    "Today's 1,000 RPS, the 100,000 RPS target and the seed's k6 load tests, gated on the " +
    "migration's KPIs; the canary threshold aborts a run and the degradation alert warns. Journey: " +
    "barbers, slots, book (weighted 2 : 3 : 1, tiergate's assumption).",
  seeds: [SEED_004],
  tiers: [
    tier({
      id: 'current',
      name: '1,000 RPS (today)',
      description: "Today's production load; the platform must stay at today's uptime",
      load: { kind: 'rps', rps: 1_000, source: seed(13, '99.9% uptime, 1,000 RPS') },
      stages: defaultRamp(),
      objectives: [
        p95("the KPI of the migrated platform, held at today's load as well"),
        availability(
          '99.9%',
          seed(13, 'Current Performance**: 99.9% uptime', UPTIME),
          "today's 99.9% uptime",
        ),
        throughputRatio(),
      ],
    }),
    tier({
      id: 'target',
      name: '100,000 RPS (target)',
      description: 'The target state: 4 regions, sharded database, 100,000 RPS',
      load: { kind: 'rps', rps: 100_000, source: seed(19, '99.99% uptime, 100,000 RPS') },
      stages: defaultRamp(),
      objectives: [...targetObjectives(), throughputRatio()],
    }),
    tier({
      id: '10k-vus',
      name: '10,000 VUs (k6, 30 min)',
      description: 'Phase 4 enterprise load test: 10,000 VUs held for 30 min',
      load: {
        kind: 'vus',
        vus: 10_000,
        source: seed(165, 'k6 run --vus 10000 --duration 30m', 'the 30 min is the steady hold'),
      },
      stages: vuRamp(1_800),
      objectives: targetObjectives(),
    }),
    tier({
      id: '50k-vus',
      name: '50,000 VUs (k6, 60 min)',
      description: 'Post-migration load test at scale: 50,000 VUs held for 60 min',
      load: {
        kind: 'vus',
        vus: 50_000,
        source: seed(376, 'k6 run --vus 50000 --duration 60m', 'the 60 min is the steady hold'),
      },
      stages: vuRamp(3_600),
      objectives: targetObjectives(),
    }),
  ],
});
