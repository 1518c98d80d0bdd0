/**
 * Routes that name their parents (Gateway listeners or Services for GAMMA mesh routes), TLS and
 * TCP listeners of explicit layouts, TCPRoutes, and the ReferenceGrants for backends in other
 * namespaces.
 */
import { loadSchemas } from '../src/cli/load-schemas.js';
import { emitGatewayApi } from '../src/emitters/gateway-api.js';
import type { KubeObject } from '../src/inputs/document.js';
import type { IR, RouteIntent } from '../src/ir/types.js';
import { createValidator } from '../src/validate/validator.js';

const standard = createValidator(loadSchemas(), 'standard');
const experimental = createValidator(loadSchemas(), 'experimental');
const object = { kind: 'VirtualService', namespace: 'shop', name: 'vs' };
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;
const GW = 'gateway.networking.k8s.io';

function ir(routes: RouteIntent[]): IR {
  return {
    gateways: [
      {
        key: 'edge/public',
        namespace: 'edge',
        name: 'public',
        gatewayClassName: 'istio',
        ingressClass: 'istio',
        provider: 'istio',
        annotations: {},
        provenance: [{ object }],
        sources: new Set(),
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', allowedNamespaces: { from: 'All' }, provenance: [] },
          { name: 'https-shop', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', certificateSecrets: ['shop-cert'], allowedNamespaces: { names: ['shop'] }, provenance: [] },
          { name: 'tls', port: 8443, protocol: 'TLS', hostname: '*.example.com', tlsMode: 'Passthrough', provenance: [] },
          { name: 'mongo', port: 27017, protocol: 'TCP', allowedNamespaces: { from: 'Same' }, provenance: [] },
        ],
      },
    ],
    routes,
    tls: [],
    backendTls: [],
    policies: [],
  };
}

function route(partial: Partial<RouteIntent> & Pick<RouteIntent, 'name' | 'parents'>): RouteIntent {
  return {
    kind: 'HTTPRoute',
    gatewayKey: '',
    namespace: 'shop',
    hostnames: [],
    attach: { http: false, https: false },
    rules: [{ matches: [], backends: [{ name: 'cart', namespace: 'shop', port: 80 }], filters: [], provenance: [{ object }] }],
    annotations: {},
    provenance: [{ object }],
    ...partial,
  };
}

describe('routes with explicit parents', () => {
  const routes: RouteIntent[] = [
    route({ name: 'edge', hostnames: ['shop.example.com'], parents: [{ kind: 'Gateway', gatewayKey: 'edge/public', listeners: ['http', 'https-shop'] }] }),
    route({ name: 'mesh', parents: [{ kind: 'Service', namespace: 'shop', name: 'cart' }, { kind: 'Service', namespace: 'shop', name: 'cart-admin', port: 8080 }] }),
    route({
      name: 'consumer',
      namespace: 'web',
      parents: [{ kind: 'Service', namespace: 'shop', name: 'cart' }],
      rules: [
        {
          matches: [],
          backends: [{ name: 'cart', namespace: 'shop', port: 80, filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-from', value: 'web' }] } }] }],
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'audit', namespace: 'audit', port: 80 }, percent: 10 } }],
          provenance: [{ object }],
        },
      ],
    }),
    route({
      kind: 'TLSRoute',
      name: 'tls',
      namespace: 'edge',
      hostnames: ['db.example.com'],
      parents: [{ kind: 'Gateway', gatewayKey: 'edge/public', listeners: ['tls'] }],
      rules: [{ matches: [], backends: [{ name: 'db', namespace: 'data', port: 5432 }], filters: [], provenance: [{ object }] }],
    }),
    route({
      kind: 'TCPRoute',
      name: 'mongo',
      namespace: 'edge',
      hostnames: ['mongo.example.com'],
      parents: [{ kind: 'Gateway', gatewayKey: 'edge/public', listeners: ['mongo'] }],
      rules: [{ matches: [], backends: [{ name: 'mongo', namespace: 'data', port: 27017 }], filters: [], provenance: [{ object }] }],
    }),
  ];
  const result = emitGatewayApi(ir(routes), { toolVersion: 't', gatewayClassControllers: {} });
  const find = (kind: string, name: string, ns?: string) => result.objects.find((o) => o.kind === kind && o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns))!;

  it('lays out hostnames, TLS modes and the namespaces the source admitted', () => {
    const listeners = spec(find('Gateway', 'public')).listeners as Record<string, unknown>[];
    expect(listeners).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      {
        name: 'https-shop',
        hostname: 'shop.example.com',
        port: 443,
        protocol: 'HTTPS',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'shop-cert' }] },
        allowedRoutes: { namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['shop'] }] } } },
      },
      { name: 'tls', hostname: '*.example.com', port: 8443, protocol: 'TLS', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' } } },
      { name: 'mongo', port: 27017, protocol: 'TCP', allowedRoutes: { namespaces: { from: 'Same' } } },
    ]);
  });

  it('names Gateway listeners by sectionName and Services as GAMMA parents (group "", kind Service, port when given)', () => {
    expect(spec(find('HTTPRoute', 'edge')).parentRefs).toEqual([
      { group: GW, kind: 'Gateway', name: 'public', namespace: 'edge', sectionName: 'http' },
      { group: GW, kind: 'Gateway', name: 'public', namespace: 'edge', sectionName: 'https-shop' },
    ]);
    expect(spec(find('HTTPRoute', 'mesh')).parentRefs).toEqual([
      { group: '', kind: 'Service', name: 'cart' },
      { group: '', kind: 'Service', name: 'cart-admin', port: 8080 },
    ]);
    expect(spec(find('HTTPRoute', 'consumer')).parentRefs).toEqual([{ group: '', kind: 'Service', name: 'cart', namespace: 'shop' }]);
    expect(spec(find('HTTPRoute', 'mesh'))).not.toHaveProperty('hostnames');
  });

  it('writes backend filters, and a TCPRoute without hostnames', () => {
    const rule = (spec(find('HTTPRoute', 'consumer')).rules as Record<string, unknown>[])[0]!;
    expect(rule.backendRefs).toEqual([
      { name: 'cart', namespace: 'shop', port: 80, filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-from', value: 'web' }] } }] },
    ]);
    expect(spec(find('TCPRoute', 'mongo'))).toEqual({
      parentRefs: [{ group: GW, kind: 'Gateway', name: 'public', sectionName: 'mongo' }],
      rules: [{ backendRefs: [{ name: 'mongo', namespace: 'data', port: 27017 }] }],
    });
  });

  it('grants each cross-namespace reference minimally: per target namespace, route kind and route namespace', () => {
    const grants = result.objects.filter((o) => o.kind === 'ReferenceGrant').map((o) => [o.metadata.namespace, o.metadata.name, o.spec]);
    expect(grants).toEqual([
      ['audit', 'gateway-shift-httproutes-from-web', { from: [{ group: GW, kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service', name: 'audit' }] }],
      ['data', 'gateway-shift-tcproutes-from-edge', { from: [{ group: GW, kind: 'TCPRoute', namespace: 'edge' }], to: [{ group: '', kind: 'Service', name: 'mongo' }] }],
      ['data', 'gateway-shift-tlsroutes-from-edge', { from: [{ group: GW, kind: 'TLSRoute', namespace: 'edge' }], to: [{ group: '', kind: 'Service', name: 'db' }] }],
      ['shop', 'gateway-shift-httproutes-from-web', { from: [{ group: GW, kind: 'HTTPRoute', namespace: 'web' }], to: [{ group: '', kind: 'Service', name: 'cart' }] }],
    ]);
  });

  it('emits only valid objects', () => {
    for (const o of result.objects) expect(standard.validate(o)).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('writes a rule retry, which the experimental channel accepts', () => {
    const r = emitGatewayApi(
      ir([route({ name: 'retry', parents: [{ kind: 'Service', namespace: 'shop', name: 'cart' }], rules: [{ matches: [], backends: [{ name: 'cart', namespace: 'shop', port: 80 }], filters: [], retry: { attempts: 3, codes: [503], backoff: '25ms' }, provenance: [{ object }] }] })]),
      { toolVersion: 't', gatewayClassControllers: {} },
    );
    const httpRoute = r.objects.find((o) => o.kind === 'HTTPRoute')!;
    expect((spec(httpRoute).rules as Record<string, unknown>[])[0]!.retry).toEqual({ attempts: 3, codes: [503], backoff: '25ms' });
    expect(experimental.validate(httpRoute)).toEqual([]);
    expect(standard.validate(httpRoute).length).toBeGreaterThan(0);
  });

  it('with --parent-ref, replaces the Gateway parents by that Gateway once and keeps the Service parents', () => {
    const r = emitGatewayApi(
      ir([route({ name: 'both', hostnames: ['shop.example.com'], parents: [{ kind: 'Gateway', gatewayKey: 'edge/public', listeners: ['http', 'https-shop'] }, { kind: 'Service', namespace: 'shop', name: 'cart' }] })]),
      { toolVersion: 't', gatewayClassControllers: {}, parentRef: { namespace: 'infra', name: 'shared', sectionName: 'web' } },
    );
    expect(r.objects.some((o) => o.kind === 'Gateway')).toBe(false);
    expect(spec(r.objects.find((o) => o.kind === 'HTTPRoute')!).parentRefs).toEqual([
      { group: GW, kind: 'Gateway', name: 'shared', namespace: 'infra', sectionName: 'web' },
      { group: '', kind: 'Service', name: 'cart' },
    ]);
  });

  it('reports a route whose parents name no listener of the layout', () => {
    const r = emitGatewayApi(ir([route({ name: 'lost', parents: [{ kind: 'Gateway', gatewayKey: 'edge/public', listeners: ['nope'] }] })]), { toolVersion: 't', gatewayClassControllers: {} });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['core/route-unattached']);
    expect(r.objects.some((o) => o.kind === 'HTTPRoute')).toBe(false);
  });
});
