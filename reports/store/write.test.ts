import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { makeRun } from '../fixtures.ts';
import { readRunFile, writeRunFolder } from './write.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tiergate-write-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeRunFolder', () => {
  it('writes run.json and the reports, leaving no temporary files', async () => {
    const dir = join(root, 'results', 'run-1');
    const run = makeRun();
    const paths = await writeRunFolder(dir, run);
    expect(paths).toEqual(
      ['run.json', 'latency.hlog', 'junit.xml', 'summary.md', 'report.html'].map((f) =>
        join(dir, f),
      ),
    );
    expect((await readdir(dir)).sort()).toEqual(
      ['junit.xml', 'latency.hlog', 'run.json', 'summary.md', 'report.html'].sort(),
    );
    const text = await readFile(join(dir, 'run.json'), 'utf8');
    expect(text.startsWith('{\n "schemaVersion": 2,')).toBe(true);
    expect(JSON.parse(text)).toEqual(run);
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain(`results in \`${dir}\``);
  });

  it('writes only run.json for a partial run, and overwrites it in place', async () => {
    const run = makeRun();
    run.complete = false;
    expect(await writeRunFolder(root, run, { partial: true })).toEqual([join(root, 'run.json')]);
    run.complete = true;
    await writeRunFolder(root, run, { partial: true });
    expect(await readdir(root)).toEqual(['run.json']);
    expect((await readRunFile(join(root, 'run.json'))).complete).toBe(true);
  });
});

describe('writeFileAtomic', () => {
  it('removes its temporary file when the rename fails', async () => {
    const target = join(root, 'busy');
    await mkdir(join(target, 'inside'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(root)).toEqual(['busy']);
  });
});

describe('readRunFile', () => {
  it('reads a run back, from the file or its folder', async () => {
    const run = makeRun();
    await writeRunFolder(root, run, { partial: true });
    expect(await readRunFile(join(root, 'run.json'))).toEqual(run);
    expect(await readRunFile(root)).toEqual(run);
  });

  it('rejects another schema version with a clear message', async () => {
    const path = join(root, 'run.json');
    await writeFile(path, JSON.stringify({ ...makeRun(), schemaVersion: 3 }));
    await expect(readRunFile(path)).rejects.toThrow(
      `run.json at ${path} has schemaVersion 3; this tiergate reads version 2`,
    );
  });

  it('rejects a version 1 run, whose seconds counted requests where they completed', async () => {
    const path = join(root, 'run.json');
    await writeFile(path, JSON.stringify({ ...makeRun(), schemaVersion: 1 }));
    await expect(readRunFile(path)).rejects.toThrow(
      `run.json at ${path} has schemaVersion 1; this tiergate reads version 2 (version 1 counted requests in the second they completed, not the second they were sent: run it again)`,
    );
  });

  it.each([
    ['not JSON', 'hello', 'is not a tiergate run.json: not valid JSON'],
    ['an array', '[1, 2]', 'is not a tiergate run.json: expected a JSON object'],
    [
      'no schemaVersion',
      '{"name": "my-package"}',
      'is not a tiergate run.json: it has no schemaVersion',
    ],
    [
      'missing fields',
      '{"schemaVersion": 2, "runId": "x"}',
      'is not a tiergate run.json: missing or malformed startedAt (string), engine (object)',
    ],
  ])('rejects a file that is %s', async (_, content, message) => {
    const path = join(root, 'other.json');
    await writeFile(path, content);
    await expect(readRunFile(path)).rejects.toThrow(`${path} ${message}`);
  });

  it('says when there is no run.json', async () => {
    await expect(readRunFile(join(root, 'nope'))).rejects.toThrow(
      `no run.json at ${join(root, 'nope')}`,
    );
  });
});
