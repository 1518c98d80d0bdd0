/**
 * Deliberately broken Gateway API outputs (the kind of mistakes a hand edit or a translation bug
 * makes) must be caught: `verify --gateway-api` reports unexplained differences for each.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConvertOptions } from '../../src/cli/convert-command.js';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import type { KubeObject } from '../../src/inputs/document.js';
import { parseSource } from '../../src/inputs/parse.js';
import { createValidator } from '../../src/validate/validator.js';
import type { Difference } from '../../src/verify/types.js';
import { verify } from '../../src/verify/verify.js';

const root = join(import.meta.dirname, '..', '..', 'fixtures');
const validator = createValidator(loadSchemas(), 'standard');

function check(fixture: string, mutate: (objects: KubeObject[]) => KubeObject[]): { clean: number; unexplained: Difference[] } {
  const docs = parseSource(readFileSync(join(root, fixture, 'input.yaml'), 'utf8'), 'input.yaml').documents;
  const opts = { convert: buildConvertOptions({}, 'TEST') };
  const clean = verify(docs, opts, validator);
  const broken = mutate(structuredClone(clean.conversion.objects) as KubeObject[]);
  const r = verify(docs, { ...opts, gatewayApi: broken }, validator);
  return { clean: clean.stats.unexplained, unexplained: r.differences.filter((d) => d.explainedBy.length === 0) };
}

const spec = (o: KubeObject) => o.spec as Record<string, any>;
const named = (kind: string, name: string) => (o: KubeObject) => o.kind === kind && o.metadata.name === name;

describe('verify catches broken Gateway API outputs', () => {
  it('a missing HTTPS redirect', () => {
    const { clean, unexplained } = check('shared-host-tls', (objs) => objs.filter((o) => !named('HTTPRoute', 'shop-https-redirect')(o)));
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.scheme === 'http' && x.probe.path === '/' && x.probe.host === 'shop.example.com');
    expect(d?.source).toMatchObject({ kind: 'redirect', status: 308, location: 'https://shop.example.com/' });
    expect(d?.gateway).toMatchObject({ kind: 'respond', status: 404 });
  });

  it('a dropped ReferenceGrant for a certificate in another namespace', () => {
    const { clean, unexplained } = check('shared-host-tls', (objs) => objs.filter((o) => o.kind !== 'ReferenceGrant'));
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.scheme === 'https' && x.probe.path === '/api');
    expect(d?.source.kind).toBe('forward');
    expect(d?.gateway.kind).toBe('tls-failure');
    expect(d?.gateway.via).toMatch(/RefNotPermitted/);
  });

  it('a wrong canary weight', () => {
    const { clean, unexplained } = check('nginx-canary', (objs) => {
      for (const o of objs.filter(named('HTTPRoute', 'shop'))) {
        for (const rule of spec(o).rules) for (const b of rule.backendRefs ?? []) if (b.weight === 80) b.weight = 50;
      }
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.host === 'shop.example.com' && x.probe.path === '/' && Object.keys(x.probe.headers).length === 0);
    expect(d?.aspects).toEqual(['weights']);
  });

  it('a prefix rewrite where nginx replaced the full path', () => {
    const { clean, unexplained } = check('nginx-rewrite', (objs) => {
      for (const o of objs.filter((x) => x.kind === 'HTTPRoute')) {
        for (const rule of spec(o).rules) {
          for (const f of rule.filters ?? []) {
            const p = f.urlRewrite?.path;
            if (p?.type === 'ReplaceFullPath' && p.replaceFullPath === '/download') f.urlRewrite.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: '/download' };
          }
        }
      }
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.path === '/get/x');
    expect(d?.aspects).toEqual(['path']);
    expect(d?.source).toMatchObject({ path: '/download' });
    expect(d?.gateway).toMatchObject({ path: '/download/x' });
  });

  it('a dropped stripPrefix rewrite (Traefik)', () => {
    const { clean, unexplained } = check('traefik-rewrites', (objs) => {
      for (const o of objs.filter(named('HTTPRoute', 'api'))) for (const rule of spec(o).rules) rule.filters = (rule.filters ?? []).filter((f: { type: string }) => f.type !== 'URLRewrite');
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.scheme === 'http' && x.probe.host === 'apps.example.com' && x.probe.path === '/api/');
    expect(d?.aspects).toEqual(['path']);
    expect(d?.source).toMatchObject({ kind: 'forward', path: '/' });
    expect(d?.gateway).toMatchObject({ kind: 'forward', path: '/api/' });
  });

  it('an Exact match that became a prefix (Traefik)', () => {
    const { clean, unexplained } = check('traefik-paths', (objs) => {
      for (const o of objs.filter((x) => x.kind === 'HTTPRoute')) {
        for (const rule of spec(o).rules) for (const m of rule.matches ?? []) if (m.path?.type === 'Exact' && m.path.value === '/login.php') m.path.type = 'PathPrefix';
      }
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.path === '/login.php/x');
    expect(d?.source).toMatchObject({ kind: 'forward', backends: [{ service: 'docs/site' }] });
    expect(d?.gateway).toMatchObject({ kind: 'forward', backends: [{ service: 'docs/legacy' }] });
  });

  it('a wrong weight of a weighted forward action (ALB)', () => {
    const { clean, unexplained } = check('alb-actions', (objs) => {
      for (const o of objs.filter(named('HTTPRoute', 'shop-https'))) for (const rule of spec(o).rules) for (const b of rule.backendRefs ?? []) if (b.weight === 90) b.weight = 10;
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.scheme === 'https' && x.probe.host === 'shop.example.com' && x.probe.path === '/');
    expect(d?.aspects).toEqual(['weights']);
  });

  it('an ssl-redirect that lost its listener (ALB)', () => {
    const { clean, unexplained } = check('alb-ingress-class', (objs) => objs.filter((o) => !(o.kind === 'HTTPRoute' && /redirect/.test(o.metadata.name ?? ''))));
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.scheme === 'http' && x.probe.host === 'blog.example.com' && x.probe.path === '/');
    expect(d?.source).toMatchObject({ kind: 'redirect', status: 301, location: 'https://blog.example.com/' });
    expect(d?.gateway.kind).not.toBe('redirect');
  });

  it('a route attached to a listener that does not admit its namespace', () => {
    const { unexplained } = check('shared-host-tls', (objs) => {
      for (const o of objs.filter((x) => x.kind === 'Gateway')) for (const l of spec(o).listeners) l.allowedRoutes = { namespaces: { from: 'Same' } };
      return objs;
    });
    expect(unexplained.length).toBeGreaterThan(0);
  });
});

describe('verify catches broken Gateway API outputs of Istio', () => {
  it('a dropped mesh parentRef (the VirtualService no longer applies to the Service)', () => {
    const { clean, unexplained } = check('istio-mesh', (objs) => {
      for (const o of objs.filter(named('HTTPRoute', 'reviews'))) spec(o).parentRefs = spec(o).parentRefs.filter((p: { kind?: string }) => p.kind !== 'Service');
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.mesh?.service === 'bookinfo/reviews' && x.probe.headers['end-user'] === 'jason');
    expect(d?.source).toMatchObject({ kind: 'forward', backends: [{ service: 'bookinfo/reviews~v2', port: 9080, weight: 1 }] });
    expect(d?.gateway).toMatchObject({ kind: 'forward', backends: [{ service: 'bookinfo/reviews', port: 9080, weight: 1 }] });
  });

  it('swapped weights of a VirtualService split', () => {
    const { clean, unexplained } = check('istio-http-matches', (objs) => {
      for (const o of objs.filter((x) => x.kind === 'HTTPRoute')) {
        for (const rule of spec(o).rules) for (const b of rule.backendRefs ?? []) if (b.weight === 80 || b.weight === 20) b.weight = 100 - b.weight;
      }
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.path === '/api/x' && !x.probe.port);
    expect(d?.aspects).toEqual(['weights']);
    expect(d?.source).toMatchObject({ kind: 'forward', backends: expect.arrayContaining([expect.objectContaining({ service: 'store/api', weight: 0.8 }), expect.objectContaining({ service: 'store/api-canary', weight: 0.2 })]) });
  });

  it('a missing httpsRedirect route', () => {
    const { clean, unexplained } = check('istio-gateway', (objs) => objs.filter((o) => !(o.kind === 'HTTPRoute' && JSON.stringify(spec(o).rules).includes('RequestRedirect'))));
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.scheme === 'http' && x.probe.host === 'shop.example.com' && x.probe.path === '/' && !x.probe.port);
    expect(d?.source).toMatchObject({ kind: 'redirect', status: 301, location: 'https://shop.example.com/' });
  });

  it('a rule order that lets a later, more specific Istio route win', () => {
    // Drop the overlap match the translation gave http[2] (header x-canary) for /shop.
    const { clean, unexplained } = check('istio-rule-order', (objs) => {
      for (const o of objs.filter(named('HTTPRoute', 'shop'))) {
        for (const rule of spec(o).rules) rule.matches = (rule.matches ?? []).filter((m: { path?: { value?: string }; headers?: unknown[] }) => !(m.path?.value === '/shop' && m.headers?.length));
      }
      return objs;
    });
    expect(clean).toBe(0);
    const d = unexplained.find((x) => x.probe.path.startsWith('/shop') && x.probe.headers['x-canary'] === '1');
    expect(d?.source).toMatchObject({ kind: 'forward', backends: [{ service: 'shop/canary' }] });
  });
});
