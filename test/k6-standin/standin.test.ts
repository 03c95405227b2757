// The stand-in against k6's contract: its JSON lines field by field against lines real k6
// wrote (fixtures/), its REST status body, and the exit codes tiergate reads.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../runner/engines/k6/rest.ts';
import { STANDIN_K6 } from '../helpers/k6.ts';
import { startServer, type TestServer } from '../helpers/servers.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url);
let dir: string;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiergate-standin-'));
  server = await startServer(() => ({ delayMs: 2 }));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function k6(args: string[]): Promise<Result> {
  return promisify(execFile)(STANDIN_K6, args, { cwd: dir, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

async function script(name: string, body: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, body);
  return file;
}

const scenario = (rate: number, duration: string) => `
  scenarios: { tier_steady: { executor: 'constant-arrival-rate', rate: ${rate}, timeUnit: '1s',
    duration: '${duration}', preAllocatedVUs: 2, maxVUs: 4, gracefulStop: '1s' } },`;

const lines = async (file: string | URL) =>
  (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The structure of a line: its keys in order, nested, and the type of each leaf. */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return value.map(shape);
  return Object.entries(value).map(([k, v]) => [k, shape(v)]);
}

describe('the k6 stand-in', () => {
  it('prints a k6 version line', async () => {
    const r = await k6(['version']);
    expect(r.stdout).toMatch(/^k6 v\d+\.\d+\.\d+ \(tiergate test stand-in/);
  });

  it("writes k6's JSON lines: same metrics, order, key order, types, time format and tags", async () => {
    const file = await script(
      'json.js',
      `import http from 'k6/http';
export const options = { ${scenario(5, '1s')} };
export default function () { http.get('${server.url}/api', { tags: { name: 'GET /api/endpoint-0' } }); }
`,
    );
    const out = join(dir, 'out.json');
    const r = await k6([
      'run',
      '--quiet',
      '--out',
      `json=${out}`,
      '--system-tags',
      'scenario,name,status,expected_response,error_code',
      file,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const got = (await lines(out)).map((l) => JSON.parse(l));
    const expected = (await lines(new URL('iteration-v1.8.1.jsonl', FIXTURES))).map((l) =>
      JSON.parse(l),
    );
    const points = got.filter((l) => l.type === 'Point' && !l.metric.startsWith('vus'));
    // One iteration's 13 lines, in k6's order and with k6's structure.
    const firstIteration = points.slice(0, expected.length);
    expect(firstIteration.map((l) => l.metric)).toEqual(expected.map((l) => l.metric));
    for (let i = 0; i < expected.length; i++) {
      expect(shape(firstIteration[i]), expected[i].metric).toEqual(shape(expected[i]));
    }
    for (const p of points) {
      expect(p.data.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    }
    // A Metric line before each metric's first point, with the docs' fields.
    const [docs] = (await lines(new URL('metric-line-docs.jsonl', FIXTURES))).map((l) =>
      JSON.parse(l),
    );
    const metric = got.find((l) => l.type === 'Metric' && l.metric === 'http_req_duration');
    expect(Object.keys(metric)).toEqual(Object.keys(docs));
    for (const key of ['type', 'contains', 'thresholds', 'submetrics']) {
      expect(typeof metric.data[key], key).toBe(typeof docs.data[key]);
    }
    expect(got.indexOf(metric)).toBeLessThan(
      got.findIndex((l) => l.metric === 'http_req_duration' && l.type === 'Point'),
    );
    expect(points.filter((p) => p.metric === 'http_reqs')).toHaveLength(5);
  });

  it('answers /v1/status like k6 while paused, and PATCH resumes it', async () => {
    const file = await script(
      'paused.js',
      `import http from 'k6/http';
export const options = { ${scenario(2, '1s')} };
export default function () { http.get('${server.url}/'); }
`,
    );
    const address = `127.0.0.1:${await freePort()}`;
    const child = spawn(STANDIN_K6, ['run', '--quiet', '--paused', '--address', address, file], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    let body:
      | { data: { type: string; id: string; attributes: Record<string, unknown> } }
      | undefined;
    for (let i = 0; i < 300; i++) {
      try {
        body = await (await fetch(`http://${address}/v1/status`)).json();
        if (body?.data.attributes.status === 4) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(body?.data).toMatchObject({ type: 'status', id: 'default' });
    expect(Object.keys(body!.data.attributes)).toEqual([
      'status',
      'paused',
      'vus',
      'vus-max',
      'stopped',
      'running',
      'tainted',
    ]);
    expect(body!.data.attributes).toMatchObject({ status: 4, paused: true, running: false });
    const before = server.received;
    const res = await fetch(`http://${address}/v1/status`, {
      method: 'PATCH',
      body: JSON.stringify({ data: { attributes: { paused: false } } }),
    });
    expect(res.status).toBe(200);
    expect(await exited).toBe(0);
    expect(server.received - before).toBe(2);
  });

  it('exits 99 when a threshold fails at the end, 0 with --no-thresholds', async () => {
    const file = await script(
      'thresholds.js',
      `import http from 'k6/http';
export const options = { ${scenario(4, '1s')} thresholds: { 'http_req_duration{scenario:tier_steady}': ['max<0.001'] } };
export default function () { http.get('${server.url}/'); }
`,
    );
    expect((await k6(['run', '--quiet', file])).code).toBe(99);
    expect((await k6(['run', '--quiet', '--no-thresholds', file])).code).toBe(0);
  });

  it('exits 107 on an exception at init, 108 on exec.test.abort(), 104 on what it lacks', async () => {
    const broken = await script('broken.js', `throw new Error('init went wrong');\n`);
    const r = await k6(['run', broken]);
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/level=error msg="Error: init went wrong/);
    const aborting = await script(
      'abort.js',
      `import exec from 'k6/execution';
export const options = { ${scenario(2, '2s')} };
export default function () { exec.test.abort('enough'); }
`,
    );
    const a = await k6(['run', '--quiet', aborting]);
    expect(a.code).toBe(108);
    expect(a.stderr).toMatch(/test aborted: enough/);
    const unknown = await script(
      'shared.js',
      `export const options = { scenarios: { s: { executor: 'shared-iterations', iterations: 3 } } };
export default function () {}
`,
    );
    const u = await k6(['run', unknown]);
    expect(u.code).toBe(104);
    expect(u.stderr).toMatch(/executor \\"shared-iterations\\" is not implemented/);
    expect((await k6(['run', '--linger', unknown])).code).toBe(104);
    const invalid = await script(
      'invalid.js',
      `export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 2,
  duration: '1.5.s', preAllocatedVUs: 1 } } };
export default function () {}
`,
    );
    const i = await k6(['inspect', invalid]);
    expect(i.code).toBe(104);
    expect(i.stderr).toMatch(/scenarios\.s\.duration: .*1\.5\.s.* is not a k6 duration/);
    const ws = await script(
      'ws.js',
      `import ws from 'k6/ws';\nexport default function () { ws; }\n`,
    );
    expect((await k6(['run', ws])).stderr).toMatch(/module k6\/ws is not provided/);
  });

  it('exits 105 on SIGINT after flushing and running handleSummary', async () => {
    const file = await script(
      'sigint.js',
      `import http from 'k6/http';
export const options = { ${scenario(5, '30s')} };
export default function () { http.get('${server.url}/'); }
export function handleSummary(data) {
  return { '${join(dir, 'summary.json')}': JSON.stringify({ reqs: data.metrics.http_reqs.values.count }) };
}
`,
    );
    const child = spawn(STANDIN_K6, ['run', '--quiet', file], { stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    const before = server.received;
    for (let i = 0; i < 300 && server.received - before < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(105);
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    expect(summary.reqs).toBe(server.received - before);
  });
});
