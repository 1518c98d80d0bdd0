/** The report of a --from-cluster run: one cluster, or a fleet grouped per cluster. */
import type { Finding } from '../src/findings/finding.js';
import { renderText } from '../src/reporters/text.js';
import { PLAIN, type ClusterSummary } from '../src/reporters/types.js';

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
