// The CLI's output conventions, end to end in real processes: `--summary-json -` on stdout and
// nothing else there, writes that refuse links and FIFOs, colour per stream, `--quiet`,
// `plan --json`, `tiers --json` and k6-style durations. Load goes to the demo on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, tiergate } from './helpers/cli.ts';

const work = () => mkdtempSync(join(tmpdir(), 'tiergate-output-'));
const ESC = '\u001b[';

/** A short ad-hoc run against the demo: 2 s at 20 req/s. */
const shortRun = (dir: string, ...more: string[]) =>
  tiergate(
    [
      'run',
      '--target',
      'demo',
      '--path',
      '/health',
      '--rate',
      '20',
      '--duration',
      '2s',
      '--slo',
      'p99<300ms',
      '--results-dir',
      join(dir, 'results'),
      ...more,
    ],
    { cwd: dir },
  );

/**
 * A short run reached a verdict: WARN (too few samples to prove p99), or INCONCLUSIVE (exit 4)
 * when a busy machine stalls the generator past its send-lag budget. Either way it printed one.
 */
function expectJudged(r: CliResult): void {
  expect([0, 4], r.stderr).toContain(r.code);
}

const VERDICT_LINE = /^Gate: (WARN|INCONCLUSIVE) — [^\n]+\n$/;

function expectUsage(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
}

describe('--summary-json - and --quiet', () => {
  let dir: string;
  let stored: string;
  let run: CliResult;
  beforeAll(async () => {
    dir = work();
    stored = join(dir, 'results', 'dash');
    run = await shortRun(dir, '--run-id', 'dash', '--summary-json', '-');
  });

  it('run writes the summary JSON to stdout and everything else to stderr', () => {
    expectJudged(run);
    const summary = JSON.parse(run.stdout);
    expect(summary.runId).toBe('dash');
    expect(summary.requests).toBe(40);
    expect(run.stderr).toContain('Plan: ad-hoc run against');
    expect(run.stderr).toMatch(/Gate: (WARN|INCONCLUSIVE) — /);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('gate does the same with a stored run', async () => {
    const r = await tiergate(['gate', stored, '--summary-json', '-'], { cwd: dir });
    expectJudged(r);
    expect(JSON.parse(r.stdout).runId).toBe('dash');
    expect(r.stderr).toMatch(/Objective +Window/);
    expect(existsSync(join(dir, '-'))).toBe(false);
  });

  it('--quiet leaves the one-line verdict on stdout and nothing on stderr', async () => {
    const r = await shortRun(dir, '--run-id', 'quiet', '--quiet');
    expectJudged(r);
    expect(r.stdout).toMatch(VERDICT_LINE);
    expect(r.stderr).toBe('');
  });

  it('--quiet still shows an error', async () => {
    const r = await tiergate(['run', '--target', 'demo', '--rate', 'fast', '--quiet']);
    expectUsage(r, /--rate "fast" is not valid/);
  });

  it('--quiet with --summary-json -: the JSON on stdout, the verdict line on stderr', async () => {
    const r = await shortRun(dir, '--run-id', 'quiet-dash', '--quiet', '--summary-json', '-');
    expectJudged(r);
    expect(JSON.parse(r.stdout).runId).toBe('quiet-dash');
    expect(r.stderr).toMatch(VERDICT_LINE);
  });

  it('colour follows FORCE_COLOR, NO_COLOR and --no-color', async () => {
    const gate = (env: Record<string, string>, ...more: string[]) =>
      tiergate(['gate', stored, ...more], { cwd: dir, env });
    const forced = await gate({ FORCE_COLOR: '1', NO_COLOR: '' });
    expect(forced.stdout).toContain(ESC);
    expect((await gate({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await gate({ FORCE_COLOR: '1', NO_COLOR: '' }, '--no-color')).stdout).not.toContain(
      ESC,
    );
    expect((await gate({ FORCE_COLOR: '0', NO_COLOR: '' })).stdout).not.toContain(ESC);
  });

  it("colour on each stream follows that stream's own TTY (stderr a terminal, stdout a file)", () => {
    // script(1) gives the command a pseudo-terminal; the shell sends its stdout to a file.
    const { NO_COLOR, FORCE_COLOR, CI, ...env } = process.env;
    const inPty = (command: string): string =>
      execFileSync('script', ['-qec', `${command}; true`, '/dev/null'], {
        cwd: dir,
        env: { ...env, TERM: 'xterm-256color' },
        encoding: 'utf8',
      });
    const node = `'${process.execPath}' '${BIN}'`;
    inPty(`${node} gate results/dash > table.txt`);
    const table = readFileSync(join(dir, 'table.txt'), 'utf8');
    expect(table).toMatch(/Gate: [A-Z]+ — /);
    expect(table).not.toContain(ESC);
    const onTty = inPty(`${node} gate results/dash --summary-json - > summary.json`);
    expect(onTty).toContain(`${ESC}1mGate:`);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).runId).toBe('dash');
  });
});

describe('writes never replace a symlink or a FIFO', () => {
  it('run refuses a symlinked --summary-json before any load, leaving the link and its file', async () => {
    const dir = work();
    const target = join(dir, 'kept.json');
    const link = join(dir, 'link.json');
    writeFileSync(target, 'kept');
    symlinkSync(target, link);
    const r = await shortRun(dir, '--run-id', 'never', '--summary-json', link);
    expectUsage(r, /--summary-json ".*link\.json" is a symbolic link \(to .*kept\.json\)/);
    expect(r.stderr).toContain('fix: use --summary-json - for stdout, or name a regular file');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('kept');
    expect(existsSync(join(dir, 'results', 'never'))).toBe(false);
  });

  it('gate refuses a FIFO as --summary-json, leaving it a FIFO', async () => {
    const dir = work();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const r = await tiergate(['gate', join(dir, 'nothing'), '--summary-json', fifo]);
    expectUsage(r, /--summary-json ".*pipe" is a FIFO/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('plan --json and tiers --json', () => {
  it('plan --json prints the plan with its documented keys, durations k6-style', async () => {
    const r = await tiergate([
      'plan',
      '--roadmap',
      'ecommerce',
      '--tier',
      '10k',
      '--duration',
      '1m30s',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(Object.keys(plan)).toEqual([
      'roadmap',
      'tier',
      'tierName',
      'target',
      'model',
      'unit',
      'peak',
      'tierPeak',
      'durationS',
      'stages',
      'journey',
      'objectives',
      'rollbackTriggers',
      'generator',
      'notes',
      'refused',
    ]);
    expect(plan).toMatchObject({ roadmap: 'ecommerce', tier: '10k', model: 'open', durationS: 90 });
    expect(plan.stages.reduce((s: number, p: { durationS: number }) => s + p.durationS, 0)).toBe(
      90,
    );
    expect(plan.stages.filter((p: { steady: boolean }) => p.steady)).toHaveLength(1);
    expect(plan.journey.reduce((s: number, j: { share: number }) => s + j.share, 0)).toBeCloseTo(1);
    expect(plan.objectives.map((o: { id: string }) => o.id)).toContain('checkout-p95');
    expect(plan.refused).toBeNull();
    expect(r.stderr).toBe('');
  });

  it('plan --json of a plan run would refuse: the JSON says why, then exit 2', async () => {
    const r = await tiergate([
      'plan',
      '--target',
      'http://127.0.0.1:9',
      '--rate',
      '1e9',
      '--duration',
      '2s',
      '--json',
    ]);
    expectUsage(r, /is beyond/);
    expect(JSON.parse(r.stdout).refused).toMatch(/peak 1,000,000,000 req\/s is beyond/);
  });

  it('tiers --json lists every roadmap; with a roadmap and tier, that tier in full', async () => {
    const all = JSON.parse((await tiergate(['tiers', '--json'])).stdout);
    expect(all.roadmaps.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(['ecommerce', 'zero-world', 'bookedbarber', 'ai-platform']),
    );
    const one = await tiergate(['tiers', 'ecommerce', '10k', '--json']);
    expect(one.code, one.stderr).toBe(0);
    const { roadmaps } = JSON.parse(one.stdout);
    expect(roadmaps).toHaveLength(1);
    expect(roadmaps[0].tiers.map((t: { id: string }) => t.id)).toEqual(['10k']);
    const tier = roadmaps[0].tiers[0];
    expect(Object.keys(tier)).toEqual([
      'id',
      'name',
      'description',
      'model',
      'unit',
      'peak',
      'traffic',
      'stages',
      'objectives',
      'rollbackTriggers',
      'nextPhase',
      'gameDays',
    ]);
    expect(tier.peak).toBe(25);
    expect(tier.objectives[0].source.seed).toMatch(/\.txt$/);
  });
});

describe('k6-style durations', () => {
  it('a config file takes 1m30s and 1h; a flag that is not a duration names the forms', async () => {
    const dir = work();
    const config = join(dir, 'tiergate.yaml');
    writeFileSync(
      config,
      [
        'roadmaps:',
        '  - id: x',
        '    name: X',
        '    description: d',
        '    seeds: []',
        '    tiers:',
        '      - id: t',
        '        name: T',
        '        load: { rps: 5 }',
        '        stages: [{ duration: 1m30s, target: 1 }, { duration: 1h, target: 1, steady: true }]',
        '        journey: { name: j, requests: [{ name: a, path: / }] }',
        "        objectives: ['p95 < 2s']",
        '',
      ].join('\n'),
    );
    const r = await tiergate([
      'plan',
      '--config',
      config,
      '--roadmap',
      'x',
      '--tier',
      't',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).durationS).toBe(3690);
    const bad = await tiergate([
      'plan',
      '--roadmap',
      'ecommerce',
      '--tier',
      '10k',
      '--duration',
      '1m30x',
    ]);
    expectUsage(bad, /--duration "1m30x" is not a duration: use .*500ms, 30s, 5m, 1h, 1m30s/);
  });
});
