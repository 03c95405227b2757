// Finding the user's k6 (--k6, K6_BIN, PATH), its version range, and the error without one.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../../core/errors.ts';
import { testK6, testK6Path } from '../../../test/helpers/k6.ts';
import { findK6 } from './binary.ts';
import { K6_MINIMUM_VERSION, K6_VERIFIED_VERSION } from './pinned.ts';

let dir: string;

/** A tiny executable that prints a k6-like version line. */
async function fakeK6(name: string, version: string): Promise<string> {
  await mkdir(join(dir, name), { recursive: true });
  const file = join(dir, name, 'k6');
  await writeFile(file, `#!/bin/sh\necho "k6 ${version} (fake, for a test)"\n`);
  await chmod(file, 0o755);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tiergate-findk6-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('findK6', () => {
  it('finds the k6 under test and reads its version', async () => {
    const k6 = await testK6();
    expect(k6.path).toBe(testK6Path());
    expect(k6.version).toMatch(/^v\d+\.\d+\.\d+/);
    expect(k6.versionLine).toContain('k6 v');
  });

  it('takes --k6 over K6_BIN over PATH', async () => {
    const onPath = await fakeK6('path', 'v1.2.0');
    const named = await fakeK6('env', 'v1.3.0');
    const flag = await fakeK6('flag', 'v1.4.0');
    const env = { PATH: join(dir, 'path'), K6_BIN: named };
    expect((await findK6({ env: { PATH: env.PATH } })).path).toBe(onPath);
    expect((await findK6({ env })).version).toBe('v1.3.0');
    expect((await findK6({ env, explicit: flag })).version).toBe('v1.4.0');
  });

  it('says where to get k6 when there is none, without building it (exit 3)', async () => {
    const err = await findK6({ env: { PATH: join(dir, 'nowhere') } }).catch((e) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err.message).toMatch(/k6 was not found .*tiergate does not ship k6/);
    expect(err.hint).toMatch(/https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/install-k6\//);
    expect(err.hint).not.toMatch(/build|go install|scripts\//);
    expect(err.exitCode).toBe(3);
    const wrong = await findK6({ env: { K6_BIN: join(dir, 'missing-k6') } }).catch((e) => e);
    expect(wrong.message).toMatch(/K6_BIN=.*missing-k6 is not an executable file/);
  });

  it('refuses a k6 older than the minimum, naming both versions (exit 3)', async () => {
    const old = await fakeK6('old', 'v0.49.0');
    const err = await findK6({ explicit: old }).catch((e) => e);
    expect(err).toBeInstanceOf(RunError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain('v0.49.0');
    expect(err.message).toContain(K6_MINIMUM_VERSION);
  });

  it('warns about a major newer than the last one verified, and still runs it', async () => {
    const newer = await fakeK6('newer', 'v9.0.0');
    const k6 = await findK6({ explicit: newer });
    expect(k6.version).toBe('v9.0.0');
    expect(k6.warning).toContain(K6_VERIFIED_VERSION);
    expect(k6.warning).toContain('npm run test:k6');
    expect((await findK6({ explicit: await fakeK6('same', 'v1.9.2') })).warning).toBeUndefined();
  });
});
