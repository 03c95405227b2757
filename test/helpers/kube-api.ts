// A real Kubernetes API for the tests: etcd (Debian's) and kube-apiserver (built by
// `npm run kube:install`) on 127.0.0.1, with the CRDs of test/kube/crds installed, so the server
// itself validates every object tiergate sends. There is no controller manager, scheduler or
// kubelet: Pods stay Pending, Jobs never run, nothing is garbage-collected; test-only
// controllers play chaos-daemon and k6-operator where a test needs them.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiextensionsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch } from 'undici';
import { parse } from 'yaml';
import { freePort } from '../../runner/engines/k6/rest.ts';
import { type Daemon, startDaemon } from './daemon.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const KUBE_APISERVER = join(ROOT, '.tiergate/bin/kube-apiserver');
const CRD_DIR = join(ROOT, 'test/kube/crds');
export const RESTRICTED_USER = 'tiergate-restricted';

export interface KubeApi {
  /** https://127.0.0.1:<port> */
  url: string;
  /** A kubeconfig file for an administrator (group system:masters). */
  kubeconfigPath: string;
  kc: KubeConfig;
  /** A kubeconfig file for a user with no RBAC grants at all. */
  restrictedKubeconfigPath: string;
  createNamespace(name: string): Promise<void>;
  stop(): Promise<void>;
}

function kubeconfigYaml(url: string, user: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${url}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    `    user: ${user}`,
    'current-context: test',
    '',
  ].join('\n');
}

async function startEtcd(dir: string): Promise<{ daemon: Daemon; url: string }> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const daemon = startDaemon('etcd', 'etcd', [
    '--name=test',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${url}`,
    `--advertise-client-urls=${url}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=test=${peerUrl}`,
    '--log-level=error',
  ]);
  await daemon.waitReady(async () => {
    const res = await fetch(`${url}/health`);
    await res.text();
    return res.ok;
  }, 30_000);
  return { daemon, url };
}

async function startApiServer(
  dir: string,
  etcdUrl: string,
  tokens: { admin: string; restricted: string },
): Promise<{ daemon: Daemon; url: string }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const saPub = join(dir, 'sa.pub');
  const saKey = join(dir, 'sa.key');
  await writeFile(saPub, publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(saKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(
    tokenFile,
    `${tokens.admin},admin,admin,"system:masters"\n${tokens.restricted},${RESTRICTED_USER},${RESTRICTED_USER}\n`,
  );
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const daemon = startDaemon('kube-apiserver', KUBE_APISERVER, [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${port}`,
    `--cert-dir=${join(dir, 'certs')}`,
    `--token-auth-file=${tokenFile}`,
    '--authorization-mode=RBAC',
    `--service-account-key-file=${saPub}`,
    `--service-account-signing-key-file=${saKey}`,
    '--service-account-issuer=https://kubernetes.default.svc',
    '--service-cluster-ip-range=10.96.0.0/24',
    // No controller manager here: no service accounts to mount into Pods.
    '--disable-admission-plugins=ServiceAccount',
    '--endpoint-reconciler-type=none',
    '--enable-priority-and-fairness=false',
    '-v=0',
  ]);
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  await daemon.waitReady(async () => {
    const res = await fetch(`${url}/readyz`, {
      headers: { authorization: `Bearer ${tokens.admin}` },
      dispatcher: insecure,
    });
    await res.text();
    return res.ok;
  }, 90_000);
  await insecure.close();
  return { daemon, url };
}

/**
 * Posts the CRDs as they are. (The client library serialises typed models by their TypeScript
 * field names and would drop keys such as `x-kubernetes-int-or-string`.)
 */
async function installCrds(url: string, token: string, kc: KubeConfig): Promise<void> {
  const insecure = new Agent({ connect: { rejectUnauthorized: false } });
  const names: string[] = [];
  try {
    for (const file of (await readdir(CRD_DIR)).filter((f) => f.endsWith('.yaml'))) {
      const crd = parse(await readFile(join(CRD_DIR, file), 'utf8')) as {
        metadata: { name: string };
      };
      const res = await fetch(`${url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(crd),
        dispatcher: insecure,
      });
      const answer = await res.text();
      if (!res.ok) throw new Error(`installing ${file}: HTTP ${res.status} ${answer}`);
      names.push(crd.metadata.name);
    }
  } finally {
    await insecure.close();
  }
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + 30_000;
  for (const name of names) {
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      const established = crd.status?.conditions?.some(
        (c) => c.type === 'Established' && c.status === 'True',
      );
      if (established) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startKubeApi(opts: { crds?: boolean } = {}): Promise<KubeApi> {
  if (!existsSync(KUBE_APISERVER)) {
    throw new Error(`${KUBE_APISERVER} is missing: run \`npm run kube:install\` first`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'tiergate-kube-'));
  const tokens = {
    admin: randomBytes(16).toString('hex'),
    restricted: randomBytes(16).toString('hex'),
  };
  const daemons: Daemon[] = [];
  const stop = async () => {
    for (const d of daemons.reverse()) await d.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const etcd = await startEtcd(dir);
    daemons.push(etcd.daemon);
    const api = await startApiServer(dir, etcd.url, tokens);
    daemons.push(api.daemon);
    const kubeconfigPath = join(dir, 'admin.kubeconfig');
    const restrictedKubeconfigPath = join(dir, 'restricted.kubeconfig');
    await writeFile(kubeconfigPath, kubeconfigYaml(api.url, 'admin', tokens.admin));
    await writeFile(
      restrictedKubeconfigPath,
      kubeconfigYaml(api.url, RESTRICTED_USER, tokens.restricted),
    );
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    if (opts.crds !== false) await installCrds(api.url, tokens.admin, kc);
    const core = kc.makeApiClient(CoreV1Api);
    return {
      url: api.url,
      kubeconfigPath,
      kc,
      restrictedKubeconfigPath,
      async createNamespace(name) {
        await core.createNamespace({ body: { metadata: { name } } });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
