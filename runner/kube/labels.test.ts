import { describe, expect, it } from 'vitest';
import { experimentName } from '../../chaos/chaos-mesh/manifests.ts';
import { labelValue } from './labels.ts';

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

describe('labelValue', () => {
  it('keeps a short run id as it is', () => {
    expect(labelValue('2026-12-01T19-06-36-gameday-pod-kill-0e7d')).toBe(
      '2026-12-01T19-06-36-gameday-pod-kill-0e7d',
    );
  });

  it('keeps two long run ids apart that differ only past the 63rd character', () => {
    const stem = '2026-12-01T19-06-36-gameday-checkout-latency-during-the-black-friday-peak';
    const a = labelValue(`${stem}-0e7d`);
    const b = labelValue(`${stem}-9f31`);
    expect(a).not.toBe(b);
    for (const v of [a, b]) {
      expect(v.length).toBeLessThanOrEqual(63);
      expect(v).toMatch(LABEL);
    }
  });
});

describe('experimentName', () => {
  it('gives fault ids that read alike once lower-cased names of their own', () => {
    const names = ['A-1', 'a-1', 'a.1', 'a_1'].map((id) => experimentName('run', id));
    expect(new Set(names).size).toBe(4);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});
