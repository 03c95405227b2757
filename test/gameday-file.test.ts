// A game day written in a file, run through the real CLI: `--gameday-file` is loaded with the
// config loader, listed beside the built-ins, refused with file:line:col when wrong, and run
// against the demo behind the fault proxy with the share of errors it asks for.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';
import { expectMet } from './helpers/verdicts.ts';

const GAMEDAY = `
gameDays:
  - id: checkout-errors
    name: Checkout errors
    description: a tenth of requests answered 503
    steady: 6s
    recovery: 6s
    faults:
      - { at: 6s, hold: 6s, httpError: { status: 503, share: 10% } }
    steadyState: [ "error_rate < 1%" ]
    objectives:
      - { expr: "error_rate <= 20%", window: chaos }
      - "recovery_time < 5s"
`;

function workDir(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tiergate-gameday-file-'));
  const file = join(dir, 'gamedays.yaml');
  writeFileSync(file, text);
  return { dir, file, results: join(dir, 'results'), summary: join(dir, 's.json') };
}

interface Objective {
  id: string;
  status: string;
}

describe('tiergate gameday --gameday-file', () => {
  it('lists the file’s game days beside the built-ins, marked with the file', async () => {
    const w = workDir(GAMEDAY);
    const r = await tiergate(['gameday', '--list', '--gameday-file', w.file], { cwd: w.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^checkout-errors +Checkout errors$/m);
    expect(r.stdout).toContain('from gamedays.yaml');
    expect(r.stdout).toMatch(/^pod-kill /m);
  });

  it('refuses a broken file with its line, column, field path and value (exit 2)', async () => {
    const w = workDir(GAMEDAY.replace('at: 6s', 'at: 3s'));
    const r = await tiergate(
      ['gameday', '--fault', 'checkout-errors', '--gameday-file', w.file, '--target', 'demo'],
      { cwd: w.dir },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'gamedays.yaml:9:11: gameDays[0].faults[0].at: "3s" starts before the steady period ends at 6s',
    );
  });

  it('runs a 10 % httpError fault: the fault window errs at 10 %, steady and recovery are clean', async () => {
    const w = workDir(GAMEDAY);
    const r = await tiergate(
      [
        'gameday',
        '--roadmap',
        'ecommerce',
        '--tier',
        '10k',
        '--target',
        'demo',
        '--fault',
        'checkout-errors',
        '--rate',
        '100',
        '--gameday-file',
        w.file,
        '--quiet',
        '--summary-json',
        w.summary,
        '--results-dir',
        w.results,
      ],
      { cwd: w.dir, timeoutMs: 40_000 },
    );
    const s = JSON.parse(readFileSync(w.summary, 'utf8'));
    // Every objective is met, the tier's steady ones and the game day's own (passed, or too
    // thin to prove: unproven).
    const objectives: Objective[] = s.objectives;
    expect(
      objectives.filter((o) => o.status !== 'pass' && o.status !== 'unproven'),
      r.stdout,
    ).toEqual([]);
    expect(objectives.map((o) => o.id)).toEqual(
      expect.arrayContaining(['error_rate-chaos', 'recovery_time-recovery']),
    );
    // Game days replace the tier's deploy triggers with seed 000's chaos ones (errors > 5 % in a
    // 10 s window, held 10 s). A 10 % fault held 6 s can keep a 10 s window above 5 % for at most
    // 8 consecutive checks (its 6 s overlap, ± a partial second at each end), so none can fire;
    // with an 8 s hold, sampling noise at the edges sometimes made 10 and the game day aborted.
    expect(s.abortedBy).toBeNull();
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expectMet(s.verdict, s.objectives);
    const fault = s.windows.fault;
    const share = fault.errors / fault.requests;
    // The fault window takes every second the fault touched: 10 % of the requests sent while
    // the fault was in place, diluted by the rest of its first and last seconds.
    const [held, span] = [
      s.faults[0].removedAt - s.faults[0].injectedAt,
      fault.endS - fault.startS,
    ];
    const expected = (0.1 * held) / span;
    const tolerance = 3 * Math.sqrt((expected * (1 - expected)) / fault.requests);
    expect(fault.requests).toBeGreaterThan(400);
    expect(
      Math.abs(share - expected),
      `${fault.errors}/${fault.requests}, fault held ${held} s of ${span} s`,
    ).toBeLessThanOrEqual(tolerance);
    expect(s.windows.steady.errors).toBe(0);
    expect(s.faults).toHaveLength(1);
    expect(s.faults[0].kind).toBe('http-error');
    expect(s.faults[0].recovered).toBe(true);
    expect(s.faults[0].injectedAt).toBeGreaterThanOrEqual(6);
  }, 45_000);
});
