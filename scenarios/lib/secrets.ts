// A plan's secrets (sensitive headers and query values, thresholds/redact.ts) are never written
// into a script or a plan file: those hold `[redacted]` and a list of references, and the
// values come from environment variables at init (`k6 run -e TIERGATE_SECRET_…=…`).
import type { LoadPlan } from '../../thresholds/model.ts';
import { fillSecrets, type SecretRef } from '../../thresholds/redact.ts';

/** A reference with the value its environment variable holds (`__ENV.<env>` in the script). */
export type ResolvedSecret = SecretRef & { value: string | undefined };

export function planWithSecrets(plan: LoadPlan, secrets: readonly ResolvedSecret[]): LoadPlan {
  const missing = secrets.filter((s) => s.value === undefined).map((s) => s.env);
  if (missing.length > 0) {
    throw new Error(
      `this plan's secrets come from the environment: set ${missing.join(', ')} (k6 run ${missing.map((m) => `-e ${m}=…`).join(' ')})`,
    );
  }
  return fillSecrets(plan, secrets, (s) => (s as ResolvedSecret).value ?? '');
}
