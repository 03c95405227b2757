// k6 options → what k6 would refuse in them, and what breaks tiergate's promise that its stage
// scenarios run one after another. Each problem names its JSON path, the value and the fix.
// Written from k6's documentation of scenarios, executors and thresholds. Pure: it runs in
// Node (the k6 engines, `tiergate k6 export`) and in the test-only k6 stand-in.

export interface OptionsProblem {
  /** JSON path such as `scenarios.steady.rate`. */
  path: string;
  /** The value found there (undefined when it is missing). */
  value: unknown;
  /** What is wrong, e.g. `must be a whole number above 0`. */
  problem: string;
  /** How to fix it. */
  fix: string;
}

export interface ValidateSettings {
  /**
   * tiergate's scenarios are the plan's phases: each starts when (or after) the previous one,
   * in the order written, ends. Off for k6 scripts in general, whose scenarios may overlap.
   */
  sequential?: boolean;
}

type Report = (path: string, value: unknown, problem: string, fix: string) => void;

const DURATION_FIX = 'write a k6 duration such as 30s, 1m30s or 500ms';

/** Milliseconds per unit of a k6 (Go) duration. */
export const UNIT_MS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

/**
 * Milliseconds of a k6 duration string (Go's syntax: `1m30s`, `500ms`, `1.5s`, `-2s`, `0`), or
 * undefined when the text is not one. A bare number other than 0 is not a duration string.
 */
export function durationMs(text: string): number | undefined {
  const m = /^([+-]?)(.*)$/.exec(text) as RegExpExecArray;
  const sign = m[1] === '-' ? -1 : 1;
  const body = m[2] ?? '';
  if (body === '0') return 0;
  if (body === '') return undefined;
  let ms = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|ns|h|m|s)/;
  for (let rest = body; rest.length > 0; ) {
    const p = part.exec(rest);
    if (!p) return undefined;
    ms += Number(p[1]) * (UNIT_MS[p[2]!] ?? Number.NaN);
    rest = rest.slice(p[0].length);
  }
  return sign * ms;
}

/** `a.b` for plain keys, `a["x{y:z}"]` for the rest (threshold keys, odd scenario names). */
function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z0-9_-]+$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What one field of a scenario holds; each kind checks its value and returns it parsed. */
type Kind =
  | 'duration' // ≥ 0
  | 'span' // > 0
  | 'whole' // integer ≥ 0
  | 'positive' // integer ≥ 1
  | 'stages'
  | 'stringMap'
  | 'text'
  | 'object';

interface Executor {
  fields: Record<string, Kind>;
  required: string[];
}

const COMMON: Record<string, Kind> = {
  executor: 'text',
  startTime: 'duration',
  gracefulStop: 'duration',
  exec: 'text',
  env: 'stringMap',
  tags: 'stringMap',
  options: 'object',
};

const ITERATIONS: Executor = {
  fields: { vus: 'positive', iterations: 'positive', maxDuration: 'span' },
  required: [],
};

/** k6's executors and their own options (docs: using-k6/scenarios/executors). */
const EXECUTORS: Record<string, Executor> = {
  'shared-iterations': ITERATIONS,
  'per-vu-iterations': ITERATIONS,
  'constant-vus': { fields: { vus: 'positive', duration: 'span' }, required: ['duration'] },
  'ramping-vus': {
    fields: { startVUs: 'whole', stages: 'stages', gracefulRampDown: 'duration' },
    required: ['stages'],
  },
  'constant-arrival-rate': {
    fields: {
      rate: 'positive',
      timeUnit: 'span',
      duration: 'span',
      preAllocatedVUs: 'whole',
      maxVUs: 'positive',
    },
    required: ['rate', 'duration', 'preAllocatedVUs'],
  },
  'ramping-arrival-rate': {
    fields: {
      startRate: 'whole',
      timeUnit: 'span',
      stages: 'stages',
      preAllocatedVUs: 'whole',
      maxVUs: 'positive',
    },
    required: ['stages', 'preAllocatedVUs'],
  },
};

const EXECUTOR_NAMES = Object.keys(EXECUTORS).join(', ');

interface Stage {
  ms: number | undefined;
  target: number | undefined;
}

/** Checks one value of a kind; returns its number (ms for durations) when it has one. */
function checkKind(
  kind: Kind,
  path: string,
  value: unknown,
  report: Report,
): number | Stage[] | undefined {
  switch (kind) {
    case 'duration':
    case 'span': {
      if (typeof value !== 'string') {
        report(path, value, 'must be a duration string', DURATION_FIX);
        return undefined;
      }
      const ms = durationMs(value);
      if (ms === undefined) report(path, value, 'is not a k6 duration', DURATION_FIX);
      else if (ms < 0) report(path, value, 'is negative', 'use 0s or a positive duration');
      else if (kind === 'span' && ms === 0) {
        report(path, value, 'must be longer than 0s', 'use a positive duration, e.g. 1s');
      } else return ms;
      return undefined;
    }
    case 'whole':
    case 'positive': {
      const min = kind === 'whole' ? 0 : 1;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
        const what = min === 0 ? '0 or more' : 'above 0';
        report(path, value, `must be a whole number ${what}`, `use an integer ${min} or more`);
        return undefined;
      }
      return value;
    }
    case 'stages':
      return checkStages(path, value, report);
    case 'stringMap':
      if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
        report(path, value, 'must map names to strings', 'write e.g. { "team": "checkout" }');
      }
      return undefined;
    case 'text':
      if (typeof value !== 'string' || value === '') {
        report(path, value, 'must be a non-empty string', 'write the name as a string');
      }
      return undefined;
    case 'object':
      if (!isObject(value)) report(path, value, 'must be an object', 'write it as { … }');
      return undefined;
  }
}

function checkStages(path: string, value: unknown, report: Report): Stage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    report(path, value, 'must be a non-empty list', 'write e.g. [{ duration: "30s", target: 10 }]');
    return undefined;
  }
  return value.map((stage: unknown, i): Stage => {
    const where = at(path, i);
    if (!isObject(stage)) {
      report(where, stage, 'must be an object', 'write e.g. { duration: "30s", target: 10 }');
      return { ms: undefined, target: undefined };
    }
    for (const key of Object.keys(stage)) {
      if (key !== 'duration' && key !== 'target') {
        report(
          at(where, key),
          stage[key],
          'is not a stage option',
          'a stage has duration and target',
        );
      }
    }
    if (stage.duration === undefined || stage.target === undefined) {
      const missing = stage.duration === undefined ? 'duration' : 'target';
      report(at(where, missing), undefined, 'is missing', 'a stage needs a duration and a target');
    }
    const ms =
      stage.duration === undefined
        ? undefined
        : checkKind('duration', at(where, 'duration'), stage.duration, report);
    const target =
      stage.target === undefined
        ? undefined
        : checkKind('whole', at(where, 'target'), stage.target, report);
    return { ms: ms as number | undefined, target: target as number | undefined };
  });
}

/** When a scenario starts and ends (ms), where both are known. */
interface Span {
  name: string;
  startMs: number;
  endMs: number;
}

function sumStages(stages: Stage[] | undefined): number | undefined {
  if (stages === undefined || stages.some((s) => s.ms === undefined)) return undefined;
  return stages.reduce((sum, s) => sum + (s.ms ?? 0), 0);
}

function checkScenario(name: string, raw: unknown, report: Report): Span | undefined {
  const path = at('scenarios', name);
  if (!/^[0-9A-Za-z_-]+$/.test(name)) {
    report(path, name, 'is not a k6 scenario name', 'use only letters, digits, - and _');
  }
  if (!isObject(raw)) {
    report(path, raw, 'must be an object', 'write the scenario as { executor: …, … }');
    return undefined;
  }
  const executor = EXECUTORS[String(raw.executor)];
  if (executor === undefined) {
    const fix = raw.executor === undefined ? 'add executor' : 'use one of';
    report(at(path, 'executor'), raw.executor, 'is not a k6 executor', `${fix}: ${EXECUTOR_NAMES}`);
    return undefined;
  }
  const parsed: Record<string, number | Stage[] | undefined> = {};
  for (const [key, value] of Object.entries(raw)) {
    const kind = executor.fields[key] ?? COMMON[key];
    if (kind === undefined) {
      const allowed = Object.keys(executor.fields).join(', ');
      report(
        at(path, key),
        value,
        `is not an option of ${raw.executor}`,
        `its options: ${allowed}, and ${Object.keys(COMMON).join(', ')}`,
      );
    } else if (value !== undefined) parsed[key] = checkKind(kind, at(path, key), value, report);
  }
  for (const key of executor.required) {
    if (raw[key] === undefined) {
      report(at(path, key), undefined, `is missing (${raw.executor} requires it)`, `set ${key}`);
    }
  }
  const num = (key: string): number | undefined => parsed[key] as number | undefined;
  const stages = parsed.stages as Stage[] | undefined;
  const most = (start: number | undefined) =>
    Math.max(start ?? 0, ...(stages ?? []).map((s) => s.target ?? 0));
  if (stages !== undefined && sumStages(stages) === 0) {
    report(
      at(path, 'stages'),
      raw.stages,
      'last 0s together',
      'give at least one stage a duration',
    );
  }
  const pre = num('preAllocatedVUs');
  const max = num('maxVUs');
  if (pre !== undefined && max !== undefined && max < pre) {
    report(
      at(path, 'maxVUs'),
      max,
      `is below preAllocatedVUs (${pre})`,
      `use maxVUs ${pre} or more`,
    );
  }
  if (raw.executor === 'ramping-vus' && stages !== undefined && most(num('startVUs') ?? 1) === 0) {
    report(
      at(path, 'stages'),
      raw.stages,
      'run no VU: startVUs and every target are 0',
      'give a stage a target above 0',
    );
  }
  if (
    raw.executor === 'ramping-arrival-rate' &&
    stages !== undefined &&
    most(num('startRate')) === 0
  ) {
    report(
      at(path, 'stages'),
      raw.stages,
      'start no iteration: startRate and every target are 0',
      'give a stage a target above 0',
    );
  }
  const startMs = raw.startTime === undefined ? 0 : num('startTime');
  const lengthMs = num('duration') ?? sumStages(stages) ?? num('maxDuration');
  if (startMs === undefined || lengthMs === undefined) return undefined;
  return { name, startMs, endMs: startMs + lengthMs };
}

/** tiergate's stage scenarios: each starts no earlier than the one before it ends. */
function checkSequence(spans: (Span | undefined)[], report: Report): void {
  let previous: Span | undefined;
  for (const span of spans) {
    if (span === undefined) {
      previous = undefined;
      continue;
    }
    // Start and length are each rounded to whole ms by the compiler: allow that much.
    if (previous !== undefined && span.startMs < previous.endMs - 1) {
      report(
        at(at('scenarios', span.name), 'startTime'),
        `${span.startMs}ms`,
        `starts before scenario ${previous.name} ends (at ${previous.endMs}ms)`,
        `tiergate's stages run one after another: start it at ${previous.endMs}ms or later`,
      );
    }
    previous = span;
  }
}

/** Built-in metrics and their types (docs: using-k6/metrics/reference). */
const METRIC_TYPES: Record<string, keyof typeof AGGREGATIONS> = {
  http_reqs: 'counter',
  iterations: 'counter',
  dropped_iterations: 'counter',
  data_sent: 'counter',
  data_received: 'counter',
  vus: 'gauge',
  vus_max: 'gauge',
  checks: 'rate',
  http_req_failed: 'rate',
  http_req_duration: 'trend',
  http_req_blocked: 'trend',
  http_req_connecting: 'trend',
  http_req_tls_handshaking: 'trend',
  http_req_sending: 'trend',
  http_req_waiting: 'trend',
  http_req_receiving: 'trend',
  iteration_duration: 'trend',
  group_duration: 'trend',
};

/** Threshold aggregations by metric type (docs: using-k6/thresholds). */
const AGGREGATIONS = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
};

const EXPRESSION =
  /^\s*(avg|min|max|med|count|rate|value|p\(([^)]*)\))\s*(<=|>=|===|==|!=|<|>)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;
const EXPRESSION_FIX = 'write <aggregation> <operator> <number>, e.g. p(95)<1500 or rate<0.01';
const METRIC_KEY = /^([A-Za-z_][A-Za-z0-9_]{0,127})(?:\{(.*)\})?$/;

/** `http_req_duration{scenario:checkout,name:pay}` → its metric, or undefined when malformed. */
function checkMetricKey(key: string, report: Report): string | undefined {
  const path = at('thresholds', key);
  const m = METRIC_KEY.exec(key);
  const tags = m?.[2];
  const badTag = tags?.split(',').find((t) => !/^\s*[^\s:{}]+\s*:/.test(t));
  if (!m || badTag !== undefined) {
    report(
      path,
      key,
      'is not a metric name with optional tag filters',
      'write metric or metric{tag:value,…}, e.g. http_req_duration{scenario:steady}',
    );
    return undefined;
  }
  return m[1];
}

function checkExpression(path: string, text: unknown, metric: string | undefined, report: Report) {
  if (typeof text !== 'string') {
    report(path, text, 'must be a threshold expression string', EXPRESSION_FIX);
    return;
  }
  const m = EXPRESSION.exec(text);
  if (!m) {
    report(path, text, 'is not a k6 threshold expression', EXPRESSION_FIX);
    return;
  }
  const percentile = m[2];
  if (percentile !== undefined) {
    const p = Number(percentile);
    if (percentile.trim() === '' || !Number.isFinite(p) || p < 0 || p > 100) {
      report(
        path,
        text,
        `has percentile ${percentile}, outside 0 to 100`,
        'use p(N) with N from 0 to 100, e.g. p(99.9)',
      );
      return;
    }
  }
  const type = metric === undefined ? undefined : METRIC_TYPES[metric];
  const aggregation = percentile === undefined ? m[1]! : 'p(N)';
  if (type !== undefined && !AGGREGATIONS[type].includes(aggregation)) {
    report(
      path,
      text,
      `uses ${m[1]}, which a ${type} metric (${metric}) does not have`,
      `use ${AGGREGATIONS[type].join(', ')}`,
    );
  }
}

function checkThreshold(path: string, item: unknown, metric: string | undefined, report: Report) {
  if (!isObject(item)) {
    checkExpression(path, item, metric, report);
    return;
  }
  for (const [key, value] of Object.entries(item)) {
    const where = at(path, key);
    if (key === 'threshold') checkExpression(where, value, metric, report);
    else if (key === 'abortOnFail') {
      if (typeof value !== 'boolean')
        report(where, value, 'must be true or false', 'write abortOnFail: true');
    } else if (key === 'delayAbortEval') checkKind('duration', where, value, report);
    else
      report(
        where,
        value,
        'is not a threshold option',
        'a threshold object has threshold, abortOnFail and delayAbortEval',
      );
  }
  if (item.threshold === undefined) {
    report(
      at(path, 'threshold'),
      undefined,
      'is missing',
      `add threshold: ${JSON.stringify('p(95)<1500')}`,
    );
  }
}

function checkThresholds(thresholds: unknown, report: Report): void {
  if (!isObject(thresholds)) {
    report(
      'thresholds',
      thresholds,
      'must be an object',
      'write { "<metric>": ["<expression>", …] }',
    );
    return;
  }
  for (const [key, list] of Object.entries(thresholds)) {
    const metric = checkMetricKey(key, report);
    const path = at('thresholds', key);
    if (!Array.isArray(list) || list.length === 0) {
      report(
        path,
        list,
        'must be a non-empty list of thresholds',
        `write [${JSON.stringify('p(95)<1500')}]`,
      );
      continue;
    }
    list.forEach((item, i) => {
      checkThreshold(at(path, i), item, metric, report);
    });
  }
}

const TREND_STAT = /^(avg|min|med|max|count|p\((\d+(\.\d+)?)\))$/;

function checkTopLevel(options: Record<string, unknown>, report: Report): void {
  for (const key of ['discardResponseBodies', 'noConnectionReuse']) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean')
      report(key, v, 'must be true or false', `write ${key}: true`);
  }
  const stats = options.summaryTrendStats;
  if (stats !== undefined) {
    if (!Array.isArray(stats)) {
      report('summaryTrendStats', stats, 'must be a list', 'write e.g. ["avg", "p(95)"]');
    } else {
      stats.forEach((s, i) => {
        const m = typeof s === 'string' ? TREND_STAT.exec(s) : null;
        if (!m || Number(m[2] ?? 0) > 100) {
          report(
            at('summaryTrendStats', i),
            s,
            'is not a trend statistic',
            'use avg, min, med, max, count or p(N)',
          );
        }
      });
    }
  }
  if (options.scenarios !== undefined) {
    for (const shortcut of ['vus', 'duration', 'stages', 'iterations']) {
      if (options[shortcut] !== undefined) {
        report(
          shortcut,
          options[shortcut],
          'cannot be combined with scenarios',
          `remove ${shortcut} or scenarios`,
        );
      }
    }
  }
}

/** Every problem k6 (or tiergate's promise of sequential stages) finds in `options`. */
export function validateOptions(
  options: unknown,
  settings: ValidateSettings = {},
): OptionsProblem[] {
  const problems: OptionsProblem[] = [];
  const report: Report = (path, value, problem, fix) =>
    problems.push({ path, value, problem, fix });
  if (!isObject(options)) {
    report('', options, 'k6 options must be an object', 'export const options = { … }');
    return problems;
  }
  checkTopLevel(options, report);
  if (options.scenarios !== undefined) {
    if (!isObject(options.scenarios) || Object.keys(options.scenarios).length === 0) {
      report(
        'scenarios',
        options.scenarios,
        'must hold at least one scenario',
        'write { "<name>": { executor: …, … } }',
      );
    } else {
      const spans = Object.entries(options.scenarios).map(([name, s]) =>
        checkScenario(name, s, report),
      );
      if (settings.sequential) checkSequence(spans, report);
    }
  }
  if (options.thresholds !== undefined) checkThresholds(options.thresholds, report);
  return problems;
}

/** One line: `scenarios.steady.rate: 0 must be a whole number above 0 (fix: use an integer 1 or more)`. */
export function formatProblem(p: OptionsProblem): string {
  const value = p.value === undefined ? '' : ` ${JSON.stringify(p.value)}`;
  return `${p.path || 'options'}:${value} ${p.problem} (fix: ${p.fix})`;
}
