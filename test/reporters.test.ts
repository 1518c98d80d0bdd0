/** The report of a --from-cluster run: one cluster, or a fleet grouped per cluster. */
import type { Finding } from '../src/findings/finding.js';
import { renderMarkdown } from '../src/reporters/markdown.js';
import { buildSarif } from '../src/reporters/sarif.js';
import { renderText } from '../src/reporters/text.js';
import { PLAIN, type ClusterSummary, type ReportFinding } from '../src/reporters/types.js';
import { sarifValidator } from './cli/sarif.js';

const cluster = (context: string, o: Partial<ClusterSummary> = {}): ClusterSummary => ({
  context,
  server: `https://${context}.example.net:6443`,
  scope: 'all namespaces',
  status: 'read',
  objectsRead: 10,
  ingresses: 2,
  objects: 3,
  findings: { error: 0, warning: 0, info: 0 },
  ...o,
});

describe('text report of clusters', () => {
  it('names the cluster in the summary line of a single-cluster run', () => {
    const text = renderText({ toolVersion: 't', findings: [], summary: { ingresses: 2, objects: 3, files: 0, clusters: [cluster('prod', { scope: 'namespace shop', status: 'partial' })] } }, PLAIN);
    expect(text).toBe('2 Ingresses from cluster prod (10 objects read partly, namespace shop) -> 3 Gateway API objects; 0 errors, 0 warnings, 0 info\n');
  });

  it('groups a fleet\u2019s findings per cluster, each with its summary, then the fleet\u2019s', () => {
    const f = (ctx: string, severity: Finding['severity'], message: string): Finding => ({ ruleId: 'core/x', severity, message, position: { file: `cluster/${ctx}` } });
    const findings = [f('a', 'warning', 'wa'), f('b', 'error', 'eb')];
    const clusters = [cluster('a', { findings: { error: 0, warning: 1, info: 0 }, output: 'out/a/gateway-api.yaml' }), cluster('b', { status: 'failed', objectsRead: 0, ingresses: 0, objects: 0, findings: { error: 1, warning: 0, info: 0 } })];
    expect(renderText({ toolVersion: 't', findings, summary: { ingresses: 2, objects: 3, files: 0, clusters } }, PLAIN)).toBe(
      [
        '== context a (https://a.example.net:6443, all namespaces)',
        'warning wa [core/x]',
        '        cluster/a',
        'a: 2 Ingresses from 10 objects read -> 3 Gateway API objects in out/a/gateway-api.yaml; 0 errors, 1 warning, 0 info',
        '',
        '== context b (https://b.example.net:6443, all namespaces)',
        'error   eb [core/x]',
        '        cluster/b',
        'b: not read; 1 error, 0 warnings, 0 info',
        '',
        'fleet: 2 clusters (1 read, 1 failed): 2 Ingresses -> 3 Gateway API objects; 1 error, 1 warning, 0 info',
        '',
      ].join('\n'),
    );
  });
});

describe('scan reports of clusters', () => {
  const f = (ctx: string, severity: Finding['severity'], message: string, o: Partial<ReportFinding> = {}): ReportFinding => ({ ruleId: 'core/x', severity, message, position: { file: `cluster/${ctx}` }, ...o });

  it('lists only new findings of a fleet with a baseline, and counts them per cluster and for the fleet', () => {
    const wa = f('a', 'warning', 'wa');
    const ia = f('a', 'info', 'ia');
    const eb = f('b', 'error', 'eb');
    const clusters = [cluster('a', { findings: { error: 0, warning: 1, info: 1 } }), cluster('b', { status: 'failed', objectsRead: 0, ingresses: 0, objects: 0, findings: { error: 1, warning: 0, info: 0 } })];
    const text = renderText({ toolVersion: 't', findings: [wa, ia, eb], summary: { ingresses: 2, objects: 3, files: 0, clusters }, newFindings: new Set([wa]) }, PLAIN);
    expect(text).toBe(
      [
        '== context a (https://a.example.net:6443, all namespaces)',
        'warning wa [core/x]',
        '        cluster/a',
        'a: 2 Ingresses from 10 objects read -> 3 Gateway API objects; 0 errors, 1 warning, 1 info; 1 new',
        '',
        '== context b (https://b.example.net:6443, all namespaces)',
        'b: not read; 1 error, 0 warnings, 0 info; 0 new',
        '',
        'fleet: 2 clusters (1 read, 1 failed): 2 Ingresses -> 3 Gateway API objects; 1 error, 1 warning, 1 info; 1 new, 2 in the baseline (not listed)',
        '',
      ].join('\n'),
    );
  });

  // An EKS context name: colons and a slash, which a URI path segment must escape.
  const eks = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
  const admin = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'shop', name: 'admin', resourceVersion: '1003' };
  const bodySize = f(eks, 'warning', 'body size', { ruleId: 'ingress-nginx/proxy-body-size', object: admin, field: 'metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]', controller: 'ingress-nginx' });
  const notInstalled = f(eks, 'info', 'no Traefik', { ruleId: 'cluster/not-installed', controller: 'general' });
  const summary = { ingresses: 2, objects: 3, files: 0, clusters: [cluster(eks, { findings: { error: 0, warning: 1, info: 1 } })] };

  it('locates SARIF results of cluster objects at cluster/<context>/<namespace>/<kind>/<name>, with a fingerprint that outlives resourceVersion', () => {
    type Result = { locations: { physicalLocation: unknown; logicalLocations?: unknown }[]; partialFingerprints: Record<string, string>; properties?: Record<string, unknown> };
    const results = (log: Record<string, unknown>) => (log.runs as { results: Result[] }[])[0]!.results;
    const log = buildSarif({ toolVersion: 't', findings: [bodySize, notInstalled], summary });
    expect(sarifValidator()(log)).toBe(true);
    const [r0, r1] = results(log);
    expect(r0!.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'cluster/arn%3Aaws%3Aeks%3Aeu-west-1%3A111122223333%3Acluster%2Fprod/shop/Ingress/admin' }, region: { startLine: 1, startColumn: 1 } },
        logicalLocations: [{ fullyQualifiedName: 'Ingress/shop/admin', kind: 'resource' }],
      },
    ]);
    expect(r0!.properties).toMatchObject({ context: eks, resourceVersion: '1003', field: 'metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]' });
    // About the cluster itself: the cluster's path.
    expect(r1!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'cluster/arn%3Aaws%3Aeks%3Aeu-west-1%3A111122223333%3Acluster%2Fprod' }, region: { startLine: 1, startColumn: 1 } } }]);
    // The object changed (a new resourceVersion): still the same result for code scanning.
    const later = buildSarif({ toolVersion: 't', findings: [{ ...bodySize, object: { ...admin, resourceVersion: '2001' } }, notInstalled], summary });
    expect(results(later).map((r) => r.partialFingerprints)).toEqual(results(log).map((r) => r.partialFingerprints));
  });

  it('writes Markdown with a table of the clusters, those not read, and the findings per cluster', () => {
    const lab = f('lab', 'error', 'cannot read the cluster', { ruleId: 'cluster/unreachable', controller: 'general' });
    const ingress = f(eks, 'info', 'Ingress shop/admin is still here', { ruleId: 'scan/ingress', object: admin, controller: 'ingress-nginx' });
    const clusters = [cluster(eks, { scope: 'namespace shop', objectsRead: 11, findings: { error: 0, warning: 1, info: 1 } }), cluster('lab', { status: 'failed', objectsRead: 0, ingresses: 0, objects: 0, findings: { error: 1, warning: 0, info: 0 } })];
    const md = renderMarkdown({ toolVersion: 't', findings: [bodySize, ingress, lab], summary: { ingresses: 2, objects: 3, files: 0, clusters } });
    expect(md).toContain('1 Ingress still to migrate in 2 clusters (1 not read) (3 Gateway API objects when converted): **1 error**, 1 warning, 1 info.');
    expect(md).toContain(
      [
        '| Context | Namespaces | Status | Objects read | Ingresses | Errors | Warnings | Info |',
        '|---|---|---|--:|--:|--:|--:|--:|',
        `| \`${eks}\` | namespace shop | read | 11 | 2 | 0 | 1 | 1 |`,
        '| `lab` | all namespaces | **not read** | 0 | 0 | 1 | 0 | 0 |',
        '',
        'Not read: `lab`; the findings of that cluster say why.',
      ].join('\n'),
    );
    const prodAt = md.indexOf(`### Context \`${eks}\``);
    const labAt = md.indexOf('### Context `lab`');
    expect(prodAt).toBeGreaterThan(0);
    expect(labAt).toBeGreaterThan(prodAt);
    const prod = md.slice(prodAt, labAt);
    expect(prod).toContain('https://arn:aws:eks:eu-west-1:111122223333:cluster/prod.example.net:6443, namespace shop: read.');
    expect(prod).toContain('#### Warnings (1)');
    expect(prod).toContain('| `metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]` | Ingress shop/admin (resourceVersion 1003) | `ingress-nginx/proxy-body-size` | body size |');
    expect(prod).toContain('<summary>Info (1)</summary>');
    expect(prod).not.toContain('cluster/unreachable');
    const labPart = md.slice(labAt);
    expect(labPart).toContain('#### Errors (1)');
    expect(labPart).toContain('|  |  | `cluster/unreachable` | cannot read the cluster |');
  });
});
