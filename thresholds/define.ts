// Helpers the built-in roadmaps are written with (a user's config has its own, typed with the
// config's input shape, in runner/config/define.ts).
import type { Citation, Roadmap } from './model.ts';

export function defineRoadmap(roadmap: Roadmap): Roadmap {
  return roadmap;
}

/** A citation of a seed file's line, with the assumption made where the seed left a choice. */
export function cite(seed: string, line: number, quote: string, assumption?: string): Citation {
  return assumption === undefined ? { seed, line, quote } : { seed, line, quote, assumption };
}
