// When arrivals happen: global arrival n of an arrival-rate scenario starts when the integral of
// its (piecewise linear) rate reaches n; this process takes the arrivals its segment owns.
import type { ArrivalScenario, Segment, Stage, VusScenario } from './config.ts';

/** Offsets (ms from the scenario's start) of this segment's arrivals, in order. */
export function* arrivalOffsets(s: ArrivalScenario, seg: Segment): Generator<number> {
  let n = seg.index;
  let from = s.startRate / s.timeUnitMs; // arrivals per ms
  let startMs = 0;
  let before = 0; // arrivals due before this stage
  for (const stage of s.stages) {
    const to = stage.target / s.timeUnitMs;
    const d = stage.durationMs;
    const inStage = ((from + to) / 2) * d;
    while (n < before + inStage - 1e-9) {
      const k = n - before;
      // k = from·t + (to − from)·t² / (2d): the smaller positive root.
      const a = (to - from) / (2 * d);
      const t =
        Math.abs(a) < 1e-15 ? k / from : (-from + Math.sqrt(from * from + 4 * a * k)) / (2 * a);
      yield startMs + t;
      n += seg.count;
    }
    before += inStage;
    startMs += d;
    from = to;
  }
}

/** The VUs a ramping-vus scenario has at `t` ms after its start (all segments together). */
export function vusAt(s: VusScenario, t: number): number {
  let from = s.startVUs;
  let at = 0;
  for (const stage of s.stages as Stage[]) {
    if (t < at + stage.durationMs) {
      return Math.floor(from + ((stage.target - from) * (t - at)) / stage.durationMs);
    }
    at += stage.durationMs;
    from = stage.target;
  }
  return from;
}
