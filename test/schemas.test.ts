// The JSON Schemas `tiergate schema` prints, checked with a JSON Schema validator of its own
// (ajv, draft 2020-12) against what tiergate really writes: the README's quick start's
// --summary-json and run.json, and the README's sample config. The same run's junit.xml is
// checked against the JUnit schema and read back.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { tiergate } from './helpers/cli.ts';
import { junitSchemaErrors } from './helpers/junit-schema.ts';

async function printedSchema(kind: string): Promise<ValidateFunction> {
  const r = await tiergate(['schema', kind]);
  expect(r.code, r.stderr).toBe(0);
  return new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true }).compile(
    JSON.parse(r.stdout),
  );
}

function errorsOf(validate: ValidateFunction, data: unknown): string[] {
  validate(data);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** The ```yaml block that follows a README heading. */
function readmeYaml(heading: string): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const after = readme.slice(readme.indexOf(`\n${heading}\n`));
  const block = /```yaml\n([\s\S]*?)```/.exec(after)?.[1];
  if (block === undefined) throw new Error(`no yaml block after ${heading} in the README`);
  return block;
}

describe('tiergate schema', () => {
  it("the quick start's --summary-json, run.json and junit.xml match their schemas", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-schemas-'));
    const run = await tiergate(
      [
        ...['run', '--roadmap', 'ecommerce', '--tier', '10k', '--target', 'demo'],
        ...['--duration', '30s', '--gameday', 'network-latency', '--quiet'],
        ...['--results-dir', join(dir, 'results'), '--run-id', 'quick'],
        ...['--summary-json', join(dir, 'summary.json')],
      ],
      { cwd: dir },
    );
    // 0 as in the README; 4 (inconclusive) when a loaded machine made the generator fall behind.
    // Either way the run wrote its documents, and they are what is checked here.
    expect([0, 4], run.stderr).toContain(run.code);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const runFile = JSON.parse(readFileSync(join(dir, 'results', 'quick', 'run.json'), 'utf8'));
    expect(summary.exitCode).toBe(run.code);
    expect(summary.faults).toHaveLength(1);
    expect(errorsOf(await printedSchema('summary'), summary)).toEqual([]);
    expect(errorsOf(await printedSchema('run'), runFile)).toEqual([]);

    const junit = readFileSync(join(dir, 'results', 'quick', 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(junit)).toEqual([]);
    const read = await parseJunit(junit);
    const cases =
      read && 'testsuite' in read ? (read.testsuite ?? []).flatMap((s) => s.testcase ?? []) : [];
    const objectives: { expression: string; status: string }[] = summary.objectives;
    // Each objective is a case, in order, after which come the run's own (an <error> each).
    const judged = cases.slice(0, objectives.length);
    expect(judged.map((c) => c.name)).toEqual(objectives.map((o) => o.expression));
    for (const c of judged) {
      expect(c.classname).toMatch(/^tiergate\.ecommerce\.10k\.(steady|chaos|recovery|whole)$/);
    }
    expect(judged.filter((c) => c.failure).map((c) => c.name)).toEqual(
      objectives.filter((o) => o.status === 'fail').map((o) => o.expression),
    );
    for (const c of cases.slice(objectives.length)) {
      expect(c.classname).toMatch(/^tiergate\.ecommerce\.10k\.(generator|run|rollback)$/);
      expect(c.error).toHaveLength(1);
    }
  });

  it('the summary schema is exact: a field it does not know, or a wrong type, is refused', async () => {
    const validate = await printedSchema('summary');
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-schemas-'));
    const r = await tiergate(
      [
        ...['run', '--target', 'demo', '--rate', '20', '--duration', '2s', '--quiet'],
        ...['--results-dir', join(dir, 'results'), '--summary-json', join(dir, 's.json')],
      ],
      { cwd: dir },
    );
    const summary = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(errorsOf(validate, summary), r.stderr).toEqual([]);
    expect(errorsOf(validate, { ...summary, extra: 1 })).toEqual([
      ' must NOT have additional properties',
    ]);
    expect(errorsOf(validate, { ...summary, requests: '12' })).toEqual([
      '/requests must be integer',
    ]);
  });

  it("the README's sample configs validate against the config schema; broken ones do not", async () => {
    const validate = await printedSchema('config');
    const roadmaps = parseYaml(readmeYaml('## Your own roadmaps'));
    const gameDays = parseYaml(readmeYaml('## Game days as files'));
    expect(errorsOf(validate, roadmaps)).toEqual([]);
    expect(errorsOf(validate, gameDays)).toEqual([]);

    const tier = roadmaps.roadmaps[0].tiers[0];
    const broken = structuredClone(roadmaps);
    broken.roadmaps[0].tiers[0] = { ...tier, load: { rps: 'fast' }, colour: 'blue' };
    expect(errorsOf(validate, broken)).toEqual(
      expect.arrayContaining([
        '/roadmaps/0/tiers/0 must NOT have additional properties',
        '/roadmaps/0/tiers/0/load/rps must be number',
      ]),
    );
    expect(errorsOf(validate, { roadmap: roadmaps.roadmaps })).toEqual([
      ' must NOT have additional properties',
    ]);
  });

  it('names the schemas it has when asked for another (exit 2)', async () => {
    const r = await tiergate(['schema', 'summery']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('schema "summery"');
    expect(r.stderr).toContain('tiergate schema <config|summary|run>');
  });
});
