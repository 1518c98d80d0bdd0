/**
 * Property: for random Istio Gateways and VirtualServices within the space the Istio provider
 * translates (uri, header, method matches in any order; destinations, weights, rewrites,
 * redirects; gateway and mesh bindings), `verify` finds no unexplained difference between Istio
 * and the Gateway API output. A counterexample is a translation bug, a model bug, or a real gap a
 * finding must explain, never a reason to weaken the models.
 *
 * Seeded: VERIFY_ISTIO_PROPERTY_RUNS (default 300) and VERIFY_PROPERTY_SEED explore further. A
 * failure prints the whole input, ready for `gateway-shift verify`.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { buildConvertOptions } from '../../src/cli/convert-command.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import { describeOutcome } from '../../src/verify/compare.js';
import { verify } from '../../src/verify/verify.js';

const NUM_RUNS = Number(process.env.VERIFY_ISTIO_PROPERTY_RUNS ?? 300);
const SEED = process.env.VERIFY_PROPERTY_SEED === undefined ? 20261127 : Number(process.env.VERIFY_PROPERTY_SEED);
const validator = createValidator(loadSchemas(), 'standard');

const PATHS = ['/', '/api', '/api/', '/api/v1', '/static', '/v1.0/x'];
const REGEXES = ['/items/[0-9]+', '/api/.*', '/(img|css)/.+'];
const SERVICES = ['svc-a', 'svc-b', 'svc-c'];

const uriMatch = fc.oneof(
  fc.record({ exact: fc.constantFrom(...PATHS) }),
  fc.record({ prefix: fc.constantFrom(...PATHS) }),
  fc.record({ regex: fc.constantFrom(...REGEXES) }),
);
const headerMatch = fc.oneof(fc.record({ exact: fc.constantFrom('1', '2') }), fc.record({ prefix: fc.constant('b') }), fc.constant({}));
const match = fc.record(
  {
    uri: uriMatch,
    headers: fc.dictionary(fc.constantFrom('x-v', 'x-beta'), headerMatch, { maxKeys: 1 }),
    method: fc.record({ exact: fc.constantFrom('GET', 'POST') }),
    queryParams: fc.dictionary(fc.constant('q'), fc.record({ exact: fc.constantFrom('1', '2') }), { maxKeys: 1 }),
    withoutHeaders: fc.dictionary(fc.constant('x-beta'), fc.constant({}), { maxKeys: 1 }),
    ignoreUriCase: fc.constant(true),
    port: fc.constantFrom(80, 8080),
  },
  { requiredKeys: [] },
);
const destination = fc.record({ host: fc.constantFrom(...SERVICES), port: fc.constant({ number: 80 }) });
const action = fc.oneof(
  fc.record({ route: fc.tuple(destination).map(([d]) => [{ destination: d }]) }),
  fc.record({ route: fc.tuple(destination, destination, fc.integer({ min: 1, max: 99 })).map(([a, b, w]) => [{ destination: a, weight: w }, { destination: b, weight: 100 - w }]) }),
  fc.record({ route: fc.tuple(destination).map(([d]) => [{ destination: d }]), rewrite: fc.record({ uri: fc.constantFrom('/v2/', '/') }) }),
  fc.record({ redirect: fc.record({ uri: fc.constantFrom('/new', '/moved/'), authority: fc.constant('other.example.com'), redirectCode: fc.constantFrom(302, 308) }, { requiredKeys: ['uri'] }) }),
  fc.record({ directResponse: fc.record({ status: fc.constantFrom(200, 403) }) }),
  fc.record({
    route: fc.tuple(destination).map(([d]) => [{ destination: d }]),
    headers: fc.record({ request: fc.record({ set: fc.constant({ 'x-set': 'a' }), add: fc.constant({ 'x-add': 'b' }), remove: fc.constant(['x-drop']) }, { requiredKeys: [] }) }),
    mirror: fc.constant({ host: 'svc-c', port: { number: 80 } }),
    rewrite: fc.record({ authority: fc.constant('internal.example.com') }),
  }, { requiredKeys: ['route'] }),
);
const httpRoute = fc.tuple(fc.array(match, { maxLength: 2 }), action).map(([m, a]) => (m.length ? { match: m, ...a } : { ...a }));

const virtualService = fc.record({
  hosts: fc.constantFrom(['a.example.com'], ['*.example.com'], ['a.example.com', 'b.example.com'], ['svc-a'], ['svc-a', 'a.example.com']),
  gateways: fc.constantFrom(['edge'], ['edge', 'mesh'], ['mesh']),
  http: fc.array(httpRoute, { minLength: 1, maxLength: 4 }),
});

const input = fc.record({
  serverHosts: fc.constantFrom(['*'], ['a.example.com', 'b.example.com'], ['*.example.com'], ['web/a.example.com', 'other/*']),
  alt: fc.boolean(),
  vss: fc.array(virtualService, { minLength: 1, maxLength: 2 }),
});

function yamlOf(i: { serverHosts: readonly string[]; alt: boolean; vss: readonly { hosts: readonly string[]; gateways: readonly string[]; http: readonly unknown[] }[] }): string {
  const docs: unknown[] = SERVICES.map((s) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: s, namespace: 'web' }, spec: { ports: [{ name: 'http', port: 80 }] } }));
  docs.push({
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'edge', namespace: 'web' },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: i.serverHosts }, ...(i.alt ? [{ port: { number: 8080, name: 'http-alt', protocol: 'HTTP' }, hosts: ['*'] }] : [])],
    },
  });
  i.vss.forEach((v, k) => docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `vs-${k}`, namespace: 'web' }, spec: v }));
  return docs.map((d) => stringify(d)).join('---\n');
}

describe('verify (property-based, Istio)', () => {
  it(`finds no unexplained difference for random Istio VirtualServices (${NUM_RUNS} runs)`, () => {
    let compared = 0;
    fc.assert(
      fc.property(input, (i) => {
        const text = yamlOf(i);
        const docs = parseSource(text, 'input.yaml').documents;
        const r = verify(docs, { convert: buildConvertOptions({}, 'TEST') }, validator);
        compared += r.stats.compared;
        const bad = r.differences.filter((d) => d.explainedBy.length === 0);
        if (bad.length) {
          const d = bad[0]!;
          const p = d.probe;
          throw new Error(
            `unexplained: ${p.mesh ? `mesh ${p.mesh.service}:${p.mesh.port}` : `${p.scheme}://${p.host}`}${p.path}${p.query ? `?${p.query}` : ''} ${p.method} ${JSON.stringify(p.headers)}\n  Istio: ${describeOutcome(d.source)} (${d.source.via})\n  Gateway API: ${describeOutcome(d.gateway)} (${d.gateway.via})\ninput:\n${text}`,
          );
        }
        return true;
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
    );
    expect(compared).toBeGreaterThan(NUM_RUNS);
  }, Math.max(60_000, NUM_RUNS * 200));
});
