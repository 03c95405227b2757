// Gaps: the whole seconds of a run no window but `whole` covers, named by their neighbours.
import { describe, expect, it } from 'vitest';
import { windowGaps } from './seconds.ts';

describe('windowGaps', () => {
  it('finds none when the windows tile the run', () => {
    expect(
      windowGaps({
        whole: { startS: 0, endS: 16 },
        steady: { startS: 0, endS: 5 },
        chaos: { startS: 5, endS: 11 },
        recovery: { startS: 11, endS: 16 },
      }),
    ).toEqual([]);
  });

  it('names the seconds before, between and after the windows', () => {
    expect(
      windowGaps({
        whole: { startS: 0, endS: 20 },
        steady: { startS: 2, endS: 8.05 },
        chaos: { startS: 8.05, endS: 13.1 },
        recovery: { startS: 13.1, endS: 18 },
      }),
    ).toEqual([
      { name: 'before steady', startS: 0, endS: 2 },
      // Second 8 straddles the injection, 13 the removal: neither window has them.
      { name: 'steady→chaos', startS: 8, endS: 9 },
      { name: 'chaos→recovery', startS: 13, endS: 14 },
      { name: 'after recovery', startS: 18, endS: 20 },
    ]);
  });

  it('has no gap in a run with no window but whole', () => {
    expect(windowGaps({ whole: { startS: 0, endS: 10 } })).toEqual([]);
    expect(windowGaps({})).toEqual([]);
  });
});
