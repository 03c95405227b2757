// The validator of compiled k6 options: every rule against options known to be wrong (each
// names the path it must report and why), and every built-in tier's options pass clean.
import { describe, expect, it } from 'vitest';
import { compileOptions } from '../../../scenarios/lib/options.ts';
import {
  durationMs,
  formatProblem,
  validateOptions,
} from '../../../scenarios/lib/validate-options.ts';
import { planAdhoc, planTier } from '../../../thresholds/plan.ts';
import { BUILTIN_ROADMAPS } from '../../../thresholds/roadmaps/index.ts';

type Options = Record<string, unknown> & {
  scenarios: Record<string, Record<string, unknown>>;
  thresholds: Record<string, unknown>;
};

/** Real compiled options (a ramp-up then a steady phase) to break one field at a time. */
function compiled(): Options {
  const plan = planAdhoc({ url: 'http://127.0.0.1:9/', rate: 50, durationS: 10, rampS: 5 });
  return structuredClone(compileOptions(plan, { abortOnFail: true }).options) as unknown as Options;
}

function rampingVus(fields: Record<string, unknown> = {}): Options {
  const o = compiled();
  o.scenarios = {
    vus: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [{ duration: '5s', target: 3 }],
      ...fields,
    },
  };
  return o;
}

function problemsOf(options: unknown, sequential = true) {
  return validateOptions(options, { sequential });
}

describe('durationMs: k6 duration strings', () => {
  it('reads what k6 reads', () => {
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs('1h2m3s')).toBe(3_723_000);
    expect(durationMs('0')).toBe(0);
    expect(durationMs('-2s')).toBe(-2000);
  });

  it('rejects what is not one', () => {
    for (const text of ['1.5.s', '30', '', 's', '1x', '1s ', ' 1s', '1 s']) {
      expect(durationMs(text), text).toBeUndefined();
    }
  });
});

describe('validateOptions: options known to be wrong', () => {
  const cases: [string, (o: Options) => void, string, RegExp][] = [
    [
      'an executor k6 does not have',
      (o) => (o.scenarios.steady!.executor = 'constant-rate'),
      'scenarios.steady.executor',
      /is not a k6 executor.*constant-arrival-rate/,
    ],
    [
      'no executor at all',
      (o) => delete o.scenarios.steady!.executor,
      'scenarios.steady.executor',
      /is not a k6 executor.*add executor/,
    ],
    [
      "another executor's option (stages on constant-arrival-rate)",
      (o) => (o.scenarios.steady!.stages = [{ duration: '1s', target: 1 }]),
      'scenarios.steady.stages',
      /is not an option of constant-arrival-rate/,
    ],
    [
      'a required field missing (rate)',
      (o) => delete o.scenarios.steady!.rate,
      'scenarios.steady.rate',
      /is missing \(constant-arrival-rate requires it\)/,
    ],
    [
      'a required field missing (preAllocatedVUs of ramping-arrival-rate)',
      (o) => delete o.scenarios['ramp-up']!.preAllocatedVUs,
      'scenarios.ramp-up.preAllocatedVUs',
      /is missing/,
    ],
    [
      'a rate of 0',
      (o) => (o.scenarios.steady!.rate = 0),
      'scenarios.steady.rate',
      /must be a whole number above 0/,
    ],
    [
      'a fractional rate',
      (o) => (o.scenarios.steady!.rate = 2.5),
      'scenarios.steady.rate',
      /must be a whole number above 0/,
    ],
    [
      'negative preAllocatedVUs',
      (o) => (o.scenarios.steady!.preAllocatedVUs = -1),
      'scenarios.steady.preAllocatedVUs',
      /must be a whole number 0 or more/,
    ],
    [
      'maxVUs below preAllocatedVUs',
      (o) => Object.assign(o.scenarios.steady!, { preAllocatedVUs: 20, maxVUs: 10 }),
      'scenarios.steady.maxVUs',
      /is below preAllocatedVUs \(20\)/,
    ],
    [
      'a duration with two dots',
      (o) => (o.scenarios.steady!.duration = '1.5.s'),
      'scenarios.steady.duration',
      /is not a k6 duration/,
    ],
    [
      'a negative start time',
      (o) => (o.scenarios['ramp-up']!.startTime = '-1s'),
      'scenarios.ramp-up.startTime',
      /is negative/,
    ],
    [
      'a bare number where k6 needs a duration string',
      (o) => (o.scenarios.steady!.duration = 30),
      'scenarios.steady.duration',
      /must be a duration string/,
    ],
    [
      'a constant scenario lasting 0s',
      (o) => (o.scenarios.steady!.duration = '0s'),
      'scenarios.steady.duration',
      /must be longer than 0s/,
    ],
    [
      'a time unit of 0s',
      (o) => (o.scenarios.steady!.timeUnit = '0s'),
      'scenarios.steady.timeUnit',
      /must be longer than 0s/,
    ],
    [
      'a graceful stop that is not a duration',
      (o) => (o.scenarios.steady!.gracefulStop = 'soon'),
      'scenarios.steady.gracefulStop',
      /is not a k6 duration/,
    ],
    [
      'no stages',
      (o) => (o.scenarios['ramp-up']!.stages = []),
      'scenarios.ramp-up.stages',
      /must be a non-empty list/,
    ],
    [
      'a stage with a negative target',
      (o) => (o.scenarios['ramp-up']!.stages = [{ duration: '5s', target: -1 }]),
      'scenarios.ramp-up.stages[0].target',
      /must be a whole number 0 or more/,
    ],
    [
      'a stage without a duration',
      (o) => (o.scenarios['ramp-up']!.stages = [{ target: 5 }]),
      'scenarios.ramp-up.stages[0].duration',
      /is missing/,
    ],
    [
      'a stage option k6 does not have',
      (o) => (o.scenarios['ramp-up']!.stages = [{ duration: '5s', target: 5, rate: 1 }]),
      'scenarios.ramp-up.stages[0].rate',
      /is not a stage option/,
    ],
    [
      'stages lasting 0s together',
      (o) => (o.scenarios['ramp-up']!.stages = [{ duration: '0s', target: 5 }]),
      'scenarios.ramp-up.stages',
      /last 0s together/,
    ],
    [
      'a ramping-arrival-rate that starts no iteration',
      (o) => Object.assign(o.scenarios['ramp-up']!, { stages: [{ duration: '5s', target: 0 }] }),
      'scenarios.ramp-up.stages',
      /start no iteration/,
    ],
    [
      'a scenario name k6 refuses',
      (o) => (o.scenarios['steady state'] = o.scenarios.steady!),
      'scenarios["steady state"]',
      /is not a k6 scenario name/,
    ],
    [
      "a stage scenario starting before the previous one ends (tiergate's order)",
      (o) => (o.scenarios.steady!.startTime = '4s'),
      'scenarios.steady.startTime',
      /starts before scenario ramp-up ends \(at 5000ms\)/,
    ],
    [
      'a malformed tag filter in a threshold key',
      (o) => (o.thresholds['http_req_duration{scenario}'] = ['p(95)<1500']),
      'thresholds["http_req_duration{scenario}"]',
      /is not a metric name with optional tag filters/,
    ],
    [
      'a threshold key that is no metric name',
      (o) => (o.thresholds['http req duration'] = ['p(95)<1500']),
      'thresholds["http req duration"]',
      /is not a metric name/,
    ],
    [
      'a percentile written without parentheses',
      (o) => (o.thresholds.http_req_duration = ['p95<1500']),
      'thresholds.http_req_duration[0]',
      /is not a k6 threshold expression/,
    ],
    [
      'an operator k6 does not have',
      (o) => (o.thresholds.http_req_duration = ['avg=<200']),
      'thresholds.http_req_duration[0]',
      /is not a k6 threshold expression/,
    ],
    [
      'a threshold without a number',
      (o) => (o.thresholds.http_req_duration = ['avg<fast']),
      'thresholds.http_req_duration[0]',
      /is not a k6 threshold expression/,
    ],
    [
      'a percentile above 100',
      (o) => (o.thresholds.http_req_duration = ['p(101)<1500']),
      'thresholds.http_req_duration[0]',
      /percentile 101, outside 0 to 100/,
    ],
    [
      "an aggregation the metric's type does not have (p(95) of a rate)",
      (o) => (o.thresholds['http_req_failed{scenario:steady}'] = ['p(95)<0.01']),
      'thresholds["http_req_failed{scenario:steady}"][0]',
      /a rate metric \(http_req_failed\) does not have.*use rate/,
    ],
    [
      'a threshold list that is a bare string',
      (o) => (o.thresholds.http_req_duration = 'p(95)<1500'),
      'thresholds.http_req_duration',
      /must be a non-empty list/,
    ],
    [
      'a threshold object without its expression',
      (o) => (o.thresholds.http_req_failed = [{ abortOnFail: true }]),
      'thresholds.http_req_failed[0].threshold',
      /is missing/,
    ],
    [
      'a threshold object option k6 does not have',
      (o) => (o.thresholds.http_req_failed = [{ threshold: 'rate<0.01', abort: true }]),
      'thresholds.http_req_failed[0].abort',
      /is not a threshold option/,
    ],
    [
      'abortOnFail that is not a boolean',
      (o) => (o.thresholds.http_req_failed = [{ threshold: 'rate<0.01', abortOnFail: 'yes' }]),
      'thresholds.http_req_failed[0].abortOnFail',
      /must be true or false/,
    ],
    [
      'delayAbortEval as a bare number',
      (o) =>
        (o.thresholds.http_req_failed = [
          { threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10' },
        ]),
      'thresholds.http_req_failed[0].delayAbortEval',
      /is not a k6 duration/,
    ],
    [
      'a summary statistic k6 does not have',
      (o) => (o.summaryTrendStats = ['avg', 'p99']),
      'summaryTrendStats[1]',
      /is not a trend statistic/,
    ],
    [
      'discardResponseBodies that is not a boolean',
      (o) => (o.discardResponseBodies = 'yes'),
      'discardResponseBodies',
      /must be true or false/,
    ],
    [
      'scenarios together with the duration shortcut',
      (o) => (o.duration = '30s'),
      'duration',
      /cannot be combined with scenarios/,
    ],
    ['no scenario', (o) => (o.scenarios = {}), 'scenarios', /must hold at least one scenario/],
  ];

  it.each(cases)('%s → %s', (_what, breakIt, path, problem) => {
    const options = compiled();
    breakIt(options);
    const found = problemsOf(options);
    expect(
      found.some((p) => p.path === path && problem.test(`${p.problem} (fix: ${p.fix})`)),
      found.map(formatProblem).join('\n'),
    ).toBe(true);
  });

  it('ramping-vus with no VU at any time', () => {
    const found = problemsOf(rampingVus({ stages: [{ duration: '5s', target: 0 }] }));
    expect(found.map((p) => p.path)).toEqual(['scenarios.vus.stages']);
    expect(found[0]!.problem).toMatch(/run no VU/);
  });

  it('options that are not an object', () => {
    expect(problemsOf('scenarios').map((p) => p.path)).toEqual(['']);
    expect(formatProblem(problemsOf(null)[0]!)).toMatch(/^options: null k6 options must be/);
  });

  it('says the path, the value and the fix in one line', () => {
    const options = compiled();
    options.scenarios.steady!.rate = 0;
    expect(problemsOf(options).map(formatProblem)).toEqual([
      'scenarios.steady.rate: 0 must be a whole number above 0 (fix: use an integer 1 or more)',
    ]);
  });
});

describe('validateOptions: what is right passes', () => {
  it('accepts every aggregation, operator, tag filter and threshold object k6 documents', () => {
    const options = compiled();
    options.thresholds = {
      'http_req_duration{scenario:checkout}': ['p(95)<1500', 'p(99.9) <= 3000'],
      http_req_duration: ['avg<200', 'min>=0', 'max<5000', 'med<150', 'p(0)>-1'],
      'http_req_duration{scenario:steady,name:pay}': [
        { threshold: 'p(99)<2000', abortOnFail: true, delayAbortEval: '1m30s' },
      ],
      http_reqs: ['count>100', 'rate>=10'],
      'group_duration{group:::checkout}': ['avg<100'],
      vus: ['value>0'],
      checks: ['rate==1', 'rate===1', 'rate!=0'],
      my_custom_metric: ['value>1', 'count<1e6'],
    };
    expect(problemsOf(options).map(formatProblem)).toEqual([]);
  });

  it('allows overlapping scenarios when the order is not tiergate’s', () => {
    const options = compiled();
    options.scenarios.steady!.startTime = '0s';
    expect(problemsOf(options, true)).toHaveLength(1);
    expect(problemsOf(options, false)).toEqual([]);
  });

  it('accepts the other executors k6 documents', () => {
    const options = compiled();
    options.scenarios = {
      a: { executor: 'shared-iterations', vus: 2, iterations: 10, maxDuration: '30s' },
      b: { executor: 'per-vu-iterations', vus: 2, iterations: 3 },
      c: { executor: 'constant-vus', vus: 5, duration: '1m', tags: { team: 'checkout' } },
    };
    expect(problemsOf(options, false).map(formatProblem)).toEqual([]);
  });

  const tiers = BUILTIN_ROADMAPS.flatMap((r) =>
    r.tiers.map(
      (t) => [r.id, t.id, planTier(t, { roadmap: r.id, target: 'http://127.0.0.1:9' })] as const,
    ),
  );
  it.each(tiers)(
    '%s %s: compiled options validate clean for 1 and 4 generators',
    (_r, _t, plan) => {
      for (const generators of [1, 4]) {
        for (const abortOnFail of [true, false]) {
          const { options } = compileOptions(plan, { abortOnFail, generators });
          expect(validateOptions(options, { sequential: true }).map(formatProblem)).toEqual([]);
        }
      }
    },
  );
});
