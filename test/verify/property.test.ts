/**
 * Property: for random Ingresses within the annotation space the ingress-nginx provider
 * translates, `verify` finds no unexplained difference between the source controller and the
 * Gateway API output. A counterexample is either a translation bug (fix the provider) or a real
 * semantic gap (add a finding that explains it), never a reason to weaken the models.
 *
 * Runs are seeded (deterministic): VERIFY_PROPERTY_RUNS (default 2000) and VERIFY_PROPERTY_SEED
 * explore further, e.g. VERIFY_PROPERTY_RUNS=20000 VERIFY_PROPERTY_SEED=7. A failure prints the
 * options and the whole input, ready for `gateway-shift verify`.
 *
 * Other source models (Traefik, ALB, Istio) get a generator of their own annotation space here.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { buildConvertOptions, type ConvertCliOptions } from '../../src/cli/convert-command.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import { describeOutcome } from '../../src/verify/compare.js';
import { verify } from '../../src/verify/verify.js';

const NUM_RUNS = Number(process.env.VERIFY_PROPERTY_RUNS ?? 2000);
const SEED = process.env.VERIFY_PROPERTY_SEED === undefined ? 20261127 : Number(process.env.VERIFY_PROPERTY_SEED);
const validators = { standard: createValidator(loadSchemas(), 'standard'), experimental: createValidator(loadSchemas(), 'experimental') };
const N = 'nginx.ingress.kubernetes.io/';

const HOSTS = ['a.example.com', 'b.example.com', 'www.a.example.com', '*.example.com', '*.a.example.com', 'example.com', undefined];
const PLAIN_PATHS = ['/', '/api', '/api/', '/api/v1', '/docs/', '/static', '/.well-known/acme-challenge', '/API', '/v1.0/x'];
const REGEX_PATHS = ['/api(/|$)(.*)', '/legacy/(.*)', '/(img|css)/.+\\.png', '/items/[0-9]+', '/api/.*', '/health$'];
const SERVICES = ['svc-a', 'svc-b', 'svc-c'];

interface PathSpec {
  path: string;
  pathType: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  svc: string;
  port: number | string;
}
interface IngressSpec {
  namespace: string;
  name: string;
  created?: string;
  annotations: Record<string, string>;
  rules: { host?: string; paths?: PathSpec[] }[];
  tls: { hosts: string[]; secretName?: string }[];
  defaultBackend?: { svc: string; port: number };
}

const pathSpec = (regex: boolean): fc.Arbitrary<PathSpec> =>
  fc.record({
    path: regex ? fc.oneof(fc.constantFrom(...PLAIN_PATHS), fc.constantFrom(...REGEX_PATHS)) : fc.constantFrom(...PLAIN_PATHS),
    pathType: regex ? fc.constantFrom('ImplementationSpecific' as const, 'Prefix' as const, 'Exact' as const) : fc.constantFrom('Prefix' as const, 'Exact' as const, 'ImplementationSpecific' as const),
    svc: fc.constantFrom(...SERVICES),
    port: fc.constantFrom<number | string>(80, 80, 8080, 'http'),
  });

/** One annotation group at a time, with values ingress-nginx and the translation both accept (and a few they do not). */
const annotationGroup: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.record({ 'ssl-redirect': fc.constantFrom('true', 'false') }),
  fc.record({ 'force-ssl-redirect': fc.constant('true') }),
  fc.record({ 'use-regex': fc.constant('true') }),
  fc.record({ 'rewrite-target': fc.constantFrom('/', '/$2', '/$1', '/v2', '/new/$1', '/api') }, { requiredKeys: [] }).chain((r) =>
    fc.record({ 'use-regex': fc.constantFrom('true', 'false'), 'x-forwarded-prefix': fc.constantFrom('/p', '/$1') }, { requiredKeys: [] }).map((x) => ({ ...r, ...x })),
  ),
  fc.record({ 'app-root': fc.constantFrom('/app', '/start/') }),
  fc.record(
    {
      'permanent-redirect': fc.constantFrom('https://x.example.net/p', 'https://x.example.net/p?a=1', '/rel', 'http://x.example.net:8080/'),
      'permanent-redirect-code': fc.constantFrom('301', '302', '308', '300', '399'),
    },
    { requiredKeys: ['permanent-redirect'] },
  ),
  fc.record(
    { 'temporal-redirect': fc.constantFrom('https://t.example.net/t', '/rel', 'https://t.example.net/$1'), 'temporal-redirect-code': fc.constantFrom('302', '307', '301', '308') },
    { requiredKeys: ['temporal-redirect'] },
  ),
  fc.record({ 'from-to-www-redirect': fc.constant('true') }),
  fc.record({ 'upstream-vhost': fc.constantFrom('internal.app.svc', 'Internal.Example.com') }),
  fc.record({ 'server-alias': fc.constantFrom('alias.example.com', '*.alias.example.com, other.example.com', 'b.example.com', '.dot.example.com') }),
  fc.record({ 'ssl-passthrough': fc.constant('true') }),
  fc.record({ 'backend-protocol': fc.constantFrom('GRPC', 'HTTPS', 'http') }),
  fc.record({ 'custom-headers': fc.constantFrom('app/headers', 'app/missing', 'headers') }),
  fc.record({ 'mirror-target': fc.constantFrom('http://shadow.app.svc.cluster.local:8080$request_uri', 'https://ext.example.net$request_uri', 'http://shadow:9000/copy') }),
  fc.record({ 'auth-type': fc.constant('basic'), 'auth-secret': fc.constant('users') }),
);

const canaryGroup: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'canary-by-header': fc.constantFrom('X-Canary', 'x-env'),
      'canary-by-header-value': fc.constantFrom('yes', 'always'),
      'canary-by-header-pattern': fc.constantFrom('^v2', 'beta'),
      'canary-by-cookie': fc.constantFrom('beta', 'exp.group'),
      'canary-weight': fc.constantFrom('0', '20', '100', '150'),
      'canary-weight-total': fc.constantFrom('50', '200'),
    },
    { requiredKeys: [] },
  )
  .map((r) => ({ canary: 'true', ...r }));

const ingressSpec = (regex: boolean): fc.Arbitrary<IngressSpec> =>
  fc.record({
    namespace: fc.constantFrom('app', 'app', 'web'),
    name: fc.constantFrom('one', 'two', 'three', 'four'),
    created: fc.constantFrom(undefined, undefined, '2024-01-01T00:00:00Z', '2023-01-01T00:00:00Z'),
    annotations: fc
      .tuple(fc.array(annotationGroup, { maxLength: 2 }), fc.option(canaryGroup, { nil: undefined, freq: 5 }))
      .map(([groups, canary]) => Object.fromEntries(Object.entries(Object.assign({}, ...groups, canary ?? {})).map(([k, v]) => [N + k, v as string]))),
    rules: fc.array(
      fc.record({
        host: fc.constantFrom(...HOSTS),
        paths: fc.option(fc.array(pathSpec(regex), { minLength: 1, maxLength: 3 }), { nil: undefined, freq: 8 }),
      }),
      { minLength: 0, maxLength: 2 },
    ),
    tls: fc.array(
      fc.record({
        hosts: fc.array(fc.constantFrom(...HOSTS.filter((h): h is string => h !== undefined), 'alias.example.com', 'www.b.example.com'), { maxLength: 2 }),
        secretName: fc.option(fc.constantFrom('tls-a', 'tls-b'), { nil: undefined, freq: 6 }),
      }),
      { maxLength: 2 },
    ),
    defaultBackend: fc.option(fc.record({ svc: fc.constantFrom(...SERVICES), port: fc.constant(80) }), { nil: undefined, freq: 4 }),
  });

const options = fc.constantFrom<ConvertCliOptions>({}, {}, {}, {}, { gatewayMode: 'per-namespace' }, { target: 'envoy-gateway' }, { channel: 'experimental' });

const input = fc.record({
  ingresses: fc.boolean().chain((regex) => fc.uniqueArray(ingressSpec(regex), { minLength: 1, maxLength: 4, selector: (i) => `${i.namespace}/${i.name}` })),
  options,
});

function render(i: IngressSpec): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: i.name, namespace: i.namespace };
  if (i.created) metadata.creationTimestamp = i.created;
  if (Object.keys(i.annotations).length) metadata.annotations = i.annotations;
  const backend = (svc: string, port: number | string) => ({ service: { name: svc, port: typeof port === 'number' ? { number: port } : { name: port } } });
  const spec: Record<string, unknown> = { ingressClassName: 'nginx' };
  if (i.defaultBackend) spec.defaultBackend = backend(i.defaultBackend.svc, i.defaultBackend.port);
  if (i.tls.length) spec.tls = i.tls.map((t) => ({ hosts: t.hosts, ...(t.secretName ? { secretName: t.secretName } : {}) }));
  spec.rules = i.rules.map((r) => ({
    ...(r.host ? { host: r.host } : {}),
    ...(r.paths ? { http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backend(p.svc, p.port) })) } } : {}),
  }));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
}

const SUPPORT = [
  ...['app', 'web'].flatMap((ns) =>
    SERVICES.map((svc) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: svc, namespace: ns }, spec: { ports: [{ name: 'http', port: 8080, targetPort: 9000 }, { name: 'web', port: 80 }] } })),
  ),
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'headers', namespace: 'app' }, data: { 'X-Frame-Options': 'DENY', 'X-Team': 'shop' } },
];

describe('verify (property-based)', () => {
  it(`finds no unexplained difference for random ingress-nginx Ingresses (${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(input, ({ ingresses, options: cli }) => {
        const yaml = [...ingresses.map(render), ...SUPPORT].map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
        const docs = parseSource(yaml, 'input.yaml').documents;
        const r = verify(docs, { convert: buildConvertOptions(cli, 'TEST') }, validators[cli.channel === 'experimental' ? 'experimental' : 'standard']);
        const bad = r.differences.filter((d) => d.explainedBy.length === 0);
        if (bad.length > 0) {
          const show = bad
            .slice(0, 4)
            .map((d) => `${d.probe.scheme}://${d.probe.host}${d.probe.path}${d.probe.query ? `?${d.probe.query}` : ''} ${JSON.stringify(d.probe.headers)} [${d.aspects.join(',')}]\n  nginx: ${describeOutcome(d.source)} (${d.source.via})\n  gateway: ${describeOutcome(d.gateway)} (${d.gateway.via})`)
            .join('\n');
          throw new Error(`${bad.length} unexplained difference(s):\n${show}\n--- options ${JSON.stringify(cli)}\n${yaml}`);
        }
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
    );
  }, Math.max(60_000, NUM_RUNS * 60));
});
