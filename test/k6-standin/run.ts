// `k6 run`: init VU 0 for the options, then the test — paused until the REST API resumes it
// when --paused, setup(), the scenarios, teardown(), the summary — with k6's exit codes.
import { writeFile } from 'node:fs/promises';
import type { CliOptions } from './args.ts';
import type { BundledScript } from './bundle.ts';
import { executionRequirements, type RunConfig, type Scenario, type Segment } from './config.ts';
import { type ExecutorHost, runScenario } from './executors.ts';
import { HttpClient } from './http-client.ts';
import { EXIT, K6Exit, log } from './log.ts';
import { parseMetricKey, Registry } from './metrics.ts';
import type { MetricSample, StandinOutput } from './output.ts';
import { createOutputs } from './outputs.ts';
import { type HttpRequest, type InitInfo, nowMs, type VuSample } from './protocol.ts';
import { STATUS, startRestApi } from './rest.ts';
import { type CheckCount, legacyExport, summaryData, textSummary } from './summary.ts';
import { parseThresholds, passes, type Threshold } from './thresholds.ts';
import { type Done, Vu, type VuHooks } from './vu.ts';

const DEFAULT_SYSTEM_TAGS = [
  'proto',
  'subproto',
  'status',
  'method',
  'url',
  'name',
  'group',
  'check',
  'error',
  'error_code',
  'tls_version',
  'scenario',
  'service',
  'expected_response',
];
const BUILTIN: [string, MetricSample['type'], MetricSample['contains']][] = [
  ['checks', 'rate', 'default'],
  ['data_received', 'counter', 'data'],
  ['data_sent', 'counter', 'data'],
  ['dropped_iterations', 'counter', 'default'],
  ['group_duration', 'trend', 'time'],
  ['http_req_blocked', 'trend', 'time'],
  ['http_req_connecting', 'trend', 'time'],
  ['http_req_duration', 'trend', 'time'],
  ['http_req_failed', 'rate', 'default'],
  ['http_req_receiving', 'trend', 'time'],
  ['http_req_sending', 'trend', 'time'],
  ['http_req_tls_handshaking', 'trend', 'time'],
  ['http_req_waiting', 'trend', 'time'],
  ['http_reqs', 'counter', 'default'],
  ['iteration_duration', 'trend', 'time'],
  ['iterations', 'counter', 'default'],
  ['vus', 'gauge', 'default'],
  ['vus_max', 'gauge', 'default'],
];
/** k6 checks thresholds this often while the test runs (abortOnFail). */
const THRESHOLD_EVERY_MS = 2000;
/** VU runtimes started before the test, at most (the rest start on first need). */
const WARM_VUS = 8;

export interface Prepared {
  cli: CliOptions;
  script: BundledScript;
  env: Record<string, string>;
  vu0: Vu;
  info: InitInfo;
  config: RunConfig;
  segment: Segment;
}

export class TestRun implements ExecutorHost {
  readonly segment: Segment;
  startedMs = 0;
  stopping = false;
  private status: number = STATUS.initVUs;
  private paused: boolean;
  private resumed!: () => void;
  private readonly resumedP = new Promise<void>((r) => {
    this.resumed = r;
  });
  private readonly registry = new Registry();
  private readonly thresholds: Threshold[];
  private outputs: StandinOutput[] = [];
  private readonly http: HttpClient;
  private readonly idle: Vu[] = [];
  private readonly all: Vu[] = [];
  private nextVuId = 1;
  private spareComing = false;
  private activeVus = 0;
  private readonly vusMax: number;
  private readonly systemTags: Set<string>;
  private readonly runTags: Record<string, string>;
  private readonly checks = new Map<string, CheckCount>();
  private readonly bytes = new Map<Vu, { sent: number; received: number }>();
  private exitCode = 0;
  private tainted = false;
  private setupData: unknown;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly p: Prepared) {
    this.segment = p.segment;
    this.paused = p.cli.paused;
    this.systemTags = new Set(p.cli.systemTags ?? DEFAULT_SYSTEM_TAGS);
    this.runTags = { ...p.config.tags, ...p.cli.tags };
    for (const [name, type, contains] of BUILTIN) this.registry.declare(name, type, contains);
    for (const m of p.info.metrics) this.registry.declare(m.name, m.type, m.contains);
    try {
      this.thresholds = parseThresholds(p.config.thresholds, this.registry);
    } catch (err) {
      throw new K6Exit(EXIT.invalidConfig, `invalid thresholds: ${(err as Error).message}`);
    }
    this.http = new HttpClient(p.config.noConnectionReuse);
    this.vusMax = executionRequirements(p.config, p.segment).maxVUs;
  }

  // --- tags and samples ---------------------------------------------------------------------

  private tagsOf(system: Record<string, string>, user: Record<string, string>, s?: Scenario) {
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(system)) if (this.systemTags.has(k)) tags[k] = v;
    return { ...tags, ...this.runTags, ...s?.tags, ...user };
  }

  private emit(samples: MetricSample[]): void {
    this.registry.add(samples);
    for (const o of this.outputs) o.add(samples);
  }

  private scenario(name: string): Scenario | undefined {
    return this.p.config.scenarios.find((s) => s.name === name);
  }

  private vuSamples(samples: VuSample[]): void {
    this.emit(
      samples.map((s) => {
        if (s.name === 'checks' && s.system.check !== undefined) {
          const c = this.checks.get(s.system.check) ?? {
            name: s.system.check,
            passes: 0,
            fails: 0,
          };
          if (s.value) c.passes++;
          else c.fails++;
          this.checks.set(c.name, c);
        }
        const sc = this.scenario(s.system.scenario ?? '');
        return {
          metric: s.name,
          type: s.type,
          contains: s.contains,
          value: s.value,
          timeMs: s.timeMs,
          tags: this.tagsOf({ ...s.system }, s.tags, sc),
        };
      }),
    );
  }

  private request(req: HttpRequest, vu: Vu) {
    const s = this.scenario(req.scenario);
    const abort = new AbortController();
    vu.inFlight = abort;
    return this.http
      .perform(req, {
        baseTags: s ? { scenario: s.name } : {},
        tagsOf: (system, user) => this.tagsOf(system, user, s),
        emit: (samples) => this.emit(samples),
        bytes: (sent, received) => {
          const b = this.bytes.get(vu) ?? { sent: 0, received: 0 };
          b.sent += sent;
          b.received += received;
          this.bytes.set(vu, b);
        },
        signal: abort.signal,
      })
      .finally(() => {
        vu.inFlight = undefined;
      });
  }

  // --- VUs ------------------------------------------------------------------------------------

  private readonly hooks: VuHooks = {
    request: (req, v) => this.request(req, v),
    samples: (s) => this.vuSamples(s),
  };

  private spawn(): Vu {
    const vu = new Vu(
      this.nextVuId++,
      this.p.script.code,
      this.p.script.path,
      this.p.env,
      this.hooks,
    );
    this.all.push(vu);
    return vu;
  }

  takeIdle(): Vu | undefined {
    let vu = this.idle.pop();
    while (vu && !vu.alive) vu = this.idle.pop();
    // One spare runtime kept warm, so the next arrival need not wait for a VU's init.
    if (this.idle.length === 0 && !this.spareComing && this.all.length < this.vusMax) {
      this.spareComing = true;
      void this.newVu().then((spare) => {
        this.spareComing = false;
        if (spare) this.release(spare);
      });
    }
    return vu;
  }

  async newVu(): Promise<Vu | undefined> {
    if (this.stopping) return undefined;
    const vu = this.spawn();
    try {
      await vu.ready;
      return vu;
    } catch (err) {
      // A VU stopped while it initialised (the test ended) is no script error.
      if (!vu.stopped) this.fail(EXIT.scriptException, (err as Error).message);
      return undefined;
    }
  }

  release(vu: Vu): void {
    if (vu.alive) this.idle.push(vu);
  }

  active(delta: number): void {
    this.activeVus += delta;
  }

  wait(ms: number): Promise<void> {
    if (this.stopping || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  dropped(s: Scenario, timeMs: number): void {
    this.emit([
      this.sample('dropped_iterations', 1, timeMs, this.tagsOf({ scenario: s.name }, {}, s)),
    ]);
  }

  private sample(
    metric: string,
    value: number,
    timeMs: number,
    tags: Record<string, string>,
  ): MetricSample {
    const m = this.registry.get(metric)!;
    return { metric, type: m.type, contains: m.contains, value, timeMs, tags };
  }

  async iterate(vu: Vu, s: Scenario, n: number): Promise<void> {
    const done = await vu.call({
      type: 'iterate',
      scenario: {
        name: s.name,
        executor: s.executor,
        exec: s.exec,
        env: s.env,
        startTimeMs: s.startMs,
      },
      iterationInScenario: n,
      setupData: this.setupData,
      testStartMs: this.startedMs,
    });
    if (vu.stopped) return; // interrupted after its graceful stop: k6 reports no iteration
    this.report(done, s);
    const b = this.bytes.get(vu) ?? { sent: 0, received: 0 };
    this.bytes.delete(vu);
    const tags = this.tagsOf({ scenario: s.name, group: '' }, {}, s);
    this.emit([
      this.sample('data_sent', b.sent, done.endMs, tags),
      this.sample('data_received', b.received, done.endMs, tags),
      this.sample('iteration_duration', done.endMs - done.startMs, done.endMs, tags),
      this.sample('iterations', 1, done.endMs, tags),
    ]);
  }

  /** Logs what a call of the script threw; exec.test.abort() stops the test (108). */
  private report(done: Done, s?: Scenario): boolean {
    if (done.aborted !== undefined) {
      this.fail(EXIT.scriptAborted, `test aborted: ${done.aborted}`);
      return false;
    }
    if (done.error !== undefined) {
      log(
        'error',
        done.error,
        s
          ? { executor: s.executor, scenario: s.name, source: 'stacktrace' }
          : { source: 'stacktrace' },
      );
      return false;
    }
    return true;
  }

  /** Stops the test with `code` (the first reason wins). */
  fail(code: number, message: string): void {
    if (this.exitCode === 0) {
      this.exitCode = code;
      log('error', message);
    }
    this.stop();
  }

  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    for (const w of [...this.waiters]) w();
    this.resumed();
  }

  interrupt(): void {
    if (this.exitCode === 0) this.exitCode = EXIT.interrupted;
    this.stop();
  }

  // --- the test -------------------------------------------------------------------------------

  private metricInfo() {
    return {
      thresholds: (metric: string) =>
        this.thresholds.filter((t) => t.key === metric).map((t) => t.json),
      submetrics: (metric: string) =>
        this.registry.submetricsOf(metric).map((s) => ({
          name: s.key,
          suffix: s.key.slice(metric.length + 1, -1),
          tags: Object.fromEntries(parseMetricKey(s.key).filter),
        })),
    };
  }

  private judge(final: boolean): boolean {
    const elapsedMs = nowMs() - this.startedMs;
    let ok = true;
    for (const t of this.thresholds) {
      const series = this.registry.series(t.key);
      if (!final && series.sink.count === 0) continue;
      if (passes(t, series, elapsedMs / 1000)) continue;
      ok = false;
      this.tainted = true;
      if (!final && t.abortOnFail && elapsedMs >= t.delayAbortEvalMs) {
        this.fail(
          EXIT.thresholds,
          `thresholds on metrics '${t.key}' were crossed; at least one has abortOnFail enabled, stopping test prematurely`,
        );
      }
    }
    return ok;
  }

  private async runCall(
    vu: Vu,
    type: 'setup' | 'teardown',
    data?: unknown,
  ): Promise<Done | undefined> {
    if (!this.p.info.exports.includes(type)) return undefined;
    const done = await vu.call(
      type === 'setup'
        ? { type, testStartMs: this.startedMs }
        : { type, data, testStartMs: this.startedMs },
    );
    if (!this.report(done) && done.aborted === undefined && this.exitCode === 0) {
      this.fail(EXIT.scriptException, `${type}() failed`);
    }
    return done;
  }

  async run(): Promise<number> {
    const { cli, config, vu0 } = this.p;
    const judged = !cli.noThresholds;
    this.outputs = createOutputs(cli.outs, { env: this.p.env, metrics: this.metricInfo() });
    if (cli.address) {
      await startRestApi(cli.address, {
        status: () => this.status,
        paused: () => this.paused,
        vus: () => this.activeVus,
        vusMax: () => this.vusMax,
        stopped: () => this.stopping,
        running: () => this.status === STATUS.running,
        tainted: () => this.tainted,
        resume: () => {
          this.paused = false;
          this.resumed();
        },
        stop: () => this.stop(),
      });
    }
    // VUs are initialised before the test starts (their runtimes up to WARM_VUS; the others
    // start on first need, so a test with many pre-allocated VUs stays light).
    const warm = Math.min(this.vusMax, WARM_VUS);
    const initialised = await Promise.all(Array.from({ length: warm }, () => this.newVu()));
    for (const vu of initialised) if (vu) this.idle.push(vu);
    this.status = STATUS.initDone;
    if (this.exitCode !== 0) return this.finish(judged, false);
    if (this.paused) {
      this.status = STATUS.pausedBeforeRun;
      await this.resumedP;
      this.paused = false;
    }
    this.startedMs = nowMs();
    if (this.stopping) return this.finish(judged, false);
    this.status = STATUS.setup;
    // setup() and teardown() send requests and make samples like any iteration.
    vu0.attach(this.hooks);
    const setup = await this.runCall(vu0, 'setup');
    this.setupData = setup?.result;
    this.status = STATUS.running;
    const gauges = setInterval(() => {
      const t = nowMs();
      this.emit([
        this.sample('vus', this.activeVus, t, { ...this.runTags }),
        this.sample('vus_max', this.vusMax, t, { ...this.runTags }),
      ]);
    }, 1000);
    const judging = judged ? setInterval(() => this.judge(false), THRESHOLD_EVERY_MS) : undefined;
    if (!this.stopping) await Promise.all(config.scenarios.map((s) => runScenario(this, s)));
    clearInterval(gauges);
    clearInterval(judging);
    if (this.exitCode === 0 || this.exitCode === EXIT.thresholds) {
      this.status = STATUS.teardown;
      await this.runCall(vu0, 'teardown', this.setupData);
    }
    return this.finish(judged, true);
  }

  private async finish(judged: boolean, ran: boolean): Promise<number> {
    const durationMs = this.startedMs === 0 ? 0 : nowMs() - this.startedMs;
    await Promise.all(this.all.map((vu) => vu.stop()));
    const passed = judged && ran ? this.judge(true) : true;
    this.status = this.exitCode === EXIT.interrupted ? STATUS.interrupted : STATUS.ended;
    for (const o of this.outputs) await o.stop();
    await this.http.close();
    if (ran) await this.summary(judged, durationMs);
    if (this.exitCode === 0 && !passed) {
      log('error', 'thresholds on metrics have been crossed');
      this.exitCode = EXIT.thresholds;
    }
    return this.exitCode;
  }

  private async summary(judged: boolean, durationMs: number): Promise<void> {
    const data = summaryData({
      registry: this.registry,
      thresholds: this.thresholds,
      judged,
      durationMs,
      trendStats: this.p.config.summaryTrendStats,
      checks: [...this.checks.values()],
      setupData: this.setupData,
    });
    if (this.p.cli.summaryExport) {
      await writeFile(this.p.cli.summaryExport, JSON.stringify(legacyExport(data), null, 4));
    }
    if (!this.p.info.exports.includes('handleSummary')) {
      process.stdout.write(textSummary(data));
      return;
    }
    const done = await this.p.vu0.call({ type: 'summary', data });
    if (done.error !== undefined) {
      log('error', `handleSummary() failed: ${done.error}`);
      return;
    }
    for (const [where, content] of Object.entries((done.result ?? {}) as Record<string, unknown>)) {
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      if (where === 'stdout') process.stdout.write(text);
      else if (where === 'stderr') process.stderr.write(text);
      else await writeFile(where, text);
    }
  }
}
