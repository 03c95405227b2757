// A request counts in the second of its intended send time, its completion too, however late.
import { describe, expect, it } from 'vitest';
import { decode } from './hdr.ts';
import { SecondRecorder } from './recorder.ts';

describe('SecondRecorder', () => {
  it('counts a completion in the second the request was due, not the one it completed in', () => {
    const r = new SecondRecorder();
    r.sent(5.2, 0);
    r.sent(5.7, 0);
    // Held by a frozen server until 10.3 s: 5.1 s after it was due.
    r.completed(5.2, 'checkout', 5100, 5100, undefined);
    r.completed(5.7, 'checkout', 20, 20, 'http_502');
    const [s5, ...rest] = r.flush();
    expect(rest).toEqual([]);
    expect(s5).toMatchObject({ t: 5, sent: 2, completed: 2, errors: 1 });
    expect(s5!.byRequest.checkout).toMatchObject({ completed: 2, errors: 1 });
    expect(decode(s5!.latency).maxValue).toBeGreaterThanOrEqual(5_100_000);
  });

  it('holds a second with requests in flight, then lets late completions follow', () => {
    const r = new SecondRecorder();
    r.sent(3.1, 0);
    r.sent(3.9, 0);
    r.completed(3.1, 'a', 5, 5, undefined);
    // Clock at 4.x: second 3 still has a request in flight, so it is held for up to 1 s.
    expect(r.flush(4, 1)).toEqual([]);
    // Clock at 5.x: its hold is over; it leaves with what has completed.
    const [first] = r.flush(5, 1);
    expect(first).toMatchObject({ t: 3, sent: 2, completed: 1 });
    // The late completion reopens second 3 and leaves in a second bucket of it.
    r.completed(3.9, 'a', 2500, 2500, 'timeout');
    const [late] = r.flush(6, 1);
    expect(late).toMatchObject({ t: 3, sent: 0, completed: 1, errors: 1 });
    expect(late!.errorKinds).toEqual({ timeout: 1 });
  });

  it('lets a second whose requests all completed leave as soon as the clock has left it', () => {
    const r = new SecondRecorder();
    r.sent(0.5, 0);
    r.completed(0.5, 'a', 3, 3, undefined);
    r.dropped(0.9);
    expect(r.flush(1, 1)).toMatchObject([{ t: 0, sent: 1, dropped: 1, completed: 1 }]);
  });
});
