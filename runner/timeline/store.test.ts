// The timeline keeps a second decoded while its requests are in flight, and adds the buckets
// that come later for it: a second's figures are of the requests due in it, however late.
import { describe, expect, it } from 'vitest';
import { InMemorySeconds } from './frozen.ts';
import { SecondRecorder } from './recorder.ts';
import { TimelineStore } from './store.ts';

/** One generator's bucket for second t: `sent` requests due, `done` of them completed in `ms`. */
function bucket(t: number, sent: number, done: number, ms: number) {
  const r = new SecondRecorder();
  for (let i = 0; i < sent; i++) r.sent(t + 0.1, 0);
  for (let i = 0; i < done; i++) r.completed(t + 0.1, 'a', ms, ms, undefined);
  return r.flush()[0]!;
}

describe('TimelineStore', () => {
  it('adds late completions into the second they were due in, however much later', () => {
    const store = new TimelineStore(() => 10, new InMemorySeconds(), 10);
    store.add(bucket(0, 10, 6, 5));
    for (let t = 1; t <= 8; t++) store.add(bucket(t, 10, 10, 5));
    // Second 0's last 4 requests complete after 8 s.
    store.add({ ...bucket(0, 0, 4, 8000), sent: 0 });
    store.finish();
    const s0 = store.stats({ window: 'whole', startS: 0, endS: 1 });
    expect(s0).toMatchObject({ scheduled: 10, completed: 10 });
    expect(s0.latency.max).toBeGreaterThanOrEqual(8000);
    const all = store.stats({ window: 'whole', startS: 0, endS: 9 });
    expect(all).toMatchObject({ scheduled: 90, completed: 90 });
  });

  it('freezes a second still waiting for requests once their timeout has passed', () => {
    const frozen = new InMemorySeconds();
    const store = new TimelineStore(() => 10, frozen, 2);
    store.add(bucket(0, 10, 6, 5));
    for (let t = 1; t <= 6; t++) store.add(bucket(t, 10, 10, 5));
    // 4 live seconds behind the newest, plus 2 awaited: second 0 is still decoded at t = 6.
    expect(frozen.get(0)).toBeUndefined();
    store.add(bucket(7, 10, 10, 5));
    expect(frozen.get(0)).toMatchObject({ sent: 10, completed: 6 });
    // A report later still is not lost: it thaws the second.
    store.add({ ...bucket(0, 0, 4, 9000), sent: 0 });
    store.finish();
    expect(store.stats({ window: 'whole', startS: 0, endS: 1 })).toMatchObject({ completed: 10 });
    store.close();
  });
});
