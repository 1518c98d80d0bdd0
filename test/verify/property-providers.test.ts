/**
 * Property: for random Traefik and ALB Ingresses within the annotation space their providers
 * translate, `verify` finds no unexplained difference between the source model and the Gateway
 * API output (see property.test.ts for ingress-nginx and the rules of the game: a counterexample
 * is a translation bug, a model bug or a gap that needs a finding, never a reason to weaken a
 * model). VERIFY_PROPERTY_RUNS (default 2000, split between the two) and VERIFY_PROPERTY_SEED.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { buildConvertOptions, type ConvertCliOptions } from '../../src/cli/convert-command.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import { describeOutcome } from '../../src/verify/compare.js';
import { verify } from '../../src/verify/verify.js';

const NUM_RUNS = Math.max(1, Math.floor(Number(process.env.VERIFY_PROPERTY_RUNS ?? 2000) / 2));
const SEED = process.env.VERIFY_PROPERTY_SEED === undefined ? 20261127 : Number(process.env.VERIFY_PROPERTY_SEED);
const validator = createValidator(loadSchemas(), 'standard');

const HOSTS = ['a.example.com', 'b.example.com', '*.example.com', undefined];
const PATHS = ['/', '/api', '/api/', '/api/v1', '/docs', '/static/', '/API'];
const SERVICES = ['svc-a', 'svc-b'];

interface PathSpec {
  path: string;
  pathType: string;
  svc: string;
  port?: string;
}
interface IngressSpec {
  name: string;
  annotations: Record<string, string>;
  rules: { host?: string; paths: PathSpec[] }[];
  tls: { hosts: string[]; secretName: string }[];
  defaultBackend?: string;
}

const SUPPORT = SERVICES.map((svc) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: svc, namespace: 'app' }, spec: { ports: [{ name: 'http', port: 80 }] } }));

function render(className: string, i: IngressSpec): Record<string, unknown> {
  const backend = (svc: string, port?: string) => ({ service: { name: svc, port: port ? { name: port } : { number: 80 } } });
  const spec: Record<string, unknown> = { ingressClassName: className };
  if (i.defaultBackend) spec.defaultBackend = backend(i.defaultBackend);
  if (i.tls.length) spec.tls = i.tls;
  spec.rules = i.rules.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: r.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: backend(p.svc, p.port) })) } }));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: i.name, namespace: 'app', ...(Object.keys(i.annotations).length ? { annotations: i.annotations } : {}) }, spec };
}

function check(yaml: string, cli: ConvertCliOptions, label: string): void {
  const docs = parseSource(yaml, 'input.yaml').documents;
  const r = verify(docs, { convert: buildConvertOptions(cli, 'TEST') }, validator);
  const bad = r.differences.filter((d) => d.explainedBy.length === 0);
  if (bad.length > 0) {
    const show = bad
      .slice(0, 4)
      .map((d) => `${d.probe.method} ${d.probe.scheme}://${d.probe.host}${d.probe.path}${d.probe.query ? `?${d.probe.query}` : ''} ${JSON.stringify(d.probe.headers)} [${d.aspects.join(',')}]\n  ${label}: ${describeOutcome(d.source)} (${d.source.via})\n  gateway: ${describeOutcome(d.gateway)} (${d.gateway.via})`)
      .join('\n');
    throw new Error(`${bad.length} unexplained difference(s):\n${show}\n--- options ${JSON.stringify(cli)}\n${yaml}`);
  }
}

// Traefik: router annotations, Middlewares of the kinds the model simulates, entry points.
const T = 'traefik.ingress.kubernetes.io/';
const MIDDLEWARES: Record<string, Record<string, unknown>> = {
  strip: { stripPrefix: { prefixes: ['/api'] } },
  stripslash: { stripPrefix: { prefixes: ['/docs/'] } },
  add: { addPrefix: { prefix: '/v2' } },
  replace: { replacePath: { path: '/index.html' } },
  https: { redirectScheme: { scheme: 'https', permanent: true } },
  hdr: { headers: { customRequestHeaders: { 'X-Team': 'shop', 'X-Drop': '' }, customResponseHeaders: { 'X-Served-By': 'traefik' } } },
};
const traefikAnnotations: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'router.entrypoints': fc.constantFrom('web', 'websecure', 'web,websecure'),
      'router.tls': fc.constantFrom('true', 'false'),
      'router.priority': fc.constantFrom('1', '100'),
      'router.pathmatcher': fc.constantFrom('Path', 'PathPrefix'),
      'router.middlewares': fc.subarray(Object.keys(MIDDLEWARES), { minLength: 1, maxLength: 2 }).map((l) => l.map((m) => `app-${m}@kubernetescrd`).join(',')),
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [T + k, v])));

const traefikIngress: fc.Arbitrary<IngressSpec> = fc.record({
  name: fc.constantFrom('one', 'two', 'three'),
  annotations: traefikAnnotations,
  rules: fc.array(fc.record({ host: fc.constantFrom(...HOSTS), paths: fc.array(fc.record({ path: fc.constantFrom(...PATHS), pathType: fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific'), svc: fc.constantFrom(...SERVICES) }), { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
  tls: fc.array(fc.record({ hosts: fc.subarray(['a.example.com', 'b.example.com', '*.example.com'], { minLength: 1 }), secretName: fc.constantFrom('tls-a', 'tls-b') }), { maxLength: 1 }),
  defaultBackend: fc.option(fc.constantFrom(...SERVICES), { nil: undefined, freq: 4 }),
});

const traefikInput = fc.record({
  ingresses: fc.uniqueArray(traefikIngress, { minLength: 1, maxLength: 3, selector: (i) => i.name }),
  options: fc.constantFrom<ConvertCliOptions>({}, {}, { traefikEntrypoint: ['web=HTTP:80:redirect=websecure', 'websecure=HTTPS:443'] }),
});

// ALB: groups, listen-ports, ssl-redirect, actions, conditions.
const A = 'alb.ingress.kubernetes.io/';
const albAnnotations: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'group.order': fc.constantFrom('-1', '0', '5'),
      'listen-ports': fc.constantFrom('[{"HTTP": 80}]', '[{"HTTPS": 443}]', '[{"HTTP": 80}, {"HTTPS": 443}]'),
      'certificate-arn': fc.constant('arn:aws:acm:eu-west-1:111122223333:certificate/x'),
      'actions.redirect': fc.constantFrom(
        '{"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}',
        '{"type": "redirect", "redirectConfig": {"host": "new.example.com", "statusCode": "HTTP_302"}}',
      ),
      'actions.split': fc.constant('{"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc-a", "servicePort": "80", "weight": 80}, {"serviceName": "svc-b", "servicePort": 80, "weight": 20}]}}'),
      'conditions.svc-b': fc.constantFrom(
        '[{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Env", "values": ["beta"]}}]',
        '[{"field": "query-string", "queryStringConfig": {"values": [{"key": "v", "value": "2"}]}}]',
        '[{"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET", "HEAD"]}}]',
      ),
    },
    { requiredKeys: [] },
  )
  .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [A + k, v])));

const albIngress: fc.Arbitrary<IngressSpec> = fc.record({
  name: fc.constantFrom('one', 'two', 'three'),
  annotations: albAnnotations,
  rules: fc.array(
    fc.record({
      host: fc.constantFrom(...HOSTS),
      paths: fc.array(
        fc.oneof(
          fc.record({ path: fc.constantFrom(...PATHS), pathType: fc.constantFrom('Prefix', 'Exact'), svc: fc.constantFrom(...SERVICES) }),
          fc.record({ path: fc.constantFrom('/img/*', '/about', '/*'), pathType: fc.constant('ImplementationSpecific'), svc: fc.constantFrom(...SERVICES) }),
          fc.record({ path: fc.constantFrom('/', '/old'), pathType: fc.constant('Prefix'), svc: fc.constantFrom('redirect', 'split'), port: fc.constant('use-annotation') }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  tls: fc.constant([]),
  defaultBackend: fc.option(fc.constantFrom(...SERVICES), { nil: undefined, freq: 4 }),
});

/**
 * One load balancer (every Ingress in the group `shared`): with several, which one a host's DNS
 * name points at is not in the input (the models report such requests as not compared, or the
 * Gateways as split).
 */
const albInput = fc.record({
  ingresses: fc.uniqueArray(albIngress, { minLength: 1, maxLength: 3, selector: (i) => i.name }),
  ssl: fc.boolean(),
});

describe('verify (property-based), Traefik and ALB', () => {
  it(`finds no unexplained difference for random Traefik Ingresses (${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(traefikInput, ({ ingresses, options }) => {
        const mws = Object.entries(MIDDLEWARES).map(([name, spec]) => ({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name, namespace: 'app' }, spec }));
        const yaml = [...ingresses.map((i) => render('traefik', i)), ...mws, ...SUPPORT].map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
        check(yaml, options, 'traefik');
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
    );
  }, Math.max(60_000, NUM_RUNS * 60));

  it(`finds no unexplained difference for random ALB Ingresses (${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(albInput, ({ ingresses, ssl }) => {
        const grouped = ingresses.map((i): IngressSpec => ({ ...i, annotations: { ...i.annotations, [`${A}group.name`]: "shared" } }));
        const withSsl = grouped.map((i, n) => (ssl && n === 0 && (i.annotations[`${A}listen-ports`] ?? '').includes('HTTPS') ? { ...i, annotations: { ...i.annotations, [`${A}ssl-redirect`]: '443' } } : i));
        const yaml = [...withSsl.map((i) => render('alb', i)), ...SUPPORT].map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
        check(yaml, {}, 'alb');
      }),
      { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true },
    );
  }, Math.max(60_000, NUM_RUNS * 60));
});
