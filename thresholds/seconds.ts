// Windows are cut from a per-second timeline: a window whose edges fall at fractional event
// times (a fault injected at 8.05 s) takes only the whole seconds that lie entirely inside it,
// so no second that straddles a fault's start or end counts for either side. Rates over a
// window divide by those seconds.

/** The seconds [first, end) of the timeline a window [startS, endS) covers. */
export function windowSeconds(startS: number, endS: number): { first: number; end: number } {
  const first = Math.max(0, Math.ceil(startS - 1e-9));
  return { first, end: Math.max(first, Math.floor(endS + 1e-9)) };
}
