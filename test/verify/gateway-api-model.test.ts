/**
 * The Gateway API model against Gateway API v1.6.1 as the CRD descriptions state it: listener
 * selection, attachment, precedence, filters, weights, ReferenceGrants, GRPCRoute, TLSRoute and
 * GAMMA. Objects are written here by hand, never taken from the emitter.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../src/inputs/document.js';
import { GatewayApiModel } from '../../src/verify/gateway-api/model.js';
import type { Outcome, Probe } from '../../src/verify/types.js';

const objs = (yaml: string): KubeObject[] => parseAllDocuments(yaml).map((d) => d.toJS() as KubeObject);

const GW = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
    - name: https-a
      hostname: a.example.com
      port: 443
      protocol: HTTPS
      tls: {certificateRefs: [{name: a-tls}]}
      allowedRoutes: {namespaces: {from: All}}
    - name: https-wild
      hostname: "*.example.com"
      port: 443
      protocol: HTTPS
      tls: {certificateRefs: [{name: wild-tls, namespace: certs}]}
      allowedRoutes: {namespaces: {from: All}}
`;

const route = (name: string, spec: string, ns = 'app', extra = '') => `
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${ns}${extra}}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
${spec}`;

function probe(p: Partial<Probe> & { path: string }): Probe {
  return { entry: 'x', scheme: 'http', host: 'a.example.com', method: 'GET', headers: {}, reason: 'test', ...p };
}

function at(model: GatewayApiModel, p: Partial<Probe> & { path: string }): Outcome {
  return model.evaluate('infra/gw', probe(p));
}

function backendOf(o: Outcome): string {
  if (o.kind !== 'forward') return `${o.kind}${o.kind === 'respond' || o.kind === 'redirect' ? ` ${o.status}` : ''}`;
  return o.backends.map((b) => `${b.service}:${b.port}`).join(',');
}

describe('Gateway API model: rule precedence (HTTPRouteRule.matches)', () => {
  const model = new GatewayApiModel(
    objs(
      GW +
        route(
          'r',
          `  hostnames: [a.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /}}]
      backendRefs: [{name: root, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /api}}]
      backendRefs: [{name: api, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /api/v1}}]
      backendRefs: [{name: v1, port: 80}]
    - matches: [{path: {type: Exact, value: /api}}]
      backendRefs: [{name: exact, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
      backendRefs: [{name: post, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: X-Env, value: dev}]}]
      backendRefs: [{name: header, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: X-Env, value: dev}, {name: X-B, value: "1"}]}]
      backendRefs: [{name: headers2, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /api}, queryParams: [{name: q, value: "1"}]}]
      backendRefs: [{name: query, port: 80}]
    - matches: [{path: {type: RegularExpression, value: "/api/v[0-9]+/items"}}]
      backendRefs: [{name: regex, port: 80}]
`,
        ),
    ),
  );
  it.each([
    ['/api', {}, undefined, 'GET', 'app/exact:80'],
    ['/api/', {}, undefined, 'GET', 'app/api:80'],
    ['/api/x', {}, undefined, 'GET', 'app/api:80'],
    ['/apix', {}, undefined, 'GET', 'app/root:80'],
    ['/API/x', {}, undefined, 'GET', 'app/root:80'],
    ['/api/v1/x', {}, undefined, 'GET', 'app/v1:80'],
    ['/api/x', {}, undefined, 'POST', 'app/post:80'],
    ['/api/x', { 'x-env': 'dev' }, undefined, 'POST', 'app/post:80'],
    ['/api/x', { 'x-env': 'dev' }, undefined, 'GET', 'app/header:80'],
    ['/api/x', { 'x-env': 'dev', 'x-b': '1' }, undefined, 'GET', 'app/headers2:80'],
    ['/api/x', { 'x-env': 'dev' }, 'q=1', 'GET', 'app/header:80'],
    ['/api/x', {}, 'q=1', 'GET', 'app/query:80'],
    ['/api/v2/items', {}, undefined, 'GET', 'app/regex:80'],
  ])('%s %j ?%s %s -> %s', (path, headers, query, method, want) => {
    expect(backendOf(at(model, { path, headers, method, ...(query ? { query } : {}) }))).toBe(want);
  });

  it('ranks RegularExpression paths as Istio does when asked (after PathPrefix)', () => {
    const istio = new GatewayApiModel(
      objs(GW + route('r', `  rules:\n    - matches: [{path: {type: PathPrefix, value: /api}}]\n      backendRefs: [{name: api, port: 80}]\n    - matches: [{path: {type: RegularExpression, value: "/api/v[0-9]+"}}]\n      backendRefs: [{name: regex, port: 80}]\n`)),
      { regexPrecedence: 'istio' },
    );
    const eg = new GatewayApiModel(objs(GW + route('r', `  rules:\n    - matches: [{path: {type: PathPrefix, value: /api}}]\n      backendRefs: [{name: api, port: 80}]\n    - matches: [{path: {type: RegularExpression, value: "/api/v[0-9]+"}}]\n      backendRefs: [{name: regex, port: 80}]\n`)));
    expect(backendOf(istio.evaluate('infra/gw', probe({ path: '/api/v2' })))).toBe('app/api:80');
    expect(backendOf(eg.evaluate('infra/gw', probe({ path: '/api/v2' })))).toBe('app/regex:80');
    // RE2 semantics: the whole path must match.
    expect(backendOf(eg.evaluate('infra/gw', probe({ path: '/api/v2/x' })))).toBe('app/api:80');
  });

  it('breaks ties by creation time, then namespace/name, then rule order', () => {
    const rule = (svc: string) => `  rules:\n    - matches: [{path: {type: PathPrefix, value: /}}]\n      backendRefs: [{name: ${svc}, port: 80}]\n    - matches: [{path: {type: PathPrefix, value: /}}]\n      backendRefs: [{name: ${svc}-second, port: 80}]\n`;
    const byName = new GatewayApiModel(objs(GW + route('b', rule('b')) + route('a', rule('a'))));
    expect(backendOf(byName.evaluate('infra/gw', probe({ path: '/' })))).toBe('app/a:80');
    const byAge = new GatewayApiModel(objs(GW + route('b', rule('b'), 'app', ', creationTimestamp: "2020-01-01T00:00:00Z"') + route('a', rule('a'), 'app', ', creationTimestamp: "2021-01-01T00:00:00Z"')));
    expect(backendOf(byAge.evaluate('infra/gw', probe({ path: '/' })))).toBe('app/b:80');
  });
});

describe('Gateway API model: hostnames and listeners', () => {
  const model = new GatewayApiModel(
    objs(
      GW +
        route('exact', `  hostnames: [a.example.com]\n  rules:\n    - matches: [{path: {type: PathPrefix, value: /a}}]\n      backendRefs: [{name: exact, port: 80}]\n`) +
        route('wild', `  hostnames: ["*.example.com"]\n  rules:\n    - matches: [{path: {type: PathPrefix, value: /}}]\n      backendRefs: [{name: wild, port: 80}]\n`) +
        route('any', `  rules:\n    - matches: [{path: {type: PathPrefix, value: /any}}]\n      backendRefs: [{name: any, port: 80}]\n`) +
        `---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: g, namespace: certs}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
  to: [{group: "", kind: Secret}]
`,
    ),
  );
  it('gives precedence to the route with the more specific matching hostname, then to matches', () => {
    expect(backendOf(at(model, { path: '/a/x' }))).toBe('app/exact:80');
    // The exact-hostname route has no match: the wildcard route's rules still apply.
    expect(backendOf(at(model, { path: '/any' }))).toBe('app/wild:80');
    expect(backendOf(at(model, { path: '/any', host: 'other.test' }))).toBe('app/any:80');
    expect(backendOf(at(model, { path: '/x', host: 'b.c.example.com' }))).toBe('app/wild:80');
    expect(backendOf(at(model, { path: '/x', host: 'example.com' }))).toBe('respond 404');
  });
  it('picks the HTTPS listener by SNI, most specific first, and routes attached to another listener do not serve it', () => {
    expect(at(model, { scheme: 'https', path: '/a' }).kind).toBe('respond'); // routes are on the http listener only
    expect(at(model, { scheme: 'https', path: '/a', host: 'other.test' }).kind).toBe('tls-failure');
  });
  it('refuses a listener whose certificate in another namespace no ReferenceGrant allows', () => {
    const without = new GatewayApiModel(objs(GW));
    const l = without.objects.listeners.find((x) => x.name === 'https-wild')!;
    expect(l.invalid).toMatch(/RefNotPermitted/);
    expect(without.evaluate('infra/gw', probe({ scheme: 'https', host: 'b.example.com', path: '/' })).kind).toBe('tls-failure');
    expect(model.objects.listeners.find((x) => x.name === 'https-wild')!.invalid).toBeUndefined();
  });
  it('needs a ReferenceGrant from the ListenerSet itself for its listeners (grants to the Gateway are not inherited)', () => {
    const ls = `---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: more, namespace: infra}
spec:
  parentRef: {name: gw}
  listeners:
    - {name: https-c, hostname: c.test, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: c-tls, namespace: certs}]}}
`;
    const grantGw = `---
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: g, namespace: certs}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
  to: [{group: "", kind: Secret}]
`;
    const allowed = GW.replace('gatewayClassName: eg', 'gatewayClassName: eg\n  allowedListeners: {namespaces: {from: Same}}');
    const a = new GatewayApiModel(objs(allowed + ls + grantGw));
    expect(a.objects.listeners.find((x) => x.name === 'https-c')!.invalid).toMatch(/RefNotPermitted/);
    const b = new GatewayApiModel(objs(allowed + ls + grantGw.replace('kind: Gateway, namespace', 'kind: ListenerSet, namespace')));
    expect(b.objects.listeners.find((x) => x.name === 'https-c')!.invalid).toBeUndefined();
    // Without allowedListeners the ListenerSet is not attached at all.
    const c = new GatewayApiModel(objs(GW + ls));
    expect(c.objects.listeners.some((x) => x.name === 'https-c')).toBe(false);
  });
  it('attaches only where sectionName, allowedRoutes and hostnames allow', () => {
    const same = GW.replace(/from: All/g, 'from: Same');
    const m = new GatewayApiModel(objs(same + route('r', `  rules:\n    - backendRefs: [{name: s, port: 80}]\n`)));
    expect(m.objects.attachments).toHaveLength(0);
    expect(m.objects.rejected[0]!.reason).toMatch(/no listener/);
    const sel = GW.replace('{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}', '{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [app]}]}}}}');
    expect(new GatewayApiModel(objs(sel + route('r', `  rules:\n    - backendRefs: [{name: s, port: 80}]\n`))).objects.attachments).toHaveLength(1);
    expect(new GatewayApiModel(objs(sel + route('r', `  rules:\n    - backendRefs: [{name: s, port: 80}]\n`, 'other'))).objects.attachments).toHaveLength(0);
    const wrongSection = route('r', `  rules:\n    - backendRefs: [{name: s, port: 80}]\n`).replace('sectionName: http', 'sectionName: nope');
    expect(new GatewayApiModel(objs(GW + wrongSection)).objects.attachments).toHaveLength(0);
  });
});

describe('Gateway API model: filters and backends', () => {
  const model = new GatewayApiModel(
    objs(
      GW +
        route(
          'r',
          `  rules:
    - matches: [{path: {type: PathPrefix, value: /old}}]
      filters: [{type: RequestRedirect, requestRedirect: {scheme: https, hostname: new.example.com, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}, statusCode: 301}}]
    - matches: [{path: {type: PathPrefix, value: /tmp}}]
      filters: [{type: RequestRedirect, requestRedirect: {port: 8080}}]
    - matches: [{path: {type: PathPrefix, value: /api}}]
      filters:
        - {type: URLRewrite, urlRewrite: {hostname: internal, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
        - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-A, value: "1"}], add: [{name: X-B, value: "2"}], remove: [X-C]}}
        - {type: ResponseHeaderModifier, responseHeaderModifier: {set: [{name: X-R, value: r}]}}
        - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 8080}}}
      backendRefs: [{name: api, port: 80, weight: 3}, {name: api2, port: 80, weight: 1}, {name: off, port: 80, weight: 0}]
    - matches: [{path: {type: PathPrefix, value: /full}}]
      filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /f}}}]
      backendRefs: [{name: full, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /x}}]
      backendRefs: [{name: other, namespace: elsewhere, port: 80}]
    - matches: [{path: {type: PathPrefix, value: /none}}]
`,
        ),
    ),
  );
  it('redirects with scheme, host, port, path and status, keeping the query', () => {
    expect(at(model, { path: '/old/a', query: 'q=1' })).toMatchObject({ kind: 'redirect', status: 301, location: 'https://new.example.com/new/a?q=1' });
    expect(at(model, { path: '/tmp/a' })).toMatchObject({ kind: 'redirect', status: 302, location: 'http://a.example.com:8080/tmp/a' });
  });
  it('rewrites host and path (prefix and full), edits headers, mirrors and weighs backends', () => {
    const o = at(model, { path: '/api/v1', query: 'a=b', headers: { 'x-b': '0' } });
    expect(o).toMatchObject({
      kind: 'forward',
      host: 'internal',
      path: '/v1?a=b',
      requestHeaders: { 'x-a': '1', 'x-b': '0,2', 'x-c': null },
      responseHeaders: { 'x-r': 'r' },
      mirrors: ['app/shadow:8080'],
      backends: [
        { service: 'app/api2', port: 80, weight: 0.25 },
        { service: 'app/api', port: 80, weight: 0.75 },
      ],
    });
    expect(at(model, { path: '/api' })).toMatchObject({ path: '/' });
    expect(at(model, { path: '/full/deep' })).toMatchObject({ kind: 'forward', path: '/f' });
  });
  it('answers 500 for a cross-namespace backend without ReferenceGrant and for a rule without backends', () => {
    expect(at(model, { path: '/x' })).toMatchObject({ kind: 'respond', status: 500 });
    expect(at(model, { path: '/none' })).toMatchObject({ kind: 'respond', status: 500 });
  });
});

describe('Gateway API model: GRPCRoute, TLSRoute, GAMMA', () => {
  it('matches gRPC service and method, and accepts only the older of an HTTPRoute and a GRPCRoute sharing a hostname', () => {
    const grpc = `---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g, namespace: app, creationTimestamp: "2020-01-01T00:00:00Z"}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [a.example.com]
  rules:
    - backendRefs: [{name: any, port: 50051}]
    - matches: [{method: {service: pkg.Svc}}]
      backendRefs: [{name: svc, port: 50051}]
    - matches: [{method: {service: pkg.Svc, method: Get}}]
      backendRefs: [{name: get, port: 50051}]
`;
    const m = new GatewayApiModel(objs(GW + grpc + route('h', `  hostnames: [a.example.com]\n  rules:\n    - backendRefs: [{name: http, port: 80}]\n`, 'app', ', creationTimestamp: "2021-01-01T00:00:00Z"')));
    const call = (path: string) => backendOf(m.evaluate('infra/gw', probe({ path, method: 'POST', grpc: true, headers: { 'content-type': 'application/grpc' } })));
    expect(call('/pkg.Svc/Get')).toBe('app/get:50051');
    expect(call('/pkg.Svc/List')).toBe('app/svc:50051');
    expect(call('/other.Svc/List')).toBe('app/any:50051');
    expect(m.objects.rejected.map((r) => r.route.name)).toEqual(['h']);
  });
  it('still counts a route refused for an HTTPRoute/GRPCRoute conflict when telling which Gateway DNS sends a host to', () => {
    // Gateway infra/gw: a GRPCRoute for a.example.com (older) and an HTTPRoute without
    // hostnames on the same listener; the HTTPRoute intersects every hostname, so it is not
    // accepted (GRPCRoute spec.hostnames). Its parentRef still names the Gateway: requests for
    // hosts no route names arrive there, and get 404.
    const grpc = `---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g, namespace: app, creationTimestamp: "2020-01-01T00:00:00Z"}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  hostnames: [a.example.com]
  rules: [{backendRefs: [{name: any, port: 50051}]}]
`;
    const other = `---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other, namespace: infra}
spec:
  gatewayClassName: eg
  listeners: [{name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: named, namespace: app}
spec:
  parentRefs: [{name: other, namespace: infra}]
  hostnames: [b.example.com]
  rules: [{backendRefs: [{name: b, port: 80}]}]
`;
    const m = new GatewayApiModel(objs(GW + grpc + route('catch-all', `  rules:\n    - backendRefs: [{name: web, port: 80}]\n`, 'app', ', creationTimestamp: "2021-01-01T00:00:00Z"') + other));
    expect(m.objects.rejected.map((r) => r.route.name)).toEqual(['catch-all']);
    expect(m.hasCatchAll('infra/gw')).toBe(true);
    expect(m.hasCatchAll('infra/other')).toBe(false);
    expect(m.gatewaysServing('a.example.com')).toEqual(['infra/gw']);
    expect(m.gatewaysServing('b.example.com')).toEqual(['infra/other']);
    const lost = m.evaluate('infra/gw', probe({ host: 'unnamed.example.net', path: '/' }));
    expect(backendOf(lost)).toBe('respond 404');
    expect(lost.involved.some((i) => i.role === 'rejected-route' && i.object.name === 'catch-all')).toBe(true);
  });
  it('passes TLS through by SNI with TLSRoutes', () => {
    const m = new GatewayApiModel(
      objs(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - {name: tls, hostname: vault.test, port: 443, protocol: TLS, tls: {mode: Passthrough}, allowedRoutes: {namespaces: {from: All}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: t, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: [vault.test]
  rules: [{backendRefs: [{name: vault, port: 8200}]}]
`),
    );
    expect(m.evaluate('infra/gw', probe({ scheme: 'https', host: 'vault.test', path: '/' }))).toMatchObject({ kind: 'passthrough', backends: [{ service: 'app/vault', port: 8200, weight: 1 }] });
    expect(m.evaluate('infra/gw', probe({ scheme: 'https', host: 'other.test', path: '/' })).kind).toBe('tls-failure');
  });
  it('forwards TCP connections with the oldest TCPRoute of the port, on a Gateway and on a Service', () => {
    const m = new GatewayApiModel(
      objs(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - {name: db, port: 5432, protocol: TCP, allowedRoutes: {namespaces: {from: All}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: db, namespace: app, creationTimestamp: "2026-01-01T00:00:00Z"}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: db}]
  rules: [{backendRefs: [{name: pg, port: 5432, weight: 3}, {name: pg-new, port: 5432, weight: 1}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: later, namespace: app, creationTimestamp: "2026-02-01T00:00:00Z"}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: db}]
  rules: [{backendRefs: [{name: other, port: 5432}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: mesh, namespace: app}
spec:
  parentRefs: [{group: "", kind: Service, name: mysql, port: 3306}]
  rules: [{backendRefs: [{name: mysql-primary, port: 3306}]}]
`),
    );
    expect(m.evaluate('infra/gw', probe({ scheme: 'tcp', host: 'db', path: '/', port: 5432 }))).toMatchObject({ kind: 'passthrough', backends: [{ service: 'app/pg-new', weight: 0.25 }, { service: 'app/pg', weight: 0.75 }] });
    expect(m.evaluate('infra/gw', probe({ scheme: 'tcp', host: 'db', path: '/', port: 6000 }))).toMatchObject({ kind: 'respond', status: 0 });
    expect(m.evaluateMesh('app/mysql', 3306, probe({ scheme: 'tcp', host: 'mysql', path: '/' }))).toMatchObject({ kind: 'passthrough', backends: [{ service: 'app/mysql-primary', port: 3306 }] });
    expect(m.evaluateMesh('app/redis', 6379, probe({ scheme: 'tcp', host: 'redis', path: '/' }))).toMatchObject({ kind: 'passthrough', backends: [{ service: 'app/redis', port: 6379 }] });
  });
  it('routes requests to a Service through the routes attached to it (GAMMA), else to the Service itself', () => {
    const m = new GatewayApiModel(
      objs(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: split, namespace: app}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
  rules:
    - matches: [{headers: [{name: user, value: jason}]}]
      backendRefs: [{name: reviews-v2, port: 9080}]
    - backendRefs: [{name: reviews-v1, port: 9080, weight: 90}, {name: reviews-v3, port: 9080, weight: 10}]
`),
    );
    expect(backendOf(m.evaluateMesh('app/reviews', 9080, probe({ host: 'reviews', path: '/', headers: { user: 'jason' } })))).toBe('app/reviews-v2:9080');
    expect(m.evaluateMesh('app/reviews', 9080, probe({ host: 'reviews', path: '/' }))).toMatchObject({ backends: [{ weight: 0.9 }, { weight: 0.1 }] });
    expect(backendOf(m.evaluateMesh('app/ratings', 9080, probe({ host: 'ratings', path: '/' })))).toBe('app/ratings:9080');
  });
});
