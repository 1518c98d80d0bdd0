import fc from 'fast-check';
import { createValidator, type SchemaSet } from '../../src/validate/validator.js';
import { backend, clone, gateway, httpListener, httpRoute, obj, schemaSet, validator } from './fixtures.js';

const typical = httpRoute(
  [
    {
      matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'x-env', value: 'prod' }] }],
      filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
      backendRefs: [{ name: 'api', port: 8080 }],
    },
    {
      matches: [{ path: { type: 'Exact', value: '/' } }],
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-forwarded-proto', value: 'https' }] } }],
      backendRefs: [{ name: 'web', port: 80, weight: 90 }, { name: 'web-canary', port: 80, weight: 10 }],
      timeouts: { request: '30s', backendRequest: '10s' },
    },
  ],
  { hostnames: ['example.com', '*.example.org'] },
);

describe('schema validation', () => {
  it('accepts a typical HTTPRoute in both channels', () => {
    expect(validator('standard').validate(typical)).toEqual([]);
    expect(validator('experimental').validate(typical)).toEqual([]);
  });

  it('reports a missing required field with its path', () => {
    const route = clone(typical) as { spec: { rules: Array<{ backendRefs: Array<Record<string, unknown>> }> } };
    delete route.spec.rules[1]!.backendRefs[0]!['name'];
    expect(validator('standard').validate(route)).toEqual([{ rule: 'schema', path: 'spec.rules[1].backendRefs[0].name', message: 'Required value' }]);
  });

  it('reports missing metadata.name and spec', () => {
    const issues = validator('standard').validate({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: {} });
    expect(issues).toEqual([
      { rule: 'schema', path: 'metadata.name', message: 'Required value' },
      { rule: 'schema', path: 'spec', message: 'Required value' },
    ]);
  });

  it('reports a bad enum value with the supported values', () => {
    const route = clone(typical) as { spec: { rules: Array<{ filters: Array<Record<string, unknown>> }> } };
    route.spec.rules[0]!.filters[0]!['type'] = 'Rewrite';
    const issues = validator('standard').validate(route);
    expect(issues).toContainEqual({
      rule: 'schema',
      path: 'spec.rules[0].filters[0].type',
      message: expect.stringMatching(/^Unsupported value: "Rewrite": supported values: .*"URLRewrite"/) as unknown as string,
    });
    expect(issues.every((i) => i.rule !== 'channel')).toBe(true);
  });

  it('reports pattern, bound and type errors', () => {
    const route = httpRoute([{ backendRefs: [{ name: 'svc', port: 70000, weight: 'heavy' }] }], { hostnames: ['UPPER.example.com'] });
    const issues = validator('standard').validate(route);
    expect(issues.map((i) => `${i.rule} ${i.path}`)).toEqual([
      'cel spec.hostnames', // Hostnames must be valid based on RFC-1123
      'schema spec.hostnames[0]',
      'schema spec.rules[0].backendRefs[0].port',
      'schema spec.rules[0].backendRefs[0].weight',
    ]);
    expect(issues.find((i) => i.path === 'spec.rules[0].backendRefs[0].port')?.message).toBe('must be <= 65535');
  });

  it('rejects unknown fields', () => {
    const route = clone(typical) as { spec: Record<string, unknown> };
    route.spec['backends'] = [];
    expect(validator('experimental').validate(route)).toEqual([{ rule: 'schema', path: 'spec.backends', message: 'unknown field "backends"' }]);
  });

  it('enforces list-map keys (duplicate header match names) and list sets', () => {
    const route = httpRoute([
      {
        matches: [
          {
            headers: [
              { name: 'x-a', value: '1' },
              { name: 'x-b', value: '2' },
              { name: 'x-a', value: '3' },
            ],
            queryParams: [
              { name: 'q', value: '1' },
              { name: 'q', value: '2' },
            ],
          },
        ],
        filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['x-c', 'x-d', 'x-c'] } }],
        backendRefs: [backend],
      },
    ]);
    expect(validator('standard').validate(route)).toEqual([
      { rule: 'schema', path: 'spec.rules[0].filters[0].requestHeaderModifier.remove[2]', message: 'Duplicate value: "x-c"' },
      { rule: 'schema', path: 'spec.rules[0].matches[0].headers[2]', message: 'Duplicate value: {"name":"x-a"}' },
      { rule: 'schema', path: 'spec.rules[0].matches[0].queryParams[1]', message: 'Duplicate value: {"name":"q"}' },
    ]);
  });

  it('applies address type defaults inside oneOf (absent type means IPAddress)', () => {
    const v = validator('standard');
    expect(v.validate(gateway([httpListener], { addresses: [{ value: '10.1.2.3' }, { value: 'fd00::1' }, { type: 'Hostname', value: 'lb.example.com' }] }))).toEqual([]);
    const issues = v.validate(gateway([httpListener], { addresses: [{ value: 'lb.example.com' }] }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ rule: 'schema', path: 'spec.addresses[0]' });
    expect(issues[0]!.message).toContain('must match format "ipv4"');
  });

  it('keeps numeric-looking object keys as keys in paths', () => {
    const gw = gateway([httpListener], { infrastructure: { labels: { '1': 'not a valid value!' } } });
    expect(validator('standard').validate(gw)).toContainEqual({ rule: 'schema', path: 'spec.infrastructure.labels["1"]', message: expect.stringContaining('must match pattern') as unknown as string });
  });
});

describe('channels', () => {
  const withRetry = () => {
    const route = clone(typical) as { spec: { rules: Array<Record<string, unknown>> } };
    route.spec.rules[1]!['retry'] = { attempts: 2, codes: [503] };
    return route;
  };

  it('reports an experimental-only field as a channel issue in the standard channel', () => {
    expect(validator('standard').validate(withRetry())).toEqual([
      {
        rule: 'channel',
        path: 'spec.rules[1].retry',
        message: 'field spec.rules[1].retry is only valid in the experimental channel; it needs --channel experimental',
      },
    ]);
  });

  it('accepts the same field in the experimental channel', () => {
    expect(validator('experimental').validate(withRetry())).toEqual([]);
  });

  it('reports an experimental-only enum value as a channel issue', () => {
    const route = httpRoute([
      { filters: [{ type: 'ExternalAuth', externalAuth: { protocol: 'HTTP', http: {}, backendRef: { name: 'auth', port: 9000 } } }], backendRefs: [backend] },
    ]);
    const issues = validator('standard').validate(route);
    expect(issues).toEqual(
      expect.arrayContaining([
        {
          rule: 'channel',
          path: 'spec.rules[0].filters[0].type',
          message: 'value "ExternalAuth" of spec.rules[0].filters[0].type is only valid in the experimental channel; it needs --channel experimental',
        },
        {
          rule: 'channel',
          path: 'spec.rules[0].filters[0].externalAuth',
          message: 'field spec.rules[0].filters[0].externalAuth is only valid in the experimental channel; it needs --channel experimental',
        },
      ]),
    );
    expect(issues.filter((i) => i.rule !== 'channel')).toEqual([]);
    expect(validator('experimental').validate(route)).toEqual([]);
  });

  it('separates channel issues from real errors in the same object', () => {
    const route = withRetry() as { spec: { rules: Array<{ backendRefs: Array<Record<string, unknown>> }> } };
    delete route.spec.rules[0]!.backendRefs[0]!['name'];
    const issues = validator('standard').validate(route);
    expect(issues.map((i) => `${i.rule} ${i.path}`)).toEqual(['schema spec.rules[0].backendRefs[0].name', 'channel spec.rules[1].retry']);
  });

  it('reports a limit that only the experimental schema relaxes as a channel issue', () => {
    const schema = (maxItems: number) => ({
      type: 'object',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, spec: { type: 'object', properties: { items: { type: 'array', maxItems } } } },
    });
    const set: SchemaSet = { standard: { 'example.com/v1/Thing': schema(1) }, experimental: { 'example.com/v1/Thing': schema(2) } };
    const thing = (n: number) => ({ apiVersion: 'example.com/v1', kind: 'Thing', spec: { items: Array.from({ length: n }, (_, i) => i) } });
    expect(createValidator(set, 'standard').validate(thing(2))).toEqual([
      {
        rule: 'channel',
        path: 'spec.items',
        message: 'spec.items: must NOT have more than 1 items in the standard channel; the experimental channel accepts it (needs --channel experimental)',
      },
    ]);
    expect(createValidator(set, 'standard').validate(thing(3))).toEqual([{ rule: 'schema', path: 'spec.items', message: 'must NOT have more than 1 items' }]);
    expect(createValidator(set, 'experimental').validate(thing(2))).toEqual([]);
  });

  it('reports kinds and versions that only the experimental channel serves', () => {
    const tls = obj('TLSRoute', { parentRefs: [{ name: 'gw' }], hostnames: ['a.example.com'], rules: [{ backendRefs: [backend] }] }, 'v1alpha2');
    expect(validator('standard').validate(tls)).toEqual([
      { rule: 'channel', path: 'kind', message: 'TLSRoute gateway.networking.k8s.io/v1alpha2 is only available in the experimental channel; it needs --channel experimental' },
    ]);
    expect(validator('experimental').validate(tls)).toEqual([]);
    const backendObj = { apiVersion: 'gateway.networking.x-k8s.io/v1alpha1', kind: 'XBackend', metadata: { name: 'b' }, spec: {} };
    expect(validator('standard').validate(backendObj)).toMatchObject([{ rule: 'channel', path: 'kind' }]);
  });
});

describe('validator robustness', () => {
  it('reports one issue for an unknown apiVersion/kind', () => {
    const issues = validator('standard').validate({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' }, spec: {} });
    expect(issues).toEqual([{ rule: 'schema', path: 'kind', message: expect.stringContaining('unknown apiVersion/kind') as unknown as string }]);
    expect(validator('standard').validate({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Route', metadata: { name: 'x' } })).toHaveLength(1);
  });

  it('reports non-objects and missing apiVersion/kind', () => {
    const v = validator('standard');
    for (const bad of [null, undefined, 3, 'HTTPRoute', [], [typical]]) expect(v.validate(bad)).toEqual([{ rule: 'schema', path: '', message: expect.any(String) as unknown as string }]);
    expect(v.validate({ kind: 'HTTPRoute' })).toEqual([{ rule: 'schema', path: 'apiVersion', message: 'apiVersion and kind must be strings' }]);
  });

  it('never throws on arbitrary input', () => {
    const v = validator('standard');
    const kinds = fc.constantFrom('HTTPRoute', 'GRPCRoute', 'Gateway', 'ListenerSet', 'TLSRoute', 'TCPRoute', 'BackendTLSPolicy', 'ReferenceGrant', 'GatewayClass');
    fc.assert(
      fc.property(fc.anything(), (x) => Array.isArray(v.validate(x))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(kinds, fc.anything(), fc.anything(), (kind, metadata, spec) => {
        const issues = v.validate({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata, spec });
        return Array.isArray(issues) && issues.every((i) => typeof i.path === 'string' && typeof i.message === 'string');
      }),
      { numRuns: 300 },
    );
  });

  it('compiles lazily: validating an HTTPRoute reads only the HTTPRoute schema', () => {
    const read: string[] = [];
    const spy = (rec: Record<string, object>, ch: string): Record<string, object> =>
      new Proxy(rec, {
        get(target, key, receiver) {
          if (typeof key === 'string') read.push(`${ch}:${key}`);
          return Reflect.get(target, key, receiver) as unknown;
        },
      });
    const set: SchemaSet = { standard: spy(schemaSet().standard, 'standard'), experimental: spy(schemaSet().experimental, 'experimental') };
    const v = createValidator(set, 'standard');
    expect(read).toEqual([]);
    v.validate(typical);
    v.validate(typical);
    expect([...new Set(read)]).toEqual(['standard:gateway.networking.k8s.io/v1/HTTPRoute']);
  });
});
