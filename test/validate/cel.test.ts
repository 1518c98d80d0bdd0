import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isIP, isIPv4, isIPv6, parseDuration } from '../../src/validate/cel.js';
import type { Channel } from '../../src/validate/validator.js';
import { backend, clone, gateway, grpcRoute, httpListener, httpRoute, httpsListener, listenerSet, obj, routeWithParents, validator } from './fixtures.js';

interface Case {
  /** The CRD kind whose rule this exercises (for the coverage check against cel-rules.txt). */
  kind: string;
  message: string;
  path: string;
  channel?: Channel;
  pass: Record<string, unknown>;
  fail: Record<string, unknown>;
  /** The failing object also breaks a schema rule (the CEL rule duplicates or extends one). */
  schemaAlsoFails?: boolean;
}

const cases: Case[] = [];
const add = (c: Case) => cases.push(c);

// ------------------------------------------------------------------------------------------------
// Route commons: parentRefs (per channel), rule names, Service ports

const ROUTES = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
for (const kind of ROUTES) {
  const passStd = routeWithParents(kind, [{ name: 'gw', sectionName: 'a' }, { name: 'gw', sectionName: 'b' }, { name: 'gw', namespace: 'other' }]);
  add({
    kind,
    message: 'sectionName must be specified when parentRefs includes 2 or more references to the same parent',
    path: 'spec.parentRefs',
    pass: passStd,
    fail: routeWithParents(kind, [{ name: 'gw' }, { name: 'gw', sectionName: 'b' }]),
  });
  add({
    kind,
    message: 'sectionName must be unique when parentRefs includes 2 or more references to the same parent',
    path: 'spec.parentRefs',
    pass: passStd,
    fail: routeWithParents(kind, [{ name: 'gw', sectionName: 'a' }, { name: 'gw', sectionName: 'a' }]),
  });
  const passExp = routeWithParents(kind, [{ name: 'gw', port: 80 }, { name: 'gw', port: 443 }, { name: 'gw', namespace: 'other' }]);
  add({
    kind,
    channel: 'experimental',
    message: 'sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
    path: 'spec.parentRefs',
    pass: passExp,
    fail: routeWithParents(kind, [{ name: 'gw', port: 80 }, { name: 'gw' }]),
  });
  add({
    kind,
    channel: 'experimental',
    message: 'sectionName or port must be unique when parentRefs includes 2 or more references to the same parent',
    path: 'spec.parentRefs',
    pass: passExp,
    fail: routeWithParents(kind, [{ name: 'gw', port: 80 }, { name: 'gw', port: 80 }]),
  });
  // Rule names: HTTPRoute/GRPCRoute v1, the L4 routes in v1alpha2 (v1 allows a single rule).
  const version = kind === 'HTTPRoute' || kind === 'GRPCRoute' ? 'v1' : 'v1alpha2';
  const named = (a: string, b: string) => {
    const o = routeWithParents(kind, [{ name: 'gw' }]);
    o['apiVersion'] = `gateway.networking.k8s.io/${version}`;
    (o['spec'] as Record<string, unknown>)['rules'] = [
      { name: a, backendRefs: [backend] },
      { name: b, backendRefs: [backend] },
    ];
    return o;
  };
  add({ kind, channel: 'experimental', message: 'Rule name must be unique within the route', path: 'spec.rules', pass: named('a', 'b'), fail: named('a', 'a') });
  const svc = routeWithParents(kind, [{ name: 'gw' }]);
  const noPort = clone(svc);
  (noPort['spec'] as { rules: Array<{ backendRefs: unknown[] }> }).rules[0]!.backendRefs = [{ name: 'svc' }];
  const other = clone(svc);
  (other['spec'] as { rules: Array<{ backendRefs: unknown[] }> }).rules[0]!.backendRefs = [{ group: 'example.com', kind: 'Bucket', name: 'b' }];
  add({ kind, message: 'Must have port for Service reference', path: 'spec.rules[0].backendRefs[0]', pass: other, fail: noPort });
}

// ------------------------------------------------------------------------------------------------
// Filters (HTTPRoute and GRPCRoute), at rule level and backendRef level

const HTTP_FILTERS: Record<string, [string, Record<string, unknown>]> = {
  CORS: ['cors', { allowOrigins: ['https://example.com'] }],
  ExtensionRef: ['extensionRef', { group: 'example.com', kind: 'Plugin', name: 'p' }],
  ExternalAuth: ['externalAuth', { protocol: 'HTTP', http: {}, backendRef: { name: 'auth', port: 9000 } }],
  RequestHeaderModifier: ['requestHeaderModifier', { set: [{ name: 'x-a', value: '1' }] }],
  RequestMirror: ['requestMirror', { backendRef: { name: 'mirror', port: 80 } }],
  RequestRedirect: ['requestRedirect', { scheme: 'https', statusCode: 301 }],
  ResponseHeaderModifier: ['responseHeaderModifier', { remove: ['x-b'] }],
  URLRewrite: ['urlRewrite', { hostname: 'example.org' }],
};
const GRPC_TYPES = ['ExtensionRef', 'RequestHeaderModifier', 'RequestMirror', 'ResponseHeaderModifier'];

const filter = (type: string): Record<string, unknown> => {
  const [field, config] = HTTP_FILTERS[type]!;
  return { type, [field]: clone(config) };
};

type Place = 'rule' | 'backendRef';
/** A route whose only rule carries `filters` at `place`, and the path of that filter list. */
function withFilters(kind: 'HTTPRoute' | 'GRPCRoute', place: Place, filters: unknown[]): Record<string, unknown> {
  const rule = place === 'rule' ? { filters } : { backendRefs: [{ ...backend, filters }] };
  return kind === 'HTTPRoute' ? httpRoute([rule]) : grpcRoute([rule]);
}
const filtersPath = (place: Place) => (place === 'rule' ? 'spec.rules[0].filters' : 'spec.rules[0].backendRefs[0].filters');

for (const kind of ['HTTPRoute', 'GRPCRoute'] as const) {
  const types = kind === 'HTTPRoute' ? Object.keys(HTTP_FILTERS) : GRPC_TYPES;
  for (const place of ['rule', 'backendRef'] as const) {
    // A redirect cannot sit next to backendRefs; use backendRef level only where allowed.
    for (const type of types) {
      const [field] = HTTP_FILTERS[type]!;
      const channel: Channel = type === 'ExternalAuth' ? 'experimental' : 'standard';
      const otherType = type === 'RequestHeaderModifier' ? 'ResponseHeaderModifier' : 'RequestHeaderModifier';
      add({
        kind,
        channel,
        message: `filter.${field} must be specified for ${type} filter.type`,
        path: `${filtersPath(place)}[0]`,
        pass: withFilters(kind, place, [filter(type)]),
        fail: withFilters(kind, place, [{ type }]),
      });
      add({
        kind,
        channel,
        message: `filter.${field} must be nil if the filter.type is not ${type}`,
        path: `${filtersPath(place)}[0]`,
        pass: withFilters(kind, place, [filter(otherType)]),
        fail: withFilters(kind, place, [{ ...filter(otherType), [field]: clone(HTTP_FILTERS[type]![1]) }]),
      });
    }
    const repeatable = kind === 'HTTPRoute' ? ['CORS', 'RequestHeaderModifier', 'RequestRedirect', 'ResponseHeaderModifier', 'URLRewrite'] : ['RequestHeaderModifier', 'ResponseHeaderModifier'];
    for (const type of repeatable) {
      add({
        kind,
        message: `${type} filter cannot be repeated`,
        path: filtersPath(place),
        pass: withFilters(kind, place, [filter(type)]),
        fail: withFilters(kind, place, [filter(type), filter(type)]),
      });
    }
    // requestMirror
    const mirror = (cfg: Record<string, unknown>) => withFilters(kind, place, [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'm', port: 80 }, ...cfg } }]);
    const mp = `${filtersPath(place)}[0].requestMirror`;
    add({
      kind,
      message: 'Only one of percent or fraction may be specified in HTTPRequestMirrorFilter',
      path: mp,
      pass: mirror({ percent: 10 }),
      fail: mirror({ percent: 10, fraction: { numerator: 1 } }),
    });
    add({
      kind,
      message: 'numerator must be less than or equal to denominator',
      path: `${mp}.fraction`,
      pass: mirror({ fraction: { numerator: 99 } }), // denominator defaults to 100
      fail: mirror({ fraction: { numerator: 3, denominator: 2 } }),
    });
    add({
      kind,
      message: 'Must have port for Service reference',
      path: `${mp}.backendRef`,
      pass: mirror({}),
      fail: withFilters(kind, place, [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'm' } } }]),
    });
    if (kind === 'GRPCRoute') continue;

    add({
      kind,
      message: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
      path: filtersPath(place),
      pass: withFilters(kind, place, [filter('URLRewrite'), filter('RequestHeaderModifier')]),
      fail: withFilters(kind, place, [filter('RequestRedirect'), filter('URLRewrite')]),
    });
    // CORS
    const cors = (cfg: Record<string, unknown>) => withFilters(kind, place, [{ type: 'CORS', cors: cfg }]);
    const cp = `${filtersPath(place)}[0].cors`;
    add({ kind, message: "AllowHeaders cannot contain '*' alongside other methods", path: `${cp}.allowHeaders`, pass: cors({ allowHeaders: ['*'] }), fail: cors({ allowHeaders: ['*', 'x-a'] }) });
    add({ kind, message: "AllowMethods cannot contain '*' alongside other methods", path: `${cp}.allowMethods`, pass: cors({ allowMethods: ['GET', 'POST'] }), fail: cors({ allowMethods: ['*', 'GET'] }) });
    add({
      kind,
      message: "AllowOrigins cannot contain '*' alongside other origins",
      path: `${cp}.allowOrigins`,
      pass: cors({ allowOrigins: ['*'] }),
      fail: cors({ allowOrigins: ['*', 'https://example.com'] }),
    });
    // externalAuth (experimental)
    const auth = (cfg: Record<string, unknown>) => withFilters(kind, place, [{ type: 'ExternalAuth', externalAuth: { backendRef: { name: 'auth', port: 9000 }, ...cfg } }]);
    const ap = `${filtersPath(place)}[0].externalAuth`;
    const exp: Channel = 'experimental';
    add({ kind, channel: exp, message: "protocol must be 'GRPC' when grpc is set", path: ap, pass: auth({ protocol: 'GRPC', grpc: {} }), fail: auth({ protocol: 'HTTP', http: {}, grpc: {} }) });
    add({ kind, channel: exp, message: "protocol must be 'HTTP' when http is set", path: ap, pass: auth({ protocol: 'HTTP', http: {} }), fail: auth({ protocol: 'GRPC', grpc: {}, http: {} }) });
    add({ kind, channel: exp, message: "grpc must be specified when protocol is set to 'GRPC'", path: ap, pass: auth({ protocol: 'GRPC', grpc: {} }), fail: auth({ protocol: 'GRPC' }) });
    add({ kind, channel: exp, message: "http must be specified when protocol is set to 'HTTP'", path: ap, pass: auth({ protocol: 'HTTP', http: {} }), fail: auth({ protocol: 'HTTP' }) });
    add({
      kind,
      channel: exp,
      message: 'Must have port for Service reference',
      path: `${ap}.backendRef`,
      pass: auth({ protocol: 'HTTP', http: {} }),
      fail: auth({ protocol: 'HTTP', http: {}, backendRef: { name: 'auth' } }),
    });
    // requestRedirect.path / urlRewrite.path
    for (const [type, field] of [
      ['RequestRedirect', 'requestRedirect'],
      ['URLRewrite', 'urlRewrite'],
    ] as const) {
      const withPath = (p: Record<string, unknown>) => withFilters(kind, place, [{ type, [field]: { path: p } }]);
      const pp = `${filtersPath(place)}[0].${field}.path`;
      const ok = withPath({ type: 'ReplaceFullPath', replaceFullPath: '/new' });
      add({
        kind,
        message: "type must be 'ReplaceFullPath' when replaceFullPath is set",
        path: pp,
        pass: ok,
        fail: withPath({ type: 'ReplacePrefixMatch', replacePrefixMatch: '/x', replaceFullPath: '/y' }),
      });
      add({
        kind,
        message: "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
        path: pp,
        pass: ok,
        fail: withPath({ type: 'ReplaceFullPath', replaceFullPath: '/y', replacePrefixMatch: '/x' }),
      });
      add({ kind, message: "replaceFullPath must be specified when type is set to 'ReplaceFullPath'", path: pp, pass: ok, fail: withPath({ type: 'ReplaceFullPath' }) });
      add({ kind, message: "replacePrefixMatch must be specified when type is set to 'ReplacePrefixMatch'", path: pp, pass: ok, fail: withPath({ type: 'ReplacePrefixMatch' }) });
    }
  }
}

// ------------------------------------------------------------------------------------------------
// HTTPRoute rule-level rules

const prefix = (value: string) => ({ path: { type: 'PathPrefix', value } });
const exact = (value: string) => ({ path: { type: 'Exact', value } });
const redirectPrefix = { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } };
const rewritePrefix = { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } };

add({
  kind: 'HTTPRoute',
  message: 'RequestRedirect filter must not be used together with backendRefs',
  path: 'spec.rules[0]',
  pass: httpRoute([{ filters: [filter('RequestRedirect')] }]),
  fail: httpRoute([{ filters: [filter('RequestRedirect')], backendRefs: [backend] }]),
});
add({
  kind: 'HTTPRoute',
  message: 'When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
  path: 'spec.rules[0]',
  pass: httpRoute([{ matches: [prefix('/old')], filters: [redirectPrefix] }]),
  fail: httpRoute([{ matches: [exact('/old')], filters: [redirectPrefix] }]),
});
add({
  kind: 'HTTPRoute',
  message: 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
  path: 'spec.rules[0]',
  pass: httpRoute([{ filters: [rewritePrefix], backendRefs: [backend] }]), // matches default to PathPrefix "/"
  fail: httpRoute([{ matches: [prefix('/a'), prefix('/b')], filters: [rewritePrefix], backendRefs: [backend] }]),
});
add({
  kind: 'HTTPRoute',
  message: 'Within backendRefs, when using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
  path: 'spec.rules[0]',
  pass: httpRoute([{ matches: [prefix('/old')], backendRefs: [{ ...backend, filters: [redirectPrefix] }] }]),
  fail: httpRoute([{ matches: [exact('/old')], backendRefs: [{ ...backend, filters: [redirectPrefix] }] }]),
});
add({
  kind: 'HTTPRoute',
  message: 'Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
  path: 'spec.rules[0]',
  pass: httpRoute([{ matches: [{ path: { value: '/old' } }], backendRefs: [{ ...backend, filters: [rewritePrefix] }] }]),
  fail: httpRoute([{ matches: [{ path: { type: 'RegularExpression', value: '/o.*' } }], backendRefs: [{ ...backend, filters: [rewritePrefix] }] }]),
});

const manyMatches = (counts: number[], make: (i: number) => unknown): unknown[] => counts.map((n, r) => ({ matches: Array.from({ length: n }, (_, i) => make(r * 100 + i)) }));
add({
  kind: 'HTTPRoute',
  message: 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
  path: 'spec.rules',
  pass: httpRoute(manyMatches([64, 63, 0], (i) => exact(`/p${i}`)).concat([{}])), // the empty rule defaults to one match: 128
  fail: httpRoute(manyMatches([64, 64], (i) => exact(`/p${i}`)).concat([{}])), // 129
});
add({
  kind: 'GRPCRoute',
  message: 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
  path: 'spec.rules',
  pass: grpcRoute(manyMatches([64, 64], (i) => ({ method: { service: 'svc', method: `M${i}` } })).concat([{}])), // GRPC rules without matches count 0
  fail: grpcRoute(manyMatches([64, 64, 1], (i) => ({ method: { service: 'svc', method: `M${i}` } }))),
});

const pathRule = (value: string, type = 'PathPrefix') => httpRoute([{ matches: [{ path: { type, value } }], backendRefs: [backend] }]);
const W = "when type one of ['Exact', 'PathPrefix']";
const pathCases: Array<[string, string]> = [
  [`value must be an absolute path and start with '/' ${W}`, 'a/b'],
  [`must not contain '//' ${W}`, '/a//b'],
  [`must not contain '/./' ${W}`, '/a/./b'],
  [`must not contain '/../' ${W}`, '/a/../b'],
  [`must not contain '%2f' ${W}`, '/a%2fb'],
  [`must not contain '%2F' ${W}`, '/a%2Fb'],
  [`must not contain '#' ${W}`, '/a#b'],
  [`must not end with '/..' ${W}`, '/a/..'],
  [`must not end with '/.' ${W}`, '/a/.'],
  ["must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']", '/a b'],
];
for (const [message, value] of pathCases) {
  add({ kind: 'HTTPRoute', message, path: 'spec.rules[0].matches[0].path', pass: pathRule('/a/b.c/%41'), fail: pathRule(value) });
}
add({
  kind: 'HTTPRoute',
  message: "type must be one of ['Exact', 'PathPrefix', 'RegularExpression']",
  path: 'spec.rules[0].matches[0].path',
  pass: pathRule('/a//b', 'RegularExpression'),
  fail: pathRule('/a', 'Glob'),
  schemaAlsoFails: true,
});
add({
  kind: 'HTTPRoute',
  message: 'backendRequest timeout cannot be longer than request timeout',
  path: 'spec.rules[0].timeouts',
  pass: httpRoute([{ backendRefs: [backend], timeouts: { request: '1m', backendRequest: '59s999ms' } }]),
  fail: httpRoute([{ backendRefs: [backend], timeouts: { request: '1s', backendRequest: '1s500ms' } }]),
});

for (const kind of ['HTTPRoute', 'GRPCRoute'] as const) {
  const sp = (cfg: Record<string, unknown>) => (kind === 'HTTPRoute' ? httpRoute : grpcRoute)([{ backendRefs: [backend], sessionPersistence: cfg }]);
  add({
    kind,
    channel: 'experimental',
    message: 'AbsoluteTimeout must be specified when cookie lifetimeType is Permanent',
    path: 'spec.rules[0].sessionPersistence',
    pass: sp({ absoluteTimeout: '1h', cookieConfig: { lifetimeType: 'Permanent' } }),
    fail: sp({ cookieConfig: { lifetimeType: 'Permanent' } }),
  });
  add({
    kind,
    channel: 'experimental',
    message: 'cookieConfig can only be set with type Cookie',
    path: 'spec.rules[0].sessionPersistence',
    pass: sp({ cookieConfig: { lifetimeType: 'Session' } }), // type defaults to Cookie
    fail: sp({ type: 'Header', cookieConfig: { lifetimeType: 'Session' } }),
  });
}

// ------------------------------------------------------------------------------------------------
// GRPCRoute method matches

const method = (m: Record<string, unknown>) => grpcRoute([{ matches: [{ method: m }], backendRefs: [backend] }]);
const MP = 'spec.rules[0].matches[0].method';
add({
  kind: 'GRPCRoute',
  message: 'method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)',
  path: MP,
  pass: method({ type: 'RegularExpression', service: 'foo.Bar', method: 'Get.*' }),
  fail: method({ service: 'foo.Bar', method: 'Get-It' }),
});
add({
  kind: 'GRPCRoute',
  message: 'service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
  path: MP,
  pass: method({ service: '.Foo.BAR_v1', method: 'Get' }),
  fail: method({ service: 'foo bar' }),
});
add({
  kind: 'GRPCRoute',
  message: "One or both of 'service' or 'method' must be specified",
  path: MP,
  pass: method({ method: 'Get' }),
  fail: method({}), // type defaults to Exact
});

// ------------------------------------------------------------------------------------------------
// Hostnames (TLSRoute rules, also applied to HTTPRoute and GRPCRoute)

const tlsRoute = (hostnames: string[]) => obj('TLSRoute', { parentRefs: [{ name: 'gw' }], hostnames, rules: [{ backendRefs: [backend] }] });
const withHosts = (kind: string, hostnames: string[]) =>
  kind === 'TLSRoute' ? tlsRoute(hostnames) : kind === 'HTTPRoute' ? httpRoute([{ backendRefs: [backend] }], { hostnames }) : grpcRoute([{ backendRefs: [backend] }], { hostnames });
for (const kind of ['TLSRoute', 'HTTPRoute', 'GRPCRoute']) {
  const pass = withHosts(kind, ['example.com', '*.example.com', 'a-1.b']);
  add({ kind, message: 'Hostnames must be valid based on RFC-1123', path: 'spec.hostnames', pass, fail: withHosts(kind, ['Example.com']), schemaAlsoFails: true });
  add({ kind, message: 'Hostnames cannot contain an IP', path: 'spec.hostnames', pass, fail: withHosts(kind, ['10.0.0.1']) });
  add({
    kind,
    message: 'Wildcards on hostnames must be the first label, and the rest of hostname must be valid based on RFC-1123',
    path: 'spec.hostnames',
    pass,
    fail: withHosts(kind, ['foo.*.example.com']),
    schemaAlsoFails: true,
  });
  add({ kind, message: 'Hostname labels must be no more than 63 characters', path: 'spec.hostnames', pass, fail: withHosts(kind, [`${'a'.repeat(64)}.example.com`]) });
}

// ------------------------------------------------------------------------------------------------
// Gateway and ListenerSet

const tlsListener = { name: 'tls', port: 8443, protocol: 'TLS', hostname: 'tls.example.com', tls: { mode: 'Passthrough' } };
const tcpListener = { name: 'tcp', port: 9000, protocol: 'TCP' };
for (const kind of ['Gateway', 'ListenerSet']) {
  const make = (ls: unknown[]) => (kind === 'Gateway' ? gateway(ls) : listenerSet(ls));
  const pass = make([httpListener, httpsListener, tlsListener, tcpListener, { ...httpListener, name: 'http2', hostname: 'a.example.com' }]);
  const L = 'spec.listeners';
  add({ kind, message: 'tls mode must be Terminate for protocol HTTPS', path: L, pass, fail: make([{ ...httpsListener, tls: { mode: 'Passthrough' } }]) });
  add({ kind, message: 'tls mode must be set for protocol TLS', path: L, pass, fail: make([{ name: 'tls', port: 8443, protocol: 'TLS' }]) });
  add({
    kind,
    message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    path: L,
    pass,
    fail: make([{ ...httpListener, tls: { certificateRefs: [{ name: 'cert' }] } }]),
  });
  add({ kind, message: "hostname must not be specified for protocols ['TCP', 'UDP']", path: L, pass, fail: make([{ ...tcpListener, protocol: 'UDP', hostname: 'a.example.com' }]) });
  add({
    kind,
    message: 'Listener name must be unique within the Gateway',
    path: L,
    pass,
    fail: make([httpListener, { ...httpListener, port: 8080 }]),
    schemaAlsoFails: true, // listeners is also a list-map keyed by name
  });
  add({
    kind,
    message: 'Combination of port, protocol and hostname must be unique for each listener',
    path: L,
    pass,
    fail: make([httpListener, { ...httpListener, name: 'http2' }]),
  });
  add({
    kind,
    message: 'certificateRefs or options must be specified when mode is Terminate',
    path: `${L}[0].tls`,
    pass: make([httpsListener, { ...httpsListener, name: 'opts', hostname: 'b.example.com', tls: { mode: 'Terminate', options: { 'example.com/key': 'v' } } }]),
    fail: make([{ ...httpsListener, tls: {} }]),
  });
}

const addr = (addresses: unknown[]) => gateway([httpListener], { addresses });
add({
  kind: 'Gateway',
  message: 'IPAddress values must be unique',
  path: 'spec.addresses',
  pass: addr([{ value: '10.0.0.1' }, { type: 'IPAddress', value: '10.0.0.2' }, { value: '2001:db8::1' }]),
  fail: addr([{ value: '10.0.0.1' }, { type: 'IPAddress', value: '10.0.0.1' }]), // type defaults to IPAddress
});
add({
  kind: 'Gateway',
  message: 'Hostname values must be unique',
  path: 'spec.addresses',
  pass: addr([{ type: 'Hostname', value: 'a.example.com' }, { type: 'Hostname', value: 'b.example.com' }]),
  fail: addr([{ type: 'Hostname', value: 'a.example.com' }, { type: 'Hostname', value: 'a.example.com' }]),
});
add({
  kind: 'Gateway',
  message:
    'Hostname value must be empty or contain only valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)',
  path: 'spec.addresses[0]',
  pass: addr([{ type: 'Hostname', value: '*.example.com' }, { type: 'Hostname' }]),
  fail: addr([{ type: 'Hostname', value: 'Bad_Host' }]),
});
add({
  kind: 'Gateway',
  message: 'Hostname value must only contain valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)',
  path: 'status.addresses[0]',
  pass: gateway([httpListener], {}),
  fail: { ...gateway([httpListener]), status: { addresses: [{ type: 'Hostname', value: 'Bad_Host' }] } },
});
const infra = (infrastructure: Record<string, unknown>) => gateway([httpListener], { infrastructure });
const longPrefix = `${'a'.repeat(253)}/x`;
for (const [field, Cap, lower] of [
  ['labels', 'Label', 'label'],
  ['annotations', 'Annotation', 'annotation'],
] as const) {
  const pass = infra({ [field]: { 'example.com/app': 'web', tier: 'front' } });
  add({
    kind: 'Gateway',
    message: `${Cap} keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.`,
    path: `spec.infrastructure.${field}`,
    pass,
    fail: infra({ [field]: { 'bad key': 'v' } }),
  });
  add({
    kind: 'Gateway',
    message: `If specified, the ${lower} key's prefix must be a DNS subdomain not longer than 253 characters in total.`,
    path: `spec.infrastructure.${field}`,
    pass,
    fail: infra({ [field]: { [longPrefix]: 'v' } }),
  });
}
const ca = { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }] } };
const frontend = (perPort: unknown[]) => gateway([httpsListener], { tls: { frontend: { default: ca, perPort } } });
add({
  kind: 'Gateway',
  message: 'Port for TLS configuration must be unique within the Gateway',
  path: 'spec.tls.frontend.perPort',
  pass: frontend([
    { port: 443, tls: ca },
    { port: 8443, tls: ca },
  ]),
  fail: frontend([
    { port: 443, tls: ca },
    { port: 443, tls: ca },
  ]),
  schemaAlsoFails: true, // perPort is also a list-map keyed by port
});

// ------------------------------------------------------------------------------------------------
// BackendTLSPolicy

const target = { group: '', kind: 'Service', name: 'svc' };
const btp = (spec: Record<string, unknown>) =>
  obj('BackendTLSPolicy', { targetRefs: [target], validation: { hostname: 'svc.example.com', wellKnownCACertificates: 'System' }, ...spec });
add({
  kind: 'BackendTLSPolicy',
  message: 'sectionName must be specified when targetRefs includes 2 or more references to the same target',
  path: 'spec.targetRefs',
  pass: btp({ targetRefs: [{ ...target, sectionName: 'a' }, { ...target, sectionName: 'b' }, { ...target, name: 'other' }] }),
  fail: btp({ targetRefs: [target, { ...target, sectionName: 'b' }] }),
});
add({
  kind: 'BackendTLSPolicy',
  message: 'sectionName must be unique when targetRefs includes 2 or more references to the same target',
  path: 'spec.targetRefs',
  pass: btp({ targetRefs: [{ ...target, sectionName: 'a' }, { ...target, sectionName: 'b' }] }),
  fail: btp({ targetRefs: [{ ...target, sectionName: 'a' }, { ...target, sectionName: 'a' }] }),
});
const caRefs = [{ group: '', kind: 'ConfigMap', name: 'ca' }];
add({
  kind: 'BackendTLSPolicy',
  message: 'must not contain both CACertificateRefs and WellKnownCACertificates',
  path: 'spec.validation',
  pass: btp({ validation: { hostname: 'svc.example.com', caCertificateRefs: caRefs } }),
  fail: btp({ validation: { hostname: 'svc.example.com', caCertificateRefs: caRefs, wellKnownCACertificates: 'System' } }),
});
add({
  kind: 'BackendTLSPolicy',
  message: 'must specify either CACertificateRefs or WellKnownCACertificates',
  path: 'spec.validation',
  pass: btp({}),
  fail: btp({ validation: { hostname: 'svc.example.com' } }),
});
const san = (subjectAltNames: unknown[]) => btp({ validation: { hostname: 'svc.example.com', wellKnownCACertificates: 'System', subjectAltNames } });
const sanPass = san([
  { type: 'Hostname', hostname: 'a.example.com' },
  { type: 'URI', uri: 'spiffe://trust.example/ns/default' },
]);
const SP = 'spec.validation.subjectAltNames[0]';
add({ kind: 'BackendTLSPolicy', message: 'SubjectAltName element must contain Hostname, if Type is set to Hostname', path: SP, pass: sanPass, fail: san([{ type: 'Hostname' }]) });
add({ kind: 'BackendTLSPolicy', message: 'SubjectAltName element must contain URI, if Type is set to URI', path: SP, pass: sanPass, fail: san([{ type: 'URI' }]) });
add({
  kind: 'BackendTLSPolicy',
  message: 'SubjectAltName element must not contain Hostname, if Type is not set to Hostname',
  path: SP,
  pass: sanPass,
  fail: san([{ type: 'URI', uri: 'spiffe://trust.example/x', hostname: 'a.example.com' }]),
});
add({
  kind: 'BackendTLSPolicy',
  message: 'SubjectAltName element must not contain URI, if Type is not set to URI',
  path: SP,
  pass: sanPass,
  fail: san([{ type: 'Hostname', hostname: 'a.example.com', uri: 'spiffe://trust.example/x' }]),
});

// ------------------------------------------------------------------------------------------------
// metadata (all kinds)

const named = (name: string, namespace = 'default') => ({ ...obj('ReferenceGrant', { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'apps' }], to: [{ group: '', kind: 'Service' }] }), metadata: { name, namespace } });
add({
  kind: 'ReferenceGrant',
  message: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  path: 'metadata.name',
  pass: named('allow-apps.v1'),
  fail: named('Allow_Apps'),
});
add({ kind: 'ReferenceGrant', message: 'must be no more than 253 characters', path: 'metadata.name', pass: named('a'.repeat(253)), fail: named('a'.repeat(254)) });
add({
  kind: 'GatewayClass',
  message:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', must start and end with an alphanumeric character, and must be no more than 63 characters",
  path: 'metadata.namespace',
  pass: { ...obj('GatewayClass', { controllerName: 'example.com/gateway-controller' }), metadata: { name: 'example' } },
  fail: { ...obj('GatewayClass', { controllerName: 'example.com/gateway-controller' }), metadata: { name: 'example', namespace: 'my.ns' } },
});

// ------------------------------------------------------------------------------------------------

const label = (c: Case) => `${c.kind} [${c.channel ?? 'standard'}] ${c.path}: ${c.message}`;

describe('CEL rules', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const v = validator(c.channel ?? 'standard');
    expect(v.validate(c.pass)).toEqual([]);
    const issues = v.validate(c.fail);
    expect(issues).toContainEqual({ rule: 'cel', path: c.path, message: c.message });
    if (!c.schemaAlsoFails) expect(issues.filter((i) => i.rule !== 'cel')).toEqual([]);
  });

  it('covers every CEL rule of cel-rules.txt for the implemented kinds', () => {
    const txt = fs.readFileSync(fileURLToPath(new URL('../../schemas/gateway-api/cel-rules.txt', import.meta.url)), 'utf8');
    const implemented = new Set(['GatewayClass', 'Gateway', 'ListenerSet', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant', 'BackendTLSPolicy', 'TLSRoute', 'TCPRoute', 'UDPRoute']);
    const notImplemented = new Set(['GatewayClass|Value is immutable']);
    const tested = new Set(cases.map((c) => `${c.kind}|${c.message}`));
    const wanted = new Set<string>();
    let kind = '';
    for (const line of txt.split('\n')) {
      const head = /^gateway\.networking\.k8s\.io\/(\w+) /.exec(line);
      if (head !== null) kind = head[1]!;
      else if (/^\S/.test(line)) kind = '';
      const msg = /^ {2}message: (.*)$/.exec(line);
      if (msg !== null && implemented.has(kind)) wanted.add(`${kind}|${msg[1]}`);
    }
    expect(wanted.size).toBeGreaterThan(100);
    const missing = [...wanted].filter((w) => !tested.has(w) && !notImplemented.has(w));
    expect(missing).toEqual([]);
  });

  it('mirrors exists_one(): two backendRefs with prefix rewrites are not checked (as in the API server)', () => {
    const route = httpRoute([
      {
        matches: [exact('/a'), exact('/b')],
        backendRefs: [
          { ...backend, filters: [rewritePrefix] },
          { ...backend, name: 'svc2', filters: [rewritePrefix] },
        ],
      },
    ]);
    expect(validator('standard').validate(route)).toEqual([]);
  });

  it('never throws on malformed specs and reports them as schema issues', () => {
    const garbage: unknown[] = [
      { rules: [null, 1, 'x', { matches: 'no', filters: [null, { type: 5 }], backendRefs: [[], { filters: {} }] }] },
      { parentRefs: 'x', hostnames: [1, null], rules: [{ timeouts: { request: 5 }, sessionPersistence: [] }] },
      { listeners: [null, { tls: 'x', protocol: 'TLS' }], addresses: [1], infrastructure: { labels: [] }, tls: { frontend: { perPort: 'x' } } },
      { targetRefs: [null], validation: { subjectAltNames: [null, 3] } },
    ];
    for (const kind of ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'Gateway', 'ListenerSet', 'BackendTLSPolicy', 'GatewayClass', 'ReferenceGrant']) {
      for (const spec of garbage) {
        for (const channel of ['standard', 'experimental'] as const) {
          const issues = validator(channel).validate({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 7 }, spec, status: 'x' });
          expect(issues.length).toBeGreaterThan(0);
          expect(issues.every((i) => typeof i.path === 'string' && typeof i.message === 'string')).toBe(true);
        }
      }
    }
  });
});

describe('CEL helpers', () => {
  it('parses Gateway API and Go durations', () => {
    expect(parseDuration('1h2m3s500ms')).toBe(((3600 + 120 + 3) * 1000 + 500) * 1e6);
    expect(parseDuration('0s')).toBe(0);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('1.5s')).toBe(1.5e9);
    expect(parseDuration('-2m')).toBe(-120e9);
    expect(parseDuration('10us')).toBe(10e3);
    for (const bad of ['', '1', 'h', '1d', '1h 2m', '.s', 'ms1']) expect(parseDuration(bad)).toBeUndefined();
  });

  it('recognises IP addresses like CEL isIP()', () => {
    for (const ip of ['10.0.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', '2001:db8::8a2e:370:7334', '::ffff:10.0.0.1', '1:2:3:4:5:6:7:8']) expect(isIP(ip)).toBe(true);
    for (const s of ['256.0.0.1', '1.2.3', '01.2.3.4', 'example.com', '1:2:3:4:5:6:7:8:9', '1::2::3', ':1', 'fe80::1%eth0', '']) expect(isIP(s)).toBe(false);
    expect(isIPv4('1.2.3.4')).toBe(true);
    expect(isIPv6('1.2.3.4')).toBe(false);
  });
});
