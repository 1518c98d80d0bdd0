/**
 * The pieces of the Traefik provider that reproduce Traefik's own code: its annotation decoder
 * (paerser), Go regexp replacement, path matchers, entry points and cookie names. Expected values
 * come from the Go sources named in docs/research/traefik.md.
 */
import { evaluateChain } from '../../src/providers/traefik/chain.js';
import { chooseListeners, DEFAULT_ENTRY_POINTS, parseEntryPoints } from '../../src/providers/traefik/entrypoints.js';
import { goRegex, goReplaceAll } from '../../src/providers/traefik/goregex.js';
import { readRouterSettings, readServiceSettings } from '../../src/providers/traefik/labels.js';
import { normalizeName, type MiddlewareObject, type Step } from '../../src/providers/traefik/middlewares.js';
import { anchoredRegex, defaultPriority, routerRule } from '../../src/providers/traefik/paths.js';
import { stickyCookieName } from '../../src/providers/traefik/services.js';

const P = 'traefik.ingress.kubernetes.io/';

describe('Traefik annotation decoding (paerser labels)', () => {
  it('matches field names case-insensitively and numbers the TLS domains', () => {
    const r = readRouterSettings({ [`${P}router.PathMatcher`]: 'Path', [`${P}router.tls.domains.0.main`]: 'a.com', [`${P}router.tls.domains.0.sans`]: 'b.a.com, c.a.com', [`${P}router.entrypoints`]: 'web, websecure' });
    expect(r.error).toBeUndefined();
    expect(r.settings).toEqual({ pathMatcher: 'Path', entryPoints: ['web', 'websecure'], tls: { domains: [{ main: 'a.com', sans: ['b.a.com', 'c.a.com'] }] } });
  });

  it('turns TLS on with "true", an empty value or a sub-key, and off with any other value, sub-keys included', () => {
    expect(readRouterSettings({ [`${P}router.tls`]: 'TRUE' }).settings?.tls).toEqual({ domains: [] });
    expect(readRouterSettings({ [`${P}router.tls`]: '' }).settings?.tls).toEqual({ domains: [] });
    expect(readRouterSettings({ [`${P}router.tls.certresolver`]: 'le' }).settings?.tls).toEqual({ certResolver: 'le', domains: [] });
    expect(readRouterSettings({ [`${P}router.tls`]: 'yes', [`${P}router.tls.certresolver`]: 'le' }).settings?.tls).toBeUndefined();
  });

  it('refuses unknown fields and bad numbers and booleans, and skips keys of other sections', () => {
    expect(readRouterSettings({ [`${P}router.middleware`]: 'x' }).error?.key).toBe(`${P}router.middleware`);
    expect(readRouterSettings({ [`${P}router.priority`]: '1.5' }).error?.message).toMatch(/whole number/);
    expect(readRouterSettings({ [`${P}router.observability.metrics`]: 'yes' }).error?.message).toMatch(/boolean/);
    expect(readRouterSettings({ [`${P}foo`]: 'bar', [`${P}service.sticky.cookie`]: 'true' })).toEqual({ keys: new Map() });
    expect(readServiceSettings({ [`${P}service.sticky.cookie.maxage`]: '60', [`${P}router.tls`]: 'true' }).settings).toEqual({ sticky: { cookie: { maxAge: 60 } } });
    expect(readServiceSettings({ [`${P}service.strategy`]: 'p2c' }).error?.key).toBe(`${P}service.strategy`);
  });
});

describe('Go regexp in JavaScript', () => {
  const re = (s: string) => {
    const r = goRegex(s);
    if ('error' in r) throw new Error(r.error);
    return r.re;
  };
  it('replaces like Regexp.ReplaceAllString ($name is the longest word, empty matches after a match are skipped)', () => {
    expect(goReplaceAll(re('.*'), 'abc', 'X')).toBe('X');
    expect(goReplaceAll(re('a*'), 'baaac', 'X')).toBe('XbXcX');
    expect(goReplaceAll(re('^(https?)://([^/]+)/(.*)'), 'http://a.com/x?y', 'https://${2}/p/$3')).toBe('https://a.com/p/x?y');
    expect(goReplaceAll(re('(?P<host>[a-z.]+)/'), 'a.b/', '$host-$1x$$')).toBe('a.b-$');
  });
  it('refuses Go-only syntax rather than guessing', () => {
    expect(goRegex('[[:alpha:]]+')).toHaveProperty('error');
    expect(goRegex('a(?i)b')).toHaveProperty('error');
  });
  it('anchors a searched regex for a whole-path match', () => {
    expect(anchoredRegex('/v[0-9]+/users')).toEqual({ value: '.*/v[0-9]+/users.*' });
    expect(anchoredRegex('^/api$')).toEqual({ value: '/api' });
    expect(anchoredRegex('^/a|/b$')).toEqual({ value: '.*(?:^/a|/b$).*' });
    expect(anchoredRegex('(?i)^/Docs')).toEqual({ value: '(?i)/Docs.*' });
  });
});

describe('Traefik paths and priorities', () => {
  it('computes the default priority as the length of the v3 rule', () => {
    expect(routerRule('docs.example.com', 'PathPrefix', '/')).toBe('Host("docs.example.com") && PathPrefix("/")');
    expect(defaultPriority(routerRule('docs.example.com', 'PathPrefix', '/'))).toBe(43);
    expect(defaultPriority(routerRule('docs.example.com', 'Path', '/about'))).toBe(42);
    expect(routerRule('*.a.com', 'Path', '/', 'v2')).toBe('HostRegexp("{subdomain:[a-zA-Z0-9-]+}.a.com") && Path("/")');
  });
  it('names middlewares as the CRD provider does', () => {
    expect(normalizeName('my-ns-my.mw')).toBe('my-ns-my-mw');
    expect(normalizeName('a--b__c')).toBe('a-b-c');
  });
  it('names sticky cookies as cookie.GetName does', () => {
    expect(stickyCookieName('my cookie!', 'x')).toBe('my_cookie!');
    expect(stickyCookieName(undefined, 'shop-catalog-8080@kubernetes')).toBe('_83156');
  });
});

describe('entry points', () => {
  it('parses --traefik-entrypoint values and refuses malformed ones', () => {
    expect(parseEntryPoints(['web=HTTP:80', 'websecure=https:443,metrics=HTTP:9100'])).toEqual([
      { name: 'web', protocol: 'HTTP', port: 80 },
      { name: 'websecure', protocol: 'HTTPS', port: 443 },
      { name: 'metrics', protocol: 'HTTP', port: 9100 },
    ]);
    expect(parseEntryPoints(['web=HTTP:80:redirect=websecure', 'websecure=HTTPS:443'])[0]).toEqual({ name: 'web', protocol: 'HTTP', port: 80, redirectTo: 'websecure' });
    expect(() => parseEntryPoints(['web=HTTP:80:redirect=admin', 'admin=HTTP:8080'])).toThrow(/HTTPS entry point/);
    expect(() => parseEntryPoints(['web=HTTP'])).toThrow(/name=PROTOCOL:PORT/);
    expect(() => parseEntryPoints(['web=HTTP:80', 'web=HTTPS:443'])).toThrow(/twice/);
  });
  it('puts a TLS router on HTTPS only and reports TLS on an HTTP entry point', () => {
    expect(chooseListeners(DEFAULT_ENTRY_POINTS, undefined, false)).toMatchObject({ http: true, https: true });
    expect(chooseListeners(DEFAULT_ENTRY_POINTS, undefined, true)).toMatchObject({ http: false, https: true, tlsOnHttp: [{ name: 'web' }] });
    expect(chooseListeners(DEFAULT_ENTRY_POINTS, ['web', 'nope'], false)).toMatchObject({ http: true, https: false, unknown: ['nope'] });
  });
});

describe('middleware chains on one rule', () => {
  const mw = (name: string): MiddlewareObject => ({ doc: {} as MiddlewareObject['doc'], namespace: 'ns', name, id: `ns-${name}` });
  const step = (kind: string, config: Record<string, unknown>): Step => ({ mw: mw(kind), kind, config });
  const run = (match: { type: 'Exact' | 'PathPrefix'; value: string }, steps: Step[], scheme: 'http' | 'https' = 'http') =>
    evaluateChain(match, { listener: { scheme, port: scheme === 'http' ? 80 : 443 }, hosts: ['a.com'], steps, finding: () => {} });

  it('uses the first stripPrefix prefix that applies, in list order', () => {
    const [rule] = run({ type: 'PathPrefix', value: '/api/v1' }, [step('stripPrefix', { prefixes: ['/api', '/api/v1'] })]);
    expect(rule!.filters).toContainEqual({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1' } } });
  });
  it('computes an Exact path through every step', () => {
    const [rule] = run({ type: 'Exact', value: '/a/b' }, [step('stripPrefix', { prefixes: ['/a'] }), step('addPrefix', { prefix: '/c' }), step('replacePath', { path: '/z' }), step('addPrefix', { prefix: '/y' })]);
    expect(rule!.filters.find((f) => f.type === 'URLRewrite')).toEqual({ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/y/z' } } });
  });
  it('redirects to the Host an earlier headers middleware set', () => {
    const [rule] = run({ type: 'PathPrefix', value: '/' }, [step('headers', { customRequestHeaders: { Host: 'internal.a.com' } }), step('redirectScheme', { scheme: 'https' })]);
    expect(rule!.filters).toEqual([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: 'internal.a.com', statusCode: 307 } }]);
  });
  it('never puts a URLRewrite and a RequestRedirect in one rule', () => {
    for (const rule of run({ type: 'PathPrefix', value: '/' }, [step('addPrefix', { prefix: '/x' }), step('redirectScheme', { scheme: 'https' })])) {
      const types = rule.filters.map((f) => f.type);
      expect(types.includes('URLRewrite') && types.includes('RequestRedirect')).toBe(false);
    }
  });
});
