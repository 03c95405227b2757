import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import { BUILTIN_GAMEDAYS, findGameDay } from '../../thresholds/gamedays/builtin.ts';
import type { Objective } from '../../thresholds/model.ts';
import { loadConfigFile, loadGameDayFile, validateConfig } from './load.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiergate-gameday-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
function write(text: string, ext = '.yaml'): string {
  const file = path.join(dir, `gameday-${count++}${ext}`);
  fs.writeFileSync(file, text);
  return file;
}

const FRIENDLY = `
gameDays:
  - id: checkout-latency
    name: Checkout latency
    description: 300 ms on every response
    steady: 20s
    recovery: 30s
    replicas: 3
    faults:
      - { at: 20s, hold: 15s, latency: { ms: 300, jitter: 50 } }
      - { at: 25s, hold: 10s, httpError: { status: 503, share: 10% } }
      - { at: 30s, hold: 5s, killReplica: 0 }
    steadyState: [ "error_rate < 1%", "p95 < 1s" ]
    objectives:
      - { expr: "error_rate <= 5%", window: chaos }
      - { expr: "recovery_time < 5m", window: recovery }
  - id: every-kind
    steady: 1m
    replicas: 2
    faults:
      - { hold: 1s, latency: { ms: 1.5s } }
      - { id: cut, at: 61, hold: 2, httpAbort: { share: 0.5 } }
      - { at: 1m, hold: 3s, reset: { share: 1 } }
      - { at: 1m, hold: 3s, blackhole: { share: 5% } }
      - { at: 1m, hold: 3s, bandwidth: { kbPerSecond: 64 } }
      - { at: 1m, hold: 3s, pauseReplica: 1 }
      - { at: 1m, hold: 3s, httpError: { share: 1% } }
      - { atS: 70, holdS: 4, fault: { kind: latency, latencyMs: 20 } }
    objectives: [ "p99 < 2s", "recovery_time < 1m" ]
`;

function rate(id: string, op: Objective['op'], value: number, window: Objective['window']) {
  const metric = id.split('-')[0] as Objective['metric'];
  return { id, metric, stat: 'value', op, limit: { kind: 'absolute', value }, window } as const;
}

const CHECKOUT_LATENCY: GameDay = {
  id: 'checkout-latency',
  name: 'Checkout latency',
  description: '300 ms on every response',
  steadyS: 20,
  recoveryS: 30,
  replicas: 3,
  faults: [
    {
      id: 'checkout-latency-1',
      fault: { kind: 'latency', latencyMs: 300, jitterMs: 50 },
      atS: 20,
      holdS: 15,
    },
    {
      id: 'checkout-latency-2',
      fault: { kind: 'http-error', status: 503, share: 0.1 },
      atS: 25,
      holdS: 10,
    },
    { id: 'checkout-latency-3', fault: { kind: 'kill-replica', replica: 0 }, atS: 30, holdS: 5 },
  ],
  steadyState: [
    { ...rate('error_rate-steady', '<', 0.01, 'steady'), severity: 'fail' },
    {
      id: 'p95-steady',
      metric: 'latency',
      stat: 'p95',
      op: '<',
      limit: { kind: 'absolute', value: 1000 },
      window: 'steady',
      severity: 'fail',
    },
  ],
  objectives: [
    { ...rate('error_rate-chaos', '<=', 0.05, 'chaos'), severity: 'fail' },
    { ...rate('recovery_time-recovery', '<', 300, 'recovery'), severity: 'fail' },
  ],
};

const EVERY_KIND: GameDay = {
  id: 'every-kind',
  name: 'every-kind',
  description: '',
  steadyS: 60,
  recoveryS: 30,
  replicas: 2,
  faults: [
    { id: 'every-kind-1', fault: { kind: 'latency', latencyMs: 1500 }, atS: 60, holdS: 1 },
    { id: 'cut', fault: { kind: 'http-abort', share: 0.5 }, atS: 61, holdS: 2 },
    { id: 'every-kind-3', fault: { kind: 'reset', share: 1 }, atS: 60, holdS: 3 },
    { id: 'every-kind-4', fault: { kind: 'blackhole', share: 0.05 }, atS: 60, holdS: 3 },
    { id: 'every-kind-5', fault: { kind: 'bandwidth', kbPerSecond: 64 }, atS: 60, holdS: 3 },
    { id: 'every-kind-6', fault: { kind: 'pause-replica', replica: 1 }, atS: 60, holdS: 3 },
    {
      id: 'every-kind-7',
      fault: { kind: 'http-error', status: 503, share: 0.01 },
      atS: 60,
      holdS: 3,
    },
    { id: 'every-kind-8', fault: { kind: 'latency', latencyMs: 20 }, atS: 70, holdS: 4 },
  ],
  steadyState: [],
  objectives: [
    {
      id: 'p99-chaos',
      metric: 'latency',
      stat: 'p99',
      op: '<',
      limit: { kind: 'absolute', value: 2000 },
      window: 'chaos',
      severity: 'fail',
    },
    { ...rate('recovery_time-recovery', '<', 60, 'recovery'), severity: 'fail' },
  ],
};

async function rejection(load: Promise<unknown>): Promise<ConfigError> {
  const err = await load.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  const error = err as ConfigError;
  expect(error.exitCode).toBe(2);
  return error;
}

/** The friendly config with one line replaced, loaded; its first error. */
async function editError(from: string, to: string): Promise<ConfigError> {
  expect(FRIENDLY).toContain(from);
  return rejection(loadConfigFile(write(FRIENDLY.replace(from, to))));
}

describe('game days in a config file', () => {
  it('normalises the friendly YAML forms to exact model objects', async () => {
    const config = await loadConfigFile(write(FRIENDLY));
    expect(config).toStrictEqual({ gameDays: [CHECKOUT_LATENCY, EVERY_KIND] });
  });

  it('passes model objects through unchanged: the built-ins validate as they are', () => {
    const config = { gameDays: structuredClone(BUILTIN_GAMEDAYS) };
    expect(validateConfig(config, 'tiergate.config.ts')).toStrictEqual(config);
  });

  it('loads a tiergate.config.ts written with defineConfig and defineGameDay', async () => {
    const define = pathToFileURL(path.resolve(import.meta.dirname, 'define.ts'));
    const file = path.join(dir, 'ts', 'tiergate.config.ts');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      `import { defineConfig, defineGameDay } from '${define.href}';
export default defineConfig({
  roadmaps: [],
  gameDays: [defineGameDay(${JSON.stringify(CHECKOUT_LATENCY)})],
});
`,
    );
    expect(await loadConfigFile(file)).toStrictEqual({
      roadmaps: [],
      gameDays: [CHECKOUT_LATENCY],
    });
  });

  it('names a fault that starts before the steady period ends', async () => {
    const err = await editError(
      '{ at: 25s, hold: 10s, httpError',
      '{ at: 15s, hold: 10s, httpError',
    );
    expect(err.path).toBe('gameDays[0].faults[1].at');
    expect(err.value).toBe('15s');
    expect(err.message).toMatch(
      /^.+gameday-\d+\.yaml:11:11: gameDays\[0\]\.faults\[1\]\.at: "15s" starts before the steady period ends at 20s \(start faults at 20s or later/,
    );
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('names a share over 100 %', async () => {
    const err = await editError('share: 10% }', 'share: 150% }');
    expect(err.path).toBe('gameDays[0].faults[1].httpError.share');
    expect(err.value).toBe('150%');
    expect(err.message).toContain(
      'gameDays[0].faults[1].httpError.share: "150%" is not a share (use a fraction in (0, 1]',
    );
  });

  it('names an unknown fault key and suggests the one meant', async () => {
    const err = await editError('hold: 15s, latency:', 'hold: 15s, latncy:');
    expect(err.path).toBe('gameDays[0].faults[0].latncy');
    expect(err.message.split('\n')[0]).toMatch(
      /:10:31: gameDays\[0\]\.faults\[0\]\.latncy: unknown key \(did you mean latency\? keys here are: id, at, atS, hold, holdS, fault, latency,/,
    );
  });

  it('names a replica index the game day does not have', async () => {
    const err = await editError('killReplica: 0', 'killReplica: 3');
    expect(err.path).toBe('gameDays[0].faults[2].killReplica');
    expect(err.value).toBe(3);
    expect(err.message).toContain(
      'gameDays[0].faults[2].killReplica: 3 is not a replica of this game day, which has 3 (use 0 to 2, or raise replicas)',
    );
    const model = await editError(
      'pauseReplica: 1 }',
      'fault: { kind: pause-replica, replica: 2 } }',
    );
    expect(model.path).toBe('gameDays[1].faults[5].fault.replica');
  });

  it('names a duplicate game-day id', async () => {
    const err = await editError('  - id: every-kind', '  - id: checkout-latency');
    expect(err.path).toBe('gameDays[1].id');
    expect(err.value).toBe('checkout-latency');
    expect(err.message).toContain(
      'gameDays[1].id: "checkout-latency" is already the id of gameDays[0] (game-day ids must be unique',
    );
  });

  it('keeps steadyState on the steady window and recovery_time on the recovery window', async () => {
    const steady = await editError(
      '"error_rate < 1%", "p95',
      '{ expr: "error_rate < 1%", window: chaos }, "p95',
    );
    expect(steady.path).toBe('gameDays[0].steadyState[0].window');
    expect(steady.message).toContain('"chaos" is not the steady window');
    const recovery = await editError(
      '"recovery_time < 5m", window: recovery',
      '"recovery_time < 5m", window: chaos',
    );
    expect(recovery.path).toBe('gameDays[0].objectives[1].window');
  });

  it('asks for a hold, a fault and a steady period', async () => {
    expect((await editError('hold: 15s, latency', 'latency')).message).toContain(
      'gameDays[0].faults[0]: has no hold (add hold: 15s)',
    );
    expect(
      (await editError('{ at: 30s, hold: 5s, killReplica: 0 }', '{ at: 30s, hold: 5s }')).message,
    ).toContain('gameDays[0].faults[2]: has no fault (give one of latency, httpError,');
    expect((await editError('    steady: 20s\n', '')).message).toContain(
      'gameDays[0].steady: is missing (add steady: 20s, the load before the first fault)',
    );
  });
});

describe('loadGameDayFile', () => {
  it('reads { gameDays: [...] } or one game day on its own', async () => {
    expect(await loadGameDayFile(write(FRIENDLY))).toStrictEqual([CHECKOUT_LATENCY, EVERY_KIND]);
    const single = JSON.stringify({ ...CHECKOUT_LATENCY, replicas: undefined, id: 'solo' });
    const [solo] = await loadGameDayFile(write(single, '.json'));
    expect(solo?.id).toBe('solo');
    expect(solo?.faults.map((f) => f.id)).toEqual(CHECKOUT_LATENCY.faults.map((f) => f.id));
  });

  it('names paths from the top of a single game day', async () => {
    const err = await rejection(
      loadGameDayFile(
        write('id: solo\nsteady: 5s\nfaults:\n  - { hold: 1s, reset: { share: 2 } }\n'),
      ),
    );
    expect(err.message).toMatch(/:4:26: faults\[0\]\.reset\.share: 2 is not a share/);
  });
});

describe('findGameDay', () => {
  it('finds the user game days first: one with a built-in id (or alias target) replaces it', () => {
    const mine = { ...CHECKOUT_LATENCY, id: 'network-latency' };
    expect(findGameDay('network-latency', [mine])).toBe(mine);
    expect(findGameDay('latency', [mine])).toBe(mine);
    expect(findGameDay('checkout-latency', [CHECKOUT_LATENCY])).toBe(CHECKOUT_LATENCY);
    expect(findGameDay('pod-kill', [CHECKOUT_LATENCY])?.id).toBe('pod-kill');
    expect(findGameDay('nope', [CHECKOUT_LATENCY])).toBeUndefined();
  });
});
