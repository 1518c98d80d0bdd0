/**
 * The AWS Load Balancer Controller source model against what v3.5.0 and the ALB do
 * (docs/research/alb.md, with source references in the model's modules): IngressGroups and their
 * order, listeners and ssl-redirect, rule order and path patterns, conditions, actions,
 * transforms, the default action.
 */
import { parseSource } from '../../src/inputs/parse.js';
import type { KubeObject } from '../../src/inputs/document.js';
import { globMatches } from '../../src/verify/sources/alb/evaluate.js';
import { albModel } from '../../src/verify/sources/alb/index.js';
import type { SourceInput } from '../../src/verify/sources/types.js';
import type { Outcome, Probe } from '../../src/verify/types.js';

function instance(yaml: string) {
  const docs = parseSource(yaml, 'in.yaml').documents;
  const services = new Map<string, KubeObject>();
  const ingressClasses = new Map<string, KubeObject>();
  for (const d of docs) {
    if (d.object.kind === 'Service') services.set(`${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name}`, d.object);
    if (d.object.kind === 'IngressClass') ingressClasses.set(d.object.metadata.name ?? '', d.object);
  }
  const input: SourceInput = { documents: docs, services, configMaps: new Map(), ingressClasses };
  return albModel.build(
    'alb',
    docs.filter((d) => d.object.kind === 'Ingress'),
    input,
  );
}

type PathSpec = [string, string, string] | [string, string, string, string];

function ing(name: string, opts: { host?: string; paths: PathSpec[]; ann?: Record<string, string>; ns?: string; defaultBackend?: string }): string {
  const ann = Object.entries(opts.ann ?? {})
    .map(([k, v]) => `    alb.ingress.kubernetes.io/${k}: ${JSON.stringify(v)}`)
    .join('\n');
  const backend = (svc: string, port?: string) => (port ? `{service: {name: ${svc}, port: {name: ${port}}}}` : `{service: {name: ${svc}, port: {number: 80}}}`);
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${opts.ns ?? 'app'}
${ann ? `  annotations:\n${ann}\n` : ''}spec:
  ingressClassName: alb
${opts.defaultBackend ? `  defaultBackend: ${backend(opts.defaultBackend)}\n` : ''}  rules:
    - ${opts.host ? `host: "${opts.host}"\n      ` : ''}http:
        paths:
${opts.paths.map(([p, t, svc, port]) => `          - {path: "${p}", pathType: ${t}, backend: ${backend(svc, port)}}`).join('\n')}
`;
}

const req = (path: string, p: Partial<Probe> = {}): Probe => ({ entry: 'alb', scheme: 'http', host: 'a.test', path, method: 'GET', headers: {}, reason: 't', ...p });

function svc(o: Outcome): string {
  if (o.kind === 'forward') return `${o.backends.map((b) => `${b.service}${o.backends.length > 1 ? `@${Math.round(b.weight * 100)}` : ''}`).join(',')} ${o.host}${o.path}`;
  if (o.kind === 'redirect') return `${o.status} ${o.location}`;
  if (o.kind === 'respond') return String(o.status);
  return o.kind;
}

describe('ALB model: path patterns and rule order', () => {
  it('matches ALB wildcards: * any characters, ? one, the whole value', () => {
    expect(globMatches('/img/*', '/img/a/b.png', false)).toBe(true);
    expect(globMatches('/img/*', '/img', false)).toBe(false);
    expect(globMatches('/a?c', '/abc', false)).toBe(true);
    expect(globMatches('/a?c', '/abbc', false)).toBe(false);
    expect(globMatches('/API', '/api', false)).toBe(false);
    expect(globMatches('*.A.test', 'x.y.a.test', true)).toBe(true);
  });

  const n = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'root'], ['/api', 'Prefix', 'api'], ['/api/v2', 'Prefix', 'v2'], ['/health', 'Exact', 'health'], ['/static/*', 'ImplementationSpecific', 'static'], ['/about', 'ImplementationSpecific', 'about']] }));
  it('sorts Exact first, then Prefix longest first: /api/v2 before /api before /', () => {
    expect(svc(n.evaluate(req('/api/v2/x')))).toBe('app/v2 a.test/api/v2/x');
    expect(svc(n.evaluate(req('/api')))).toBe('app/api a.test/api');
    expect(svc(n.evaluate(req('/apix')))).toBe('app/root a.test/apix');
    expect(svc(n.evaluate(req('/health')))).toBe('app/health a.test/health');
  });
  it('puts ImplementationSpecific patterns last, as written: /static/* does not take /static', () => {
    // Prefix "/" (/*) comes first in the rule order, so it takes every path.
    expect(svc(n.evaluate(req('/static/x')))).toBe('app/root a.test/static/x');
    const s = instance(ing('a', { host: 'a.test', paths: [['/static/*', 'ImplementationSpecific', 'static'], ['/about', 'ImplementationSpecific', 'about']] }));
    expect(svc(s.evaluate(req('/static/x')))).toBe('app/static a.test/static/x');
    expect(svc(s.evaluate(req('/static')))).toBe('404');
    expect(svc(s.evaluate(req('/about/x')))).toBe('404');
  });
  it('orders the members of a group by group.order, then namespace/name', () => {
    const g = instance(ing('b', { host: 'a.test', paths: [['/', 'Prefix', 'b']], ann: { 'group.name': 'g' } }) + ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'group.name': 'g', 'group.order': '5' } }));
    expect(svc(g.evaluate(req('/')))).toBe('app/b a.test/');
    const h = instance(ing('b', { host: 'a.test', paths: [['/', 'Prefix', 'b']], ann: { 'group.name': 'g' } }) + ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'group.name': 'g' } }));
    expect(svc(h.evaluate(req('/')))).toBe('app/a a.test/');
  });
  it('answers 404 for an unknown host, or the defaultBackend; a wildcard host takes any depth', () => {
    expect(svc(n.evaluate(req('/', { host: 'other.test' })))).toBe('404');
    const d = instance(ing('a', { host: '*.a.test', paths: [['/', 'Prefix', 'w']], defaultBackend: 'fallback' }));
    expect(svc(d.evaluate(req('/', { host: 'x.y.a.test' })))).toBe('app/w x.y.a.test/');
    expect(svc(d.evaluate(req('/', { host: 'other.test' })))).toBe('app/fallback other.test/');
  });
  it('does not serve an Ingress with an invalid group name', () => {
    const x = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'group.name': 'Bad_Name' } }));
    expect(x.probes().length).toBeGreaterThan(0);
    expect(svc(x.evaluate(req('/')))).toBe('0');
  });
});

describe('ALB model: listeners', () => {
  it('listens on HTTP 80 by default, on HTTPS 443 with a certificate', () => {
    const h = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']] }));
    expect(h.evaluate(req('/', { scheme: 'https' })).kind).toBe('tls-failure');
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'certificate-arn': 'arn:cert' } }));
    expect(svc(t.evaluate(req('/', { scheme: 'https' })))).toBe('app/a a.test/');
    expect(svc(t.evaluate(req('/')))).toBe('0');
  });
  it('redirects every request of the HTTP listeners with ssl-redirect (301, host, path and query kept)', () => {
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]', 'certificate-arn': 'arn:cert', 'ssl-redirect': '443' } }));
    expect(svc(t.evaluate(req('/x', { query: 'q=1' })))).toBe('301 https://a.test/x?q=1');
    expect(svc(t.evaluate(req('/x', { host: 'other.test' })))).toBe('301 https://other.test/x');
    expect(svc(t.evaluate(req('/x', { scheme: 'https' })))).toBe('app/a a.test/x');
  });
  it('takes the group, certificates and ssl-redirect port from IngressClassParams', () => {
    const t = instance(`---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: alb}
spec: {controller: ingress.k8s.aws/alb, parameters: {apiGroup: elbv2.k8s.aws, kind: IngressClassParams, name: p}}
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: IngressClassParams
metadata: {name: p}
spec: {group: {name: shared}, certificateArn: [arn:cert], sslRedirectPort: "443"}
${ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]' } })}${ing('b', { host: 'b.test', paths: [['/', 'Prefix', 'b']], ann: { 'group.name': 'ignored' } })}`);
    expect(svc(t.evaluate(req('/', { host: 'b.test', scheme: 'https' })))).toBe('app/b b.test/');
    expect(svc(t.evaluate(req('/', { host: 'a.test' })))).toBe('301 https://a.test/');
  });
});

describe('ALB model: actions, conditions, transforms', () => {
  const actions = ing('a', {
    host: 'a.test',
    paths: [
      ['/ssl', 'Prefix', 'ssl-redirect', 'use-annotation'],
      ['/canary', 'Prefix', 'canary', 'use-annotation'],
      ['/moved', 'Prefix', 'moved', 'use-annotation'],
      ['/down', 'Exact', 'down', 'use-annotation'],
      ['/nothing', 'Prefix', 'nothing', 'use-annotation'],
    ],
    ann: {
      'listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'certificate-arn': 'arn:cert',
      'actions.ssl-redirect': '{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}',
      'actions.canary': '{"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "blue", "servicePort": "80", "weight": 90}, {"serviceName": "green", "servicePort": 80, "weight": 10}]}}',
      'actions.moved': '{"type": "redirect", "redirectConfig": {"host": "b.test", "path": "/new/#{path}", "query": "from=a", "statusCode": "HTTP_302"}}',
      'actions.down': '{"type": "fixed-response", "fixedResponseConfig": {"statusCode": "503"}}',
    },
  });
  const a = instance(actions);
  it('forwards with weights, redirects with placeholders, answers fixed responses and 503 for a missing action', () => {
    expect(svc(a.evaluate(req('/canary')))).toBe('app/blue@90,app/green@10 a.test/canary');
    expect(svc(a.evaluate(req('/moved/x', { query: 'q=1' })))).toBe('302 http://b.test/new/moved/x?from=a');
    expect(svc(a.evaluate(req('/down')))).toBe('503');
    expect(svc(a.evaluate(req('/nothing')))).toBe('503');
    expect(svc(a.evaluate(req('/ssl/x')))).toBe('301 https://a.test/ssl/x');
  });
  it('drops a redirect that would redirect to itself (the rule optimizer)', () => {
    // On HTTPS:443 the ssl-redirect action changes nothing: the controller leaves it out.
    expect(svc(a.evaluate(req('/ssl/x', { scheme: 'https' })))).toBe('404');
  });
  const c = instance(
    ing('a', {
      host: 'a.test',
      paths: [['/api', 'Prefix', 'v2'], ['/search', 'Prefix', 'search'], ['/internal', 'Prefix', 'internal'], ['/', 'Prefix', 'v1']],
      ann: {
        'conditions.v2': '[{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Version", "values": ["2*"]}}, {"field": "http-request-method", "httpRequestMethodConfig": {"values": ["GET"]}}]',
        'transforms.v2': '[{"type": "url-rewrite", "urlRewriteConfig": {"rewrites": [{"regex": "^/api(.*)$", "replace": "/v2$1"}]}}, {"type": "host-header-rewrite", "hostHeaderRewriteConfig": {"rewrites": [{"regex": ".*", "replace": "internal.test"}]}}]',
        'conditions.search': '[{"field": "query-string", "queryStringConfig": {"values": [{"key": "q", "value": "Te?t"}, {"value": "debug"}]}}]',
        'conditions.internal': '[{"field": "source-ip", "sourceIpConfig": {"values": ["10.0.0.0/8"]}}]',
      },
    }),
  );
  it('ANDs the conditions, ORs their values, header values case-insensitive with wildcards', () => {
    expect(svc(c.evaluate(req('/api/x', { headers: { 'x-version': '2.1' } })))).toBe('app/v2 internal.test/v2/x');
    expect(svc(c.evaluate(req('/api/x', { headers: { 'x-version': '3' } })))).toBe('app/v1 a.test/api/x');
    expect(svc(c.evaluate(req('/api/x', { headers: { 'x-version': '2' }, method: 'POST' })))).toBe('app/v1 a.test/api/x');
  });
  it('matches query strings by key and value, or a value of any parameter', () => {
    expect(svc(c.evaluate(req('/search', { query: 'q=TEST' })))).toBe('app/search a.test/search?q=TEST');
    expect(svc(c.evaluate(req('/search', { query: 'x=debug' })))).toBe('app/search a.test/search?x=debug');
    expect(svc(c.evaluate(req('/search', { query: 'q=other' })))).toBe('app/v1 a.test/search?q=other');
  });
  it('does not guess a source-ip condition', () => {
    expect(c.evaluate(req('/internal')).kind).toBe('unknown');
  });
});

describe('ALB model: probes', () => {
  it('probes hosts, patterns and their neighbours, and conditions met and not', () => {
    const t = instance(
      ing('a', {
        host: '*.a.test',
        paths: [['/api', 'Prefix', 'v2']],
        ann: { 'conditions.v2': '[{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-Version", "values": ["2"]}}]' },
      }),
    );
    const probes = t.probes();
    const keys = new Set(probes.map((p) => `${p.scheme}://${p.host}${p.path} ${JSON.stringify(p.headers)}`));
    for (const k of ['http://gs-probe.a.test/api {"x-version":"2"}', 'https://gs-deep.gs-probe.a.test/api/x {}', 'http://gs-probe.a.test/apix {"x-version":"2-other"}', 'http://unknown-host.gateway-shift.invalid/ {}']) expect(keys).toContain(k);
    expect(t.hosts()).toEqual(['*.a.test']);
  });
});
