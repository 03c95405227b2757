// Rollback triggers act on what the run saw, not on proof: a relative limit broken on the
// estimates aborts, even where the gate, with both runs' bounds, can only call it inconclusive.
import { describe, expect, it } from 'vitest';
import { evaluateObjective } from '../../thresholds/gate.ts';
import type { RollbackTrigger } from '../../thresholds/model.ts';
import { parseObjective } from '../../thresholds/objective.ts';
import { InMemorySeconds } from '../timeline/frozen.ts';
import { HistogramPool } from '../timeline/hdr.ts';
import { SecondAccumulator } from '../timeline/second.ts';
import { TimelineStore } from '../timeline/store.ts';
import { RollbackWatch } from './triggers.ts';

/** A store of `seconds` seconds, each with `perSecond` completed requests and `errors` failed. */
function storeOf(seconds: number, perSecond: number, errors: number): TimelineStore {
  const store = new TimelineStore(() => perSecond, new InMemorySeconds());
  const pool = new HistogramPool();
  for (let t = 0; t < seconds; t++) {
    const s = new SecondAccumulator(t, pool);
    s.sent = perSecond;
    const r = s.request('checkout');
    s.complete(r, perSecond - errors, undefined);
    s.complete(r, errors, 'http_500');
    store.add(s.encode());
  }
  store.finish();
  return store;
}

describe('rollback triggers', () => {
  const objective = parseObjective('error_rate <= 2x baseline');
  const trigger: RollbackTrigger = {
    id: 'errors-doubled',
    objective,
    windowS: 10,
    forS: 2,
    delayS: 0,
  };

  it('abort on a relative breach the estimates show, though the gate calls it inconclusive', () => {
    // Baseline: 1 % errors over 1,000 requests. Live: 3 % over the last 10 s (100 requests).
    const baseline = storeOf(10, 100, 1).stats({ window: 'whole', startS: 0, endS: 10 });
    const clean = storeOf(12, 100, 0);
    const failing = storeOf(12, 100, 3);
    const window = failing.stats({ window: 'whole', startS: 2, endS: 12 });
    // The gate, with both runs' bounds: 3 % breaks 2 × 1 %, but the run's lower bound is below
    // twice the baseline's upper one.
    const gate = evaluateObjective(objective, window, baseline);
    expect(gate.status).toBe('unproven');
    expect(gate.breachUnproven).toBe(true);

    const watch = new RollbackWatch([trigger], () => baseline);
    expect(watch.check(clean, 12)).toBeUndefined();
    expect(watch.check(failing, 11)).toBeUndefined(); // breached once: forS is 2
    const breach = watch.check(failing, 12);
    expect(breach?.trigger.id).toBe('errors-doubled');
    expect(breach?.verdict.observed).toBeCloseTo(0.03, 6);
  });
});
