import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './json-schema.ts';

describe('configJsonSchema', () => {
  it('describes the input forms, strict about unknown keys', () => {
    const schema = configJsonSchema();
    const text = JSON.stringify(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(text).toContain('"roadmaps"');
    // Friendly forms: durations as strings or numbers, the `{ when }` trigger, `expr` objectives.
    expect(text).toContain('"type":["number","string"]');
    expect(text).toContain('"when"');
    expect(text).toContain('"expr"');
  });
});
