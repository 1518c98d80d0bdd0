/** The AWS Load Balancer Controller provider: value parsing, path patterns, rule order, groups. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { serializeObjects } from '../../src/cli/convert-command.js';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { convert } from '../../src/convert.js';
import { parseSource } from '../../src/inputs/parse.js';
import { globToRegex, pathFromGlob } from '../../src/providers/alb/model.js';
import { hostCovers, matchCovers } from '../../src/providers/alb/order.js';
import { commaList, field, parseGoBool, parseInt32, stringMap } from '../../src/providers/alb/parse.js';
import { targetGroupNameOfArn } from '../../src/providers/alb/target-groups.js';
import { createValidator } from '../../src/validate/validator.js';

const validator = createValidator(loadSchemas(), 'standard');

function ingress(name: string, ns: string, annotations: Record<string, string>, paths: { host?: string; path: string; pathType?: string; service?: string }[]) {
  const byHost = new Map<string, unknown[]>();
  for (const p of paths) {
    const l = byHost.get(p.host ?? '') ?? [];
    l.push({ path: p.path, pathType: p.pathType ?? 'Prefix', backend: { service: { name: p.service ?? 'web', port: { number: 80 } } } });
    byHost.set(p.host ?? '', l);
  }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, annotations },
    spec: { ingressClassName: 'alb', rules: [...byHost].map(([host, ps]) => ({ ...(host ? { host } : {}), http: { paths: ps } })) },
  };
}

function run(objects: unknown[], opts: Partial<Parameters<typeof convert>[1]> = {}) {
  const { documents } = parseSource(objects.map((o) => stringify(o)).join('---\n'), 'gen.yaml');
  return convert(documents, { toolVersion: 't', gatewayMode: 'shared', ...opts }, validator);
}

describe('annotation values, read as the controller reads them', () => {
  it('parses booleans and int32 with Go strconv', () => {
    expect(parseGoBool('True')).toBe(true);
    expect(parseGoBool('yes')).toBeUndefined();
    expect(parseInt32('-1000')).toBe(-1000);
    expect(parseInt32('2147483648')).toBeUndefined();
    expect(parseInt32('1.5')).toBeUndefined();
  });

  it('splits comma lists and key=value lists (escaped commas, a trailing fragment refused)', () => {
    expect(commaList(' a, ,b ')).toEqual(['a', 'b']);
    expect([...stringMap('a=1, b = 2')!]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect([...stringMap('k=x\\,y,z=1')!]).toEqual([
      ['k', 'x,y'],
      ['z', '1'],
    ]);
    expect(stringMap('a=1,b')).toBeUndefined();
    expect(stringMap('=1')).toBeUndefined();
  });

  it('matches JSON field names case-insensitively, the exact name first (encoding/json)', () => {
    expect(field({ RedirectConfig: 1 }, 'redirectConfig')).toBe(1);
    expect(field({ type: 'a', Type: 'b' }, 'type')).toBe('a');
  });

  it('takes the target group name from its ARN', () => {
    expect(targetGroupNameOfArn('arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/my-tg/0123')).toBe('my-tg');
    expect(targetGroupNameOfArn('my-tg')).toBeUndefined();
  });
});

describe('ALB path patterns', () => {
  it('maps wildcards to the closest Gateway API match', () => {
    expect(pathFromGlob('/about')).toEqual({ match: { type: 'Exact', value: '/about' } });
    expect(pathFromGlob('/*')).toEqual({ match: { type: 'PathPrefix', value: '/' } });
    expect(pathFromGlob('/api/*')).toEqual({ match: { type: 'PathPrefix', value: '/api' }, widened: '/api' });
    expect(pathFromGlob('/img/*.png')).toEqual({ match: { type: 'RegularExpression', value: '^/img/.*\\.png$' }, regex: true });
    expect(pathFromGlob('/a\\*b')).toEqual({ match: { type: 'Exact', value: '/a*b' } });
  });

  it('turns ? into one character and escapes the rest', () => {
    const re = new RegExp(globToRegex('/v?/a.b*'));
    expect(re.test('/v1/a.b/c')).toBe(true);
    expect(re.test('/v10/a.b')).toBe(false);
    expect(re.test('/v1/axb')).toBe(false);
  });
});

describe('rule order', () => {
  it('knows which hostnames and matches take all requests of others', () => {
    expect(hostCovers('', 'a.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostCovers('a.example.com', '')).toBe(false);
    const prefix = (value: string) => ({ path: { type: 'PathPrefix' as const, value } });
    expect(matchCovers(prefix('/api'), prefix('/api/v1'))).toBe(true);
    expect(matchCovers(prefix('/api'), prefix('/apiv1'))).toBe(false);
    expect(matchCovers(prefix('/api'), { ...prefix('/api/x'), method: 'GET' })).toBe(true);
    expect(matchCovers({ ...prefix('/api'), method: 'GET' }, prefix('/api/x'))).toBe(false);
    expect(matchCovers({ ...prefix('/'), headers: [{ type: 'Exact', name: 'x', value: '1' }] }, { ...prefix('/a'), headers: [{ type: 'Exact', name: 'X', value: '1' }] })).toBe(true);
  });

  it('leaves out what an earlier Ingress of the group took, and reports where Gateway API picks another rule', () => {
    const result = run([
      ingress('catchall', 'a', { 'alb.ingress.kubernetes.io/group.name': 'g', 'alb.ingress.kubernetes.io/group.order': '-5' }, [{ path: '/api' }]),
      ingress('shop', 'b', { 'alb.ingress.kubernetes.io/group.name': 'g' }, [
        { host: 'shop.example.com', path: '/' },
        { host: 'shop.example.com', path: '/api/v2', pathType: 'Exact' },
      ]),
    ]);
    // (any host) /api, order -5, comes first: shop.example.com/api/v2 never reached shop.
    expect(result.findings.filter((f) => f.ruleId === 'alb/rule-shadowed').map((f) => f.object?.name)).toEqual(['shop']);
    // shop.example.com/api went to catchall; Gateway API prefers the route with the hostname.
    expect(result.findings.filter((f) => f.ruleId === 'alb/rule-order').map((f) => f.message)).toEqual([expect.stringContaining('a more specific hostname')]);
    const shop = result.objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'shop')!;
    expect(JSON.stringify(shop.spec)).not.toContain('/api/v2');
    expect(result.objects.filter((o) => o.kind === 'Gateway').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['gateway-system/g']);
    expect(result.stats.invalidObjects).toBe(0);
  });

  it('keeps one Gateway per group in each namespace with --gateway-mode per-namespace', () => {
    const result = run(
      [
        ingress('a', 'one', { 'alb.ingress.kubernetes.io/group.name': 'g' }, [{ host: 'a.example.com', path: '/' }]),
        ingress('b', 'two', { 'alb.ingress.kubernetes.io/group.name': 'g' }, [{ host: 'b.example.com', path: '/' }]),
      ],
      { gatewayMode: 'per-namespace' },
    );
    expect(result.objects.filter((o) => o.kind === 'Gateway').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['one/g', 'two/g']);
  });

  it('reports an invalid group name and an out-of-range order as the errors that stop the controller', () => {
    const result = run([
      ingress('bad', 'a', { 'alb.ingress.kubernetes.io/group.name': 'Bad_Name', 'alb.ingress.kubernetes.io/group.order': '5000' }, [{ path: '/' }]),
    ]);
    expect(result.findings.filter((f) => f.ruleId.startsWith('alb/group')).map((f) => [f.ruleId, f.severity])).toEqual([
      ['alb/group.name', 'error'],
      ['alb/group.order', 'error'],
    ]);
    expect(result.objects.filter((o) => o.kind === 'Gateway').map((o) => o.metadata.name)).toEqual(['bad']);
  });
});

describe('Service ports', () => {
  it('reports a backend port that is not a port of the Service, which stops the controller', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'a' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } };
    const ing = ingress('x', 'a', {}, [{ path: '/' }]);
    ((ing.spec.rules[0] as { http: { paths: { backend: { service: { port: { number: number } } } }[] } }).http.paths[0]!.backend.service.port.number) = 8080;
    const result = run([ing, service]);
    expect(result.findings.filter((f) => f.ruleId === 'alb/service-port').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('authentication', () => {
  it('says when an Ingress with authentication had no HTTPS listener to authenticate on (--target aws-lbc)', () => {
    const ing = ingress('x', 'a', { 'alb.ingress.kubernetes.io/auth-type': 'oidc', 'alb.ingress.kubernetes.io/auth-idp-oidc': '{"issuer": "i", "authorizationEndpoint": "a", "tokenEndpoint": "t", "userInfoEndpoint": "u", "secretName": "s"}' }, [{ path: '/' }]);
    const result = run([ing], { target: 'aws-lbc' });
    expect(result.findings.filter((f) => f.ruleId === 'alb/auth-type').map((f) => f.severity)).toEqual(['warning']);
    expect(result.objects.some((o) => o.kind === 'ListenerRuleConfiguration')).toBe(false);
  });
});

describe('detection', () => {
  it('claims Ingresses of class alb, of an IngressClass of the controller, or with its annotations', () => {
    const classless = ingress('x', 'a', { 'alb.ingress.kubernetes.io/scheme': 'internal' }, [{ path: '/' }]);
    delete (classless.spec as { ingressClassName?: string }).ingressClassName;
    const result = run([
      ingress('y', 'a', {}, [{ path: '/' }]),
      classless,
      { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'edge' }, spec: { controller: 'ingress.k8s.aws/alb' } },
      { ...ingress('z', 'a', {}, [{ path: '/' }]), spec: { ingressClassName: 'edge', rules: [] , defaultBackend: { service: { name: 'web', port: { number: 80 } } } } },
    ]);
    expect(result.findings.filter((f) => f.ruleId === 'core/unknown-controller')).toEqual([]);
    expect(result.objects.filter((o) => o.kind === 'Gateway').map((o) => o.metadata.name).sort()).toEqual(['x', 'y', 'z']);
  });
});

describe('determinism', () => {
  it.each(['alb-group', 'alb-actions', 'lbc-rules', 'lbc-target-groups'])('gives the same output for %s whatever the order of its documents', (name) => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', name, 'input.yaml'), 'utf8');
    const docs = text.split(/^---$/m);
    const opts = name.startsWith('lbc-') ? { target: 'aws-lbc' as const } : {};
    const once = (t: string) => {
      const { documents } = parseSource(t, 'in.yaml');
      return serializeObjects(convert(documents, { toolVersion: 't', gatewayMode: 'shared', ...opts }, validator).objects, 'yaml');
    };
    expect(once([...docs].reverse().join('---\n'))).toBe(once(text));
  });
});
