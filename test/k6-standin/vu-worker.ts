// One VU: its own copy of the script, evaluated in this worker thread with the stand-in's k6
// modules. The main thread tells it what to run (init happens on start); http.request and
// sleep block this thread, as they block a VU in k6.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { format } from 'node:util';
import { runInThisContext } from 'node:vm';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { logLine } from './log.ts';
import { MODULES_GLOBAL } from './modules.ts';
import type { MetricType } from './output.ts';
import {
  type Contains,
  type DeclaredMetric,
  type FromVu,
  type HttpRequest,
  type HttpResponse,
  nowMs,
  type ScenarioContext,
  type ToVu,
  type VuSample,
  type VuWorkerData,
} from './protocol.ts';

const data = workerData as VuWorkerData;
const parent = parentPort!;
const flag = new Int32Array(data.flag);
const post = (m: FromVu): void => parent.postMessage(m);

/** exec.test.abort(): unwinds the script, then the main thread stops the test (exit 108). */
class TestAbort extends Error {}

/** What the VU is doing now (the context the modules read). */
const state = {
  initContext: true,
  iteration: -1,
  iterationInScenario: -1,
  group: '',
  scenario: undefined as ScenarioContext | undefined,
  testStartMs: 0,
  discardResponseBodies: false,
  maxRedirects: 10,
  responseCallback: undefined as [number, number][] | undefined,
};
const samples: VuSample[] = [];
const declared: DeclaredMetric[] = [];

function emit(metric: DeclaredMetric, value: number, tags: Record<string, string>, system = {}) {
  const scenario: Record<string, string> = state.scenario ? { scenario: state.scenario.name } : {};
  samples.push({
    ...metric,
    value,
    timeMs: nowMs(),
    tags,
    system: { group: state.group, ...scenario, ...system },
  });
}

function flushSamples(): void {
  if (samples.length > 0) post({ type: 'samples', samples: samples.splice(0) });
}

/** Throws on a property the stand-in does not provide (k6 has it; we refuse to guess). */
function strict<T extends object>(what: string, target: T): T {
  return new Proxy(target, {
    get(t, key, receiver) {
      if (typeof key === 'symbol' || key in t || key === 'then' || key === 'toJSON') {
        return Reflect.get(t, key, receiver);
      }
      throw new Error(`${what}.${key} is not provided by the tiergate k6 stand-in`);
    },
  });
}

function syncCall(request: HttpRequest): HttpResponse {
  Atomics.store(flag, 0, 0);
  data.port.postMessage(request);
  Atomics.wait(flag, 0, 0);
  const answer = receiveMessageOnPort(data.port);
  if (answer === undefined) throw new Error('stand-in: the answer to a request went missing');
  return answer.message as HttpResponse;
}

// --- k6 -------------------------------------------------------------------------------------

const sleepFlag = new Int32Array(new SharedArrayBuffer(4));
const checksMetric: DeclaredMetric = { name: 'checks', type: 'rate', contains: 'default' };
const groupMetric: DeclaredMetric = { name: 'group_duration', type: 'trend', contains: 'time' };

const k6 = {
  check(value: unknown, sets: Record<string, unknown>, tags: Record<string, string> = {}) {
    let all = true;
    for (const [name, test] of Object.entries(sets)) {
      const ok = Boolean(typeof test === 'function' ? test(value) : test);
      all &&= ok;
      emit(checksMetric, ok ? 1 : 0, tags, { check: name });
    }
    return all;
  },
  group<T>(name: string, fn: () => T): T {
    if (state.initContext) throw new Error('group() is not allowed in the init context');
    const outer = state.group;
    state.group = `${outer}::${name}`;
    const start = nowMs();
    try {
      return fn();
    } finally {
      emit(groupMetric, nowMs() - start, {});
      state.group = outer;
    }
  },
  sleep(seconds: number) {
    Atomics.wait(sleepFlag, 0, 0, Math.max(0, seconds * 1000));
  },
  fail(message = '') {
    throw new Error(message);
  },
};

// --- k6/http --------------------------------------------------------------------------------

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  redirects?: number;
  responseCallback?: unknown;
  responseType?: 'text' | 'binary' | 'none';
}

const EXPECTED = Symbol('expectedStatuses');
interface ExpectedStatuses {
  [EXPECTED]: [number, number][];
}

function expectedStatuses(...codes: (number | { min: number; max: number })[]): ExpectedStatuses {
  const ranges = codes.map((c): [number, number] => {
    if (typeof c === 'number' && Number.isInteger(c)) return [c, c];
    if (typeof c === 'object' && c !== null && Number.isInteger(c.min) && Number.isInteger(c.max)) {
      return [c.min, c.max];
    }
    throw new Error(`expectedStatuses: ${format(c)} is neither a status nor {min, max}`);
  });
  return { [EXPECTED]: ranges };
}

function callbackRanges(callback: unknown): [number, number][] | undefined {
  if (callback === undefined) return state.responseCallback;
  if (callback === null) return [];
  if (typeof callback === 'object' && EXPECTED in callback) {
    return (callback as ExpectedStatuses)[EXPECTED];
  }
  throw new Error('responseCallback: only http.expectedStatuses(...) is supported (as in k6)');
}

function timeoutMs(value: string | number | undefined): number {
  if (value === undefined) return 60_000;
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!m) throw new Error(`timeout "${value}" is not a duration`);
  return Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'] ?? 1);
}

function encodeBody(body: unknown): string | Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'object') {
    // k6 sends a plain object as a form.
    return new URLSearchParams(
      Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
    ).toString();
  }
  throw new Error(`request body of type ${typeof body} is not supported`);
}

class Response {
  constructor(readonly raw: HttpResponse) {}
  get status() {
    return this.raw.status;
  }
  get body() {
    return this.raw.body;
  }
  get headers() {
    return this.raw.headers;
  }
  get url() {
    return this.raw.url;
  }
  get timings() {
    return this.raw.timings;
  }
  get error() {
    return this.raw.error;
  }
  get error_code() {
    return this.raw.error_code;
  }
  get proto() {
    return this.raw.proto;
  }
  json(selector?: string): unknown {
    if (selector !== undefined)
      throw new Error('Response.json(selector) is not provided by the stand-in');
    if (typeof this.raw.body !== 'string') throw new Error('the response has no text body');
    return JSON.parse(this.raw.body);
  }
}

function request(method: string, url: string, body?: unknown, params: Params = {}): Response {
  if (state.initContext) {
    throw new Error('Making http requests in the init context is not supported');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
  const encoded = encodeBody(body);
  if (typeof body === 'object' && body !== null && typeof encoded === 'string') {
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
  }
  const known = new Set([
    'headers',
    'tags',
    'timeout',
    'redirects',
    'responseCallback',
    'responseType',
  ]);
  for (const key of Object.keys(params)) {
    if (!known.has(key))
      throw new Error(`request param "${key}" is not provided by the tiergate k6 stand-in`);
  }
  const responseType = params.responseType ?? (state.discardResponseBodies ? 'none' : 'text');
  const answer = syncCall({
    method: method.toUpperCase(),
    url: String(url),
    body: encoded,
    headers,
    timeoutMs: timeoutMs(params.timeout),
    maxRedirects: params.redirects ?? state.maxRedirects,
    expected: callbackRanges(params.responseCallback) ?? [[200, 399]],
    discardBody: responseType === 'none',
    binary: responseType === 'binary',
    tags: Object.fromEntries(Object.entries(params.tags ?? {}).map(([k, v]) => [k, String(v)])),
    group: state.group,
    scenario: state.scenario?.name ?? '',
  });
  return new Response(answer);
}

const verb =
  (method: string, withBody: boolean) =>
  (url: string, a?: unknown, b?: Params): Response =>
    withBody ? request(method, url, a, b) : request(method, url, null, a as Params);

const http = {
  request,
  get: verb('GET', false),
  head: verb('HEAD', false),
  post: verb('POST', true),
  put: verb('PUT', true),
  patch: verb('PATCH', true),
  del: verb('DELETE', true),
  options: verb('OPTIONS', true),
  expectedStatuses,
  setResponseCallback(callback: unknown) {
    state.responseCallback = callbackRanges(callback ?? null);
  },
};

// --- k6/metrics -----------------------------------------------------------------------------

function metricClass(type: MetricType) {
  return class {
    readonly name: string;
    private readonly metric: DeclaredMetric;
    constructor(name: string, isTime = false) {
      if (!state.initContext) throw new Error('metrics must be declared in the init context');
      if (!/^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/.test(name))
        throw new Error(`invalid metric name "${name}"`);
      const contains: Contains = isTime && type === 'trend' ? 'time' : 'default';
      this.name = name;
      this.metric = { name, type, contains };
      declared.push(this.metric);
    }
    add(value: number | boolean, tags: Record<string, string> = {}): void {
      const v = typeof value === 'boolean' ? Number(value) : Number(value);
      if (!Number.isFinite(v)) throw new Error(`${this.name}.add(${format(value)}): not a number`);
      emit(this.metric, type === 'rate' ? (v !== 0 ? 1 : 0) : v, tags);
    }
  };
}

const metrics = {
  Counter: metricClass('counter'),
  Gauge: metricClass('gauge'),
  Rate: metricClass('rate'),
  Trend: metricClass('trend'),
};

// --- k6/execution ---------------------------------------------------------------------------

const execution = {
  instance: strict('exec.instance', {
    get currentTestRunDuration() {
      return state.testStartMs === 0 ? 0 : nowMs() - state.testStartMs;
    },
  }),
  scenario: strict('exec.scenario', {
    get name() {
      return state.scenario?.name ?? '';
    },
    get executor() {
      return state.scenario?.executor ?? '';
    },
    get startTime() {
      return state.scenario?.startTimeMs ?? 0;
    },
    get iterationInInstance() {
      return state.iterationInScenario;
    },
  }),
  vu: strict('exec.vu', {
    get idInInstance() {
      return data.id;
    },
    get idInTest() {
      return data.id;
    },
    get iterationInInstance() {
      return state.iteration;
    },
    get iterationInScenario() {
      return state.iterationInScenario;
    },
  }),
  test: strict('exec.test', {
    abort(reason = 'test aborted') {
      throw new TestAbort(String(reason));
    },
  }),
};

// --- the script -----------------------------------------------------------------------------

const baseEnv = data.env;
const scriptDir = dirname(data.scriptPath);
const g = globalThis as unknown as Record<string, unknown>;
g[MODULES_GLOBAL] = {
  k6,
  'k6/http': http,
  'k6/metrics': metrics,
  'k6/execution': execution,
  'k6/options': {},
};
g.__ENV = { ...baseEnv };
Object.defineProperty(g, '__VU', { get: () => data.id });
Object.defineProperty(g, '__ITER', { get: () => state.iteration });
g.open = (path: string, mode?: string) => {
  if (!state.initContext) throw new Error('open() can be called only in the init context');
  const file = resolve(scriptDir, path.replace(/^file:\/\//, ''));
  const bytes = readFileSync(file);
  return mode === 'b'
    ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    : bytes.toString('utf8');
};
const consoleLine =
  (level: 'info' | 'warning' | 'error' | 'debug') =>
  (...args: unknown[]) =>
    process.stderr.write(logLine(level, format(...args), { source: 'console' }));
g.console = {
  log: consoleLine('info'),
  info: consoleLine('info'),
  warn: consoleLine('warning'),
  error: consoleLine('error'),
  debug: consoleLine('debug'),
};

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

let exported: Record<string, unknown> = {};
try {
  const module = { exports: {} as Record<string, unknown> };
  const fn = runInThisContext(`(function (module, exports) {${data.code}\n})`, {
    filename: data.scriptPath,
  }) as (m: typeof module, e: unknown) => void;
  fn(module, module.exports);
  exported = module.exports;
  const options = JSON.parse(JSON.stringify(exported.options ?? {})) as Record<string, unknown>;
  state.discardResponseBodies = options.discardResponseBodies === true;
  if (typeof options.maxRedirects === 'number') state.maxRedirects = options.maxRedirects;
  state.initContext = false;
  post({
    type: 'ready',
    info: {
      options,
      metrics: declared,
      exports: Object.keys(exported).filter((k) => typeof exported[k] === 'function'),
    },
  });
} catch (err) {
  post({
    type: 'initError',
    message: err instanceof TestAbort ? err.message : describe(err),
    aborted: err instanceof TestAbort,
  });
}

function call(name: string, args: unknown[]): void {
  const startMs = nowMs();
  const done = (extra: Partial<Extract<FromVu, { type: 'done' }>>) => {
    flushSamples();
    post({ type: 'done', startMs, endMs: nowMs(), ...extra });
  };
  try {
    const fn = exported[name];
    if (typeof fn !== 'function') throw new Error(`the script exports no function "${name}"`);
    const result = (fn as (...a: unknown[]) => unknown)(...args);
    done({ result: result === undefined ? undefined : JSON.parse(JSON.stringify(result)) });
  } catch (err) {
    if (err instanceof TestAbort) done({ aborted: err.message });
    else done({ error: describe(err) });
  }
}

parent.on('message', (m: ToVu) => {
  switch (m.type) {
    case 'iterate':
      state.iteration++;
      state.iterationInScenario = m.iterationInScenario;
      state.scenario = m.scenario;
      state.testStartMs = m.testStartMs;
      state.group = '';
      g.__ENV = { ...baseEnv, ...m.scenario.env };
      call(m.scenario.exec, [m.setupData]);
      return;
    case 'setup':
      state.testStartMs = m.testStartMs;
      call('setup', []);
      return;
    case 'teardown':
      state.testStartMs = m.testStartMs;
      call('teardown', [m.data]);
      return;
    case 'summary':
      call('handleSummary', [m.data]);
      return;
  }
});
