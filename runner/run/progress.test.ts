// The progress line's rate reads the newest second the generators have handed over, not the
// second that just ended (which, with requests still in flight, arrives a moment later).
import { describe, expect, it } from 'vitest';
import { planAdhoc } from '../../thresholds/plan.ts';
import type { GeneratorBucket } from '../timeline/second.ts';
import { TimelineStore } from '../timeline/store.ts';
import { progressView } from './progress.ts';

const second = (t: number, n: number): GeneratorBucket => ({
  t,
  sent: n,
  dropped: 0,
  completed: n,
  errors: 0,
  errorKinds: {},
  latency: '',
  serviceTime: '',
  sendLag: '',
  byRequest: {},
});

describe('progressView', () => {
  it('shows the rate of the newest second received, not 0 for one still on its way', () => {
    const store = new TimelineStore(() => 25);
    try {
      for (let t = 0; t < 10; t++) store.add(second(t, 25));
      // 11.05 s: second 10 ended 0.05 s ago and has not arrived yet.
      const view = progressView(
        store,
        planAdhoc({ url: 'http://127.0.0.1:1/', rate: 25, durationS: 60 }),
        11.05,
      );
      expect(view.currentRps).toBe(25);
    } finally {
      store.close();
    }
  });
});
