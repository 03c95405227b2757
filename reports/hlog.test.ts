import { decodeFromCompressedBase64, HistogramLogReader, listTags } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { makeRun } from './fixtures.ts';
import { renderHlog } from './hlog.ts';

function readIntervals(log: string) {
  const reader = new HistogramLogReader(log);
  const intervals = [];
  for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) {
    intervals.push(h);
  }
  return intervals;
}

describe('renderHlog', () => {
  it('round-trips through HistogramLogReader with the same total count', () => {
    const run = makeRun();
    const intervals = readIntervals(renderHlog(run));
    const all = intervals.filter((h) => h.tag === 'NO TAG');
    expect(all).toHaveLength(run.timeline.length);
    const total = all.reduce((n, h) => n + h.totalCount, 0);
    expect(total).toBe(run.timeline.reduce((n, s) => n + s.completed, 0));
    expect(total).toBe(800);
    const checkout = intervals.filter((h) => h.tag === 'checkout');
    expect(checkout.reduce((n, h) => n + h.totalCount, 0)).toBe(
      run.timeline.reduce((n, s) => n + (s.byRequest.checkout?.completed ?? 0), 0),
    );
  });

  it('stamps intervals on the run clock, from startedAt', () => {
    const run = makeRun();
    const log = renderHlog(run);
    expect(log).toContain('#[StartTime: 1767225600.000 (seconds since epoch)');
    expect(log).not.toMatch(/\n\n/);
    const [first, second] = readIntervals(log).filter((h) => h.tag === 'NO TAG');
    const start = Date.parse(run.startedAt);
    expect(first!.startTimeStampMsec).toBe(start);
    expect(first!.endTimeStampMsec).toBe(start + 1000);
    expect(second!.startTimeStampMsec).toBe(start + 1000);
    expect(listTags(log)).toEqual(['NO TAG', 'checkout', 'browse']);
  });

  it('writes Interval_Max in ms and keeps seconds without samples as empty intervals', () => {
    const run = makeRun();
    run.timeline[0]!.latency = '';
    const log = renderHlog(run);
    const lines = log.split('\n').filter((l) => /^\d/.test(l));
    expect(lines[0]).toMatch(/^0\.000,1\.000,0\.000,/);
    const max = decodeFromCompressedBase64(run.timeline[3]!.latency).maxValue / 1000;
    expect(Number(lines[3]!.split(',')[2])).toBeCloseTo(max, 3);
    const all = readIntervals(log).filter((h) => h.tag === 'NO TAG');
    expect(all[0]!.totalCount).toBe(0);
    expect(all.reduce((n, h) => n + h.totalCount, 0)).toBe(800 - run.timeline[0]!.completed);
  });
});
