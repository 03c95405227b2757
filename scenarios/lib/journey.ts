// One iteration of a declarative journey in k6: pick a request by weight, send it tagged with
// its name (so objectives scoped to a request find it), check its status. The status the
// journey expects is also k6's responseCallback, so http_req_failed and the `expected_response`
// tag agree with the check.
import { check } from 'k6';
import http, { type Params } from 'k6/http';
import { WeightedMix } from '../../thresholds/mix.ts';
import type { LoadPlan, RequestSpec } from '../../thresholds/model.ts';

interface K6Request {
  name: string;
  method: RequestSpec['method'];
  url: string;
  body: string | null;
  params: Params;
  check: string;
  ok: (status: number) => boolean;
}

function prepare(plan: LoadPlan, spec: RequestSpec): K6Request {
  const headers: Record<string, string> = { ...spec.headers };
  let body: string | null = null;
  if (spec.body !== undefined) {
    body = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json';
    }
  }
  const params: Params = {
    headers,
    tags: { name: spec.name },
    timeout: `${plan.timeoutMs}ms`,
    // Like the local engine: a 3xx is an answer, not something to follow.
    redirects: 0,
  };
  const expect = spec.expectStatus;
  // Set only when the journey says so: an absent key keeps k6's default (200–399).
  if (expect !== undefined) params.responseCallback = http.expectedStatuses(...expect);
  return {
    name: spec.name,
    method: spec.method,
    url: `${plan.target}${spec.path}`,
    body,
    params,
    check: `${spec.name} status ${expect ? expect.join('|') : '2xx-3xx'}`,
    ok: expect ? (s) => expect.includes(s) : (s) => s >= 200 && s < 400,
  };
}

/** The function k6 runs per iteration (the script's default export). */
export function journeyIteration(plan: LoadPlan): () => void {
  const { requests } = plan.journey;
  if (requests.length === 0) {
    throw new Error(`journey "${plan.journey.name}" has no requests: there is nothing to send`);
  }
  const mix = new WeightedMix(
    requests.map((r) => prepare(plan, r)),
    requests.map((r) => r.weight),
    Math.floor(Math.random() * 0xffffffff),
  );
  return () => {
    const r = mix.pick();
    const res = http.request(r.method, r.url, r.body, r.params);
    check(res, { [r.check]: (x) => r.ok(x.status) });
  };
}
