/**
 * The Istio source model against what istiod and Envoy do (istio/istio at 86c9f01fd:
 * pilot/pkg/networking/core/gateway.go, route/route.go, httproute.go; see the model's modules):
 * gateway servers and virtual hosts, first match wins, Istio's string prefix, matches, actions,
 * weights and subsets, TLS passthrough, and mesh routing on the Service.
 */
import type { KubeObject } from '../../src/inputs/document.js';
import { parseSource } from '../../src/inputs/parse.js';
import { istioModel } from '../../src/verify/sources/istio/index.js';
import type { SourceInput, SourceInstance } from '../../src/verify/sources/types.js';
import type { Outcome, Probe } from '../../src/verify/types.js';

function instances(yaml: string): SourceInstance[] {
  const docs = parseSource(yaml, 'in.yaml').documents;
  const services = new Map<string, KubeObject>();
  for (const d of docs) if (d.object.kind === 'Service') services.set(`${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name}`, d.object);
  const input: SourceInput = { documents: docs, services, configMaps: new Map(), ingressClasses: new Map() };
  return istioModel.build(input);
}

const gw = (servers: string, name = 'edge', ns = 'web') => `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {istio: ingressgateway}
  servers:
${servers}
`;
const HTTP80 = '    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: ["*"]';

const vs = (name: string, spec: string, ns = 'web') => `---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}
`;

const req = (path: string, p: Partial<Probe> = {}): Probe => ({ entry: 'e', scheme: 'http', host: 'a.test', path, method: 'GET', headers: {}, reason: 't', ...p });

function short(o: Outcome): string {
  if (o.kind === 'forward') return o.backends.map((b) => `${b.service}:${b.port}${o.backends.length > 1 ? `@${Math.round(b.weight * 100)}` : ''}`).join(',');
  if (o.kind === 'redirect') return `${o.status} ${o.location}`;
  if (o.kind === 'respond') return String(o.status);
  if (o.kind === 'passthrough') return `tls ${o.backends.map((b) => `${b.service}:${b.port}`).join(',')}`;
  return o.kind;
}

function gatewayOf(yaml: string): SourceInstance {
  const g = instances(yaml).find((i) => i.entry.startsWith('gateway'));
  if (!g) throw new Error('no gateway instance');
  return g;
}

describe('Istio model: http routes, first match wins', () => {
  const g = gatewayOf(
    gw(HTTP80) +
      vs(
        'shop',
        `  hosts: [a.test]
  gateways: [edge]
  http:
    - match: [{headers: {x-canary: {exact: "1"}}}]
      route: [{destination: {host: canary, port: {number: 80}}}]
    - match: [{uri: {prefix: /api}}]
      route: [{destination: {host: api, port: {number: 80}}}]
    - match: [{uri: {prefix: /api/v2/}}]
      route: [{destination: {host: v2, port: {number: 80}}}]
    - match: [{uri: {exact: /login}, method: {exact: POST}}]
      route: [{destination: {host: login, port: {number: 80}}}]
    - match: [{uri: {regex: "/items/[0-9]+"}}]
      route: [{destination: {host: items, port: {number: 80}}}]
    - match: [{uri: {prefix: /q}, queryParams: {debug: {exact: "true"}}}]
      route: [{destination: {host: debug, port: {number: 80}}}]
    - match: [{uri: {prefix: /w}, withoutHeaders: {x-internal: {exact: "yes"}}}]
      route: [{destination: {host: public, port: {number: 80}}}]
    - match: [{uri: {prefix: /cases}, ignoreUriCase: true}]
      route: [{destination: {host: cases, port: {number: 80}}}]`,
      ),
  );

  it('takes the first route that matches, not the most specific', () => {
    expect(short(g.evaluate(req('/api/v2/x', { headers: { 'x-canary': '1' } })))).toBe('web/canary:80');
    expect(short(g.evaluate(req('/api/v2/x')))).toBe('web/api:80');
  });
  it('matches a prefix as a plain string prefix', () => {
    expect(short(g.evaluate(req('/apix')))).toBe('web/api:80');
    expect(short(g.evaluate(req('/ap')))).toBe('404');
  });
  it('matches exact paths with the method, regexes on the whole path (RE2)', () => {
    expect(short(g.evaluate(req('/login', { method: 'POST' })))).toBe('web/login:80');
    expect(short(g.evaluate(req('/login')))).toBe('404');
    expect(short(g.evaluate(req('/items/12')))).toBe('web/items:80');
    expect(short(g.evaluate(req('/items/12/x')))).toBe('404');
  });
  it('matches query parameters, withoutHeaders and ignoreUriCase', () => {
    expect(short(g.evaluate(req('/q', { query: 'debug=true' })))).toBe('web/debug:80');
    expect(short(g.evaluate(req('/q', { query: 'debug=false' })))).toBe('404');
    expect(short(g.evaluate(req('/w')))).toBe('web/public:80');
    expect(short(g.evaluate(req('/w', { headers: { 'x-internal': 'yes' } })))).toBe('404');
    expect(short(g.evaluate(req('/w', { headers: { 'x-internal': 'no' } })))).toBe('web/public:80');
    expect(short(g.evaluate(req('/CASES/x')))).toBe('web/cases:80');
  });
  it('answers 404 for an unknown host and an unmatched path', () => {
    expect(short(g.evaluate(req('/api', { host: 'other.test' })))).toBe('404');
    expect(short(g.evaluate(req('/nothing')))).toBe('404');
  });
  it('lists the later routes that also matched (what first match wins decided)', () => {
    const o = g.evaluate(req('/api/v2/x'));
    expect(o.involved.filter((i) => i.role === 'also-matches').map((i) => i.path)).toEqual([['spec', 'http', 2]]);
  });
});

describe('Istio model: gateways and hosts', () => {
  const yaml =
    gw(`    - port: {number: 80, name: http, protocol: HTTP}
      hosts: ["shop/*.shop.test", "./b.test"]
      tls: {httpsRedirect: true}
    - port: {number: 443, name: https, protocol: HTTPS}
      hosts: ["shop/*.shop.test"]
      tls: {mode: SIMPLE, credentialName: shop-cert}
    - port: {number: 8443, name: tls, protocol: TLS}
      hosts: ["*"]
      tls: {mode: PASSTHROUGH}
    - port: {number: 8080, name: alt, protocol: HTTP}
      hosts: ["*"]`) +
    vs(
      'shop',
      `  hosts: ["*.shop.test"]
  gateways: [web/edge]
  http:
    - route: [{destination: {host: web, port: {number: 80}}}]`,
      'shop',
    ) +
    vs(
      'other',
      `  hosts: [b.test]
  gateways: [web/edge]
  http:
    - route: [{destination: {host: b, port: {number: 80}}}]`,
      'other',
    ) +
    vs(
      'db',
      `  hosts: [db.test]
  gateways: [edge]
  tls:
    - match: [{port: 8443, sniHosts: [db.test]}]
      route: [{destination: {host: db.data.svc.cluster.local, port: {number: 5432}}}]`,
    );
  const g = gatewayOf(yaml);

  it('redirects plain HTTP with httpsRedirect (301) and serves HTTPS by SNI', () => {
    expect(short(g.evaluate(req('/x', { host: 'a.shop.test', query: 'q=1' })))).toBe('301 https://a.shop.test/x?q=1');
    expect(short(g.evaluate(req('/x', { host: 'a.b.shop.test', scheme: 'https' })))).toBe('shop/web:80');
    expect(short(g.evaluate(req('/x', { host: 'nope.test', scheme: 'https' })))).toBe('tls-failure');
  });
  it('binds a VirtualService only from a namespace the server hosts admit', () => {
    // `./b.test` admits the Gateway's namespace (web) only: other/other is not bound.
    expect(short(g.evaluate(req('/', { host: 'b.test' })))).toBe('404');
  });
  it('serves other ports, and passes TLS through by SNI', () => {
    expect(short(g.evaluate(req('/', { host: 'b.test', port: 8080 })))).toBe('other/b:80');
    expect(short(g.evaluate(req('/', { host: 'db.test', scheme: 'https', port: 8443 })))).toBe('tls data/db:5432');
    expect(short(g.evaluate(req('/', { host: 'x.test', scheme: 'https', port: 8443 })))).toBe('tls-failure');
  });
  it('forwards TCP connections by the first tcp route of a bound VirtualService for the port', () => {
    const t = gatewayOf(
      gw(`    - port: {number: 27017, name: mongo, protocol: MONGO}
      hosts: ["*"]
    - port: {number: 6000, name: tcp, protocol: TCP}
      hosts: ["*"]`) +
        vs(
          'mongo',
          `  hosts: [mongo.test]
  gateways: [edge]
  tcp:
    - match: [{port: 27017}]
      route: [{destination: {host: mongo, port: {number: 27017}}, weight: 80}, {destination: {host: mongo-2, port: {number: 27017}}, weight: 20}]`,
        ),
    );
    expect(short(t.evaluate(req('/', { scheme: 'tcp', port: 27017 })))).toBe('tls web/mongo-2:27017,web/mongo:27017');
    expect(short(t.evaluate(req('/', { scheme: 'tcp', port: 6000 })))).toBe('0');
    expect(t.probes().filter((p) => p.scheme === 'tcp').map((p) => p.port)).toEqual([27017, 6000]);
  });
  it('probes every host, an unknown host and every server port', () => {
    const probes = g.probes();
    const hosts = new Set(probes.map((p) => `${p.scheme}://${p.host}${p.port ? `:${p.port}` : ''}`));
    for (const h of ['http://gs-probe.shop.test', 'http://a.gs-probe.shop.test', 'https://gs-probe.shop.test', 'http://gs-unknown.example', 'https://db.test:8443', 'http://b.test:8080']) expect(hosts).toContain(h);
  });
});

describe('Istio model: actions', () => {
  const g = gatewayOf(
    gw(HTTP80) +
      `---
apiVersion: v1
kind: Service
metadata: {name: multi, namespace: web}
spec: {ports: [{port: 80}, {port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: single, namespace: web}
spec: {ports: [{port: 7070}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: svc, namespace: web}
spec:
  host: svc
  subsets: [{name: v1, labels: {version: v1}}]
` +
      vs(
        'act',
        `  hosts: [a.test]
  gateways: [edge]
  http:
    - match: [{uri: {prefix: /old/}}]
      redirect: {uri: /new, authority: b.test}
    - match: [{uri: {prefix: /moved/}}]
      redirect: {prefixRewrite: /here/, scheme: https, redirectCode: 308}
    - match: [{uri: {exact: /p}}]
      redirect: {port: 8443, scheme: https}
    - match: [{uri: {prefix: /api}}]
      rewrite: {uri: /v2, authority: internal.test}
      route: [{destination: {host: api, port: {number: 80}}}]
    - match: [{uri: {exact: /e}}]
      rewrite: {uri: /exact}
      route: [{destination: {host: single}}]
    - match: [{uri: {prefix: /split}}]
      route:
        - {destination: {host: svc, subset: v1, port: {number: 80}}, weight: 75}
        - {destination: {host: other, port: {number: 80}}, weight: 25}
        - {destination: {host: zero, port: {number: 80}}, weight: 0}
    - match: [{uri: {prefix: /one}}]
      route: [{destination: {host: svc, port: {number: 80}}, weight: 10}]
    - match: [{uri: {prefix: /nosubset}}]
      route: [{destination: {host: svc, subset: v9, port: {number: 80}}}]
    - match: [{uri: {prefix: /dotted}}]
      route: [{destination: {host: api.web, port: {number: 80}}}]
    - match: [{uri: {prefix: /multi}}]
      route: [{destination: {host: multi}}]
    - match: [{uri: {prefix: /health}}]
      directResponse: {status: 204}
    - match: [{uri: {prefix: /abort}}]
      fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
      route: [{destination: {host: api, port: {number: 80}}}]
    - match: [{uri: {prefix: /deleg}}]
      delegate: {name: other, namespace: web}
    - route:
        - destination: {host: web, port: {number: 80}}
          headers: {request: {set: {x-dest: d}}}
      headers:
        request: {add: {x-add: a}, remove: [x-drop]}
        response: {set: {x-resp: r}}
      mirror: {host: shadow, port: {number: 80}}`,
      ),
  );

  it('redirects with Envoy semantics: 301 by default, the query kept, prefixRewrite, ports', () => {
    expect(short(g.evaluate(req('/old/x', { query: 'a=1' })))).toBe('301 http://b.test/new?a=1');
    expect(short(g.evaluate(req('/moved/x')))).toBe('308 https://a.test/here/x');
    expect(short(g.evaluate(req('/p')))).toBe('301 https://a.test:8443/p');
  });
  it('rewrites the matched prefix character by character, the whole path for an exact match', () => {
    const o = g.evaluate(req('/apix/y'));
    expect(o).toMatchObject({ kind: 'forward', path: '/v2x/y', host: 'internal.test' });
    expect(g.evaluate(req('/e', { query: 'q=1' }))).toMatchObject({ kind: 'forward', path: '/exact?q=1' });
  });
  it('uses the single port of a Service for a destination without one, else the request port', () => {
    expect(short(g.evaluate(req('/e')))).toBe('web/single:7070');
    expect(short(g.evaluate(req('/multi')))).toBe('web/multi:80');
  });
  it('splits by weight (0 left out), a single destination takes everything, subsets are kept apart', () => {
    expect(short(g.evaluate(req('/split')))).toBe('web/other:80@25,web/svc~v1:80@75');
    expect(short(g.evaluate(req('/one')))).toBe('web/svc:80');
  });
  it('answers 503 for a subset no DestinationRule defines and a dotted name that is no Service', () => {
    expect(short(g.evaluate(req('/nosubset')))).toBe('503');
    expect(short(g.evaluate(req('/dotted')))).toBe('503');
  });
  it('answers directResponse and a full abort itself; a delegate is not simulated', () => {
    expect(short(g.evaluate(req('/health')))).toBe('204');
    expect(short(g.evaluate(req('/abort')))).toBe('503');
    expect(g.evaluate(req('/deleg')).kind).toBe('unknown');
  });
  it('edits headers at route and destination level, and mirrors', () => {
    expect(g.evaluate(req('/x', { headers: { 'x-add': 'in' } }))).toMatchObject({
      kind: 'forward',
      requestHeaders: { 'x-add': 'in,a', 'x-drop': null, 'x-dest': 'd' },
      responseHeaders: { 'x-resp': 'r' },
      mirrors: ['web/shadow:80'],
    });
  });
});

describe('Istio model: merged VirtualServices on a gateway', () => {
  it('concatenates them in creation order, catch-all routes last', () => {
    const g = gatewayOf(
      gw(HTTP80) +
        vs(
          'a-first',
          `  hosts: [a.test]
  gateways: [edge]
  http:
    - route: [{destination: {host: web, port: {number: 80}}}]`,
        ) +
        vs(
          'b-second',
          `  hosts: [a.test]
  gateways: [edge]
  http:
    - match: [{uri: {prefix: /api}}]
      route: [{destination: {host: api, port: {number: 80}}}]`,
        ),
    );
    expect(short(g.evaluate(req('/api/x')))).toBe('web/api:80');
    expect(short(g.evaluate(req('/x')))).toBe('web/web:80');
  });
});

describe('Istio model: mesh', () => {
  const all = instances(
    `---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: app}
spec: {ports: [{port: 9080}, {port: 9090}]}
` +
      gw(HTTP80, 'edge', 'app') +
      vs(
        'reviews',
        `  hosts: [reviews]
  gateways: [mesh, edge]
  http:
    - match: [{uri: {prefix: /v2}, port: 9080, gateways: [mesh]}]
      route: [{destination: {host: reviews-v2, port: {number: 9080}}}]
    - match: [{headers: {end-user: {exact: jason}}}]
      route: [{destination: {host: reviews-jason, port: {number: 9080}}}]`,
        'app',
      ) +
      vs(
        'reviews-late',
        `  hosts: [reviews.app.svc.cluster.local]
  http:
    - route: [{destination: {host: ignored, port: {number: 9080}}}]`,
        'app',
      ),
  );
  const mesh = all.find((i) => i.entry === 'mesh')!;
  const m = (path: string, port: number, headers: Record<string, string> = {}) => req(path, { host: 'reviews.app.svc.cluster.local', headers, mesh: { service: 'app/reviews', port } });

  it('follows the first VirtualService for the Service (a later one is a duplicate domain)', () => {
    expect(short(mesh.evaluate(m('/v2/x', 9080)))).toBe('app/reviews-v2:9080');
    expect(short(mesh.evaluate(m('/x', 9080, { 'end-user': 'jason' })))).toBe('app/reviews-jason:9080');
  });
  it('answers 404 when no route matches, and keeps mesh-only matches off the gateway', () => {
    expect(short(mesh.evaluate(m('/x', 9080)))).toBe('404');
    const g = all.find((i) => i.entry.startsWith('gateway'))!;
    expect(short(g.evaluate(req('/v2/x', { host: 'reviews.app.svc.cluster.local' })))).toBe('404');
  });
  it('limits matches to their port; other ports follow the remaining routes', () => {
    expect(short(mesh.evaluate(m('/v2/x', 9090)))).toBe('404');
    expect(short(mesh.evaluate(m('/v2/x', 9090, { 'end-user': 'jason' })))).toBe('app/reviews-jason:9080');
  });
  it('probes each port of the Service', () => {
    const ports = new Set(mesh.probes().map((p) => p.mesh?.port));
    expect([...ports].sort()).toEqual([9080, 9090]);
  });
});
