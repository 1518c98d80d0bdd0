/** Gateways already in the input: --parent-ref is checked against them, migrated hosts flagged. */
import { convert, type ConvertOptions } from '../src/convert.js';
import { listenerCovers } from '../src/existing-gateways.js';
import { parseSource } from '../src/inputs/parse.js';

const gateway = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
${listeners}
`;
const ingress = (ns: string, host: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app, namespace: ${ns}}
spec:
  ingressClassName: nginx
  rules:
    - host: ${host}
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: app, port: {number: 80}}}}
`;

function run(yaml: string, extra: Partial<ConvertOptions> = {}) {
  const { documents } = parseSource(yaml, 'in.yaml');
  return convert(documents, { toolVersion: 't', gatewayMode: 'shared', ...extra });
}
const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.ruleId).filter((id) => id.startsWith('core/parent-ref') || id === 'core/host-already-migrated');

describe('existing Gateways', () => {
  const listeners = `    - {name: http, port: 80, protocol: HTTP}
    - {name: open, port: 8080, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
    - {name: picky, port: 8081, protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {a: b}}}}}`;

  it('refuses a --parent-ref section the Gateway does not have, naming the ones it has', () => {
    const r = run(gateway(listeners) + '---\n' + ingress('shop', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge', sectionName: 'nope' } });
    const f = r.findings.find((x) => x.ruleId === 'core/parent-ref-section-not-found')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('(it has: http, open, picky)');
    expect(f.position).toMatchObject({ file: 'in.yaml', line: 6 });
  });

  it('reports routes in other namespaces that a Same listener (the default) would not admit', () => {
    const r = run(gateway(listeners) + '---\n' + ingress('shop', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge', sectionName: 'http' } });
    expect(ids(r)).toEqual(['core/parent-ref-not-allowed']);
    expect(r.findings.find((x) => x.ruleId === 'core/parent-ref-not-allowed')!.message).toContain('namespace shop cannot attach to Gateway infra/edge: its listener "http" admits routes from its own namespace (infra) only');
    // The same namespace is admitted, and so is any namespace by a listener with from: All.
    expect(ids(run(gateway(listeners) + '---\n' + ingress('infra', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge', sectionName: 'http' } }))).toEqual([]);
    expect(ids(run(gateway(listeners) + '---\n' + ingress('shop', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge', sectionName: 'open' } }))).toEqual([]);
    // Without a section, one admitting listener is enough.
    expect(ids(run(gateway(listeners) + '---\n' + ingress('shop', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge' } }))).toEqual([]);
  });

  it('says a selector cannot be evaluated', () => {
    const r = run(gateway(listeners) + '---\n' + ingress('shop', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge', sectionName: 'picky' } });
    expect(r.findings.find((x) => x.ruleId === 'core/parent-ref-selector')).toMatchObject({ severity: 'info' });
  });

  it('reports a missing --parent-ref Gateway only when the input was looked up in the cluster', () => {
    const yaml = ingress('shop', 'a.example.com');
    expect(ids(run(yaml, { parentRef: { namespace: 'infra', name: 'edge' } }))).toEqual([]);
    const r = run(yaml, { parentRef: { namespace: 'infra', name: 'edge' }, parentRefResolved: true });
    expect(ids(r)).toEqual(['core/parent-ref-not-found']);
    expect(r.findings.find((x) => x.ruleId === 'core/parent-ref-not-found')!.severity).toBe('error');
  });

  it('flags hosts an existing Gateway already has a listener for, exact or wildcard', () => {
    const ls = `    - {name: https-a, hostname: a.example.com, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: a}]}}
    - {name: https-wild, hostname: "*.w.example.com", port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: w}]}}`;
    const flagged = (host: string) => ids(run(gateway(ls) + '---\n' + ingress('shop', host)));
    expect(flagged('a.example.com')).toEqual(['core/host-already-migrated']);
    expect(flagged('x.w.example.com')).toEqual(['core/host-already-migrated']);
    expect(flagged('b.example.com')).toEqual([]);
    expect(flagged('w.example.com')).toEqual([]);
    // Not when that Gateway is the --parent-ref target: serving the host is what it is for.
    expect(ids(run(gateway(ls) + '---\n' + ingress('infra', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge', sectionName: 'https-a' } }))).toEqual([]);
  });

  it('matches listener hostnames as Gateway API does (a *. prefix is a suffix match)', () => {
    expect(listenerCovers('*.example.com', 'a.b.example.com')).toBe(true);
    expect(listenerCovers('*.example.com', '*.a.example.com')).toBe(true);
    expect(listenerCovers('*.example.com', 'example.com')).toBe(false);
    expect(listenerCovers('*.example.com', '*.example.com')).toBe(true);
    expect(listenerCovers('a.example.com', '*.example.com')).toBe(false);
  });

  it('ignores Istio Gateways, which share the kind', () => {
    const istio = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: infra}\nspec: {servers: [{hosts: ["*"], port: {number: 80, name: http, protocol: HTTP}}]}\n';
    expect(ids(run(istio + '---\n' + ingress('shop', 'a.example.com'), { parentRef: { namespace: 'infra', name: 'edge' }, parentRefResolved: true }))).toEqual(['core/parent-ref-not-found']);
  });
});
