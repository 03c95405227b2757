import { afterEach, describe, expect, it, vi } from 'vitest';
import { streamColor } from './color.ts';

// Only what supports-color reads of a stream: whether it is a TTY.
const stream = (isTTY: boolean) => ({ isTTY }) as NodeJS.WriteStream;

describe('streamColor', () => {
  afterEach(() => vi.unstubAllEnvs());

  const env = (vars: Record<string, string | undefined>) => {
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'CI', 'TF_BUILD']) vi.stubEnv(name, undefined);
    vi.stubEnv('TERM', 'xterm-256color');
    for (const [name, value] of Object.entries(vars)) vi.stubEnv(name, value);
  };

  it("follows the stream's own TTY", () => {
    env({});
    expect(streamColor(stream(true))).toBe(true);
    expect(streamColor(stream(false))).toBe(false);
  });

  it('NO_COLOR (set, not empty) turns it off, even with FORCE_COLOR', () => {
    env({ NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(streamColor(stream(true))).toBe(false);
    env({ NO_COLOR: '' });
    expect(streamColor(stream(true))).toBe(true);
  });

  it('FORCE_COLOR colours a pipe; FORCE_COLOR=0 keeps a terminal plain', () => {
    env({ FORCE_COLOR: '1' });
    expect(streamColor(stream(false))).toBe(true);
    env({ FORCE_COLOR: '0' });
    expect(streamColor(stream(true))).toBe(false);
  });

  it('TERM=dumb gets none', () => {
    env({ TERM: 'dumb' });
    expect(streamColor(stream(true))).toBe(false);
  });
});
