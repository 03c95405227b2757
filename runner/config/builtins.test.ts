// The built-in roadmaps obey the same rules as a user's: each passes the schema unchanged.
import { describe, expect, it } from 'vitest';
import { BUILTIN_ROADMAPS } from '../../thresholds/roadmaps/index.ts';
import { validateConfig } from './load.ts';

describe('built-in roadmaps', () => {
  it('pass the config schema unchanged', () => {
    const roadmaps = structuredClone(BUILTIN_ROADMAPS);
    expect(validateConfig({ roadmaps }, 'thresholds/roadmaps')).toEqual({
      roadmaps: BUILTIN_ROADMAPS,
    });
  });
});
