// The redaction rule on its own: which names are secret, URLs with userinfo and queries, and a
// plan's secrets named by environment variables, taken out and put back.
import { describe, expect, it } from 'vitest';
import type { LoadPlan } from './model.ts';
import { planAdhoc } from './plan.ts';
import {
  fillSecrets,
  isSensitive,
  planSecrets,
  REDACTED,
  redactPlan,
  redactUrl,
} from './redact.ts';

describe('isSensitive', () => {
  it('knows the documented names and parts, in any case, with - and _ alike', () => {
    for (const name of [
      'Authorization',
      'COOKIE',
      'X-API-Key',
      'api_key',
      'access_token',
      'sig',
      'X-Session-Id',
      'client_secret',
      'password',
    ]) {
      expect(isSensitive(name), name).toBe(true);
    }
    for (const name of ['Accept', 'content-type', 'page', 'user-agent', 'x-request-id']) {
      expect(isSensitive(name), name).toBe(false);
    }
  });

  it('adds --redact names, exactly', () => {
    expect(isSensitive('x-tenant', ['X-Tenant'])).toBe(true);
    expect(isSensitive('x-tenant-name', ['X-Tenant'])).toBe(false);
  });
});

describe('redactUrl', () => {
  it('hides the password of userinfo and sensitive query values, keeps the rest', () => {
    expect(redactUrl('http://ops:pw@h:8080/a?api_key=k&page=2#top')).toBe(
      `http://ops:${REDACTED}@h:8080/a?api_key=${REDACTED}&page=2#top`,
    );
    expect(redactUrl('/x?token=abc&q=1&tenant=t', ['tenant'])).toBe(
      `/x?token=${REDACTED}&q=1&tenant=${REDACTED}`,
    );
    expect(redactUrl('http://h/plain')).toBe('http://h/plain');
  });
});

describe('plan secrets', () => {
  const plan = (): LoadPlan =>
    planAdhoc({
      url: 'http://127.0.0.1:8080/o?api_key=K1&page=2',
      rate: 10,
      durationS: 5,
      headers: { Authorization: 'Bearer T1', Accept: 'text/plain' },
    });

  it('names each secret by an environment variable, and puts it back from one', () => {
    const secrets = planSecrets(plan());
    expect(secrets.map((s) => [s.ref.env, s.value])).toEqual([
      ['TIERGATE_SECRET_AUTHORIZATION', 'Bearer T1'],
      ['TIERGATE_SECRET_API_KEY', 'K1'],
    ]);
    const shown = redactPlan(plan());
    expect(shown.journey.requests[0]!.headers).toEqual({
      Authorization: REDACTED,
      Accept: 'text/plain',
    });
    expect(shown.journey.requests[0]!.path).toBe(`/o?api_key=${REDACTED}&page=2`);
    const back = fillSecrets(
      shown,
      secrets.map((s) => s.ref),
      (ref) => secrets.find((s) => s.ref === ref)!.value,
    );
    expect(back.journey).toEqual(plan().journey);
  });

  it('two different values of one name get two variables', () => {
    const p = plan();
    p.journey.requests.push({
      ...p.journey.requests[0]!,
      name: 'other',
      headers: { Authorization: 'Bearer T2' },
    });
    expect(planSecrets(p).map((s) => s.ref.env)).toEqual([
      'TIERGATE_SECRET_AUTHORIZATION',
      'TIERGATE_SECRET_API_KEY',
      'TIERGATE_SECRET_AUTHORIZATION_2',
      'TIERGATE_SECRET_API_KEY',
    ]);
  });
});
