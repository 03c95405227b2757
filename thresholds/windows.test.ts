// Game-day windows from the fault events: chaos takes every second a fault touched, so the
// windows tile the run whatever the fractional times of injection and removal.
import { describe, expect, it } from 'vitest';
import type { GameDay } from './gameday.ts';
import { windowGaps } from './seconds.ts';
import { gameDayWindows } from './windows.ts';

const g: GameDay = {
  id: 'replica-pause',
  name: 'Frozen replica',
  description: '',
  steadyS: 5,
  faults: [{ id: 'f', fault: { kind: 'pause-replica', replica: 0 }, atS: 5, holdS: 5 }],
  recoveryS: 6,
  steadyState: [],
  objectives: [],
};

describe('gameDayWindows', () => {
  it('gives chaos the seconds the fault was injected and removed in', () => {
    const w = gameDayWindows(
      g,
      [
        { t: 5.03, kind: 'fault-injected', subject: 'f' },
        { t: 10.03, kind: 'fault-removed', subject: 'f' },
      ],
      16,
      16,
    );
    expect(w).toEqual({
      whole: { startS: 0, endS: 16 },
      steady: { startS: 0, endS: 5 },
      chaos: { startS: 5, endS: 11 },
      recovery: { startS: 11, endS: 16 },
    });
    expect(windowGaps(w)).toEqual([]);
  });

  it('runs chaos to the end when the fault was never removed', () => {
    const w = gameDayWindows(g, [{ t: 5.2, kind: 'fault-injected', subject: 'f' }], 9, 16);
    expect(w.chaos).toEqual({ startS: 5, endS: 16 });
    expect(w.recovery).toBeUndefined();
  });
});
