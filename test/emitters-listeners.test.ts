/** Explicit listener layouts in the emitter: any port, HTTPS with or without Secrets, admission, parentRefs. */
import { loadSchemas } from '../src/cli/load-schemas.js';
import { emitGatewayApi } from '../src/emitters/gateway-api.js';
import type { KubeObject } from '../src/inputs/document.js';
import type { IR, RouteIntent } from '../src/ir/types.js';
import { createValidator } from '../src/validate/validator.js';

const validator = createValidator(loadSchemas(), 'standard');
const object = { kind: 'Ingress', namespace: 'a', name: 'i' };
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;

function route(namespace: string, name: string, listeners: string[], hostnames: string[] = []): RouteIntent {
  return {
    kind: 'HTTPRoute',
    gatewayKey: 'shop',
    namespace,
    name,
    hostnames,
    attach: { http: false, https: false, listeners },
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backends: [{ name, namespace, port: 80 }], filters: [], provenance: [{ object }] }],
    annotations: {},
    provenance: [{ object }],
  };
}

function ir(): IR {
  return {
    gateways: [
      {
        key: 'shop',
        namespace: 'edge',
        name: 'shop',
        gatewayClassName: 'alb',
        ingressClass: 'alb',
        provider: 'alb',
        annotations: {},
        provenance: [{ object }],
        sources: new Set(),
        parametersRef: { group: 'gateway.k8s.aws', kind: 'LoadBalancerConfiguration', name: 'shop' },
        listeners: [
          { name: 'http', port: 80, protocol: 'HTTP', provenance: [] },
          { name: 'http-8080', port: 8080, protocol: 'HTTP', provenance: [] },
          { name: 'https', port: 443, protocol: 'HTTPS', provenance: [] },
          { name: 'https-8443', port: 8443, protocol: 'HTTPS', certificateSecrets: ['shop-tls'], provenance: [] },
        ],
      },
    ],
    routes: [route('cart', 'cart', ['https', 'https-8443'], ['shop.example.com']), route('web', 'web', ['https', 'http-8080']), route('edge', 'redirect', ['http'])],
    tls: [],
    backendTls: [],
    policies: [],
  };
}

describe('explicit listener layout', () => {
  const result = emitGatewayApi(ir(), { toolVersion: 't', gatewayClassControllers: {} });
  const gw = result.objects.find((o) => o.kind === 'Gateway')!;
  const listeners = spec(gw).listeners as Record<string, unknown>[];

  it('lays out the listeners in the given order, with their ports and protocols', () => {
    expect(listeners.map((l) => [l.name, l.port, l.protocol])).toEqual([
      ['http', 80, 'HTTP'],
      ['http-8080', 8080, 'HTTP'],
      ['https', 443, 'HTTPS'],
      ['https-8443', 8443, 'HTTPS'],
    ]);
  });

  it('gives an HTTPS listener certificateRefs when it has Secrets, and no tls block when the implementation supplies the certificate', () => {
    expect(listeners[2]).not.toHaveProperty('tls');
    expect(listeners[3]!.tls).toEqual({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'shop-tls' }] });
  });

  it('admits exactly the namespaces of the routes attached to each listener', () => {
    const admitted = (l: Record<string, unknown>) => l.allowedRoutes;
    expect(admitted(listeners[0]!)).toEqual({ namespaces: { from: 'Same' } });
    expect(admitted(listeners[1]!)).toEqual({ namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['web'] }] } } });
    expect(admitted(listeners[2]!)).toEqual({
      namespaces: { from: 'Selector', selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['cart', 'web'] }] } },
    });
  });

  it('attaches each route to the listeners it names, by sectionName', () => {
    const parents = (name: string) => spec(result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === name)!).parentRefs;
    expect(parents('cart')).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop', namespace: 'edge', sectionName: 'https' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop', namespace: 'edge', sectionName: 'https-8443' },
    ]);
    expect(parents('redirect')).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shop', sectionName: 'http' }]);
  });

  it('references the implementation parameters and emits only valid objects', () => {
    expect(spec(gw).infrastructure).toEqual({ parametersRef: { group: 'gateway.k8s.aws', kind: 'LoadBalancerConfiguration', name: 'shop' } });
    for (const o of result.objects) expect(validator.validate(o)).toEqual([]);
    expect(result.findings).toEqual([]);
  });

  it('reports a route that names no listener of the layout', () => {
    const bad = ir();
    bad.routes = [route('web', 'web', ['https-9999'])];
    const r = emitGatewayApi(bad, { toolVersion: 't', gatewayClassControllers: {} });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['core/route-unattached']);
    expect(r.objects.some((o) => o.kind === 'HTTPRoute')).toBe(false);
  });

  it('attaches to an existing Gateway by port with --parent-ref, redirect routes included, and emits no Gateway', () => {
    const r = emitGatewayApi(ir(), { toolVersion: 't', gatewayClassControllers: {}, parentRef: { namespace: 'infra', name: 'shared' } });
    expect(r.objects.some((o) => o.kind === 'Gateway')).toBe(false);
    const parents = (name: string) => spec(r.objects.find((o) => o.metadata.name === name)!).parentRefs;
    const shared = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra' };
    // Two ports: a route object per port (one parentRef per Gateway and section).
    expect(parents('cart-443')).toEqual([{ ...shared, port: 443 }]);
    expect(parents('cart-8443')).toEqual([{ ...shared, port: 8443 }]);
    expect(parents('redirect')).toEqual([{ ...shared, port: 80 }]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['core/parent-ref-ports']);
    for (const o of r.objects) expect(validator.validate(o)).toEqual([]);
    const bySection = emitGatewayApi(ir(), { toolVersion: 't', gatewayClassControllers: {}, parentRef: { namespace: 'infra', name: 'shared', sectionName: 'web' } });
    expect(spec(bySection.objects.find((o) => o.metadata.name === 'cart')!).parentRefs).toEqual([{ ...shared, sectionName: 'web' }]);
    // A route on every listener of the layout needs no port.
    const all = ir();
    all.routes = [route('web', 'web', ['http', 'http-8080', 'https', 'https-8443'])];
    const r2 = emitGatewayApi(all, { toolVersion: 't', gatewayClassControllers: {}, parentRef: { namespace: 'infra', name: 'shared' } });
    expect(spec(r2.objects.find((o) => o.metadata.name === 'web')!).parentRefs).toEqual([shared]);
  });
});

describe('default layout: a GRPCRoute host beside HTTPRoutes without hostnames', () => {
  const httpOnly = (kind: RouteIntent['kind'], name: string, hostnames: string[]): RouteIntent => ({
    ...route('apps', name, [], hostnames),
    kind,
    gatewayKey: 'nginx',
    attach: { http: true, https: false },
  });
  const nginx = (routes: RouteIntent[]): IR => ({
    gateways: [{ key: 'nginx', namespace: 'apps', name: 'nginx', gatewayClassName: 'nginx', ingressClass: 'nginx', provider: 'ingress-nginx', annotations: {}, provenance: [{ object }], sources: new Set() }],
    routes,
    tls: [],
    backendTls: [],
    policies: [],
  });
  const listenersOf = (r: ReturnType<typeof emitGatewayApi>) => (spec(r.objects.find((o) => o.kind === 'Gateway')!).listeners as Record<string, unknown>[]).map((l) => [l.name, l.hostname, l.port]);
  const sections = (r: ReturnType<typeof emitGatewayApi>, kind: string, name: string) =>
    (spec(r.objects.find((o) => o.kind === kind && o.metadata.name === name)!).parentRefs as Record<string, unknown>[]).map((p) => p.sectionName);

  it('gives an exact gRPC host that only catch-all and wildcard HTTPRoutes intersect an HTTP listener of its own', () => {
    const r = emitGatewayApi(nginx([httpOnly('HTTPRoute', 'site', []), httpOnly('HTTPRoute', 'wild', ['*.example.com']), httpOnly('GRPCRoute', 'rpc', ['rpc.example.com'])]), { toolVersion: 't', gatewayClassControllers: {} });
    expect(listenersOf(r)).toEqual([
      ['http', undefined, 80],
      ['http-rpc.example.com', 'rpc.example.com', 80],
    ]);
    expect(sections(r, 'GRPCRoute', 'rpc')).toEqual(['http-rpc.example.com']);
    expect(sections(r, 'HTTPRoute', 'site')).toEqual(['http']);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['core/grpc-http-listener']);
    for (const o of r.objects) expect(validator.validate(o)).toEqual([]);
  });

  it('keeps on http a gRPC host an HTTPRoute also names, and a wildcard gRPC host, and reports only the route Gateway API refuses', () => {
    // apps/a (HTTPRoute, a.example.com) is accepted first; apps/b (GRPCRoute, a.example.com) and
    // apps/c (GRPCRoute, *.example.com covers a.example.com) are refused; apps/d (HTTPRoute, no
    // hostnames) intersects b and c, but they were refused: d is accepted, not reported.
    const r = emitGatewayApi(nginx([httpOnly('HTTPRoute', 'a', ['a.example.com']), httpOnly('GRPCRoute', 'b', ['a.example.com']), httpOnly('GRPCRoute', 'c', ['*.example.com']), httpOnly('HTTPRoute', 'd', [])]), {
      toolVersion: 't',
      gatewayClassControllers: {},
    });
    expect(listenersOf(r)).toEqual([['http', undefined, 80]]);
    expect(sections(r, 'GRPCRoute', 'b')).toEqual(['http']);
    expect(r.findings.map((f) => [f.ruleId, /^(\S+ \S+)/.exec(f.message)?.[1]])).toEqual([
      ['core/grpc-http-route-conflict', 'GRPCRoute apps/b'],
      ['core/grpc-http-route-conflict', 'GRPCRoute apps/c'],
    ]);
  });

  it('adds no listener when no HTTPRoute meets the gRPC host', () => {
    const r = emitGatewayApi(nginx([httpOnly('HTTPRoute', 'site', ['www.example.com']), httpOnly('GRPCRoute', 'rpc', ['rpc.example.com'])]), { toolVersion: 't', gatewayClassControllers: {} });
    expect(listenersOf(r)).toEqual([['http', undefined, 80]]);
    expect(r.findings).toEqual([]);
  });
});
