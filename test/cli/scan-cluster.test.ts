/**
 * `gateway-shift scan --from-cluster` beyond the README's examples (test/cli/cluster.test.ts): a
 * fleet of three with one cluster down and one partly readable, 403s as findings, the reports
 * grouped per cluster, baselines, and what it refuses.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAsync, type Run } from './helpers.js';
import { sarifValidator } from './sarif.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../cluster/kube-api-server.mjs';
import { ALL_CRDS, ingress, ingressClass, world } from '../cluster/world.js';

interface JsonReport {
  summary: { ingresses: number; objects: number; files: number; clusters: { context: string; status: string; objectsRead: number; ingresses: number; findings: Record<string, number> }[] };
  findings: { ruleId: string; severity: string; message: string; object?: { kind: string; namespace?: string; name?: string }; position?: { file: string; line?: number } }[];
}
interface SarifLog {
  runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; properties?: Record<string, unknown> }[] }[];
}

describe('gateway-shift scan --from-cluster', () => {
  let alpha: KubeApiServer;
  let beta: KubeApiServer;
  let gamma: KubeApiServer;
  let delta: KubeApiServer;
  let dir: string;
  let kubeconfig: string;
  const scan = (...args: string[]): Promise<Run> => runAsync(['scan', '--from-cluster', ...args], { cwd: dir, env: { KUBECONFIG: kubeconfig, HOME: dir } });
  let fleet: Run;

  beforeAll(async () => {
    alpha = await startKubeApiServer({ crds: ALL_CRDS, objects: world() });
    // beta: no CRDs, and Services may not be listed.
    beta = await startKubeApiServer({ objects: [ingressClass, ingress('web', 'web', 'web.example.com')] });
    beta.forbid({ resource: 'services' });
    gamma = await startKubeApiServer();
    await gamma.close(); // down
    // delta: Ingresses may be listed in namespace blog only.
    delta = await startKubeApiServer({ crds: ALL_CRDS, objects: world() });
    delta.forbid({ resource: 'ingresses', namespace: '*' });
    delta.forbid({ resource: 'ingresses', namespace: 'shop' });
    dir = mkdtempSync(join(tmpdir(), 'gs-scan-cluster-'));
    kubeconfig = writeKubeconfig(
      join(dir, 'kubeconfig'),
      [alpha.kubeconfigEntry({ context: 'alpha', namespace: 'shop' }), beta.kubeconfigEntry({ context: 'beta' }), gamma.kubeconfigEntry({ context: 'gamma' }), delta.kubeconfigEntry({ context: 'delta' })],
      'alpha',
    );
    fleet = await scan('--context', 'alpha', '--context', 'beta', '--context', 'gamma', '--format', 'text', '--format', 'json=fleet.json', '--format', 'sarif=fleet.sarif', '--format', 'markdown=fleet.md');
  });
  afterAll(async () => {
    await alpha.close();
    await beta.close();
    await delta.close();
  });

  it('scans a fleet of three with one down: the two it read, the failure, and exit 2', () => {
    expect(fleet.status).toBe(2);
    expect(fleet.stderr).toBe(''); // no progress indicator: not a terminal
    const text = fleet.stdout;
    const at = (s: string) => text.indexOf(s);
    expect(at('== context alpha (')).toBe(0);
    expect(at('== context alpha (')).toBeLessThan(at('== context beta ('));
    expect(at('== context beta (')).toBeLessThan(at('== context gamma ('));
    // alpha, every namespace: shop/shop, shop/admin and blog/blog with the shared Gateway, the Istio
    // Gateway and the VirtualService's route (6 objects); the blog host already has a listener on
    // legacy/old-lb (1 warning); the defaulted class and namespace of the shared Gateway, the Istio
    // selector, the three Ingresses, the Istio Gateway and the VirtualService still there (8 info).
    expect(text).toContain('alpha: 3 Ingresses from 15 objects read -> 6 Gateway API objects; 0 errors, 1 warning, 8 info\n');
    // beta: its Services could not be listed (a warning); no CRD group is served (4 info), plus the
    // defaulted class and its Ingress.
    expect(text).toContain('beta: 1 Ingress from 2 objects read (partly) -> 2 Gateway API objects; 0 errors, 1 warning, 6 info\n');
    expect(text).toMatch(/== context gamma \(https:\/\/127\.0\.0\.1:\d+, all namespaces\)\nerror   cannot read the cluster \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); nothing was read from it \[cluster\/unreachable\]\n {8}cluster\/gamma\n/);
    expect(text).toContain('gamma: not read; 1 error, 0 warnings, 0 info\n');
    expect(text.endsWith('fleet: 3 clusters (2 read, 1 failed): 4 Ingresses -> 8 Gateway API objects; 1 error, 2 warnings, 14 info\n')).toBe(true);
  });

  it('writes a JSON report with a summary per cluster, and every finding in its cluster', () => {
    const report = JSON.parse(readFileSync(join(dir, 'fleet.json'), 'utf8')) as JsonReport;
    expect(report.summary.clusters.map((k) => [k.context, k.status, k.objectsRead, k.ingresses])).toEqual([
      ['alpha', 'read', 15, 3],
      ['beta', 'partial', 2, 1],
      ['gamma', 'failed', 0, 0],
    ]);
    expect(report.summary).toMatchObject({ ingresses: 4, objects: 8, files: 0 });
    const byCluster = (ctx: string) => report.findings.filter((f) => f.position?.file === `cluster/${ctx}`);
    expect(byCluster('alpha').length + byCluster('beta').length + byCluster('gamma').length).toBe(report.findings.length);
    expect(byCluster('gamma').map((f) => f.ruleId)).toEqual(['cluster/unreachable']);
    const forbidden = byCluster('beta').filter((f) => f.ruleId === 'cluster/forbidden');
    expect(forbidden.map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        'not allowed to list services at cluster scope, so the Services in all namespaces were not read. Missing permission: verb "list" on resource "services" in API group "" at cluster scope; the conversion may lack context from them',
      ],
    ]);
    expect(byCluster('alpha').filter((f) => f.ruleId.startsWith('scan/')).map((f) => `${f.ruleId} ${f.object?.kind} ${f.object?.namespace}/${f.object?.name}`)).toEqual([
      'scan/ingress Ingress blog/blog',
      'scan/ingress Ingress shop/admin',
      'scan/ingress Ingress shop/shop',
      'scan/istio-gateway Gateway shop/istio-gw',
      'scan/virtual-service VirtualService shop/vs',
    ]);
  });

  it('writes valid SARIF that locates each result at its cluster object', () => {
    const log = JSON.parse(readFileSync(join(dir, 'fleet.sarif'), 'utf8')) as SarifLog;
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const where = (ruleId: string) => log.runs[0]!.results.filter((r) => r.ruleId === ruleId).map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(where('core/host-already-migrated')).toEqual(['cluster/alpha/blog/Ingress/blog']);
    expect(where('scan/virtual-service')).toEqual(['cluster/alpha/shop/VirtualService/vs']);
    expect(where('cluster/unreachable')).toEqual(['cluster/gamma']);
    expect(where('cluster/forbidden')).toEqual(['cluster/beta']);
    const vs = log.runs[0]!.results.find((r) => r.ruleId === 'scan/virtual-service')!;
    expect(vs.properties).toMatchObject({ context: 'alpha', controller: 'Istio' });
    expect(vs.properties!.resourceVersion).toMatch(/^\d+$/);
  });

  it('writes Markdown with a table of the clusters and the findings per cluster', () => {
    const md = readFileSync(join(dir, 'fleet.md'), 'utf8');
    expect(md).toContain('4 Ingresses and 2 other routing objects still to migrate in 3 clusters (1 not read) (8 Gateway API objects when converted): **1 error**, 2 warnings, 14 info.');
    expect(md).toContain(
      [
        '| `alpha` | all namespaces | read | 15 | 3 | 0 | 1 | 8 |',
        '| `beta` | all namespaces | partly read | 2 | 1 | 0 | 1 | 6 |',
        '| `gamma` | all namespaces | **not read** | 0 | 0 | 1 | 0 | 0 |',
      ].join('\n'),
    );
    const sections = ['alpha', 'beta', 'gamma'].map((c) => md.indexOf(`### Context \`${c}\``));
    expect(sections[0]).toBeGreaterThan(0);
    expect(sections).toEqual([...sections].sort((a, b) => a - b));
    const alphaPart = md.slice(sections[0], sections[1]);
    expect(alphaPart).toContain('#### Warnings (1)');
    expect(alphaPart).toMatch(/\| `spec\.rules\[0\]\.host` \| Ingress blog\/blog \(resourceVersion \d+\) \| `core\/host-already-migrated` \|/);
    expect(md.slice(sections[2])).toContain('#### Errors (1)');
  });

  it('exits 2 for a cluster it could not read even when the baseline holds the failure, and lists nothing old', async () => {
    const r = await scan('--context', 'alpha', '--context', 'beta', '--context', 'gamma', '--baseline', 'fleet.json', '--fail-on', 'never');
    expect(r.status).toBe(2);
    expect(r.stdout).not.toMatch(/^(error|warning|info) /m);
    expect(r.stdout).toContain('gamma: not read; 1 error, 0 warnings, 0 info; 0 new\n');
    // All 17 findings of the first run (1 error, 2 warnings, 14 info) are in the baseline.
    expect(r.stdout).toContain('; 0 new, 17 in the baseline (not listed)\n');
  });

  it('turns a 403 on the Ingresses into an error finding that names the permission, and reads the rest', async () => {
    const all = await scan('--context', 'delta', '--format', 'json');
    expect(all.status).toBe(2); // the Ingresses could not be read: the scan is incomplete
    const report = JSON.parse(all.stdout) as JsonReport;
    expect(report.summary.clusters.map((k) => [k.context, k.status, k.ingresses])).toEqual([['delta', 'partial', 0]]);
    const forbidden = report.findings.filter((f) => f.ruleId === 'cluster/forbidden');
    expect(forbidden.map((f) => [f.severity, f.message, f.position?.file])).toEqual([
      [
        'error',
        'not allowed to list ingresses.networking.k8s.io at cluster scope, so the Ingresses in all namespaces were not read. Missing permission: verb "list" on resource "ingresses" in API group "networking.k8s.io" at cluster scope',
        'cluster/delta',
      ],
    ]);
    // Namespace by namespace, blog is allowed and shop is not.
    const some = await scan('--context', 'delta', '-n', 'blog', '-n', 'shop', '--format', 'json');
    expect(some.status).toBe(2);
    const r2 = JSON.parse(some.stdout) as JsonReport;
    expect(r2.findings.filter((f) => f.ruleId === 'scan/ingress').map((f) => `${f.object?.namespace}/${f.object?.name}`)).toEqual(['blog/blog']);
    expect(r2.findings.filter((f) => f.ruleId === 'cluster/forbidden').map((f) => f.message)).toEqual([expect.stringContaining('so the Ingresses in namespace shop were not read')]);
    const blog = await scan('--context', 'delta', '-n', 'blog', '--fail-on', 'warning');
    expect(blog.status).toBe(0);
    expect(blog.stdout).toContain('1 Ingress from cluster delta (');
  });

  it('refuses what it cannot do with a usage error (exit 2), without reading a cluster', async () => {
    const before = alpha.requests.length;
    const cases: [string[], string][] = [
      [['scan', '--from-cluster', 'k8s/'], '--from-cluster reads no files'],
      [['scan', '--context', 'alpha', 'fixtures/basic-paths/input.yaml'], '--context needs --from-cluster'],
      [['scan', '-A', '-l', 'app=x', 'fixtures/basic-paths/input.yaml'], '--all-namespaces, --selector need --from-cluster'],
      [['scan', '--from-cluster', '--repo-root', '.'], '--repo-root locates files in SARIF reports; --from-cluster reads none'],
      [['scan', '--from-cluster', '--context', 'alpha', '--all-contexts'], '--context and --all-contexts cannot be combined'],
      [['scan', '--from-cluster', '--context', 'omega'], 'context "omega" not found in the kubeconfig'],
    ];
    const results = await Promise.all(cases.map(([args]) => runAsync(args, { env: { KUBECONFIG: kubeconfig } })));
    cases.forEach(([args, text], i) => {
      const r = results[i]!;
      expect({ args, status: r.status, stdout: r.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(r.stderr).toContain(text);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
    expect(alpha.requests.length).toBe(before);
  });
});
