/** TLS passthrough in the emitter: listener layout, the conflict guard, and --parent-ref. */
import { stringify } from 'yaml';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { emitGatewayApi } from '../src/emitters/gateway-api.js';
import { parseSource } from '../src/inputs/parse.js';
import type { KubeObject } from '../src/inputs/document.js';
import type { IR, RouteIntent } from '../src/ir/types.js';
import { createValidator } from '../src/validate/validator.js';

const validator = createValidator(loadSchemas(), 'standard');
const object = { kind: 'Ingress', namespace: 'a', name: 'i' };
const spec = (o: KubeObject) => o.spec as Record<string, unknown>;

function ir(): IR {
  const tlsRoute: RouteIntent = {
    kind: 'TLSRoute',
    gatewayKey: 'nginx',
    namespace: 'a',
    name: 'db',
    hostnames: ['db.example.com'],
    attach: { http: false, https: false, passthrough: true },
    rules: [{ matches: [], backends: [{ name: 'db', namespace: 'a', port: 5432 }], filters: [], provenance: [{ object }] }],
    annotations: {},
    provenance: [{ object }],
  };
  return {
    gateways: [{ key: 'nginx', namespace: 'a', name: 'nginx', gatewayClassName: 'nginx', ingressClass: 'nginx', provider: 'ingress-nginx', annotations: {}, provenance: [{ object }], sources: new Set() }],
    routes: [tlsRoute],
    // A provider that forgot to drop the certificate of the passed-through host.
    tls: [{ gatewayKey: 'nginx', hostname: 'db.example.com', secret: { namespace: 'a', name: 'db-tls' }, provenance: [{ object }] }],
    backendTls: [], policies: [],
  };
}

describe('TLS passthrough listeners', () => {
  const result = emitGatewayApi(ir(), { toolVersion: 't', gatewayClassControllers: {} });

  it('lays out a TLS Passthrough listener and no HTTPS listener for the same hostname, and reports the conflict', () => {
    const gw = result.objects.find((o) => o.kind === 'Gateway')!;
    const listeners = spec(gw).listeners as Record<string, unknown>[];
    expect(listeners.map((l) => [l.name, l.protocol])).toEqual([
      ['http', 'HTTP'],
      ['tls-db.example.com', 'TLS'],
    ]);
    expect(listeners[1]).toMatchObject({ hostname: 'db.example.com', port: 443, tls: { mode: 'Passthrough' } });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['core/tls-passthrough-conflict']);
  });

  it('emits a valid TLSRoute attached to that listener, with backendRefs only', () => {
    const route = result.objects.find((o) => o.kind === 'TLSRoute')!;
    expect(spec(route)).toEqual({
      parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'nginx', sectionName: 'tls-db.example.com' }],
      hostnames: ['db.example.com'],
      rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }],
    });
    for (const o of result.objects) expect(validator.validate(o)).toEqual([]);
  });
});

describe('ssl-passthrough with --parent-ref', () => {
  const vault = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'vault', namespace: 'sec', annotations: { 'nginx.ingress.kubernetes.io/ssl-passthrough': 'true' } },
    spec: {
      ingressClassName: 'nginx',
      rules: [{ host: 'vault.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'vault', port: { number: 8200 } } } }] } }],
    },
  };
  const { documents } = parseSource(stringify(vault), 'gen.yaml');
  const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared', parentRef: { namespace: 'infra', name: 'shared', sectionName: 'http' } }, validator);

  it('attaches the TLSRoute to the existing Gateway without the HTTP section, and says which listener it needs', () => {
    const route = result.objects.find((o) => o.kind === 'TLSRoute')!;
    expect(spec(route).parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra' }]);
    const http = result.objects.find((o) => o.kind === 'HTTPRoute')!;
    expect(spec(http).parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'infra', sectionName: 'http' }]);
    expect(result.findings.filter((f) => f.ruleId === 'core/parent-ref-tls').map((f) => f.message)).toEqual([expect.stringContaining('Passthrough mode for vault.example.com')]);
    expect(result.stats.invalidObjects).toBe(0);
  });
});
