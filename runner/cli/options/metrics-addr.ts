// `--metrics-addr [host]:port`: where the live metrics endpoint listens. Loopback unless a host
// is given: `:9464` is 127.0.0.1:9464; `[::1]:9464` for IPv6; `0.0.0.0:9464` for every interface.
import { isIP } from 'node:net';
import { UsageError } from '../../../core/errors.ts';
import type { MetricsAddress } from '../../metrics/endpoint.ts';

const FORM = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/;
const HOSTNAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;

export function parseMetricsAddr(value: string | undefined): MetricsAddress | undefined {
  if (value === undefined) return undefined;
  const bad = (why: string) =>
    new UsageError(
      `--metrics-addr ${JSON.stringify(value)} is not valid: ${why}`,
      'use [host]:port, e.g. :9464 (127.0.0.1), [::1]:9464 or 0.0.0.0:9464',
    );
  const m = FORM.exec(value);
  if (!m) throw bad('expected [host]:port');
  const ipv6 = m[1];
  const host = ipv6 ?? (m[2] === '' ? '127.0.0.1' : m[2]!);
  if (ipv6 !== undefined && isIP(ipv6) !== 6) throw bad(`${ipv6} is not an IPv6 address`);
  if (ipv6 === undefined && isIP(host) === 0 && !HOSTNAME.test(host)) {
    throw bad(`${JSON.stringify(host)} is not a host name or address`);
  }
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw bad(`port ${m[3]} is not from 1 to 65535`);
  return { host, port };
}
