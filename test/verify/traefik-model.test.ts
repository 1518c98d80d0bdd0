/**
 * The Traefik source model against what Traefik v3.7.9 does (docs/research/traefik.md, with
 * source references in the model's modules): routers and their priorities, path matchers, entry
 * points and TLS, middlewares in order, services, certificates and skipped Ingresses.
 */
import { parseSource } from '../../src/inputs/parse.js';
import type { KubeObject } from '../../src/inputs/document.js';
import { byteLength, goQuote, routerRule } from '../../src/verify/sources/traefik/config.js';
import { goExpand } from '../../src/verify/sources/traefik/evaluate.js';
import { traefikModel } from '../../src/verify/sources/traefik/index.js';
import type { ControllerOptions, SourceInput } from '../../src/verify/sources/types.js';
import type { Outcome, Probe } from '../../src/verify/types.js';

function instance(yaml: string, options?: ControllerOptions) {
  const docs = parseSource(yaml, 'in.yaml').documents;
  const services = new Map<string, KubeObject>();
  for (const d of docs) if (d.object.kind === 'Service') services.set(`${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name}`, d.object);
  const input: SourceInput = { documents: docs, services, configMaps: new Map(), ingressClasses: new Map(), ...(options ? { options } : {}) };
  return traefikModel.build(
    'traefik',
    docs.filter((d) => d.object.kind === 'Ingress'),
    input,
  );
}

function ing(name: string, opts: { host?: string; paths: [string, string, string][]; ann?: Record<string, string>; tls?: string; defaultBackend?: string; noRules?: boolean }): string {
  const ann = Object.entries(opts.ann ?? {})
    .map(([k, v]) => `    ${k.includes('/') ? k : `traefik.ingress.kubernetes.io/${k}`}: ${JSON.stringify(v)}`)
    .join('\n');
  const rules = opts.noRules
    ? ''
    : `  rules:
    - ${opts.host ? `host: "${opts.host}"\n      ` : ''}http:
        paths:
${opts.paths.map(([p, t, svc]) => `          - {path: "${p}", pathType: ${t}, backend: {service: {name: ${svc}, port: {number: 80}}}}`).join('\n')}
`;
  return `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: app
${ann ? `  annotations:\n${ann}\n` : ''}spec:
  ingressClassName: traefik
${opts.defaultBackend ? `  defaultBackend: {service: {name: ${opts.defaultBackend}, port: {number: 80}}}\n` : ''}${opts.tls ? `  tls: [{hosts: ["${opts.host}"], secretName: ${opts.tls}}]\n` : ''}${rules}`;
}

const mw = (name: string, spec: string) => `---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: ${name}, namespace: app}
spec:
  ${spec}
`;

const req = (path: string, p: Partial<Probe> = {}): Probe => ({ entry: 'traefik', scheme: 'http', host: 'a.test', path, method: 'GET', headers: {}, reason: 't', ...p });

function svc(o: Outcome): string {
  if (o.kind === 'forward') return `${o.backends.map((b) => b.service).join(',')} ${o.path}`;
  if (o.kind === 'redirect') return `${o.status} ${o.location}`;
  if (o.kind === 'respond') return String(o.status);
  return o.kind;
}

describe('Traefik model: rules and priorities', () => {
  it('writes the rule as loadRouter does, its length is the priority', () => {
    expect(routerRule('a.test', 'PathPrefix', '/', undefined)).toBe('Host("a.test") && PathPrefix("/")');
    expect(routerRule('', 'Path', '/x', undefined)).toBe('Path("/x")');
    expect(routerRule('*.a.test', 'PathPrefix', '/', 'v2')).toBe('HostRegexp("{subdomain:[a-zA-Z0-9-]+}.a.test") && PathPrefix("/")');
    expect(goQuote('/a"b\\')).toBe('"/a\\"b\\\\"');
    expect(byteLength('Path("/é")')).toBe(11);
  });

  const n = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'root'], ['/about', 'Exact', 'about'], ['/api', 'Prefix', 'api'], ['/static/', 'Prefix', 'static']] }));
  it('sends a short exact path to the "/" prefix, whose rule is longer', () => {
    // Host("a.test") && PathPrefix("/") is 33 bytes, && Path("/about") 32.
    expect(svc(n.evaluate(req('/about')))).toBe('app/root /about');
  });
  it('matches PathPrefix as a string prefix, and not the bare path of a prefix ending in "/"', () => {
    expect(svc(n.evaluate(req('/apix')))).toBe('app/api /apix');
    expect(svc(n.evaluate(req('/api/v1')))).toBe('app/api /api/v1');
    expect(svc(n.evaluate(req('/static')))).toBe('app/root /static');
    expect(svc(n.evaluate(req('/static/x')))).toBe('app/static /static/x');
  });
  it('lets router.priority override the rule length', () => {
    const p = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'root']] }) + ing('b', { host: 'a.test', paths: [['/blog', 'Prefix', 'blog']], ann: { 'router.priority': '1' } }));
    expect(svc(p.evaluate(req('/blog')))).toBe('app/root /blog');
  });
  it('answers 404 for an unknown host, and matches a wildcard host one label deep only', () => {
    const w = instance(ing('w', { host: '*.a.test', paths: [['/', 'Prefix', 'w']] }));
    expect(svc(w.evaluate(req('/', { host: 'x.a.test' })))).toBe('app/w /');
    expect(svc(w.evaluate(req('/', { host: 'y.x.a.test' })))).toBe('404');
    expect(svc(w.evaluate(req('/', { host: 'other.test' })))).toBe('404');
  });
  it('applies router.pathmatcher to ImplementationSpecific paths only, and skips an invalid one', () => {
    const m = instance(
      ing('a', { host: 'a.test', paths: [['/login', 'ImplementationSpecific', 'login'], ['/legacy', 'Prefix', 'legacy']], ann: { 'router.pathmatcher': 'Path' } }) +
        ing('r', { host: 'a.test', paths: [['/v[0-9]+/users', 'ImplementationSpecific', 'users']], ann: { 'router.pathmatcher': 'PathRegexp' } }) +
        ing('bad', { host: 'a.test', paths: [['/old', 'ImplementationSpecific', 'old']], ann: { 'router.pathmatcher': 'Regex' } }),
    );
    expect(svc(m.evaluate(req('/login/x')))).toBe('404');
    expect(svc(m.evaluate(req('/legacy/x')))).toBe('app/legacy /legacy/x');
    expect(svc(m.evaluate(req('/api/v2/users/7')))).toBe('app/users /api/v2/users/7');
    expect(svc(m.evaluate(req('/old')))).toBe('404');
  });
  it('skips a whole Ingress whose router annotations cannot be decoded', () => {
    const s = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'router.prio': '1' } }) + ing('b', { host: 'b.test', paths: [['/', 'Prefix', 'b']], ann: { 'router.priority': 'high' } }));
    expect(svc(s.evaluate(req('/')))).toBe('404');
    expect(svc(s.evaluate(req('/', { host: 'b.test' })))).toBe('404');
  });
  it('uses the defaultBackend of an Ingress without rules as the lowest-priority router, the first one only', () => {
    const d = instance(ing('fb', { paths: [], noRules: true, defaultBackend: 'fallback' }) + ing('fb2', { paths: [], noRules: true, defaultBackend: 'other' }) + ing('a', { host: 'a.test', paths: [['/x', 'Prefix', 'x']], defaultBackend: 'ignored' }));
    expect(svc(d.evaluate(req('/x')))).toBe('app/x /x');
    expect(svc(d.evaluate(req('/y')))).toBe('app/fallback /y');
    expect(svc(d.evaluate(req('/', { host: 'unknown.test' })))).toBe('app/fallback /');
  });
});

describe('Traefik model: entry points and TLS', () => {
  it('serves a router on the default entry points, over HTTPS only with a certificate', () => {
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], tls: 'a-tls' }) + ing('b', { host: 'b.test', paths: [['/', 'Prefix', 'b']] }));
    expect(svc(t.evaluate(req('/', { scheme: 'https' })))).toBe('app/a /');
    expect(svc(t.evaluate(req('/')))).toBe('app/a /');
    expect(t.evaluate(req('/', { scheme: 'https', host: 'b.test' })).kind).toBe('tls-failure');
  });
  it('keeps TLS routers (router.tls) off plain HTTP, and a websecure-only router off port 80', () => {
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], tls: 'a-tls', ann: { 'router.tls': 'true', 'router.entrypoints': 'web' } }) + ing('b', { host: 'b.test', paths: [['/', 'Prefix', 'b']], tls: 'b-tls', ann: { 'router.entrypoints': 'websecure' } }));
    expect(svc(t.evaluate(req('/')))).toBe('404');
    expect(svc(t.evaluate(req('/', { host: 'b.test' })))).toBe('404');
    expect(svc(t.evaluate(req('/', { host: 'b.test', scheme: 'https' })))).toBe('app/b /');
  });
  it('serves an ACME resolver\u2019s router over HTTPS, and the TLSStore default certificate for the hosts', () => {
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'router.tls.certresolver': 'le' } }));
    expect(svc(t.evaluate(req('/', { scheme: 'https' })))).toBe('app/a /');
    expect(svc(t.evaluate(req('/')))).toBe('404');
    const s = instance(`${ing('b', { host: 'b.test', paths: [['/', 'Prefix', 'b']] })}---
apiVersion: traefik.io/v1alpha1
kind: TLSStore
metadata: {name: default, namespace: app}
spec: {defaultCertificate: {secretName: wildcard}}
`);
    expect(svc(s.evaluate(req('/', { scheme: 'https', host: 'b.test' })))).toBe('app/b /');
    expect(s.evaluate(req('/', { scheme: 'https', host: 'other.test' })).kind).toBe('tls-failure');
  });
  it('redirects every request of an entry point with a redirection, 301 for GET and 308 otherwise', () => {
    const opts: ControllerOptions = { traefikEntryPoints: [{ name: 'web', protocol: 'HTTP', port: 80, redirectTo: 'websecure' }, { name: 'websecure', protocol: 'HTTPS', port: 443 }] };
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], tls: 'a-tls' }), opts);
    expect(svc(t.evaluate(req('/x', { query: 'q=1' })))).toBe('301 https://a.test/x?q=1');
    expect(svc(t.evaluate(req('/x', { method: 'POST' })))).toBe('308 https://a.test/x');
    expect(svc(t.evaluate(req('/', { host: 'unknown.test' })))).toBe('301 https://unknown.test/');
  });
  it('ignores undefined entry points, and serves nothing when none is left', () => {
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'router.entrypoints': 'nope' } }));
    expect(svc(t.evaluate(req('/')))).toBe('404');
  });
});

describe('Traefik model: middlewares and services', () => {
  const chain =
    mw('strip', 'stripPrefix: {prefixes: [/api]}') +
    mw('add', 'addPrefix: {prefix: /v2}') +
    mw('hdr', 'headers: {customRequestHeaders: {X-A: "1", X-Gone: "", Host: backend.test}, customResponseHeaders: {X-R: first}}') +
    mw('hdr2', 'headers: {customResponseHeaders: {X-R: second, X-S: "2"}}') +
    mw('both', 'chain: {middlewares: [{name: strip}, {name: add}]}');
  it('runs the router middlewares in order', () => {
    const t = instance(chain + ing('a', { host: 'a.test', paths: [['/api', 'Prefix', 'a']], ann: { 'router.middlewares': 'app-both@kubernetescrd,app-hdr@kubernetescrd,app-hdr2@kubernetescrd' } }));
    const o = t.evaluate(req('/api/users', { query: 'q=1' }));
    expect(o).toMatchObject({
      kind: 'forward',
      path: '/v2/users?q=1',
      host: 'backend.test',
      requestHeaders: { 'x-forwarded-prefix': '/api', 'x-a': '1', 'x-gone': null },
      // The response hook of the earlier middleware runs last: its value wins.
      responseHeaders: { 'x-r': 'first', 'x-s': '2' },
    });
    expect(svc(t.evaluate(req('/apix')))).toBe('app/a /v2/x');
    expect(svc(t.evaluate(req('/api')))).toBe('app/a /v2');
  });
  it('redirects only when the URL changes (redirectScheme), with the status of the method', () => {
    const t = instance(mw('https', 'redirectScheme: {scheme: https, permanent: true}') + mw('port', 'redirectScheme: {scheme: https, port: "8443"}') + ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], tls: 'a-tls', ann: { 'router.middlewares': 'app-https@kubernetescrd' } }) + ing('b', { host: 'b.test', paths: [['/', 'Prefix', 'b']], tls: 'b-tls', ann: { 'router.middlewares': 'app-port@kubernetescrd' } }));
    expect(svc(t.evaluate(req('/x', { query: 'q=1' })))).toBe('301 https://a.test/x?q=1');
    expect(svc(t.evaluate(req('/x', { method: 'PUT' })))).toBe('308 https://a.test/x');
    expect(svc(t.evaluate(req('/x', { scheme: 'https' })))).toBe('app/a /x');
    expect(svc(t.evaluate(req('/x', { scheme: 'https', host: 'b.test' })))).toBe('302 https://b.test:8443/x');
  });
  it('runs redirectRegex on scheme://host/uri with Go\u2019s replacement rules', () => {
    const t = instance(mw('www', 'redirectRegex: {regex: "^https?://www\\\\.a\\\\.test/(.*)", replacement: "https://a.test/${1}", permanent: true}') + mw('all', 'redirectRegex: {regex: ".*", replacement: "https://new.test/welcome"}') + ing('w', { host: 'www.a.test', paths: [['/', 'Prefix', 'w']], ann: { 'router.middlewares': 'app-www@kubernetescrd' } }) + ing('o', { host: 'old.test', paths: [['/', 'Prefix', 'o']], ann: { 'router.middlewares': 'app-all@kubernetescrd' } }));
    expect(svc(t.evaluate(req('/p', { host: 'www.a.test', query: 'q=1' })))).toBe('301 https://a.test/p?q=1');
    // ReplaceAllString ignores the empty match right after the whole URL.
    expect(svc(t.evaluate(req('/p', { host: 'old.test' })))).toBe('302 https://new.test/welcome');
  });
  it('expands $name as Go does: the longest run of word characters', () => {
    const m = /(a)(b)/.exec('ab')!;
    expect(goExpand('$1-${2}x-$1x-$$', m)).toBe('a-bx--$');
  });
  it('replaces the whole path (replacePath), keeping the old one in X-Replaced-Path', () => {
    const t = instance(mw('idx', 'replacePath: {path: /index.html}') + ing('a', { host: 'a.test', paths: [['/', 'Exact', 'a']], ann: { 'router.middlewares': 'app-idx@kubernetescrd' } }));
    expect(t.evaluate(req('/'))).toMatchObject({ path: '/index.html', requestHeaders: { 'x-replaced-path': '/' } });
  });
  it('cannot build a router with a reference to the kubernetes provider, a multi-kind or a cross-namespace chain', () => {
    const bad = mw('two', 'stripPrefix: {prefixes: [/a]}\n  addPrefix: {prefix: /b}') + mw('cross', 'chain: {middlewares: [{name: x, namespace: other}]}') + mw('empty', 'headers: {customRequestHeaders: {}}');
    for (const ref of ['strip', 'app-two@kubernetescrd', 'app-cross@kubernetescrd', 'app-empty@kubernetescrd']) {
      const t = instance(bad + ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'router.middlewares': ref } }));
      expect(svc(t.evaluate(req('/')))).toBe('404');
    }
  });
  it('does not guess what a Middleware outside the input does', () => {
    const t = instance(ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']], ann: { 'router.middlewares': 'app-elsewhere@kubernetescrd' } }));
    expect(t.evaluate(req('/')).kind).toBe('unknown');
  });
  it('reads service.* annotations from the Service: middlewares after the router\u2019s, passhostheader', () => {
    const t = instance(`${mw('strip', 'stripPrefix: {prefixes: [/api]}')}${mw('add', 'addPrefix: {prefix: /v2}')}---
apiVersion: v1
kind: Service
metadata:
  name: a
  namespace: app
  annotations:
    traefik.ingress.kubernetes.io/service.middlewares: app-add@kubernetescrd
    traefik.ingress.kubernetes.io/service.passhostheader: "false"
spec: {ports: [{name: http, port: 80}]}
${ing('a', { host: 'a.test', paths: [['/api', 'Prefix', 'a']], ann: { 'router.middlewares': 'app-strip@kubernetescrd' } })}`);
    const o = t.evaluate(req('/api/x'));
    expect(o).toMatchObject({ kind: 'forward', path: '/v2/x' });
    expect(o.kind === 'forward' && o.host).not.toBe('a.test');
  });
  it('skips a path whose Service has no such port', () => {
    const t = instance(`---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: app}
spec: {ports: [{name: http, port: 8080}]}
${ing('a', { host: 'a.test', paths: [['/', 'Prefix', 'a']] })}`);
    expect(svc(t.evaluate(req('/')))).toBe('404');
  });
});

describe('Traefik model: probes', () => {
  it('probes hosts, wildcard depths, path neighbours, stripPrefix prefixes, over HTTP and HTTPS', () => {
    const t = instance(mw('strip', 'stripPrefix: {prefixes: [/v1]}') + ing('a', { host: '*.a.test', paths: [['/api', 'Prefix', 'a']], ann: { 'router.middlewares': 'app-strip@kubernetescrd' } }));
    const probes = t.probes();
    const keys = new Set(probes.map((p) => `${p.scheme}://${p.host}${p.path}`));
    for (const k of ['http://gs-probe.a.test/api', 'https://gs-probe.a.test/apix', 'http://gs-deep.gs-probe.a.test/api/', 'http://gs-probe.a.test/v1x', 'http://unknown-host.gateway-shift.invalid/']) expect(keys).toContain(k);
    expect(t.hosts()).toEqual(['*.a.test']);
  });
});
