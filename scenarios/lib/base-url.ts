// BASE_URL from k6's environment (`-e BASE_URL=…`, or the shell's: `k6 run` passes it on):
// the base URL of the system under test, replacing the one a plan was written for.

export function baseUrlFromEnv(env: Record<string, string | undefined>): string | undefined {
  const url = env.BASE_URL;
  if (url === undefined || url === '') return undefined;
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new Error(`BASE_URL="${url}" must be an http(s) URL such as http://localhost:3000`);
  }
  return url.replace(/\/+$/, '');
}
