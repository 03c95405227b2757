// A corrupt run.json is input, not a crash: `gate`, `report` and `compare` refuse it with exit 2
// naming the field, before anything is written. A real run against a real server, then copies
// of its run.json with one field broken each.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';
import { startServer, type TestServer } from './helpers/servers.ts';

// biome-ignore lint/suspicious/noExplicitAny: the test breaks arbitrary fields of parsed JSON
type Run = Record<string, any>;

describe('corrupt run.json content', () => {
  let server: TestServer;
  let root: string;
  let good: string;
  beforeAll(async () => {
    server = await startServer();
    root = mkdtempSync(join(tmpdir(), 'tiergate-corrupt-'));
    const r = await tiergate([
      ...['run', '--target', server.url, '--rate', '20', '--duration', '2s', '--quiet'],
      ...['--slo', 'p99<300ms', '--results-dir', root, '--run-id', 'good'],
    ]);
    expect([0, 4], r.stderr).toContain(r.code);
    good = join(root, 'good');
  }, 60_000);
  afterAll(() => server.close());

  /** A copy of the good run whose run.json `edit` broke; its folder holds run.json alone. */
  function broken(name: string, edit: (run: Run) => void): string {
    const dir = join(root, name);
    cpSync(good, dir, { recursive: true, filter: (src) => !/\.(html|md|xml|hlog)$/.test(src) });
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Run;
    edit(run);
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
    return dir;
  }

  const cases: Array<[string, (run: Run) => void, RegExp]> = [
    [
      'bad-histogram',
      (run) => {
        run.timeline[0].latency = 'HISTogram!!';
      },
      /timeline\[0\]\.latency.*is not an HdrHistogram/,
    ],
    [
      'huge-t',
      (run) => {
        run.timeline[run.timeline.length - 1].t = 1e12;
      },
      /timeline\[\d+\]\.t: 1000000000000 is too large/,
    ],
    [
      'objectives-type',
      (run) => {
        run.plan.objectives = 'p99<300ms';
      },
      /plan\.objectives: "p99<300ms" is not a list/,
    ],
    [
      'huge-count',
      (run) => {
        run.timeline[0].completed = 1e308;
        run.stats[0].completed = 1e308;
      },
      /timeline\[0\]\.completed: 1e\+308 is too large/,
    ],
  ];

  for (const [name, edit, field] of cases) {
    it(`${name}: exit 2 naming the field, and nothing written`, async () => {
      const dir = broken(name, edit);
      const summary = join(root, `${name}.summary.json`);
      for (const args of [
        ['gate', dir, '--summary-json', summary],
        ['report', dir],
        ['compare', good, dir, '--no-html'],
      ]) {
        const r = await tiergate(args);
        expect(r.code, `${args[0]}: ${r.stdout}${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(field);
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
        expect(r.stdout).not.toMatch(/PASS|completed/);
      }
      expect(readdirSync(dir)).toEqual(['run.json']);
      expect(() => readFileSync(summary)).toThrow();
    });
  }
});
