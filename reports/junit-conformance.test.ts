// renderJunit's output as CI reporters see it: valid against the Jenkins xUnit JUnit schema
// (libxml2's xmllint) and read by a third-party JUnit reader (junit2json), with every case's
// classname carrying roadmap, tier and window so merged reports of several tiers keep them all.
import { parse, type TestCase } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { junitSchemaErrors } from '../test/helpers/junit-schema.ts';
import type { RunResult } from '../thresholds/result.ts';
import { makeRun } from './fixtures.ts';
import { renderJunit } from './junit.ts';

async function casesOf(run: RunResult): Promise<TestCase[]> {
  const xml = renderJunit(run);
  expect(await junitSchemaErrors(xml)).toEqual([]);
  const parsed = await parse(xml);
  if (!parsed || !('testsuite' in parsed)) throw new Error('no <testsuites> root');
  return (parsed.testsuite ?? []).flatMap((s) => s.testcase ?? []);
}

function tierRun(tier: string): RunResult {
  const run = makeRun();
  run.plan.tier = tier;
  return run;
}

describe('renderJunit against the JUnit schema and a JUnit reader', () => {
  it('a tier run: one case per objective, classnames tiergate.<roadmap>.<tier>.<window>', async () => {
    const cases = await casesOf(makeRun());
    expect(cases.map((c) => [c.classname, c.name])).toEqual([
      ['tiergate.ecommerce.10k.steady', 'browse p95 < 500 ms'],
      ['tiergate.ecommerce.10k.steady', 'checkout p95 < 1.5 s'],
      ['tiergate.ecommerce.10k.whole', 'error_rate < 1%'],
    ]);
    expect(cases.map((c) => c.failure?.map((f) => f.message))).toEqual([
      undefined,
      ['observed 2.41 s, limit 1.5 s'],
      undefined,
    ]);
  });

  it('two tiers merged keep every case: no classname and name twice', async () => {
    const merged = [...(await casesOf(tierRun('10k'))), ...(await casesOf(tierRun('100k')))];
    const keys = new Set(merged.map((c) => `${c.classname} ${c.name}`));
    expect(merged).toHaveLength(6);
    expect(keys.size).toBe(6);
  });

  it('an ad-hoc run is named by its endpoint, without its query', async () => {
    const run = makeRun();
    run.plan.roadmap = undefined;
    run.plan.tier = undefined;
    run.plan.target = 'http://127.0.0.1:8080';
    run.plan.journey.requests = [
      { name: 'GET /hello', method: 'GET', path: '/hello?token=x', weight: 1 },
    ];
    const cases = await casesOf(run);
    expect(new Set(cases.map((c) => c.classname))).toEqual(
      new Set([
        'tiergate.adhoc.GET_127_0_0_1_8080_hello.steady',
        'tiergate.adhoc.GET_127_0_0_1_8080_hello.whole',
      ]),
    );
  });

  it('an aborted, inconclusive run with a skipped objective is valid too', async () => {
    const run = makeRun();
    run.verdict.status = 'inconclusive';
    run.verdict.inconclusiveReasons = ['the generator fell behind its schedule'];
    run.outcome = { state: 'aborted', trigger: 'errors', atS: 6.25, reason: 'error rate 12%' };
    Object.assign(run.verdict.objectives[0]!, { status: 'skipped', observed: null });
    const cases = await casesOf(run);
    expect(cases.filter((c) => c.skipped).map((c) => c.name)).toEqual(['browse p95 < 500 ms']);
    expect(cases.filter((c) => c.error).map((c) => [c.classname, c.error?.[0]?.type])).toEqual([
      ['tiergate.ecommerce.10k.generator', 'inconclusive'],
      ['tiergate.ecommerce.10k.rollback', 'aborted'],
    ]);
  });

  it('the schema refuses what a reporter would not read', async () => {
    const valid = renderJunit(makeRun());
    expect(await junitSchemaErrors(valid.replace(/ failures="\d+"/g, ''))).not.toEqual([]);
    expect(await junitSchemaErrors(valid.replace('time="10.000"', 'time="ten"'))).not.toEqual([]);
  });
});
