import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRun } from './fixtures.ts';
import { appendStepSummary, githubAnnotations, renderMarkdown } from './markdown.ts';

const MiB = 1024 * 1024;

describe('renderMarkdown', () => {
  it('heads with the verdict and shows the objective table', () => {
    const md = renderMarkdown(makeRun(), { resultDir: 'results/x' });
    expect(md.split('\n')[0]).toBe('## ❌ FAIL · tiergate ecommerce/10k');
    expect(md).toContain(
      '**ecommerce/10k** (10K users) · engine `local` ×2 · 10 s · 80 req/s of 80 req/s planned (100%), peaking at 100 req/s',
    );
    expect(md).toContain(
      '| Objective | Window | Observed | Limit | Bound (95%) | Verdict | Samples |',
    );
    expect(md).toContain(
      '| `checkout p95 < 1.5 s` | steady | 2.41 s | 1.5 s | — | ❌ fail | 240 |',
    );
    expect(md).toContain(
      '| `browse p95 < 500 ms` | steady | 330 ms | 500 ms | — | ✅ pass | 360 |',
    );
  });

  it('calls out what failed and by how much', () => {
    const md = renderMarkdown(makeRun());
    expect(md).toContain('- `checkout p95 2.41 s > 1.5 s (+61%)` in the steady window');
    expect(md).toContain('- `error_rate 1.13% > 1% (+12%)` in the whole window');
  });

  it('states latencies, errors by kind, dropped and the plan notes', () => {
    const md = renderMarkdown(makeRun());
    expect(md).toMatch(
      /\*\*Latency\*\* \(all requests, from the intended send time\): p50 280 ms · p95 924 ms/,
    );
    expect(md).toContain('**Errors**: 9 (1.13%) — `http_500` 6 · `timeout` 3');
    expect(md).toContain('**Dropped** (not sent on schedule): 3 of 803 scheduled');
    expect(md).toContain('- Load scaled to 10% of the tier (--scale 0.1)');
  });

  it('says why a run that did not complete ended', () => {
    const run = makeRun();
    run.outcome = {
      state: 'aborted',
      trigger: 'error-burst',
      atS: 6,
      reason: 'errors > 5% for 3 s',
    };
    const md = renderMarkdown(run);
    expect(md.split('\n')[0]).toBe('## 🛑 ABORTED · tiergate ecommerce/10k');
    expect(md).toContain(
      '> **Run aborted:** aborted by rollback trigger error-burst at 6 s: errors \\> 5% for 3 s',
    );
  });

  it('stays under 1 MiB for an hour-long run with 20 objectives', () => {
    const run = makeRun({ seconds: 3600, objectives: 20 });
    const md = renderMarkdown(run);
    expect(Buffer.byteLength(md)).toBeLessThan(MiB);
    expect(md.match(/^\| `/gm)).toHaveLength(20);
    expect(md).toContain('1 h');
  });

  it('truncates the table with a note when it would pass 1 MiB', () => {
    const run = makeRun();
    const [, failing] = run.verdict.objectives;
    run.verdict.objectives = Array.from({ length: 30_000 }, (_, i) => ({
      ...failing!,
      id: `o${i}`,
      expression: `checkout-${i}-${'x'.repeat(60)} p95 < 1.5 s`,
      reason: 'r'.repeat(1000),
    }));
    const md = renderMarkdown(run);
    expect(Buffer.byteLength(md)).toBeLessThan(MiB);
    expect(md).toMatch(/more objectives not shown \(this summary is capped at 1 MB\)/);
  });

  it('keeps pipes in expressions from breaking the table', () => {
    const run = makeRun();
    run.verdict.objectives[0]!.expression = 'a|b p95 < 500 ms';
    expect(renderMarkdown(run)).toContain('| `a\\|b p95 < 500 ms` |');
  });
});

describe('githubAnnotations', () => {
  it('gives one ::error line per failing objective', () => {
    expect(githubAnnotations(makeRun())).toEqual([
      '::error title=tiergate ecommerce/10k%3A checkout p95 < 1.5 s::checkout p95 2.41 s > 1.5 s (+61%25) in the steady window',
    ]);
  });

  it('gives at most 10 lines', () => {
    const run = makeRun();
    const failing = run.verdict.objectives[1]!;
    run.verdict.objectives = Array.from({ length: 25 }, (_, i) => ({ ...failing, id: `o${i}` }));
    const lines = githubAnnotations(run);
    expect(lines).toHaveLength(10);
    expect(lines.every((l) => l.startsWith('::error title='))).toBe(true);
    expect(lines[9]).toContain('16 more objectives failed');
  });

  it('keeps newlines and colons from breaking the command', () => {
    const run = makeRun();
    run.outcome = { state: 'errored', reason: 'target unreachable:\nECONNREFUSED' };
    const [line] = githubAnnotations(run);
    expect(line).toBe(
      '::error title=tiergate ecommerce/10k%3A run errored::could not complete: target unreachable:%0AECONNREFUSED',
    );
  });
});

describe('appendStepSummary', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('appends to GITHUB_STEP_SUMMARY when it is set', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiergate-step-'));
    const path = join(dir, 'step_summary.md');
    expect(await appendStepSummary('# one', { GITHUB_STEP_SUMMARY: path })).toBe(true);
    expect(await appendStepSummary('# two\n', { GITHUB_STEP_SUMMARY: path })).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('# one\n# two\n');
  });

  it('does nothing when it is not set', async () => {
    expect(await appendStepSummary('# one', {})).toBe(false);
  });
});
