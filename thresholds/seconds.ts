// Windows are cut from a per-second timeline: a window whose edges fall at fractional event
// times takes the whole seconds mostly inside it. Rates over a window divide by those seconds.

/** The seconds [first, end) of the timeline a window [startS, endS) covers. */
export function windowSeconds(startS: number, endS: number): { first: number; end: number } {
  return { first: Math.max(0, Math.round(startS)), end: Math.round(endS) };
}
