// `user:pass@` in a --target URL: sent as HTTP Basic auth (an `Authorization` header on every
// request of the journey, redacted like any other secret), never silently dropped.

import { UsageError } from '../../../core/errors.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i;

/** The target without its userinfo and the Basic `Authorization` value it stood for. */
export function targetCredentials(
  target: string | undefined,
): { target: string; authorization: string } | undefined {
  const m = target === undefined ? null : USERINFO.exec(target);
  if (target === undefined || m === null) return undefined;
  const userinfo = m[2]!;
  const colon = userinfo.indexOf(':');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new UsageError(
        '--target has a user:password@ part that is not valid percent-encoding',
        'percent-encode reserved characters of the user name and password (e.g. @ as %40)',
      );
    }
  };
  const user = decode(colon < 0 ? userinfo : userinfo.slice(0, colon));
  const password = colon < 0 ? '' : decode(userinfo.slice(colon + 1));
  const basic = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return { target: target.replace(USERINFO, '$1'), authorization: `Basic ${basic}` };
}

/** Every request of the plan with the target's credentials; a request with its own is refused. */
export function withAuthorization(plan: LoadPlan, authorization: string): LoadPlan {
  const requests = plan.journey.requests.map((r) => {
    if (Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'authorization')) {
      throw new UsageError(
        `--target has user:password@ and request ${r.name} sets its own Authorization header: give one of them`,
        'drop the user:password@ part of --target, or the Authorization header',
      );
    }
    return { ...r, headers: { ...r.headers, authorization } };
  });
  return { ...plan, journey: { ...plan.journey, requests } };
}
