/** Reading one cluster through the API layer, against the local test API server. */
import https from 'node:https';
import { KubeApi, type ApiOptions } from '../../src/inputs/cluster/api.js';
import { readCluster, type ReadClusterOptions } from '../../src/inputs/cluster/read-cluster.js';
import { httpTransport } from '../../src/inputs/cluster/transport.js';
import { rbacRules } from '../../src/inputs/cluster/resources.js';
import { startKubeApiServer, type KubeApiServer } from './kube-api-server.mjs';
import { ALL_CRDS, ingress, world } from './world.js';

function apiFor(s: KubeApiServer, o: Partial<ApiOptions> & { token?: string; refreshedToken?: string; calls?: boolean[] } = {}) {
  const transport = httpTransport(
    {
      server: s.url,
      async credentials(fresh) {
        o.calls?.push(fresh);
        const token = fresh && o.refreshedToken ? o.refreshedToken : (o.token ?? s.token);
        return { agent: new https.Agent({ ca: s.pki.ca.cert, keepAlive: true }), headers: { Authorization: `Bearer ${token}` } };
      },
    },
    'gateway-shift-test',
  );
  return { api: new KubeApi(transport, { requestTimeoutMs: 10000, ...o }), transport };
}

const opts = (o: Partial<ReadClusterOptions> = {}): ReadClusterOptions => ({ context: 'test', scope: { allNamespaces: true, namespaces: [] }, chunkSize: 2, concurrency: 4, ...o });
const names = (docs: { object: { kind: string; apiVersion: string; metadata: { namespace?: string; name?: string } } }[]) =>
  docs.map((d) => `${d.object.apiVersion} ${d.object.kind} ${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`);

/** Fake clock: sleeping advances it, and the waits are recorded. */
function clock() {
  let t = 0;
  const waits: number[] = [];
  return { waits, now: () => t, sleep: async (ms: number) => void (waits.push(ms), (t += ms)) };
}

describe('reading a cluster', () => {
  let s: KubeApiServer;
  beforeEach(async () => {
    s = await startKubeApiServer({ crds: ALL_CRDS, objects: world() });
  });
  afterEach(() => s.close());

  it('reads Ingresses, IngressClasses, Services and the installed custom resources, page by page, with GET only and never a Secret', async () => {
    const { api, transport } = apiFor(s);
    const progress: number[] = [];
    const r = await readCluster(api, opts({ onProgress: (d) => progress.push(d) }));
    transport.close?.();
    expect(r.status).toBe('ok');
    expect(r.findings).toEqual([]);
    expect(names(r.documents)).toEqual([
      'networking.k8s.io/v1 Ingress blog/blog',
      'networking.k8s.io/v1 Ingress shop/admin',
      'networking.k8s.io/v1 Ingress shop/shop',
      'networking.k8s.io/v1 IngressClass /nginx',
      'v1 Service blog/blog',
      'v1 Service shop/admin',
      'v1 Service shop/shop',
      'traefik.io/v1alpha1 Middleware shop/strip',
      'traefik.containo.us/v1alpha1 Middleware shop/old-strip',
      'networking.istio.io/v1 Gateway shop/istio-gw',
      'networking.istio.io/v1 VirtualService shop/vs',
      'networking.istio.io/v1 DestinationRule shop/dr',
      'networking.istio.io/v1 ServiceEntry shop/se',
      'gateway.networking.k8s.io/v1 Gateway infra/edge',
      'gateway.networking.k8s.io/v1 Gateway legacy/old-lb',
    ]);
    expect(r.objectsRead).toBe(15);
    expect(progress.reduce((a, b) => a + b, 0)).toBe(15);
    const doc = r.documents[0]!;
    expect(doc.position).toEqual({ file: 'cluster/test' });
    expect(doc.locate(['spec'])).toEqual({ file: 'cluster/test' });
    expect(doc.object.metadata.managedFields).toBeUndefined();
    expect(doc.object.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(s.requests.every((q) => q.method === 'GET')).toBe(true);
    expect(s.requests.some((q) => q.path.includes('secrets'))).toBe(false);
    // Paginated: limit on every list, and continue tokens followed.
    const lists = s.requests.filter((q) => /\/(ingresses|services)$/.test(q.path));
    expect(lists.every((q) => q.query.limit === '2')).toBe(true);
    expect(lists.filter((q) => q.path.endsWith('/ingresses') && q.query.continue)).toHaveLength(1);
  });

  it('skips custom resources whose CRD is not installed with an info finding, never a failure', async () => {
    const bare = await startKubeApiServer({ crds: ['traefik.io'], objects: world().filter((o) => !o.apiVersion.includes('istio') && !o.apiVersion.includes('containo') && !o.apiVersion.startsWith('gateway.')) });
    try {
      const r = await readCluster(apiFor(bare).api, opts());
      expect(r.status).toBe('ok');
      expect(r.findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual(Array(3).fill('info cluster/not-installed'));
      expect(r.findings.map((f) => f.message)).toContain(
        'the API group networking.istio.io is not served (its CRDs are not installed), so Istio Gateways, Istio VirtualServices, Istio DestinationRules, Istio ServiceEntries were not read; skipped',
      );
      expect(names(r.documents)).toContain('traefik.io/v1alpha1 Middleware shop/strip');
    } finally {
      await bare.close();
    }
  });

  it('restarts a list whose continue token expired (410), and reads every object once', async () => {
    s.apply(Array.from({ length: 7 }, (_, i) => ingress('many', `i${i}`, `i${i}.example.com`)));
    s.expireNextContinue('ingresses');
    const progress: number[] = [];
    const r = await readCluster(apiFor(s).api, opts({ scope: { allNamespaces: false, namespaces: ['many'] }, onProgress: (d) => progress.push(d) }));
    expect(r.findings).toEqual([]);
    expect(names(r.documents).filter((n) => n.includes('Ingress many/'))).toHaveLength(7);
    const ingressLists = s.requests.filter((q) => q.path === '/apis/networking.k8s.io/v1/namespaces/many/ingresses');
    // page 1, page 2 -> 410, then page 1 again without continue and the 3 more pages.
    expect(ingressLists.map((q) => (q.query.continue ? 'c' : 'first'))).toEqual(['first', 'c', 'first', 'c', 'c', 'c']);
    expect(progress).toContain(-2);
    expect(r.objectsRead).toBe(7 + 1); // the Ingresses of "many", and the (cluster-scoped) IngressClass
  });

  it('retries 429 after the server\u2019s Retry-After, and 5xx with exponential backoff', async () => {
    s.fail({ path: /\/ingresses$/, status: 429, retryAfter: 1, times: 1 });
    s.fail({ path: /\/services$/, status: 503, times: 3 });
    const c = clock();
    const r = await readCluster(apiFor(s, { now: c.now, sleep: c.sleep, random: () => 1 }).api, opts());
    expect(r.findings).toEqual([]);
    expect(r.status).toBe('ok');
    expect(c.waits.sort((a, b) => a - b)).toEqual([250, 500, 1000, 1000]);
  });

  it('gives up within the deadline of --request-timeout, reporting which list failed', async () => {
    s.fail({ path: /\/services$/, status: 503, times: 100 });
    const c = clock();
    const r = await readCluster(apiFor(s, { requestTimeoutMs: 3000, now: c.now, sleep: c.sleep, random: () => 1 }).api, opts());
    expect(r.status).toBe('partial');
    expect(r.findings).toEqual([
      expect.objectContaining({ ruleId: 'cluster/request-failed', severity: 'warning', message: expect.stringContaining('cannot list services in all namespaces: gave up after 4 attempts within --request-timeout 3s: 503') as string }),
    ]);
    expect(c.waits).toEqual([250, 500, 1000]); // the next wait (2000) would pass the deadline
    expect(names(r.documents)).toContain('networking.k8s.io/v1 Ingress shop/shop');
  });

  it('turns a 403 on one namespace into a finding naming the missing permission, and reads the rest', async () => {
    s.forbid({ resource: 'ingresses', namespace: 'blog' });
    s.forbid({ resource: 'middlewares' });
    const r = await readCluster(apiFor(s).api, opts({ scope: { allNamespaces: false, namespaces: ['blog', 'shop'] } }));
    expect(r.status).toBe('partial');
    expect(r.findings.map((f) => `${f.severity} ${f.ruleId} ${f.message}`)).toEqual([
      'error cluster/forbidden not allowed to list ingresses.networking.k8s.io in namespace blog, so the Ingresses in namespace blog were not read. Missing permission: verb "list" on resource "ingresses" in API group "networking.k8s.io" in namespace blog',
      'warning cluster/forbidden not allowed to list middlewares.traefik.io in namespace blog, so the Traefik Middlewares (traefik.io) in namespace blog were not read. Missing permission: verb "list" on resource "middlewares" in API group "traefik.io" in namespace blog; the conversion may lack context from them',
      'warning cluster/forbidden not allowed to list middlewares.traefik.io in namespace shop, so the Traefik Middlewares (traefik.io) in namespace shop were not read. Missing permission: verb "list" on resource "middlewares" in API group "traefik.io" in namespace shop; the conversion may lack context from them',
      'warning cluster/forbidden not allowed to list middlewares.traefik.containo.us in namespace blog, so the Traefik Middlewares (traefik.containo.us) in namespace blog were not read. Missing permission: verb "list" on resource "middlewares" in API group "traefik.containo.us" in namespace blog; the conversion may lack context from them',
      'warning cluster/forbidden not allowed to list middlewares.traefik.containo.us in namespace shop, so the Traefik Middlewares (traefik.containo.us) in namespace shop were not read. Missing permission: verb "list" on resource "middlewares" in API group "traefik.containo.us" in namespace shop; the conversion may lack context from them',
    ]);
    expect(names(r.documents).filter((n) => n.includes(' Ingress '))).toEqual(['networking.k8s.io/v1 Ingress shop/admin', 'networking.k8s.io/v1 Ingress shop/shop']);
    expect(names(r.documents)).toContain('v1 Service blog/blog');
  });

  it('fetches the credentials again once after a 401 (exec plugins, rotated tokens), and fails the cluster if that does not help', async () => {
    const calls: boolean[] = [];
    const ok = await readCluster(apiFor(s, { token: 'expired', refreshedToken: s.token, calls }).api, opts());
    expect(ok.status).toBe('ok');
    expect(calls).toEqual([false, true]);
    const bad = await readCluster(apiFor(s, { token: 'wrong', refreshedToken: 'still-wrong' }).api, opts());
    expect(bad.status).toBe('failed');
    expect(bad.documents).toEqual([]);
    expect(bad.findings).toEqual([expect.objectContaining({ ruleId: 'cluster/unauthorized', severity: 'error', message: expect.stringContaining("401 Unauthorized: the server did not accept the kubeconfig's credentials") as string })]);
  });

  it('fails an unreachable cluster with one finding, at once', async () => {
    const port = s.port;
    await s.close();
    const t0 = Date.now();
    const r = await readCluster(apiFor({ ...s, url: `https://127.0.0.1:${port}` }).api, opts());
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.status).toBe('failed');
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'cluster/unreachable', severity: 'error', position: { file: 'cluster/test' }, message: expect.stringContaining('ECONNREFUSED') as string })]);
    s = await startKubeApiServer(); // for afterEach
  });

  it('applies -l/--selector to the objects that become routes (Ingresses, Istio VirtualServices) only', async () => {
    const r = await readCluster(apiFor(s).api, opts({ labelSelector: 'team in (shop,blog)' }));
    expect(names(r.documents).filter((n) => n.includes(' Ingress '))).toEqual(['networking.k8s.io/v1 Ingress blog/blog', 'networking.k8s.io/v1 Ingress shop/shop']);
    expect(names(r.documents)).toContain('v1 Service shop/admin');
    // The unlabelled VirtualService is not selected by `team in (...)`; the Istio Gateway is context, read whole.
    expect(names(r.documents)).not.toContain('networking.istio.io/v1 VirtualService shop/vs');
    expect(names(r.documents)).toContain('networking.istio.io/v1 Gateway shop/istio-gw');
    const selected = new Set(s.requests.filter((q) => q.query.labelSelector).map((q) => q.path.slice(q.path.lastIndexOf('/') + 1)));
    expect([...selected].sort()).toEqual(['ingresses', 'virtualservices']);
  });

  it('looks the --parent-ref Gateway up outside the namespaces read, and knows when it does not exist', async () => {
    const found = await readCluster(apiFor(s).api, opts({ scope: { allNamespaces: false, namespaces: ['shop'] }, parentRef: { namespace: 'infra', name: 'edge' } }));
    expect(found.parentRefResolved).toBe(true);
    expect(names(found.documents)).toContain('gateway.networking.k8s.io/v1 Gateway infra/edge');
    expect(s.requests.at(-1)!.path).toBe('/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways/edge');
    const missing = await readCluster(apiFor(s).api, opts({ scope: { allNamespaces: false, namespaces: ['shop'] }, parentRef: { namespace: 'infra', name: 'nope' } }));
    expect(missing.parentRefResolved).toBe(true);
    expect(names(missing.documents).some((n) => n.includes('nope'))).toBe(false);
    s.forbid({ resource: 'gateways', verb: 'get' });
    const hidden = await readCluster(apiFor(s).api, opts({ scope: { allNamespaces: false, namespaces: ['shop'] }, parentRef: { namespace: 'infra', name: 'edge' } }));
    expect(hidden.parentRefResolved).toBe(false);
    expect(hidden.findings.map((f) => f.ruleId)).toEqual(['cluster/forbidden']);
  });

  it('keeps at most --concurrency requests in flight, and answers a silent server with a timeout', async () => {
    const slow = await startKubeApiServer({ crds: ALL_CRDS, objects: world(), delayMs: 30 });
    try {
      const r = await readCluster(apiFor(slow).api, opts({ concurrency: 3, scope: { allNamespaces: false, namespaces: ['a', 'b', 'c', 'd', 'shop'] } }));
      expect(r.status).toBe('ok');
      expect(slow.stats.maxInFlight).toBeLessThanOrEqual(3);
      expect(slow.stats.maxInFlight).toBeGreaterThan(1);
      const t = await readCluster(apiFor(slow, { requestTimeoutMs: 10 }).api, opts());
      expect(t.status).toBe('failed');
      expect(t.findings[0]!.message).toContain('no answer within --request-timeout 10ms');
    } finally {
      await slow.close();
    }
  });

  it('needs every rule of the ClusterRole the README documents: without any one of them, something is forbidden', async () => {
    const rules = rbacRules();
    const all = await startKubeApiServer({ crds: ALL_CRDS, objects: world(), rbac: rules });
    try {
      const r = await readCluster(apiFor(all).api, opts({ scope: { allNamespaces: false, namespaces: ['shop'] }, parentRef: { namespace: 'infra', name: 'edge' } }));
      expect(r.findings).toEqual([]);
    } finally {
      await all.close();
    }
    // Take away one verb on one resource at a time.
    for (const [i, rule] of rules.entries()) {
      for (const resource of rule.resources) {
        for (const verb of rule.verbs) {
          const fewer = rules.flatMap((x, j) =>
            j !== i
              ? [x]
              : [
                  { ...x, resources: x.resources.filter((r) => r !== resource) },
                  { ...x, resources: [resource], verbs: x.verbs.filter((v) => v !== verb) },
                ],
          );
          const srv = await startKubeApiServer({ crds: ALL_CRDS, objects: world(), rbac: fewer });
          try {
            const r = await readCluster(apiFor(srv).api, opts({ scope: { allNamespaces: false, namespaces: ['shop'] }, parentRef: { namespace: 'infra', name: 'edge' } }));
            const what = `${verb} ${resource}.${rule.apiGroups[0]}`;
            expect({ what, forbidden: r.findings.some((f) => f.ruleId === 'cluster/forbidden') }).toEqual({ what, forbidden: true });
          } finally {
            await srv.close();
          }
        }
      }
    }
  });
});
