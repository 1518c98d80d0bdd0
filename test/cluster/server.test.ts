/**
 * The test API server itself: it must behave like kube-apiserver where gateway-shift depends on
 * it, or the cluster tests prove nothing. Plain node:https here, no gateway-shift code.
 */
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import { X509Certificate } from 'node:crypto';
import { startKubeApiServer, type KubeApiServer, type TestKubeObject } from './kube-api-server.mjs';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { [k: string]: unknown; items?: { metadata: { name: string; namespace?: string }; kind?: string }[]; metadata?: { continue?: string; remainingItemCount?: number; resourceVersion?: string } };
}

function get(s: KubeApiServer, path: string, o: { auth?: 'token' | 'cert' | 'none'; ca?: string | null; gzip?: boolean; method?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if ((o.auth ?? 'token') === 'token') headers.Authorization = `Bearer ${s.token}`;
    if (o.gzip) headers['Accept-Encoding'] = 'gzip';
    const req = https.request(
      {
        method: o.method ?? 'GET',
        host: '127.0.0.1',
        port: s.port,
        path,
        headers,
        ...(o.ca === null ? {} : { ca: o.ca ?? s.pki.ca.cert }),
        ...(o.auth === 'cert' ? { cert: s.pki.client.cert, key: s.pki.client.key } : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let data = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') data = gunzipSync(data);
          resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(data.toString('utf8')) as Answer['body'] });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const ing = (ns: string, name: string, labels: Record<string, string> = {}): TestKubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns, labels }, spec: {} });

describe('test Kubernetes API server', () => {
  let s: KubeApiServer;
  beforeAll(async () => {
    s = await startKubeApiServer({
      crds: ['traefik.io'],
      objects: [ing('b', 'one', { app: 'x' }), ing('a', 'two', { app: 'y' }), ing('a', 'one', { app: 'x', tier: 'web' }), { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'm', namespace: 'a' }, spec: {} }],
    });
  });
  afterAll(() => s.close());

  it('serves TLS with a certificate for 127.0.0.1 issued by its CA, and refuses clients without that CA', async () => {
    const cert = new X509Certificate(s.pki.server.cert);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.verify(new X509Certificate(s.pki.ca.cert).publicKey)).toBe(true);
    await expect(get(s, '/api', { ca: null })).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });

  it('answers 401 with a Status without credentials, and accepts a token or a client certificate', async () => {
    const r = await get(s, '/apis', { auth: 'none' });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    expect((await get(s, '/apis')).status).toBe(200);
    expect((await get(s, '/apis', { auth: 'cert' })).status).toBe(200);
    expect(s.requests.at(-1)!.user).toBe('gateway-shift-test');
  });

  it('serves discovery: the installed CRD groups only, and their resources', async () => {
    const groups = (await get(s, '/apis')).body.groups as { name: string; preferredVersion: { version: string } }[];
    expect(groups.map((g) => g.name)).toEqual(['networking.k8s.io', 'traefik.io']);
    const rl = (await get(s, '/apis/traefik.io/v1alpha1')).body.resources as { name: string; kind: string; namespaced: boolean }[];
    expect(rl.find((r) => r.name === 'middlewares')).toMatchObject({ kind: 'Middleware', namespaced: true });
    expect((await get(s, '/apis/networking.istio.io/v1')).status).toBe(404);
    const nf = await get(s, '/apis/networking.istio.io/v1/virtualservices');
    expect(nf.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
  });

  it('lists in key order, without kind on built-in items, with kind on custom resources', async () => {
    const r = await get(s, '/apis/networking.k8s.io/v1/ingresses');
    expect(r.body).toMatchObject({ kind: 'IngressList', apiVersion: 'networking.k8s.io/v1' });
    expect(r.body.items!.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['a/one', 'a/two', 'b/one']);
    expect(r.body.items![0]!.kind).toBeUndefined();
    expect((await get(s, '/apis/traefik.io/v1alpha1/namespaces/a/middlewares')).body.items![0]!.kind).toBe('Middleware');
    const sel = await get(s, `/apis/networking.k8s.io/v1/ingresses?labelSelector=${encodeURIComponent('app in (x),tier!=db')}`);
    expect(sel.body.items!.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['a/one', 'b/one']);
  });

  it('paginates with limit and continue, pinned to the first page\u2019s resourceVersion', async () => {
    const p1 = await get(s, '/apis/networking.k8s.io/v1/ingresses?limit=2');
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.metadata).toMatchObject({ remainingItemCount: 1 });
    s.apply([ing('c', 'late')]); // created after the first page: not in this list
    const p2 = await get(s, `/apis/networking.k8s.io/v1/ingresses?limit=2&continue=${encodeURIComponent(p1.body.metadata!.continue!)}`);
    expect(p2.body.items!.map((i) => i.metadata.name)).toEqual(['one']);
    expect(p2.body.metadata!.continue).toBeUndefined();
    expect(p2.body.metadata!.resourceVersion).toBe(p1.body.metadata!.resourceVersion);
    s.remove('networking.k8s.io/v1', 'Ingress', 'c', 'late');
  });

  it('answers 410 Expired to a continue token older than a compaction', async () => {
    const p1 = await get(s, '/apis/networking.k8s.io/v1/ingresses?limit=1');
    s.expireNextContinue('ingresses');
    const r = await get(s, `/apis/networking.k8s.io/v1/ingresses?limit=1&continue=${encodeURIComponent(p1.body.metadata!.continue!)}`);
    expect(r.status).toBe(410);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(r.body.message).toMatch(/^The provided continue parameter is too old/);
  });

  it('answers 403 with the RBAC message for a forbidden namespace, 429 with Retry-After, and 405 to writes', async () => {
    s.forbid({ resource: 'ingresses', namespace: 'b' });
    const r = await get(s, '/apis/networking.k8s.io/v1/namespaces/b/ingresses');
    expect(r.status).toBe(403);
    expect(r.body.message).toBe('ingresses.networking.k8s.io is forbidden: User "token-user" cannot list resource "ingresses" in API group "networking.k8s.io" in the namespace "b"');
    expect((await get(s, '/apis/networking.k8s.io/v1/namespaces/a/ingresses')).status).toBe(200);
    s.fail({ path: /ingresses/, status: 429, retryAfter: 1 });
    const t = await get(s, '/apis/networking.k8s.io/v1/namespaces/a/ingresses');
    expect(t.status).toBe(429);
    expect(t.headers['retry-after']).toBe('1');
    expect((await get(s, '/apis/networking.k8s.io/v1/namespaces/a/ingresses')).status).toBe(200);
    expect((await get(s, '/apis/networking.k8s.io/v1/namespaces/a/ingresses', { method: 'POST' })).body).toMatchObject({ reason: 'MethodNotAllowed', code: 405 });
  });

  it('gzips large answers when asked', async () => {
    s.apply(Array.from({ length: 600 }, (_, i) => ing('big', `i-${String(i).padStart(4, '0')}`)));
    const r = await get(s, '/apis/networking.k8s.io/v1/namespaces/big/ingresses', { gzip: true });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.body.items).toHaveLength(600);
  });
});
