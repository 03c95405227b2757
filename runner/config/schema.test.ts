import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import type { Roadmap } from '../../thresholds/model.ts';
import type { UserConfig } from '../../thresholds/user-config.ts';
import { loadConfigFile, validateConfig } from './load.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-schema-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
function write(text: string, ext = '.yaml'): string {
  const file = path.join(dir, `config-${count++}${ext}`);
  fs.writeFileSync(file, text);
  return file;
}

const FRIENDLY = `
roadmaps:
  - id: shop
    name: Shop
    description: Our shop's scaling plan
    tiers:
      - id: 10k
        name: 10K daily users
        load: { dailyUsers: 10000, requestsPerUserPerDay: 30, peakHourShare: 15%, headroom: 2 }
        stages:
          - { duration: 1m, target: 0.5 }
          - { duration: 5m, target: 1, steady: true }
          - { duration: 30, target: 0 }
        journey:
          requests:
            - { name: browse, path: /products, weight: 3 }
            - name: checkout
              method: post
              path: /orders
              body: { sku: abc, qty: 1 }
              headers: { x-tenant: demo }
              expectStatus: 201
        objectives:
          - "p95 < 2s"
          - "error_rate < 1%"
          - { expr: "p95 < 1.5s", request: checkout, window: steady, severity: warn }
          - { expr: "throughput_ratio >= 95%", window: steady, optional: true, id: keeps-up }
        rollbackTriggers:
          - { when: "error_rate <= 5%", window: 10s, for: 10s, delay: 10s }
        nextPhase: { capacityShare: 0.8 }
      - id: 100k
        load: { rps: 200 }
        stages: [{ duration: 90, target: 1, steady: true }]
        journey: { name: smoke, requests: [{ name: home, path: / }] }
        objectives: ["p99 < 3s"]
        rollbackTriggers:
          - { when: "p99 < 10s", id: p99-abort }
`;

const EXPECTED: Roadmap = {
  id: 'shop',
  name: 'Shop',
  description: "Our shop's scaling plan",
  seeds: [],
  tiers: [
    {
      id: '10k',
      name: '10K daily users',
      load: {
        kind: 'daily-users',
        dailyUsers: 10000,
        requestsPerUserPerDay: 30,
        peakHourShare: 0.15,
        headroom: 2,
      },
      stages: [
        { durationS: 60, target: 0.5 },
        { durationS: 300, target: 1, steady: true },
        { durationS: 30, target: 0 },
      ],
      journey: {
        name: '10k',
        requests: [
          { name: 'browse', method: 'GET', path: '/products', weight: 3 },
          {
            name: 'checkout',
            method: 'POST',
            path: '/orders',
            body: { sku: 'abc', qty: 1 },
            headers: { 'x-tenant': 'demo' },
            weight: 1,
            expectStatus: [201],
          },
        ],
      },
      objectives: [
        {
          id: 'p95',
          metric: 'latency',
          stat: 'p95',
          op: '<',
          limit: { kind: 'absolute', value: 2000 },
          window: 'whole',
          severity: 'fail',
        },
        {
          id: 'error_rate',
          metric: 'error_rate',
          stat: 'value',
          op: '<',
          limit: { kind: 'absolute', value: 0.01 },
          window: 'whole',
          severity: 'fail',
        },
        {
          id: 'checkout-p95-steady',
          metric: 'latency',
          stat: 'p95',
          op: '<',
          limit: { kind: 'absolute', value: 1500 },
          window: 'steady',
          request: 'checkout',
          severity: 'warn',
        },
        {
          id: 'keeps-up',
          metric: 'throughput_ratio',
          stat: 'value',
          op: '>=',
          limit: { kind: 'absolute', value: 0.95 },
          window: 'steady',
          severity: 'fail',
          optional: true,
        },
      ],
      rollbackTriggers: [
        {
          id: 'error_rate',
          objective: {
            id: 'error_rate',
            metric: 'error_rate',
            stat: 'value',
            op: '<=',
            limit: { kind: 'absolute', value: 0.05 },
            window: 'whole',
            severity: 'fail',
          },
          windowS: 10,
          forS: 10,
          delayS: 10,
        },
      ],
      nextPhase: { capacityShare: 0.8 },
    },
    {
      id: '100k',
      name: '100k',
      load: { kind: 'rps', rps: 200 },
      stages: [{ durationS: 90, target: 1, steady: true }],
      journey: {
        name: 'smoke',
        requests: [{ name: 'home', method: 'GET', path: '/', weight: 1 }],
      },
      objectives: [
        {
          id: 'p99',
          metric: 'latency',
          stat: 'p99',
          op: '<',
          limit: { kind: 'absolute', value: 3000 },
          window: 'whole',
          severity: 'fail',
        },
      ],
      rollbackTriggers: [
        {
          id: 'p99-abort',
          objective: {
            id: 'p99-abort',
            metric: 'latency',
            stat: 'p99',
            op: '<',
            limit: { kind: 'absolute', value: 10000 },
            window: 'whole',
            severity: 'fail',
          },
          windowS: 10,
          forS: 0,
          delayS: 0,
        },
      ],
    },
  ],
};

/** The friendly YAML with one edit; asserts the edit took. */
function edit(from: string, to: string): string {
  expect(FRIENDLY).toContain(from);
  return FRIENDLY.replace(from, to);
}

async function configError(text: string, ext = '.yaml'): Promise<ConfigError> {
  const file = write(text, ext);
  const err = await loadConfigFile(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const error = err as ConfigError;
  expect(error.exitCode).toBe(2);
  expect(error.file).toBe(file);
  return error;
}

describe('config schema', () => {
  it('normalises the friendly YAML forms to exact model objects', async () => {
    const config = await loadConfigFile(write(FRIENDLY));
    expect(config).toStrictEqual({ roadmaps: [EXPECTED] });
  });

  it('passes model objects through unchanged', () => {
    const config: UserConfig = { roadmaps: [EXPECTED] };
    expect(validateConfig(structuredClone(config), 'tiergate.config.ts')).toStrictEqual(config);
  });

  it('accepts an empty config', () => {
    expect(validateConfig({}, 'tiergate.json')).toStrictEqual({});
  });

  it('reads k6-style compound durations (1m30s, 1h) in stages', async () => {
    const config = await loadConfigFile(
      write(edit('duration: 1m,', 'duration: 1m30s,').replace('duration: 5m,', 'duration: 1h,')),
    );
    const stages = config.roadmaps?.[0]?.tiers[0]?.stages ?? [];
    expect(stages.map((s) => s.durationS)).toEqual([90, 3600, 30]);
  });

  it('names a bad duration with its path and value', async () => {
    const err = await configError(edit('duration: 1m,', 'duration: 5 minutes,'));
    expect(err.path).toBe('roadmaps[0].tiers[0].stages[0].duration');
    expect(err.value).toBe('5 minutes');
    expect(err.message).toContain(
      'roadmaps[0].tiers[0].stages[0].duration: "5 minutes" is not a duration (use',
    );
    expect(err.message).toContain('30s, 5m, 1h');
  });

  it('refuses a header the client could not send as written (CR/LF in the value, a bad name)', async () => {
    const crlf = await configError(
      edit('headers: { x-tenant: demo }', 'headers: { x-tenant: "a\\r\\nInjected: b" }'),
    );
    expect(crlf.path).toMatch(/headers\["x-tenant"\]$/);
    expect(crlf.message).toMatch(/control character/);
    const name = await configError(
      edit('headers: { x-tenant: demo }', 'headers: { "x tenant": demo }'),
    );
    expect(name.message).toMatch(/is not an HTTP token/);
  });

  it('names an unknown key and suggests the one meant', async () => {
    const err = await configError(edit('        objectives:\n', '        objectivs:\n'));
    expect(err.path).toBe('roadmaps[0].tiers[0].objectivs');
    expect(err.message.split('\n')[0]).toMatch(
      /roadmaps\[0\]\.tiers\[0\]\.objectivs: unknown key \(did you mean objectives\?/,
    );
  });

  it('names a bad objective expression', async () => {
    const err = await configError(edit('"error_rate < 1%"', '"eror_rate < 1%"'));
    expect(err.path).toBe('roadmaps[0].tiers[0].objectives[1]');
    expect(err.message).toContain(
      'objectives[1]: "eror_rate < 1%" is not an objective: unknown metric "eror_rate"',
    );
  });

  it('points at the expr of an objective object', async () => {
    const err = await configError(edit('{ expr: "p95 < 1.5s"', '{ expr: "p95 < 1.5"'));
    expect(err.path).toBe('roadmaps[0].tiers[0].objectives[2].expr');
    expect(err.message).toContain('"p95 < 1.5" is not an objective: latency limits need a unit');
  });

  it('refuses two steady stages', async () => {
    const err = await configError(
      edit('{ duration: 1m, target: 0.5 }', '{ duration: 1m, target: 0.5, steady: true }'),
    );
    expect(err.path).toBe('roadmaps[0].tiers[0].stages[1].steady');
    expect(err.message).toContain('is a second steady stage; stages[0] is steady already');
  });

  it('asks for a steady stage when there is none, naming the tier', async () => {
    const err = await configError(edit('target: 1, steady: true }]', 'target: 1 }]'));
    expect(err.path).toBe('roadmaps[0].tiers[1].stages');
    expect(err.message).toContain('no stage of tier "100k" is marked steady');
    expect(err.message).toContain('steady: true');
  });

  it('refuses a duplicate tier id', async () => {
    const err = await configError(edit('- id: 100k', '- id: 10k'));
    expect(err.path).toBe('roadmaps[0].tiers[1].id');
    expect(err.message).toContain('roadmaps[0].tiers[1].id: "10k" is already the id of tiers[0]');
  });

  it('refuses a negative weight', async () => {
    const err = await configError(edit('weight: 3', 'weight: -1'));
    expect(err.path).toBe('roadmaps[0].tiers[0].journey.requests[0].weight');
    expect(err.value).toBe(-1);
    expect(err.message).toContain('weight: -1 is too small (must be > 0)');
  });

  it('refuses an unknown window and lists the windows', async () => {
    const err = await configError(edit('window: steady, severity', 'window: stedy, severity'));
    expect(err.path).toBe('roadmaps[0].tiers[0].objectives[2].window');
    expect(err.message).toContain(
      '"stedy" is not allowed (use one of: steady, chaos, recovery, whole)',
    );
  });

  it('refuses an objective about a request the journey does not send', async () => {
    const err = await configError(edit('request: checkout', 'request: chekout'));
    expect(err.path).toBe('roadmaps[0].tiers[0].objectives[2].request');
    expect(err.message).toContain('(use one of browse, checkout)');
  });

  it('refuses duplicate objective ids, asking for an explicit one', async () => {
    const err = await configError(edit('["p99 < 3s"]', '["p99 < 3s", "p99 < 2s"]'));
    expect(err.path).toBe('roadmaps[0].tiers[1].objectives[1]');
    expect(err.message).toContain('has the id "p99", as objectives[0] does');
  });

  it('checks methods, paths, shares and load forms', async () => {
    const cases: [string, string, string, string][] = [
      ['method: post', 'method: FETCH', 'journey.requests[1].method', 'is not an HTTP method'],
      ['path: /orders', 'path: orders', 'journey.requests[1].path', 'does not start with "/"'],
      ['peakHourShare: 15%', 'peakHourShare: 150%', 'load.peakHourShare', 'is not a share'],
      ['{ rps: 200 }', '{ rps: 200, vus: 3 }', 'load', 'is not valid (use { rps: 200 }'],
      ['window: 10s, for', 'window: 0s, for', 'rollbackTriggers[0].window', 'is too short'],
    ];
    for (const [from, to, where, problem] of cases) {
      const err = await configError(edit(from, to));
      expect(err.path).toMatch(
        new RegExp(`^roadmaps\\[0\\]\\.tiers\\[\\d\\]\\.${where.replace(/[.[\]]/g, '\\$&')}$`),
      );
      expect(err.message).toContain(problem);
    }
  });

  it('gives the line and column of a YAML field', async () => {
    const err = await configError(edit('weight: 3', 'weight: -1'));
    expect(err.issues[0]?.line).toBe(16);
    expect(err.message).toMatch(/\.yaml:16:\d+: roadmaps/);
  });

  it('lists every issue, one per line', async () => {
    const text = edit('weight: 3', 'weight: -1').replace('method: post', 'method: FETCH');
    const err = await configError(text);
    expect(err.issues).toHaveLength(2);
    expect(err.message.split('\n')).toHaveLength(2);
  });
});
