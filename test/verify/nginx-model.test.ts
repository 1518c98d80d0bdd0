/**
 * The ingress-nginx source model against what controller-v1.15.1 does (docs/research, with
 * source references in the model's modules): server and location selection, regex mode,
 * rewrites, HTTPS redirects, certificates, canaries, redirects and default backends.
 */
import { parseSource } from '../../src/inputs/parse.js';
import type { KubeObject } from '../../src/inputs/document.js';
import { ingressNginxModel } from '../../src/verify/sources/ingress-nginx/index.js';
import type { SourceInput } from '../../src/verify/sources/types.js';
import type { Outcome, Probe } from '../../src/verify/types.js';

function instance(yaml: string) {
  const docs = parseSource(yaml, 'in.yaml').documents;
  const services = new Map<string, KubeObject>();
  const configMaps = new Map<string, KubeObject>();
  for (const d of docs) {
    const k = `${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name}`;
    if (d.object.kind === 'Service') services.set(k, d.object);
    if (d.object.kind === 'ConfigMap') configMaps.set(k, d.object);
  }
  const input: SourceInput = { documents: docs, services, configMaps, ingressClasses: new Map() };
  return ingressNginxModel.build(
    'nginx',
    docs.filter((d) => d.object.kind === 'Ingress'),
    input,
  );
}

function ing(name: string, opts: { host?: string; paths: [string, string, string][]; ann?: Record<string, string>; tls?: string; ts?: string; ns?: string; defaultBackend?: string }): string {
  const ann = Object.entries(opts.ann ?? {})
    .map(([k, v]) => `    nginx.ingress.kubernetes.io/${k}: ${JSON.stringify(v)}`)
    .join('\n');
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: ${opts.ns ?? 'app'}
${opts.ts ? `  creationTimestamp: "${opts.ts}"\n` : ''}${ann ? `  annotations:\n${ann}\n` : ''}spec:
  ingressClassName: nginx
${opts.defaultBackend ? `  defaultBackend: {service: {name: ${opts.defaultBackend}, port: {number: 80}}}\n` : ''}${opts.tls ? `  tls: [{hosts: ["${opts.host}"], secretName: ${opts.tls}}]\n` : ''}  rules:
    - ${opts.host ? `host: "${opts.host}"\n      ` : ''}http:
        paths:
${opts.paths.map(([p, t, svc]) => `          - {path: "${p}", pathType: ${t}, backend: {service: {name: ${svc}, port: {number: 80}}}}`).join('\n')}
`;
}

const req = (path: string, p: Partial<Probe> = {}): Probe => ({ entry: 'nginx', scheme: 'http', host: 'a.test', path, method: 'GET', headers: {}, reason: 't', ...p });

function svc(o: Outcome): string {
  if (o.kind === 'forward') return o.backends.map((b) => `${b.service}${o.backends.length > 1 ? `@${Math.round(b.weight * 100)}` : ''}`).join(',');
  if (o.kind === 'redirect') return `${o.status} ${o.location}`;
  if (o.kind === 'respond') return String(o.status);
  return o.kind;
}

describe('ingress-nginx model: locations', () => {
  const n = instance(
    ing('a', {
      host: 'a.test',
      paths: [
        ['/', 'Prefix', 'root'],
        ['/api', 'Prefix', 'api'],
        ['/api', 'Exact', 'exact'],
        ['/docs/', 'Prefix', 'docs'],
        ['/img', 'ImplementationSpecific', 'img'],
      ],
    }),
  );
  it.each([
    ['/api', 'app/exact'],
    ['/api/', 'app/api'],
    ['/api/x', 'app/api'],
    ['/apix', 'app/root'],
    ['/API', 'app/root'],
    ['/docs', '301 http://a.test/docs/'],
    ['/docs/', 'app/docs'],
    ['/img', 'app/img'],
    ['/img/a', 'app/img'],
    ['/imgx', 'app/root'],
  ])('%s -> %s', (path, want) => {
    expect(svc(n.evaluate(req(path)))).toBe(want);
  });
  it('sends an unknown host to the default server, a one-label wildcard only one label deep', () => {
    const w = instance(ing('w', { host: '*.w.test', paths: [['/', 'Prefix', 'wild']] }) + ing('d', { paths: [['/', 'Prefix', 'catchall']] }));
    expect(svc(w.evaluate(req('/', { host: 'x.w.test' })))).toBe('app/wild');
    expect(svc(w.evaluate(req('/', { host: 'y.x.w.test' })))).toBe('app/catchall');
    expect(svc(w.evaluate(req('/', { host: 'other.test' })))).toBe('app/catchall');
  });
  it('keeps the first Ingress of a host+path (oldest, then namespace/name descending)', () => {
    const d = instance(ing('a', { host: 'a.test', paths: [['/x', 'Prefix', 'first-by-name']] }) + ing('b', { host: 'a.test', paths: [['/x', 'Prefix', 'b']] }));
    expect(svc(d.evaluate(req('/x')))).toBe('app/b');
    const t = instance(ing('a', { host: 'a.test', ts: '2020-01-01T00:00:00Z', paths: [['/x', 'Prefix', 'old']] }) + ing('b', { host: 'a.test', ts: '2021-01-01T00:00:00Z', paths: [['/x', 'Prefix', 'b']] }));
    expect(svc(t.evaluate(req('/x')))).toBe('app/old');
  });
  it('uses the host owner\u2019s defaultBackend for unmatched paths, else 404', () => {
    const d = instance(ing('a', { host: 'a.test', defaultBackend: 'fallback', paths: [['/x', 'Prefix', 'x']] }) + ing('b', { host: 'b.test', paths: [['/y', 'Prefix', 'y']] }));
    expect(svc(d.evaluate(req('/other')))).toBe('app/fallback');
    expect(svc(d.evaluate(req('/other', { host: 'b.test' })))).toBe('404');
  });
});

describe('ingress-nginx model: regex mode and rewrites', () => {
  const n = instance(
    ing('r', { host: 'a.test', ann: { 'rewrite-target': '/$2' }, paths: [['/api(/|$)(.*)', 'ImplementationSpecific', 'api']] }) +
      ing('plain', { host: 'a.test', paths: [['/static', 'Prefix', 'static'], ['/health', 'Exact', 'health']] }),
  );
  it('makes every location of the host a case-insensitive regex anchored at the start', () => {
    expect(svc(n.evaluate(req('/STATIC/x')))).toBe('app/static');
    expect(svc(n.evaluate(req('/staticx')))).toBe('app/static');
    expect(svc(n.evaluate(req('/healthz')))).toBe('app/health');
  });
  it('rewrites the whole URI with the capture groups, keeping the query', () => {
    expect(n.evaluate(req('/api/users', { query: 'a=1' }))).toMatchObject({ kind: 'forward', path: '/users?a=1' });
    expect(n.evaluate(req('/API'))).toMatchObject({ kind: 'forward', path: '/' });
    const full = instance(ing('f', { host: 'a.test', ann: { 'rewrite-target': '/' }, paths: [['/app', 'Prefix', 'app']] }));
    expect(full.evaluate(req('/app/deep/x'))).toMatchObject({ kind: 'forward', path: '/' });
  });
});

describe('ingress-nginx model: TLS and HTTPS redirects', () => {
  const n = instance(
    ing('shop', { host: 'shop.test', tls: 'shop-tls', paths: [['/', 'Prefix', 'web']] }) +
      ing('api', { host: 'shop.test', paths: [['/api', 'Prefix', 'api'], ['/.well-known/acme-challenge', 'Prefix', 'acme']] }) +
      ing('open', { host: 'open.test', ann: { 'ssl-redirect': 'false' }, paths: [['/', 'Prefix', 'open']] }),
  );
  it('redirects every path of a host with a certificate, whichever Ingress has the tls section, and strips a trailing slash', () => {
    expect(svc(n.evaluate(req('/api/x/', { host: 'shop.test', query: undefined })))).toBe('308 https://shop.test/api/x');
    expect(svc(n.evaluate(req('/', { host: 'shop.test' })))).toBe('308 https://shop.test/');
    expect(svc(n.evaluate(req('/api/x', { host: 'shop.test', scheme: 'https' })))).toBe('app/api');
  });
  it('never redirects ACME challenge locations', () => {
    expect(svc(n.evaluate(req('/.well-known/acme-challenge/t', { host: 'shop.test' })))).toBe('app/acme');
  });
  it('serves a host without a certificate over HTTPS only with the default certificate (a TLS failure for a validating client)', () => {
    expect(n.evaluate(req('/', { host: 'open.test', scheme: 'https' })).kind).toBe('tls-failure');
    expect(svc(n.evaluate(req('/', { host: 'open.test' })))).toBe('app/open');
  });
  it('gives a host the default certificate when its first Ingress with tls does not list it', () => {
    const d = instance(
      ing('first', { host: 'b.test', ts: '2020-01-01T00:00:00Z', paths: [['/', 'Prefix', 'b']] }).replace('  rules:', '  tls: [{hosts: [other.test], secretName: other}]\n  rules:') +
        ing('second', { host: 'b.test', ts: '2021-01-01T00:00:00Z', tls: 'b-tls', paths: [['/x', 'Prefix', 'x']] }),
    );
    expect(svc(d.evaluate(req('/', { host: 'b.test' })))).toBe('308 https://b.test/');
    expect(d.evaluate(req('/', { host: 'b.test', scheme: 'https' })).kind).toBe('tls-failure');
  });
});

describe('ingress-nginx model: canaries and redirects', () => {
  const canary = (ann: Record<string, string>) =>
    instance(ing('main', { host: 'a.test', paths: [['/', 'Prefix', 'v1'], ['/other', 'Prefix', 'v1']] }) + ing('canary', { host: 'a.test', ann: { canary: 'true', ...ann }, paths: [['/', 'Prefix', 'v2']] }));
  it('decides header, then cookie, then weight', () => {
    const n = canary({ 'canary-by-header': 'X-Canary', 'canary-by-cookie': 'beta', 'canary-weight': '20' });
    expect(svc(n.evaluate(req('/', { headers: { 'x-canary': 'always' } })))).toBe('app/v2');
    expect(svc(n.evaluate(req('/', { headers: { 'x-canary': 'never', cookie: 'beta=always' } })))).toBe('app/v1');
    expect(svc(n.evaluate(req('/', { headers: { 'x-canary': 'other', cookie: 'a=1; beta=always' } })))).toBe('app/v2');
    expect(svc(n.evaluate(req('/', { headers: { cookie: 'beta=never' } })))).toBe('app/v1');
    expect(svc(n.evaluate(req('/')))).toBe('app/v1@80,app/v2@20');
    // The canary belongs to the primary's upstream: every location using app/v1:80 splits.
    expect(svc(n.evaluate(req('/other')))).toBe('app/v1@80,app/v2@20');
  });
  it('matches a header value exactly, a pattern unanchored, and ignores a total below 100', () => {
    expect(svc(canary({ 'canary-by-header': 'X-Env', 'canary-by-header-value': 'staging' }).evaluate(req('/', { headers: { 'x-env': 'always' } })))).toBe('app/v1');
    expect(svc(canary({ 'canary-by-header': 'X-Env', 'canary-by-header-pattern': 'v2' }).evaluate(req('/', { headers: { 'x-env': 'beta-v2' } })))).toBe('app/v2');
    expect(svc(canary({ 'canary-weight': '50', 'canary-weight-total': '50' }).evaluate(req('/')))).toBe('app/v1@50,app/v2@50');
  });
  it('answers fixed redirects before the HTTPS redirect, temporal winning over permanent', () => {
    const n = instance(ing('r', { host: 'a.test', tls: 't', ann: { 'temporal-redirect': 'https://x.test/t', 'permanent-redirect': 'https://x.test/p' }, paths: [['/sale', 'Exact', 's']] }));
    expect(svc(n.evaluate(req('/sale', { query: 'q=1' })))).toBe('302 https://x.test/t');
    // The Ingress owns the host: its root location redirects unmatched paths too.
    expect(svc(n.evaluate(req('/anything')))).toBe('302 https://x.test/t');
  });
  it('answers app-root before locations, without the query', () => {
    const n = instance(ing('r', { host: 'a.test', tls: 't', ann: { 'app-root': '/app' }, paths: [['/', 'Prefix', 's']] }));
    expect(svc(n.evaluate(req('/', { query: 'q=1' })))).toBe('302 http://a.test/app');
  });
  it('adds a redirect server for the www twin (308, explicit port, trailing slash stripped)', () => {
    const n = instance(ing('r', { host: 'a.test', ann: { 'from-to-www-redirect': 'true' }, paths: [['/', 'Prefix', 's']] }));
    expect(svc(n.evaluate(req('/x/', { host: 'www.a.test' })))).toBe('308 http://a.test/x');
  });
});
