// Finds the highest arrival rate a generator holds: raise the rate geometrically until a step
// fails, then bisect between the last held and the first failed rate. On a shared 2-core
// machine a step can fail from someone else's load: with `confirm`, a failed rate is tried
// once more and counts as held if either attempt held.
export interface Step<T> {
  rate: number;
  held: boolean;
  figures: T;
}

export interface SearchOptions {
  start: number;
  factor: number;
  /** Bisection steps after the first failure. */
  refine: number;
  confirm: boolean;
  max: number;
  min: number;
  /** Rates are rounded to this. */
  grain: number;
}

export interface Ceiling<T> {
  /** Highest rate held (0 when even `min` failed). */
  held: number;
  /** Lowest rate that failed, if any did. */
  failed: number | undefined;
  steps: Step<T>[];
}

export async function findCeiling<T>(
  probe: (rate: number) => Promise<Step<T>>,
  o: SearchOptions,
  log: (step: Step<T>) => void = () => undefined,
): Promise<Ceiling<T>> {
  const steps: Step<T>[] = [];
  const round = (r: number): number => Math.max(o.grain, Math.round(r / o.grain) * o.grain);
  const holds = async (rate: number): Promise<boolean> => {
    for (let attempt = 0; attempt < (o.confirm ? 2 : 1); attempt++) {
      const step = await probe(rate);
      steps.push(step);
      log(step);
      if (step.held) return true;
    }
    return false;
  };
  let lo = 0;
  let hi: number | undefined;
  for (let rate = round(o.start); rate <= o.max; rate = round(rate * o.factor)) {
    if (await holds(rate)) lo = rate;
    else {
      hi = rate;
      break;
    }
  }
  // The start rate failed: come down until a rate holds.
  for (
    let rate = round(o.start / o.factor);
    lo === 0 && rate >= o.min;
    rate = round(rate / o.factor)
  ) {
    if (await holds(rate)) lo = rate;
    else hi = rate;
    if (rate === o.grain) break;
  }
  for (let i = 0; i < o.refine && hi !== undefined && lo > 0 && hi - lo > o.grain; i++) {
    const mid = round((lo + hi) / 2);
    if (mid <= lo || mid >= hi) break;
    if (await holds(mid)) lo = mid;
    else hi = mid;
  }
  return { held: lo, failed: hi, steps };
}
