import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.ts';
import { parseMetricsAddr } from './metrics-addr.ts';

describe('--metrics-addr', () => {
  it('is loopback unless a host is given', () => {
    expect(parseMetricsAddr(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsAddr('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseMetricsAddr('0.0.0.0:9000')).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(parseMetricsAddr('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    expect(parseMetricsAddr(undefined)).toBeUndefined();
  });

  it('refuses what is not [host]:port, naming the flag, the value and the form', () => {
    for (const bad of ['9464', ':0', ':70000', '[nope]:1', 'a b:1', '::1:9464', 'host:']) {
      expect(() => parseMetricsAddr(bad), bad).toThrow(UsageError);
    }
    expect(() => parseMetricsAddr('9464')).toThrow(
      '--metrics-addr "9464" is not valid: expected [host]:port',
    );
  });
});
