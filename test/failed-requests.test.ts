// A run whose requests fail never passes silently: the implicit error-rate guard, its opt-out,
// a run with nothing to judge, and header values that could only fail inside the client.
// Real CLI, real servers on 127.0.0.1.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, tiergate } from './helpers/cli.ts';
import { startServer, type TestServer } from './helpers/servers.ts';

interface SummaryObjective {
  id: string;
  expression: string;
  status: string;
}

describe('failed requests and the gate', () => {
  let failing: TestServer;
  beforeAll(async () => {
    failing = await startServer(() => ({ delayMs: 0, status: 500 }));
  });
  afterAll(() => failing.close());

  /**
   * An ad-hoc run, again (twice at most) if its generator fell behind: on a busy 2-core machine
   * that makes a run inconclusive, which says something about the machine, not the gate.
   */
  async function adhoc(
    dir: string,
    runId: string,
    ...more: string[]
  ): Promise<CliResult & { folder: string }> {
    let last: (CliResult & { folder: string }) | undefined;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const results = join(dir, `results-${attempt}`);
      const r = await tiergate([
        ...['run', '--target', failing.url, '--rate', '10', '--duration', '2s'],
        ...['--results-dir', results, '--run-id', runId],
        ...['--summary-json', join(dir, `${runId}.json`)],
        ...more,
      ]);
      last = { ...r, folder: join(results, runId) };
      if (!/generator fell behind/.test(r.stdout)) break;
    }
    return last!;
  }
  const summary = (dir: string, runId: string) =>
    JSON.parse(readFileSync(join(dir, `${runId}.json`), 'utf8')) as {
      verdict: string;
      objectives: SummaryObjective[];
      inconclusiveReasons: string[];
    };

  it('fails a latency-only gate when every request answers 500, in every report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-failed-'));
    const r = await adhoc(dir, 'latency-only', '--slo', 'p99<300ms');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/error_rate ≤ 1% \(implicit\)|error_rate <= 1% \(implicit\)/);
    expect(r.stdout).toMatch(/Gate: FAIL/);
    const s = summary(dir, 'latency-only');
    const guard = s.objectives.find((o) => o.id === 'implicit-error-rate');
    expect(guard?.status).toBe('fail');
    // The latency objective itself is met (too few samples may leave it unproven, never failed).
    expect(['pass', 'unproven']).toContain(
      s.objectives.find((o) => o.id.startsWith('slo-p99'))?.status,
    );
    const { folder } = r;
    for (const file of ['junit.xml', 'summary.md', 'report.html'])
      expect(readFileSync(join(folder, file), 'utf8'), file).toContain('(implicit)');

    const regate = await tiergate(['gate', folder]);
    expect(regate.code).toBe(1);
    expect(regate.stdout.match(/\(implicit\)/g)?.length).toBeGreaterThan(0);
  });

  it('fails a run with no objectives at all when its requests fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-failed-'));
    const r = await adhoc(dir, 'none');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(/no objectives to judge/);
    expect(summary(dir, 'none').verdict).toBe('fail');
  });

  it('--allow-errors opts out of the guard; with nothing left to judge the run is inconclusive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-failed-'));
    const latency = await adhoc(dir, 'opted-out', '--slo', 'p99<300ms', '--allow-errors');
    // Passes; inconclusive only when this busy machine's generator fell behind three times.
    const behind = /generator fell behind/.test(latency.stdout);
    expect(latency.code, latency.stdout + latency.stderr).toBe(behind ? 4 : 0);
    expect(summary(dir, 'opted-out').objectives.map((o) => o.id)).not.toContain(
      'implicit-error-rate',
    );
    const regate = await tiergate(['gate', latency.folder]);
    expect(regate.code, regate.stdout).toBe(latency.code);

    const nothing = await adhoc(dir, 'nothing', '--allow-errors');
    expect(nothing.code, nothing.stdout + nothing.stderr).toBe(4);
    expect(nothing.stdout).toMatch(/Gate: INCONCLUSIVE/);
    expect(summary(dir, 'nothing').inconclusiveReasons.join(' ')).toMatch(/no objectives to judge/);
  });

  it('a header value with CR or LF is exit 2 naming --header, and nothing is sent', async () => {
    const before = failing.received;
    for (const header of ['X-Test: a\r\nInjected: b', 'X-Test: a\nb', 'X Bad: v']) {
      const r = await tiergate([
        ...['run', '--target', failing.url, '--rate', '5', '--duration', '1s', '--quiet'],
        ...['--header', header, '--results-dir', mkdtempSync(join(tmpdir(), 'tiergate-hdr-'))],
      ]);
      expect(r.code, JSON.stringify(header) + r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--header/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(failing.received).toBe(before);
  });
});
