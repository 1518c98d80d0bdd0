/**
 * Property tests: random (but Kubernetes-plausible, sometimes odd) Ingress manifests, with
 * Services and IngressClasses now and then, rendered as a YAML stream and run through the whole
 * pipeline (parseSource -> convert with the real validator -> serializeObjects).
 *
 * Properties: convert never throws; everything it emits is valid Gateway API; the output does
 * not depend on document order; converting twice gives the same result; every
 * nginx.ingress.kubernetes.io/ annotation is accounted for by a finding; every Ingress path
 * either reaches an HTTPRoute match or has a finding pointing at it.
 *
 * Runs are seeded (deterministic). To explore further: PROPERTY_RUNS=5000 PROPERTY_SEED=<n>.
 */
import { INGRESS_NGINX_RULES } from '../src/providers/ingress-nginx/rules.js';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { buildConvertOptions, serializeObjects, type ConvertCliOptions } from '../src/cli/convert-command.js';
import { convert, type ConvertResult } from '../src/convert.js';
import type { Finding, SourcePosition } from '../src/findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../src/inputs/document.js';
import { parseSource } from '../src/inputs/parse.js';
import { createValidator } from '../src/validate/validator.js';

const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SEED = process.env.PROPERTY_SEED === undefined ? 20240611 : Number(process.env.PROPERTY_SEED);
const params = (offset: number): fc.Parameters<unknown> => ({ numRuns: NUM_RUNS, seed: SEED + offset, endOnFailure: false });

const validator = createValidator(loadSchemas(), 'standard');
const experimentalValidator = createValidator(loadSchemas(), 'experimental');
const NGINX = 'nginx.ingress.kubernetes.io/';
/** Keys the provider consumes (their effect is in the output, checked by the fixtures). */
const TRANSLATED = new Set(INGRESS_NGINX_RULES.filter((r) => r.status === 'translated' || r.status === 'partial').map((r) => r.key));

// ---------------------------------------------------------------------------------------------
// generators

type Backend = { svc: string; port: number | string } | { resource: { apiGroup?: string; kind: string; name: string } };

interface PathSpec {
  path: string | undefined;
  pathType: string | undefined;
  backend: Backend;
}

interface RuleSpec {
  host: string | undefined;
  /** undefined: a host-only rule (no http). */
  paths: PathSpec[] | undefined;
}

interface IngressSpec {
  apiVersion: 'networking.k8s.io/v1' | 'networking.k8s.io/v1beta1' | 'extensions/v1beta1';
  namespace: string | undefined;
  name: string;
  klass: { how: 'spec' | 'annotation' | 'none'; name: string };
  annotations: [string, string | number | boolean][];
  rules: RuleSpec[];
  tls: { hosts: string[] | undefined; secretName: string | undefined }[];
  defaultBackend: Backend | undefined;
  creationTimestamp: string | undefined;
}

interface ServiceSpec {
  namespace: string | undefined;
  name: string;
  ports: { name: string | undefined; port: number; targetPort: number | string | undefined }[];
}

interface ClassSpec {
  name: string;
  controller: string;
  isDefault: boolean;
}

interface Input {
  ingresses: IngressSpec[];
  services: ServiceSpec[];
  classes: ClassSpec[];
  options: ConvertCliOptions;
}

const NAMESPACES = [undefined, 'default', 'team-a', 'team-b', 'gateway-system'];
const SERVICE_NAMES = ['svc-a', 'svc-b', 'web', 'api'];
const PORT_NAMES = ['http', 'web', 'grpc'];

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const generatedHost = fc
  .tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 3 }), fc.constantFrom('example.com', 'test', 'co.uk'), fc.boolean())
  .map(([wild, labels, tld, upper]) => {
    const h = `${wild ? '*.' : ''}${labels.join('.')}.${tld}`;
    return upper ? h.toUpperCase() : h;
  });
/** The longest hosts Kubernetes accepts: 253 characters, labels of up to 63. */
const LONG_HOST = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
const LONG_WILDCARD = `*.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(59)}`;
const host = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      undefined,
      'foo.example.com',
      'bar.example.com',
      'a.foo.example.com',
      '*.example.com',
      'wildcard.example.com',
      '*.foo.example.com',
      'FOO.Example.com',
      '*.EXAMPLE.COM',
      'localhost',
      'x-1.y',
    ),
  },
  { weight: 2, arbitrary: generatedHost },
  { weight: 1, arbitrary: fc.constantFrom(LONG_HOST, LONG_HOST.replace(/d$/, 'e'), LONG_WILDCARD, `x.${LONG_WILDCARD.slice(2)}`) },
);

const segment = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9._~-]{1,8}$/) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ab/%2F.()|$^*?[]{}+ ;:@!&=#\'"\\é'.split('')), minLength: 1, maxLength: 5 }) },
);
const generatedPath = fc
  .tuple(fc.array(segment, { minLength: 0, maxLength: 3 }), fc.boolean())
  .map(([segs, slash]) => `/${segs.join('/')}${slash && segs.length ? '/' : ''}`);
const path = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      '/',
      '/api',
      '/api/',
      '/API',
      '/api//v1',
      '//',
      '/api(/|$)(.*)',
      '/.*',
      '/[a-z]+',
      '/{id}',
      '/.well-known/acme-challenge',
      '/.well-known/acme-challenge/',
      '/a b',
      '/%2Fx',
      '/%zz',
      '/café',
      '',
      'api',
      '/foo/../bar',
      '/foo/.',
      '/*',
      '/api/*',
      '/~user',
      '/a;b=c',
      '/$1',
      '/v1.0/',
      '/a?b=c',
      '/a#frag',
      '/' + 'x'.repeat(1030),
      undefined,
    ),
  },
  { weight: 6, arbitrary: generatedPath },
);
const pathType = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific') },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'prefix', 'Regex') },
);
const backend: fc.Arbitrary<Backend> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      svc: fc.constantFrom(...SERVICE_NAMES),
      port: fc.oneof(fc.constantFrom(80, 8080, 443, 1, 65535), fc.constantFrom(...PORT_NAMES)),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } }) },
);
const pathSpec: fc.Arbitrary<PathSpec> = fc.record({ path, pathType, backend });
const ruleSpec: fc.Arbitrary<RuleSpec> = fc.record({
  host,
  paths: fc.oneof(
    { weight: 16, arbitrary: fc.array(pathSpec, { minLength: 1, maxLength: 4 }) },
    { weight: 2, arbitrary: fc.array(pathSpec, { minLength: 5, maxLength: 20 }) },
    // More rules than one HTTPRoute may hold (16).
    {
      weight: 1,
      arbitrary: fc.array(
        fc.record({
          path: fc.array(fc.stringMatching(/^[a-z0-9]{1,6}$/), { minLength: 1, maxLength: 2 }).map((s) => `/${s.join('/')}`),
          pathType: fc.constantFrom('Prefix', 'Exact'),
          backend: fc.record({ svc: fc.constantFrom(...SERVICE_NAMES), port: fc.constantFrom(80, 8080) }),
        }),
        { minLength: 17, maxLength: 40 },
      ),
    },
    { weight: 2, arbitrary: fc.constant(undefined) },
  ),
});
const annotationKey = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      ...[
        'rewrite-target',
        'ssl-redirect',
        'force-ssl-redirect',
        'use-regex',
        'proxy-body-size',
        'canary',
        'canary-weight',
        'whitelist-source-range',
        'configuration-snippet',
        'backend-protocol',
        'auth-url',
        'permanent-redirect',
        'app-root',
        'enable-cors',
        'Some-Unknown-Thing',
      ].map((k) => NGINX + k),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'cert-manager.io/cluster-issuer',
      'acme.cert-manager.io/http01-edit-in-place',
      'kubernetes.io/tls-acme',
      'external-dns.alpha.kubernetes.io/hostname',
      'external-dns.alpha.kubernetes.io/target',
      'kubectl.kubernetes.io/last-applied-configuration',
      'traefik.ingress.kubernetes.io/router.entrypoints',
    ),
  },
);
const annotationValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('true', 'false', '/$2', '8m', '0', '', '10.0.0.0/8,192.168.0.0/16', 'https://auth.example.com/verify', 'weird "quoted" value', 'multi\nline', 'GRPC') },
  { weight: 1, arbitrary: fc.constantFrom<number | boolean>(true, 42) },
);
const ingressSpec: fc.Arbitrary<IngressSpec> = fc.record({
  apiVersion: fc.oneof(
    { weight: 6, arbitrary: fc.constant('networking.k8s.io/v1' as const) },
    { weight: 1, arbitrary: fc.constantFrom('networking.k8s.io/v1beta1' as const, 'extensions/v1beta1' as const) },
  ),
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom('app', 'web', 'app-web', 'a', 'web-foo.example.com', 'api.v1', 'x'.repeat(63), 'n'.repeat(240)),
  klass: fc.record({ how: fc.constantFrom('spec' as const, 'spec' as const, 'annotation' as const, 'none' as const), name: fc.constantFrom('nginx', 'nginx', 'internal', 'traefik') }),
  annotations: fc.uniqueArray(fc.tuple(annotationKey, annotationValue), { maxLength: 4, selector: ([k]) => k }),
  rules: fc.oneof({ weight: 8, arbitrary: fc.array(ruleSpec, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant<RuleSpec[]>([]) }),
  tls: fc.array(
    fc.oneof(
      {
        weight: 30,
        arbitrary: fc.record({
          hosts: fc.option(fc.array(host.filter((h): h is string => h !== undefined), { maxLength: 2 }), { nil: undefined }),
          secretName: fc.option(fc.constantFrom('tls-a', 'tls-b', 'wildcard-tls'), { nil: undefined, freq: 4 }),
        }),
      },
      // More certificates than one Gateway has listeners for (ListenerSets).
      { weight: 1, arbitrary: fc.record({ hosts: fc.array(generatedHost, { minLength: 60, maxLength: 140 }), secretName: fc.constant('bulk-tls') }) },
    ),
    { maxLength: 2 },
  ),
  defaultBackend: fc.option(backend, { nil: undefined, freq: 3 }),
  creationTimestamp: fc.constantFrom(undefined, undefined, '2024-01-01T00:00:00Z', '2023-06-01T12:00:00Z'),
});
const serviceSpec: fc.Arbitrary<ServiceSpec> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom(...SERVICE_NAMES),
  ports: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(undefined, ...PORT_NAMES, 'metrics'),
      port: fc.constantFrom(80, 8080, 9000, 443),
      targetPort: fc.constantFrom(undefined, 8080, 80, 'http', 3000),
    }),
    { minLength: 1, maxLength: 3, selector: (p) => p.port },
  ),
});
const classSpec: fc.Arbitrary<ClassSpec> = fc.record({
  name: fc.constantFrom('nginx', 'internal', 'traefik'),
  controller: fc.constantFrom('k8s.io/ingress-nginx', 'k8s.io/internal-ingress-nginx', 'traefik.io/ingress-controller', 'example.com/unknown'),
  isDefault: fc.boolean(),
});
const options: fc.Arbitrary<ConvertCliOptions> = fc.constantFrom<ConvertCliOptions>(
  {},
  {},
  {},
  { gatewayMode: 'per-namespace' },
  { gatewayClass: 'eg' },
  { gatewayNamespace: 'edge' },
  { parentRef: 'infra/shared-gw/https' },
  { providers: 'ingress-nginx' },
  { channel: 'experimental' },
);

const nsKey = (o: { namespace: string | undefined; name: string }): string => `${o.namespace ?? 'default'}/${o.name}`;

/** Unique (namespace, name) per kind, so that document order cannot legitimately matter. */
const input: fc.Arbitrary<Input> = fc.record({
  ingresses: fc.uniqueArray(ingressSpec, { minLength: 1, maxLength: 5, selector: nsKey }),
  services: fc.oneof({ weight: 1, arbitrary: fc.constant<ServiceSpec[]>([]) }, { weight: 3, arbitrary: fc.uniqueArray(serviceSpec, { maxLength: 6, selector: nsKey }) }),
  classes: fc.oneof({ weight: 3, arbitrary: fc.constant<ClassSpec[]>([]) }, { weight: 1, arbitrary: fc.uniqueArray(classSpec, { maxLength: 2, selector: (c) => c.name }) }),
  options,
});

// ---------------------------------------------------------------------------------------------
// rendering

function renderBackend(b: Backend, legacy: boolean): Record<string, unknown> {
  if ('resource' in b) return { resource: { ...b.resource } };
  if (legacy) return { serviceName: b.svc, servicePort: b.port };
  return { service: { name: b.svc, port: typeof b.port === 'number' ? { number: b.port } : { name: b.port } } };
}

function renderIngress(s: IngressSpec): Record<string, unknown> {
  const legacy = s.apiVersion !== 'networking.k8s.io/v1';
  const metadata: Record<string, unknown> = { name: s.name };
  if (s.namespace !== undefined) metadata.namespace = s.namespace;
  if (s.creationTimestamp !== undefined) metadata.creationTimestamp = s.creationTimestamp;
  const annotations: Record<string, unknown> = Object.fromEntries(s.annotations);
  if (s.klass.how === 'annotation') annotations['kubernetes.io/ingress.class'] = s.klass.name;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const spec: Record<string, unknown> = {};
  if (s.klass.how === 'spec') spec.ingressClassName = s.klass.name;
  if (s.defaultBackend) spec[legacy ? 'backend' : 'defaultBackend'] = renderBackend(s.defaultBackend, legacy);
  if (s.tls.length) {
    spec.tls = s.tls.map((t) => {
      const o: Record<string, unknown> = {};
      if (t.hosts !== undefined) o.hosts = t.hosts;
      if (t.secretName !== undefined) o.secretName = t.secretName;
      return o;
    });
  }
  if (s.rules.length) {
    spec.rules = s.rules.map((r) => {
      const o: Record<string, unknown> = {};
      if (r.host !== undefined) o.host = r.host;
      if (r.paths !== undefined) {
        o.http = {
          paths: r.paths.map((p) => {
            const po: Record<string, unknown> = {};
            if (p.path !== undefined) po.path = p.path;
            if (p.pathType !== undefined) po.pathType = p.pathType;
            po.backend = renderBackend(p.backend, legacy);
            return po;
          }),
        };
      }
      return o;
    });
  }
  return { apiVersion: s.apiVersion, kind: 'Ingress', metadata, spec };
}

function renderService(s: ServiceSpec): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: s.name };
  if (s.namespace !== undefined) metadata.namespace = s.namespace;
  const ports = s.ports.map((p) => {
    const o: Record<string, unknown> = {};
    if (p.name !== undefined) o.name = p.name;
    o.port = p.port;
    if (p.targetPort !== undefined) o.targetPort = p.targetPort;
    return o;
  });
  return { apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: { app: s.name }, ports } };
}

function renderClass(c: ClassSpec): Record<string, unknown> {
  const metadata: Record<string, unknown> = { name: c.name };
  if (c.isDefault) metadata.annotations = { 'ingressclass.kubernetes.io/is-default-class': 'true' };
  return { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata, spec: { controller: c.controller } };
}

function documentsOf(i: Input): string[] {
  return [...i.classes.map(renderClass), ...i.ingresses.map(renderIngress), ...i.services.map(renderService)].map((o) => stringify(o, { lineWidth: 0 }));
}

const yamlStream = (docs: readonly string[]): string => docs.join('---\n');

/** Fisher-Yates with a small seeded PRNG (mulberry32). */
function shuffle<T>(xs: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// running

interface Run {
  documents: SourceDocument[];
  result: ConvertResult;
  yaml: string;
}

function runDocs(documents: SourceDocument[], cli: ConvertCliOptions): Run {
  const opts = buildConvertOptions(cli, 'TEST');
  const v = cli.channel === 'experimental' ? experimentalValidator : validator;
  const result = convert(documents, opts, v);
  return { documents, result, yaml: serializeObjects(result.objects, 'yaml') };
}

function run(text: string, cli: ConvertCliOptions): Run {
  return runDocs(parseSource(text, 'input.yaml').documents, cli);
}

/** Findings without positions (which move when documents move), in a canonical order. */
function positionFree(findings: readonly Finding[]): string[] {
  return findings.map(({ position: _position, ...rest }) => JSON.stringify(rest, Object.keys(rest).sort())).sort();
}

function describeInput(text: string, cli: ConvertCliOptions): string {
  return `options: ${JSON.stringify(cli)}\n${text}`;
}

function isIngressDoc(d: SourceDocument): boolean {
  return d.object.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\/(v1|v1beta1)$/.test(d.object.apiVersion);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every field path inside `value` (itself included), below `at`. */
function fieldPaths(value: unknown, at: FieldPath): FieldPath[] {
  const out: FieldPath[] = [at];
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) out.push(...fieldPaths(v, [...at, k]));
  else if (Array.isArray(value)) value.forEach((v, i) => out.push(...fieldPaths(v, [...at, i])));
  return out;
}

const samePosition = (a: SourcePosition | undefined, b: SourcePosition): boolean => a !== undefined && a.line === b.line && a.column === b.column && a.file === b.file;

function sameObject(f: Finding, o: KubeObject): boolean {
  return f.object?.kind === 'Ingress' && f.object.name === o.metadata.name && (f.object.namespace ?? 'default') === (o.metadata.namespace ?? 'default');
}

/** Path values of the HTTPRoutes (and the gRPC paths of the GRPCRoutes) for a namespace and hostname. */
function httpRoutePathValues(objects: readonly KubeObject[], namespace: string, hostname: string): Set<string> {
  const values = new Set<string>();
  for (const o of objects) {
    if ((o.kind !== 'HTTPRoute' && o.kind !== 'GRPCRoute') || (o.metadata.namespace ?? 'default') !== namespace || !isRecord(o.spec)) continue;
    const hostnames = Array.isArray(o.spec.hostnames) ? o.spec.hostnames : [];
    if (hostname === '' ? hostnames.length !== 0 : !hostnames.includes(hostname)) continue;
    for (const rule of Array.isArray(o.spec.rules) ? o.spec.rules : []) {
      if (!isRecord(rule)) continue;
      if (o.kind === 'GRPCRoute') {
        // gRPC calls are POST /service/method: a method match stands for that path.
        const m = Array.isArray(rule.matches) && isRecord(rule.matches[0]) && isRecord(rule.matches[0].method) ? rule.matches[0].method : undefined;
        values.add(m ? `/${String(m.service ?? '')}${m.method ? `/${String(m.method)}` : ''}` : '/');
        continue;
      }
      for (const m of Array.isArray(rule.matches) ? rule.matches : []) {
        if (isRecord(m) && isRecord(m.path) && typeof m.path.value === 'string') values.add(m.path.value);
      }
    }
  }
  return values;
}

// ---------------------------------------------------------------------------------------------

describe('convert (property-based)', () => {
  const text = (i: Input): string => yamlStream(documentsOf(i));

  it('never throws and emits only valid Gateway API objects', () => {
    fc.assert(
      fc.property(input, (i) => {
        const src = text(i);
        const { result } = run(src, i.options);
        const invalid = result.findings.filter((f) => f.ruleId === 'core/invalid-output');
        if (result.stats.invalidObjects !== 0 || invalid.length > 0) {
          throw new Error(`invalid output: ${invalid.map((f) => f.message).join('\n')}\n--- input\n${describeInput(src, i.options)}`);
        }
      }),
      params(0),
    );
  });

  it('does not depend on the order of the input documents', () => {
    fc.assert(
      fc.property(input, fc.integer(), (i, seed) => {
        const docs = documentsOf(i);
        const a = run(yamlStream(docs), i.options);
        const b = run(yamlStream(shuffle(docs, seed)), i.options);
        expect(b.yaml).toBe(a.yaml);
        expect(positionFree(b.result.findings)).toEqual(positionFree(a.result.findings));
        expect(b.result.stats).toEqual(a.result.stats);
      }),
      params(1),
    );
  });

  it('gives the same result when run twice (same parsed documents, and a fresh parse)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const src = text(i);
        const parsed = parseSource(src, 'input.yaml').documents;
        const first = runDocs(parsed, i.options);
        const again = runDocs(parsed, i.options);
        const fresh = run(src, i.options);
        expect(again.yaml).toBe(first.yaml);
        expect(again.result.findings).toEqual(first.result.findings);
        expect(fresh.yaml).toBe(first.yaml);
        expect(fresh.result.findings).toEqual(first.result.findings);
      }),
      params(2),
    );
  });

  it('accounts for every nginx.ingress.kubernetes.io/ annotation: translated by the rule table, or in a finding', () => {
    fc.assert(
      fc.property(input, (i) => {
        const src = text(i);
        const { documents, result } = run(src, i.options);
        for (const d of documents.filter(isIngressDoc)) {
          if (!d.object.metadata.name) continue;
          for (const key of Object.keys(d.object.metadata.annotations ?? {})) {
            if (!key.startsWith(NGINX) || TRANSLATED.has(key)) continue;
            const found = result.findings.some((f) => f.field !== undefined && f.field.includes(key) && sameObject(f, d.object));
            if (!found) throw new Error(`annotation ${key} of Ingress ${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name} has no finding\n--- input\n${describeInput(src, i.options)}`);
          }
        }
      }),
      params(3),
    );
  });

  it('translates every Ingress path to an HTTPRoute match, or reports on it', () => {
    fc.assert(
      fc.property(input, (i) => {
        const src = text(i);
        const { documents, result } = run(src, i.options);
        // Objects that failed validation were dropped: that is property (b)'s failure, not this one's.
        fc.pre(result.stats.invalidObjects === 0);
        for (const d of documents.filter(isIngressDoc)) {
          const o = d.object;
          if (!o.metadata.name || !isRecord(o.spec) || !Array.isArray(o.spec.rules)) continue;
          const namespace = o.metadata.namespace ?? 'default';
          const own = result.findings.filter((f) => sameObject(f, o));
          o.spec.rules.forEach((r: unknown, ri: number) => {
            if (!isRecord(r) || !isRecord(r.http) || !Array.isArray(r.http.paths)) return;
            const hostname = typeof r.host === 'string' ? r.host.toLowerCase() : '';
            const values = httpRoutePathValues(result.objects, namespace, hostname);
            r.http.paths.forEach((p: unknown, pi: number) => {
              const at: FieldPath = ['spec', 'rules', ri, 'http', 'paths', pi];
              const value = isRecord(p) && typeof p.path === 'string' ? p.path : '/';
              if (values.has(value)) return;
              const positions = fieldPaths(p, at).map((fp) => d.locate(fp));
              if (own.some((f) => positions.some((pos) => samePosition(f.position, pos)))) return;
              throw new Error(
                `path ${JSON.stringify(value)} (host ${hostname || '(none)'}) of Ingress ${namespace}/${o.metadata.name} is in no HTTPRoute and no finding points at it\n--- findings\n${own
                  .map((f) => `${f.ruleId} ${f.position?.line}: ${f.message}`)
                  .join('\n')}\n--- input\n${describeInput(src, i.options)}`,
              );
            });
          });
        }
      }),
      params(4),
    );
  });
});
