/**
 * `verify` on every golden fixture: the conversion routes every probe as the source controller
 * did, or a finding of the conversion explains why not. Also the explanation matching itself:
 * a finding explains a difference only with an allowed rule id, at the object and field that
 * caused it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { buildConvertOptions, type ConvertCliOptions } from '../../src/cli/convert-command.js';
import type { Finding } from '../../src/findings/finding.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import { explain, type ExplainContext } from '../../src/verify/explain.js';
import type { Outcome } from '../../src/verify/types.js';
import { verify } from '../../src/verify/verify.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures');
const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'input.yaml'))).sort();
const schemas = loadSchemas();

export function verifyFixture(name: string) {
  const dir = join(root, name);
  const cli: ConvertCliOptions = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as ConvertCliOptions) : {};
  const docs = parseSource(readFileSync(join(dir, 'input.yaml'), 'utf8'), 'input.yaml').documents;
  return verify(docs, { convert: buildConvertOptions(cli, 'VERSION') }, createValidator(schemas, (cli.channel ?? 'standard') as 'standard' | 'experimental'));
}

/** Fixtures none of whose requests the models can compare, and why. */
const NOT_COMPARABLE: Record<string, string> = {
  'alb-ports': 'every listener is on a port other than 80 and 443, which the probes do not reach, and the controller refuses the group (port 8080 is HTTP for one member, HTTPS for another)',
};

describe('verify on the fixtures', () => {
  it.each(cases)('%s: no unexplained difference', (name) => {
    const r = verifyFixture(name);
    // Ingresses of controllers without a source model are listed as not verified, with the
    // reason, and nothing else is checked.
    if (r.notVerified.length > 0 && r.stats.probes === 0) {
      expect(r.notVerified.every((n) => /source model/.test(n.reason))).toBe(true);
      return;
    }
    expect(r.stats.probes).toBeGreaterThan(0);
    if (name in NOT_COMPARABLE) expect(r.stats.compared).toBe(0);
    else expect(r.stats.compared).toBeGreaterThan(0);
    const unexplained = r.differences.filter((d) => d.explainedBy.length === 0).map((d) => `${d.probe.scheme}://${d.probe.host}${d.probe.path} [${d.aspects.join(',')}] ${d.source.via} / ${d.gateway.via}`);
    expect(unexplained).toEqual([]);
  });

  it('finds and explains the known gaps of the fixtures', () => {
    // shared-host-tls: nginx strips the trailing slash of its HTTPS redirect.
    const shared = verifyFixture('shared-host-tls');
    const slash = shared.differences.find((d) => d.probe.scheme === 'http' && d.probe.path === '/docs/');
    expect(slash?.source).toMatchObject({ kind: 'redirect', location: 'https://shop.example.com/docs' });
    expect(slash?.gateway).toMatchObject({ kind: 'redirect', location: 'https://shop.example.com/docs/' });
    expect(slash?.explainedBy.map((e) => e.ruleId)).toContain('ingress-nginx/https-redirect');
    // nginx-rewrite: the host-wide case-insensitive regex mode.
    const rw = verifyFixture('nginx-rewrite');
    const upper = rw.differences.find((d) => d.probe.path === '/API/X');
    expect(upper?.explainedBy.map((e) => e.ruleId)).toEqual(['ingress-nginx/regex-host']);
    // traefik-paths: the "/" prefix (a longer rule) took /about in Traefik.
    const paths = verifyFixture('traefik-paths');
    const about = paths.differences.find((d) => d.probe.scheme === 'http' && d.probe.path === '/about' && !d.probe.query);
    expect(about?.source).toMatchObject({ kind: 'forward', backends: [{ service: 'docs/site' }] });
    expect(about?.gateway).toMatchObject({ kind: 'forward', backends: [{ service: 'docs/about' }] });
    expect(about?.explainedBy.map((e) => e.ruleId)).toEqual(['traefik/priority']);
    // ... and /apix, a string prefix of /api.
    const apix = paths.differences.find((d) => d.probe.scheme === 'http' && d.probe.path === '/apix');
    expect(apix?.explainedBy.map((e) => e.ruleId)).toEqual(['traefik/prefix-match']);
    expect(paths.notVerified).toEqual([]);
    // alb-conditions: the pattern /v1/* did not take /v1; PathPrefix /v1 does.
    const cond = verifyFixture('alb-conditions');
    const v1 = cond.differences.find((d) => d.probe.scheme === 'http' && d.probe.host === 'api.example.com' && d.probe.path === '/v1');
    expect(v1?.source).toMatchObject({ kind: 'forward', backends: [{ service: 'api/api-v1' }] });
    expect(v1?.gateway).toMatchObject({ kind: 'forward', backends: [{ service: 'api/api-legacy' }] });
    expect(v1?.explainedBy.map((e) => e.ruleId)).toEqual(['alb/path-widened']);
    expect(cond.notVerified).toEqual([]);
  });
});

describe('verify on the Istio fixtures', () => {
  it('compares gateway, mesh and TCP requests, and explains first match against precedence', () => {
    const order = verifyFixture('istio-rule-order');
    expect(order.notVerified).toEqual([]);
    // http[3] (x-beta, rewrite) is before http[4] (/shop): Istio gave it /shop with the header;
    // the translation could not (a narrower match would change the rewrite), and said so.
    const beta = order.differences.find((d) => d.probe.path === '/shop' && d.probe.headers['x-beta'] === '1');
    expect(beta?.source).toMatchObject({ kind: 'forward', backends: [{ service: 'shop/beta' }], path: '/beta/shop' });
    expect(beta?.explainedBy.map((e) => e.ruleId)).toEqual(['istio/rule-order']);
    // Istio's string prefix: /api matches /apix, PathPrefix /api does not.
    const apix = order.differences.find((d) => d.probe.path === '/apix');
    expect(apix?.explainedBy.map((e) => e.ruleId)).toContain('istio/virtual-service.http.match.uri');

    const mesh = verifyFixture('istio-mesh');
    expect(mesh.entries.map((e) => e.entry).sort()).toEqual(['gateway istio=ingressgateway', 'mesh']);
    // Only the first VirtualService for Service reviews applies: reviews-override does not.
    const jason = mesh.differences.find((d) => d.probe.mesh?.service === 'bookinfo/reviews' && d.probe.path === '/' && d.probe.headers['end-user'] === 'jason');
    expect(jason?.aspects).toEqual(['backends']);
    expect(jason?.explainedBy.map((e) => e.ruleId)).toEqual(['istio/virtual-service.http.route.destination.subset']);
    const gw = verifyFixture('istio-gateway');
    expect(gw.stats.differences).toBe(0);
    expect(gw.stats.compared).toBeGreaterThan(30);

    const wild = verifyFixture('istio-wildcard-hosts');
    const leak = wild.differences.find((d) => d.probe.host === 'shop.example.com' && d.probe.path === '/');
    expect(leak?.source).toMatchObject({ kind: 'respond', status: 404 });
    expect(leak?.explainedBy.map((e) => e.ruleId)).toEqual(['istio/wildcard-reaches-hosts']);
  });
});

describe('explanation matching', () => {
  const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'app', name: 'web' };
  const key = 'nginx.ingress.kubernetes.io/use-regex';
  const source: Outcome = {
    kind: 'forward',
    backends: [{ service: 'app/web', port: 80, weight: 1 }],
    path: '/APIx',
    host: 'a.test',
    requestHeaders: {},
    responseHeaders: {},
    mirrors: [],
    via: 'regex location',
    involved: [
      { object: ingress, path: ['spec', 'rules', 0, 'http', 'paths', 0], role: 'location', value: '/api' },
      { object: ingress, path: ['metadata', 'annotations', key], role: 'regex-mode' },
    ],
  };
  const gateway: Outcome = { kind: 'respond', status: 404, via: 'no rule', involved: [] };
  const c: ExplainContext = { probe: { entry: 'nginx', scheme: 'http', host: 'a.test', path: '/APIx', method: 'GET', headers: {}, reason: 't' }, source, gateway, aspects: ['outcome'] };
  const finding = (f: Partial<Finding>): Finding => ({ ruleId: 'ingress-nginx/regex-host', severity: 'warning', message: 'm', object: ingress, field: `metadata.annotations[${key}]`, ...f });
  const locate = () => new Set<string>();

  it('accepts an allowed rule at the responsible annotation', () => {
    expect(explain(c, [finding({})], locate).map((e) => e.ruleId)).toEqual(['ingress-nginx/regex-host']);
  });
  it('refuses another rule id, another object or another annotation', () => {
    expect(explain(c, [finding({ ruleId: 'ingress-nginx/use-regex' })], locate)).toEqual([]);
    expect(explain(c, [finding({ object: { ...ingress, name: 'other' } })], locate)).toEqual([]);
    expect(explain(c, [finding({ field: 'metadata.annotations[nginx.ingress.kubernetes.io/rewrite-target]' })], locate)).toEqual([]);
  });
  it('refuses a request the regex mode does not account for', () => {
    const exact: ExplainContext = { ...c, probe: { ...c.probe, path: '/api/x' }, source: { ...source, path: '/api/x' } };
    expect(explain(exact, [finding({})], locate)).toEqual([]);
  });
});
