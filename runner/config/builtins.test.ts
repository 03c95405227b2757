// The built-in roadmaps obey the same rules as a user's: each passes the schema unchanged.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Roadmap } from '../../thresholds/model.ts';
import { validateConfig } from './load.ts';

const index = path.resolve(import.meta.dirname, '../../thresholds/roadmaps/index.ts');

describe.skipIf(!fs.existsSync(index))('built-in roadmaps', () => {
  it('pass the config schema unchanged', async () => {
    const { BUILTIN_ROADMAPS } = (await import(pathToFileURL(index).href)) as {
      BUILTIN_ROADMAPS: Roadmap[];
    };
    const roadmaps = structuredClone(BUILTIN_ROADMAPS);
    expect(validateConfig({ roadmaps }, 'thresholds/roadmaps')).toEqual({
      roadmaps: BUILTIN_ROADMAPS,
    });
  });
});
