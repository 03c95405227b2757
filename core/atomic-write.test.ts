import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.ts';
import { NotARegularFileError } from './file-errors.ts';

const work = () => mkdtempSync(join(tmpdir(), 'tiergate-atomic-'));

describe('writeFileAtomic', () => {
  it('replaces a regular file whole', async () => {
    const path = join(work(), 'out.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('refuses a symlink, leaving the link and the file it points at', async () => {
    const dir = work();
    const target = join(dir, 'target.txt');
    const link = join(dir, 'link');
    writeFileSync(target, 'kept');
    symlinkSync(target, link);
    const err = await writeFileAtomic(link, 'new').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotARegularFileError);
    expect((err as NotARegularFileError).message).toBe(
      `cannot write ${link}: it is a symbolic link (to ${target}), and tiergate replaces files whole, never links, devices or FIFOs`,
    );
    expect((err as NotARegularFileError).exitCode).toBe(3);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('kept');
  });

  it('refuses a FIFO, leaving it a FIFO', async () => {
    const fifo = join(work(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toThrow(/it is a FIFO/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
