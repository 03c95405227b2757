// The CLI ends on its own with the command's exit code, whatever a user's config leaves behind
// (a timer, a promise that never settles, a rejection nobody handles). Real CLI, real server.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';
import { startServer, type TestServer } from './helpers/servers.ts';

/** A folder whose tiergate.config.mjs holds `code` before a valid, empty config. */
function withConfig(code: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiergate-ending-'));
  writeFileSync(join(dir, 'tiergate.config.mjs'), `${code}\nexport default { roadmaps: [] };\n`);
  return dir;
}

const STACK_LINE = /\n\s+at /;

describe('the CLI ends on its own', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  /** A 2-second ad-hoc run against the test server, its results in `cwd`. */
  const adhoc = (cwd: string) => [
    'run',
    '--target',
    server.url,
    '--rate',
    '10',
    '--duration',
    '2s',
    '--slo',
    'p99<300ms',
    '--quiet',
    '--results-dir',
    join(cwd, 'results'),
  ];

  it('exits with the verdict once the run is done, though the config left a timer running', async () => {
    const cwd = withConfig('setInterval(() => {}, 1000);');
    const r = await tiergate(adhoc(cwd), { cwd, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    // --quiet: the one-line verdict (p99 met on 20 requests, too few to prove it).
    expect(r.stdout).toMatch(/^Gate: WARN — [^\n]+\n$/);
  });

  it('a config whose top-level await never settles is exit 3 with one line', async () => {
    const cwd = withConfig('await new Promise(() => {});');
    const r = await tiergate(['tiers'], { cwd, timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tiergate: .*never (settled|finished)/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a rejection nobody handles is exit 3 with one line, not exit 1 with a stack', async () => {
    const cwd = withConfig("Promise.reject(new Error('boom from the config'));");
    const r = await tiergate(['tiers'], { cwd, timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tiergate: internal error: .*boom from the config/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('an exception thrown from a timer of the config during a run is exit 3 with one line', async () => {
    const cwd = withConfig("setTimeout(() => { throw new Error('late boom'); }, 300);");
    const r = await tiergate(adhoc(cwd), { cwd, timeoutMs: 30_000 });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tiergate: internal error: .*late boom/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
