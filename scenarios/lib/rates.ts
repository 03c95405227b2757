// k6's arrival rates are whole iterations per `timeUnit`. A fractional rate keeps its value by
// stretching the time unit: 25.5/s → 51 per 2s, 2.5/s → 5 per 2s. Every rate of one scenario
// (start and target) shares the unit.

/** The integer rates of `ratesPerS` over a `timeUnitS`-second unit. */
export interface ScaledRates {
  timeUnitS: number;
  rates: number[];
  /** Largest relative error left after rounding (0 when exact). */
  error: number;
}

/** Units tried for an exact fit before settling for a close one. */
const MAX_EXACT_UNIT_S = 1000;
/** A rate is close enough once rounding moves it by at most 0.1 %. */
const TOLERANCE = 0.001;

function fitUnit(ratesPerS: readonly number[], unitS: number): { rates: number[]; error: number } {
  let error = 0;
  const rates = ratesPerS.map((r) => {
    const scaled = r * unitS;
    const rounded = Math.round(scaled);
    if (r > 0) error = Math.max(error, Math.abs(rounded - scaled) / scaled);
    return rounded;
  });
  return { rates, error };
}

export function scaleRates(ratesPerS: readonly number[]): ScaledRates {
  const positive = ratesPerS.filter((r) => r > 0);
  if (positive.length === 0) return { timeUnitS: 1, rates: ratesPerS.map(() => 0), error: 0 };
  for (let unit = 1; unit <= MAX_EXACT_UNIT_S; unit++) {
    const f = fitUnit(ratesPerS, unit);
    // Float noise (0.1 + 0.2) is not a fraction of an iteration.
    if (f.error < 1e-9) return { timeUnitS: unit, ...f };
  }
  // No exact unit (e.g. 1000/36 req/s): the smallest unit within tolerance. A unit that puts
  // the smallest rate at ≥ 1/(2·TOLERANCE) iterations always qualifies, so this ends.
  const smallest = Math.min(...positive);
  const last = Math.max(1, Math.ceil(1 / (2 * TOLERANCE * smallest)));
  for (let unit = 1; unit < last; unit++) {
    const f = fitUnit(ratesPerS, unit);
    if (f.error <= TOLERANCE) return { timeUnitS: unit, ...f };
  }
  return { timeUnitS: last, ...fitUnit(ratesPerS, last) };
}
