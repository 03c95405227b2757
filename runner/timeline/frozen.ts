// Where the seconds that are final live. A run being recorded spills them to a temporary file
// and keeps only their counts in memory, so the recorder's memory stays flat however long the
// run (an hour of 20 request names is ~25 MB of encoded histograms); a stored run read back
// from run.json is already in memory and stays there.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecondBucket } from '../../thresholds/result.ts';

export interface SecondTotals {
  sent: number;
  dropped: number;
  completed: number;
  errors: number;
}

export interface FrozenSeconds {
  get(t: number): SecondBucket | undefined;
  totals(t: number): SecondTotals | undefined;
  set(bucket: SecondBucket): void;
  delete(t: number): void;
  /** Frees what it holds (the spill file). Idempotent. */
  close(): void;
}

export class InMemorySeconds implements FrozenSeconds {
  private readonly seconds = new Map<number, SecondBucket>();

  get(t: number): SecondBucket | undefined {
    return this.seconds.get(t);
  }

  totals(t: number): SecondTotals | undefined {
    return this.seconds.get(t);
  }

  set(bucket: SecondBucket): void {
    this.seconds.set(bucket.t, bucket);
  }

  delete(t: number): void {
    this.seconds.delete(t);
  }

  close(): void {
    this.seconds.clear();
  }
}

interface SpilledSecond extends SecondTotals {
  offset: number;
  length: number;
}

const openSpills = new Set<SpilledSeconds>();
process.once('exit', () => {
  for (const s of openSpills) s.close();
});

/** Seconds as JSON lines appended to a temporary file; counts and file positions in memory. */
export class SpilledSeconds implements FrozenSeconds {
  private readonly index = new Map<number, SpilledSecond>();
  private file: { dir: string; fd: number } | undefined;
  private size = 0;

  private open(): { dir: string; fd: number } {
    if (this.file === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'tiergate-timeline-'));
      this.file = { dir, fd: openSync(join(dir, 'seconds.jsonl'), 'w+') };
      openSpills.add(this);
    }
    return this.file;
  }

  get(t: number): SecondBucket | undefined {
    const at = this.index.get(t);
    if (at === undefined || this.file === undefined) return undefined;
    const bytes = Buffer.allocUnsafe(at.length);
    readSync(this.file.fd, bytes, 0, at.length, at.offset);
    return JSON.parse(bytes.toString('utf8')) as SecondBucket;
  }

  totals(t: number): SecondTotals | undefined {
    return this.index.get(t);
  }

  set(bucket: SecondBucket): void {
    const bytes = Buffer.from(`${JSON.stringify(bucket)}\n`, 'utf8');
    writeSync(this.open().fd, bytes, 0, bytes.length, this.size);
    const { sent, dropped, completed, errors } = bucket;
    this.index.set(bucket.t, {
      sent,
      dropped,
      completed,
      errors,
      offset: this.size,
      length: bytes.length,
    });
    this.size += bytes.length;
  }

  /** Forgets a second (it is being thawed); its bytes stay in the file until close. */
  delete(t: number): void {
    this.index.delete(t);
  }

  close(): void {
    if (this.file === undefined) return;
    closeSync(this.file.fd);
    rmSync(this.file.dir, { recursive: true, force: true });
    this.file = undefined;
    this.index.clear();
    openSpills.delete(this);
  }
}
