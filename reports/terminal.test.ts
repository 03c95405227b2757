import { describe, expect, it } from 'vitest';
import { makeRun } from './fixtures.ts';
import { renderGateLine, renderGateTable, renderRunFooter } from './terminal.ts';

// Built from the code point: a control character in a regex literal is easy to misread.
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[`);
const SGR = new RegExp(`${ESC}\\[\\d+m`, 'g');

describe('renderGateLine (--quiet)', () => {
  it('is the verdict line alone', () => {
    expect(renderGateLine(makeRun().verdict, { color: false })).toBe(
      'Gate: FAIL — 1 failed, 1 warned, 1 passed of 3',
    );
  });

  it("carries an inconclusive run's reasons on the same line", () => {
    const verdict = makeRun().verdict;
    verdict.status = 'inconclusive';
    verdict.inconclusiveReasons = ['the generator fell behind', 'too many dropped'];
    expect(renderGateLine(verdict, { color: false })).toBe(
      'Gate: INCONCLUSIVE — the run cannot support a verdict: the generator fell behind; too many dropped',
    );
  });
});

describe('renderGateTable', () => {
  it('has no ANSI escapes without colour, and aligned columns', () => {
    const out = renderGateTable(makeRun().verdict, { color: false });
    expect(out).not.toMatch(ANSI);
    const [header, ...rest] = out.split('\n');
    const rows = rest.slice(0, 3);
    expect(header).toMatch(
      /^Objective\s+Window\s+Observed\s+Limit\s+Bound \(95%\)\s+Verdict\s+Samples$/,
    );
    // Every row is as wide as the header (the last column is right-aligned) …
    for (const row of rows) expect(row).toHaveLength(header!.length);
    // … and left-aligned columns start where their titles do.
    const windowAt = header!.indexOf('Window');
    const verdictAt = header!.indexOf('Verdict');
    expect(rows.map((r) => r.slice(windowAt).split(' ')[0])).toEqual(['steady', 'steady', 'whole']);
    expect(rows.map((r) => r.slice(verdictAt).split(' ')[0])).toEqual(['PASS', 'FAIL', 'WARN']);
    // Right-aligned columns end where their titles do.
    const observedEnd = header!.indexOf('Observed') + 'Observed'.length;
    expect(rows[1]!.slice(0, observedEnd).endsWith('2.41 s')).toBe(true);
  });

  it('says which objective broke and by how much, then the verdict', () => {
    const out = renderGateTable(makeRun().verdict, { color: false });
    expect(out).toContain('✗ checkout p95 2.41 s > 1.5 s (+61%) [steady]');
    expect(out).toContain('! error_rate 1.13% > 1% (+12%) [whole] (warning only)');
    expect(out).toContain('Gate: FAIL — 1 failed, 1 warned, 1 passed of 3');
  });

  it('lists the reasons of an inconclusive verdict', () => {
    const verdict = makeRun().verdict;
    verdict.status = 'inconclusive';
    verdict.inconclusiveReasons = ['the generator fell behind its schedule'];
    const out = renderGateTable(verdict, { color: false });
    expect(out).toContain(
      'Gate: INCONCLUSIVE — the run cannot support a verdict:\n  - the generator fell behind its schedule',
    );
  });

  it('says a gate without objectives judged nothing, instead of "all 0 met"', () => {
    const verdict = makeRun().verdict;
    verdict.status = 'pass';
    verdict.objectives = [];
    const out = renderGateTable(verdict, { color: false });
    expect(out).toContain('Gate: PASS — no objectives to judge (add some with --slo');
    expect(out).not.toContain('all 0');
  });

  it('colours the verdicts only when asked, keeping the alignment', () => {
    const out = renderGateTable(makeRun().verdict, { color: true });
    expect(out).toMatch(ANSI);
    const plain = out.replace(SGR, '');
    expect(plain).toBe(renderGateTable(makeRun().verdict, { color: false }));
  });
});

describe('renderRunFooter', () => {
  it('gives counts, errors by kind, latencies and the results folder', () => {
    const out = renderRunFooter(makeRun(), {
      color: false,
      resultDir: 'results/20260101-000000-ab12',
    });
    expect(out).not.toMatch(ANSI);
    expect(out).toContain(
      'requests  800 completed · 80 req/s of 80 req/s planned (100%), peaking at 100 req/s',
    );
    expect(out).toContain('errors    9 (1.13%) — http_500 6, timeout 3');
    expect(out).toContain('dropped   3 of 803 scheduled (0.374%)');
    expect(out).toMatch(/latency {3}p50 280 ms · p95 924 ms · p99 2\.41 s · max 2\.41 s/);
    expect(out).toContain('service time p99 1.45 s');
    expect(out).toContain('results   results/20260101-000000-ab12');
  });

  it('judges throughput against what the plan scheduled, not against its peak', () => {
    const run = makeRun();
    run.plan.shape = {
      model: 'open',
      phases: [
        { name: 'steady', startS: 0, durationS: 10, fromRps: 100, toRps: 100, steady: true },
      ],
    };
    const out = renderRunFooter(run, { color: false });
    expect(out).toContain('800 completed · 80 req/s of 100 req/s planned (80%)\n');
  });

  it('leaves service time out when it tells the same story', () => {
    const run = makeRun();
    for (const s of run.stats) s.serviceTime = { ...s.latency, p99: s.latency.p99 * 0.95 };
    expect(renderRunFooter(run, { color: false })).not.toContain('service time');
  });

  it('says how a run that did not complete ended', () => {
    const run = makeRun();
    run.outcome = { state: 'interrupted', signal: 'SIGINT', atS: 4.2 };
    expect(renderRunFooter(run, { color: false })).toContain(
      'outcome   interrupted by SIGINT at 4.2 s',
    );
  });
});
