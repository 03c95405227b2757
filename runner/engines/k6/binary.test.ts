// Finding the k6 binary, and the error when there is none.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunError } from '../../errors.ts';
import { findK6 } from './binary.ts';

describe('findK6', () => {
  it('finds k6 (PATH or .tiergate/bin) and reads its version', async () => {
    const k6 = await findK6();
    expect(k6.version).toMatch(/^v\d+\.\d+\.\d+/);
    expect(k6.versionLine).toContain('k6 v');
  });

  it('says how to get k6 when it is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tiergate-nok6-'));
    try {
      const err = await findK6({ pathEnv: empty, localBin: join(empty, 'k6') }).catch((e) => e);
      expect(err).toBeInstanceOf(RunError);
      expect(err.message).toMatch(/k6 was not found/);
      expect(err.hint).toMatch(/bash scripts\/install-k6\.sh/);
      expect(err.exitCode).toBe(3);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
