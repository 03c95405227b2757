import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { SecondBucket } from '../../thresholds/result.ts';
import { SpilledSeconds } from './frozen.ts';
import { encode, newHistogram, recordMs } from './hdr.ts';
import { TimelineStore } from './store.ts';

function second(t: number, completed: number): SecondBucket {
  const h = newHistogram();
  for (let i = 0; i < completed; i++) recordMs(h, 1 + i);
  return {
    t,
    target: 10,
    sent: completed,
    dropped: 1,
    completed,
    errors: t,
    errorKinds: t > 0 ? { http_500: t } : {},
    latency: encode(h),
    serviceTime: encode(h),
    sendLag: '',
    byRequest: { 'GET /': { completed, errors: t, latency: encode(h) } },
  };
}

const spillDirs = () => readdirSync(tmpdir()).filter((d) => d.startsWith('tiergate-timeline-'));

describe('SpilledSeconds', () => {
  it('gives back exactly what it was given, keeps counts at hand, and removes its file', () => {
    const before = spillDirs().length;
    const spill = new SpilledSeconds();
    const seconds = [second(0, 5), second(1, 7), second(2, 3)];
    for (const s of seconds) spill.set(s);
    expect(spillDirs().length).toBe(before + 1);
    expect(spill.get(1)).toEqual(seconds[1]);
    expect(spill.totals(2)).toMatchObject({ sent: 3, dropped: 1, completed: 3, errors: 2 });
    spill.delete(1);
    expect(spill.get(1)).toBeUndefined();
    expect(spill.get(0)).toEqual(seconds[0]);
    spill.close();
    spill.close();
    expect(spillDirs().length).toBe(before);
  });

  it('a recording store answers from spilled seconds as a stored run does', () => {
    const seconds = Array.from({ length: 30 }, (_, t) => second(t, 1 + (t % 7)));
    const recording = new TimelineStore(() => 10);
    for (const { target: _target, ...b } of seconds) recording.add(b);
    recording.finish();
    const stored = TimelineStore.fromBuckets(seconds);
    const q = { window: 'whole' as const, startS: 3, endS: 27 };
    expect(recording.stats(q)).toEqual(stored.stats(q));
    expect(recording.stats({ ...q, request: 'GET /' })).toEqual(
      stored.stats({ ...q, request: 'GET /' }),
    );
    expect(recording.counts(0, 30)).toEqual(stored.counts(0, 30));
    expect(recording.buckets()).toEqual(stored.buckets());
    recording.close();
  });
});
