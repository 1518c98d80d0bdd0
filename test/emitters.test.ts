/** Topology and limits: listeners beyond 64, rules beyond 16, names, wildcard certificates. */
import { stringify } from 'yaml';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { NameRegistry, toDnsSubdomain, hostSlug } from '../src/emitters/names.js';
import { tlsHostFor, wildcardCovers } from '../src/emitters/gateway-api.js';
import { parseSource } from '../src/inputs/parse.js';
import type { KubeObject } from '../src/inputs/document.js';
import { createValidator } from '../src/validate/validator.js';

const validator = createValidator(loadSchemas(), 'standard');

function ingress(name: string, ns: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: ns }, spec: { ingressClassName: 'nginx', ...spec } };
}

function run(objects: Record<string, unknown>[], opts: Partial<Parameters<typeof convert>[1]> = {}) {
  const text = objects.map((o) => stringify(o)).join('---\n');
  const { documents } = parseSource(text, 'gen.yaml');
  return convert(documents, { toolVersion: 't', gatewayMode: 'shared', ...opts }, validator);
}

const svc = (name: string, port = 80) => ({ service: { name, port: { number: port } } });
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;

describe('listener limit', () => {
  // 70 TLS hosts need 71 listeners: the Gateway keeps http + 63 HTTPS, 7 go to a ListenerSet.
  const hosts = Array.from({ length: 70 }, (_, i) => `h${String(i).padStart(2, '0')}.example.com`);
  const result = run(
    hosts.map((h, i) =>
      ingress(`app${i}`, 'apps', {
        tls: [{ hosts: [h], secretName: `tls-${i}` }],
        rules: [{ host: h, http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('web') }] } }],
      }),
    ),
  );

  it('keeps every object valid', () => {
    expect(result.stats.invalidObjects).toBe(0);
    expect(result.findings.filter((f) => f.ruleId === 'core/invalid-output')).toEqual([]);
  });

  it('puts the listeners that do not fit into a ListenerSet attached to the Gateway', () => {
    const gw = result.objects.find((o) => o.kind === 'Gateway')!;
    const sets = result.objects.filter((o) => o.kind === 'ListenerSet');
    expect((spec(gw).listeners as unknown[]).length).toBe(64);
    expect(spec(gw).allowedListeners).toEqual({ namespaces: { from: 'Same' } });
    expect(sets.map((s) => (spec(s).listeners as unknown[]).length)).toEqual([7]);
    expect(spec(sets[0]!).parentRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'nginx' });
    expect(result.findings.some((f) => f.ruleId === 'core/listener-sets')).toBe(true);
  });

  it('attaches the routes of overflow hosts to the ListenerSet section', () => {
    const route = result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'app69')!;
    expect(spec(route).parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'nginx-https-1', sectionName: 'https-h69.example.com' },
    ]);
    const first = result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'app0')!;
    expect(spec(first).parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'nginx', sectionName: 'https-h00.example.com' }]);
  });
});

describe('rule limit', () => {
  it('splits a route with more than 16 rules into valid routes that keep every path', () => {
    const paths = Array.from({ length: 40 }, (_, i) => ({ path: `/p${i}`, pathType: 'Exact', backend: svc('web') }));
    const result = run([ingress('big', 'a', { rules: [{ host: 'big.example.com', http: { paths } }] })]);
    const routes = result.objects.filter((o) => o.kind === 'HTTPRoute');
    expect(routes.map((r) => r.metadata.name)).toEqual(['big', 'big-2', 'big-3']);
    expect(routes.map((r) => (spec(r).rules as unknown[]).length)).toEqual([16, 16, 8]);
    const values = routes.flatMap((r) => (spec(r).rules as { matches: { path: { value: string } }[] }[]).map((x) => x.matches[0]!.path.value));
    expect(values).toEqual(paths.map((p) => p.path));
    expect(result.stats.invalidObjects).toBe(0);
    expect(result.findings.some((f) => f.ruleId === 'core/route-split')).toBe(true);
  });
});

describe('names', () => {
  it('turns anything into a DNS subdomain, shortening with a stable hash', () => {
    expect(toDnsSubdomain('My_App..v2')).toBe('my-app.v2');
    expect(hostSlug('*.example.com')).toBe('wildcard.example.com');
    expect(hostSlug('')).toBe('any-host');
    const long = 'x'.repeat(300);
    const a = toDnsSubdomain(long);
    expect(a.length).toBeLessThanOrEqual(253);
    expect(a).toBe(toDnsSubdomain(long));
    expect(toDnsSubdomain('y'.repeat(300))).not.toBe(a);
  });

  it('hands out unique names per kind and namespace', () => {
    const r = new NameRegistry();
    expect(r.claim('HTTPRoute', 'a', 'x')).toBe('x');
    expect(r.claim('HTTPRoute', 'a', 'x')).toBe('x-2');
    expect(r.claim('HTTPRoute', 'b', 'x')).toBe('x');
    expect(r.claim('GRPCRoute', 'a', 'x')).toBe('x');
  });
});

describe('wildcard certificates', () => {
  it('covers exactly one label, as the Ingress spec and ingress-nginx do', () => {
    expect(wildcardCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(wildcardCovers('*.example.com', 'a.b.example.com')).toBe(false);
    expect(wildcardCovers('*.example.com', 'example.com')).toBe(false);
    expect(tlsHostFor('a.example.com', new Set(['*.example.com']))).toBe('*.example.com');
    expect(tlsHostFor('a.example.com', new Set(['a.example.com', '*.example.com']))).toBe('a.example.com');
    expect(tlsHostFor('', new Set(['*.example.com']))).toBeUndefined();
  });

  it('attaches a host to the HTTPS listener of a wildcard host with a certificate', () => {
    // certificate.lua finds the certificate of the wildcard server `*.example.com` for
    // shop.example.com, whose own Ingress has no tls section.
    const result = run([
      ingress('wild', 'a', {
        tls: [{ hosts: ['*.example.com'], secretName: 'wild-tls' }],
        rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('any') }] } }],
      }),
      ingress('shop', 'a', { rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('shop') }] } }] }),
    ]);
    const route = result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'shop')!;
    expect(spec(route).parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'nginx', sectionName: 'https-wildcard.example.com' }]);
    const redirect = result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'shop-https-redirect');
    expect(redirect).toBeDefined();
  });

  it('gives a wildcard tls host of an Ingress without that wildcard rule to its rule hosts only', () => {
    // ingress-nginx uses the tls section for the hosts of the same Ingress's rules; siblings
    // under the wildcard in other Ingresses get no certificate from it.
    const result = run([
      ingress('wild', 'a', {
        tls: [{ hosts: ['*.example.com'], secretName: 'wild-tls' }],
        rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('shop') }] } }],
      }),
      ingress('blog', 'a', { rules: [{ host: 'blog.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('blog') }] } }] }),
    ]);
    const gw = result.objects.find((o) => o.kind === 'Gateway')!;
    expect((spec(gw).listeners as { hostname?: string }[]).map((l) => l.hostname ?? '')).toEqual(['', 'shop.example.com']);
    const blog = result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'blog')!;
    expect(spec(blog).parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'nginx', sectionName: 'http' }]);
  });
});

describe('reference grants', () => {
  it('grants exactly the Secrets used, at most 16 per grant', () => {
    const ings = Array.from({ length: 20 }, (_, i) =>
      ingress(`s${i}`, 'certs', {
        tls: [{ hosts: [`s${i}.example.com`], secretName: `c${String(i).padStart(2, '0')}` }],
        rules: [{ host: `s${i}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('web') }] } }],
      }),
    );
    const result = run(ings, { gatewayNamespace: 'edge' });
    const grants = result.objects.filter((o) => o.kind === 'ReferenceGrant');
    expect(grants.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual([
      'certs/gateway-shift-secrets-from-edge',
      'certs/gateway-shift-secrets-from-edge-2',
    ]);
    const names = grants.flatMap((g) => (spec(g).to as { name: string }[]).map((t) => t.name));
    expect(names).toEqual(Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`));
    expect(result.stats.invalidObjects).toBe(0);
  });

  it('needs none when the Secret is in the Gateway namespace', () => {
    const result = run([
      ingress('s', 'edge', {
        tls: [{ hosts: ['s.example.com'], secretName: 's' }],
        rules: [{ host: 's.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('web') }] } }],
      }),
    ]);
    expect(result.objects.filter((o) => o.kind === 'ReferenceGrant')).toEqual([]);
  });
});

describe('GatewayClass', () => {
  it('is emitted once when several Gateways use the class', () => {
    const result = run(
      [
        ingress('a', 'one', { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a') }] } }] }),
        ingress('b', 'two', { rules: [{ host: 'b.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('b') }] } }] }),
      ],
      { gatewayMode: 'per-namespace', gatewayClass: 'eg' },
    );
    expect(result.objects.filter((o) => o.kind === 'Gateway')).toHaveLength(2);
    expect(result.objects.filter((o) => o.kind === 'GatewayClass').map((o) => o.metadata.name)).toEqual(['eg']);
  });
});

describe('Ingress names', () => {
  it('skips an Ingress whose name or namespace the API server would refuse (a template placeholder), with one error', () => {
    const result = run([
      ingress('<ingress-name>', 'apps', { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('a') }] } }] }),
      ingress('ok', '<namespace>', { rules: [{ host: 'b.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('b') }] } }] }),
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'ingress/invalid-name').map((f) => [f.severity, f.object?.name])).toEqual([
      ['error', '<ingress-name>'],
      ['error', 'ok'],
    ]);
    expect(result.stats.ingresses).toBe(0);
    expect(result.stats.invalidObjects).toBe(0);
  });
});
