/**
 * `gateway-shift convert --from-cluster` and `scan --from-cluster` end to end, as the README's
 * "Against a cluster" section writes them: its commands run as written (the built CLI, the real @kubernetes/client-node), against
 * local test API servers that grant exactly the README's ClusterRole, and the fleet report it
 * shows is what the CLI prints.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot, runAsync, type Run } from './helpers.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from '../cluster/kube-api-server.mjs';
import { ALL_CRDS, ingress, readmeProd, readmeStaging } from '../cluster/world.js';
import { sarifValidator } from './sarif.js';
import { rbacRules } from '../../src/inputs/cluster/resources.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('### Against a cluster'), readme.indexOf('### `gateway-shift rules'));
const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
const block = (lang: string) => blocks(lang)[0]!;
const commands = block('sh').trim().split('\n');
const sample = block('text');
// The scan commands, and what the last one prints.
const scanCommands = blocks('sh')[1]!.trim().split('\n');
const scanSample = blocks('text')[1]!;
const clusterRole = parse(block('yaml')) as { kind: string; rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };

/** The words of a README command line (single and double quotes), and its `> file` redirection. */
function shellWords(line: string): { args: string[]; stdoutTo?: string } {
  const words: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  const i = words.indexOf('>');
  return i >= 0 ? { args: words.slice(0, i), stdoutTo: words[i + 1]! } : { args: words };
}

const kinds = (yaml: string) =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } } | null)
    .filter((d) => d !== null)
    .map((d) => `${d.kind}/${d.metadata.namespace ? d.metadata.namespace + '/' : ''}${d.metadata.name}`);

describe('the README\u2019s "Against a cluster" section', () => {
  let prod: KubeApiServer;
  let staging: KubeApiServer;
  let lab: KubeApiServer;
  let cwd: string;
  const runs: Run[] = [];
  const scanRuns: (Run & { requests: string[] })[] = [];
  const normalize = (s: string) =>
    s
      .replaceAll(prod.url, 'https://10.0.0.1:6443')
      .replaceAll(staging.url, 'https://10.0.0.2:6443')
      .replaceAll(`127.0.0.1:${lab.port}`, '10.0.0.3:6443');

  beforeAll(async () => {
    const rbac = clusterRole.rules;
    prod = await startKubeApiServer({ crds: ALL_CRDS, objects: readmeProd(), rbac });
    staging = await startKubeApiServer({ crds: ['traefik.io', 'gateway.networking.k8s.io'], objects: readmeStaging(), rbac });
    lab = await startKubeApiServer();
    await lab.close(); // down
    cwd = mkdtempSync(join(tmpdir(), 'gs-readme-'));
    const kubeconfig = writeKubeconfig(
      join(cwd, 'kubeconfig'),
      [prod.kubeconfigEntry({ context: 'prod', namespace: 'shop' }), staging.kubeconfigEntry({ context: 'staging', namespace: 'web', auth: 'exec' }), lab.kubeconfigEntry({ context: 'lab' })],
      'prod',
    );
    // Independent commands (separate outputs): run side by side to keep the suite quick.
    runs.push(
      ...(await Promise.all(
        commands.map(async (line) => {
          const { args, stdoutTo } = shellWords(line);
          expect(args[0]).toBe('gateway-shift');
          const r = await runAsync(args.slice(1), { cwd, env: { KUBECONFIG: kubeconfig, HOME: cwd } });
          if (stdoutTo) writeFileSync(join(cwd, stdoutTo), r.stdout);
          return r;
        }),
      )),
    );
    // The scan commands one after the other: the fourth reads the baseline the third writes.
    for (const line of scanCommands) {
      const { args } = shellWords(line);
      expect(args[0]).toBe('gateway-shift');
      if (args.includes('--baseline')) {
        // prod after the baseline was saved: a new Ingress, and shop/admin edited (a new resourceVersion, the same findings).
        const checkout = ingress('shop', 'checkout', 'checkout.example.com');
        checkout.metadata.annotations = { 'nginx.ingress.kubernetes.io/proxy-buffering': 'on' };
        prod.apply([checkout, readmeProd().find((o) => o.metadata.name === 'admin')!]);
      }
      const before = prod.requests.length;
      const r = await runAsync(args.slice(1), { cwd, env: { KUBECONFIG: kubeconfig, HOME: cwd } });
      scanRuns.push({ ...r, requests: prod.requests.slice(before).map((q) => q.path) });
    }
  });
  afterAll(async () => {
    await prod.close();
    await staging.close();
  });

  it('has the commands this test expects, and its ClusterRole is what gateway-shift reads', () => {
    expect(commands).toHaveLength(6);
    expect(scanCommands).toHaveLength(5);
    expect(scanCommands.every((c) => c.startsWith('gateway-shift scan --from-cluster'))).toBe(true);
    expect(clusterRole.kind).toBe('ClusterRole');
    expect(clusterRole.rules).toEqual(rbacRules());
  });

  it('needs no more permissions than the ClusterRole, and only ever lists and gets, never a Secret', () => {
    for (const r of [...runs, ...scanRuns]) expect(r.stderr + r.stdout).not.toContain('cluster/forbidden');
    for (const s of [prod, staging]) {
      expect(s.requests.length).toBeGreaterThan(0);
      expect(s.requests.every((q) => q.method === 'GET' && !q.path.includes('/secrets') && !q.path.includes('/configmaps'))).toBe(true);
    }
  });

  it('1. reads the current context\u2019s namespace, resolves named ports through Services, prints per context', () => {
    const r = runs[0]!;
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('# context: prod\n')).toBe(true);
    // The Istio Gateway and VirtualService of namespace shop are translated too.
    expect(kinds(r.stdout)).toEqual(['Gateway/shop/istio-gw', 'Gateway/shop/nginx', 'HTTPRoute/shop/admin', 'HTTPRoute/shop/shop', 'HTTPRoute/shop/vs']);
    expect(r.stdout).toContain('port: 8080'); // the Service port named "http"
    expect(r.stderr).toContain('2 Ingresses from cluster prod (11 objects read, namespace shop) -> 5 Gateway API objects;');
    expect(r.stderr).not.toContain('\r'); // no progress indicator: stderr is not a terminal
  });

  it('2. reads the namespaces given with -n, and the Ingresses -l selects', () => {
    const r = runs[1]!;
    expect(r.status).toBe(0);
    // team!=ops also selects objects without the label, as the VirtualService is (Kubernetes label selectors).
    expect(kinds(r.stdout).filter((k) => k.startsWith('HTTPRoute'))).toEqual(['HTTPRoute/blog/blog', 'HTTPRoute/shop/shop', 'HTTPRoute/shop/vs']);
    expect(r.stderr).toContain('namespaces blog, shop');
    const selected = prod.requests.filter((q) => q.query.labelSelector !== undefined);
    expect(selected.map((q) => `${q.path} ${q.query.labelSelector}`).sort()).toEqual([
      '/apis/networking.istio.io/v1/namespaces/blog/virtualservices team!=ops',
      '/apis/networking.istio.io/v1/namespaces/shop/virtualservices team!=ops',
      '/apis/networking.k8s.io/v1/namespaces/blog/ingresses team!=ops',
      '/apis/networking.k8s.io/v1/namespaces/shop/ingresses team!=ops',
    ]);
  });

  it('3. reads all namespaces with -A, and flags a host an existing Gateway already serves, with the object\u2019s identity', () => {
    const r = runs[2]!;
    expect(r.status).toBe(0);
    const out = readFileSync(join(cwd, 'gateway-api.yaml'), 'utf8');
    expect(kinds(out)).toEqual(['GatewayClass/eg', 'Gateway/gateway-system/nginx', 'Gateway/shop/istio-gw', 'HTTPRoute/blog/blog', 'HTTPRoute/shop/admin', 'HTTPRoute/shop/shop', 'HTTPRoute/shop/vs']);
    expect(r.stderr).toMatch(
      /warning host blog\.example\.com already has a listener on the existing Gateway legacy\/old-lb \(listener https-blog\).*\[core\/host-already-migrated\]\n {8}cluster\/prod {2}Ingress blog\/blog \(resourceVersion \d+\) {2}spec\.rules\[0\]\.host\n/,
    );
    expect(prod.requests.some((q) => q.path === '/apis/networking.k8s.io/v1/ingresses' && q.query.limit === '500')).toBe(true);
  });

  it('4. writes a JSON report with a summary per cluster', () => {
    const r = runs[3]!;
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('# context: '))).toEqual(['# context: prod', '# context: staging']);
    const report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as { summary: { clusters: { context: string; status: string; ingresses: number }[] }; findings: { position?: { file: string } }[] };
    const ajv = new Ajv({ strict: true });
    expect(ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report.schema.json'), 'utf8')) as object)(report)).toBe(true);
    expect(report.summary.clusters.map((c) => [c.context, c.status, c.ingresses])).toEqual([
      ['prod', 'read', 2],
      ['staging', 'read', 1],
    ]);
    expect(report.findings.every((f) => f.position?.file === 'cluster/prod' || f.position?.file === 'cluster/staging')).toBe(true);
  });

  it('5. writes a folder per context with --output-dir, none for the cluster that could not be read', () => {
    const r = runs[4]!;
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(join(cwd, 'migrated')).sort()).toEqual(['prod', 'staging']);
    expect(kinds(readFileSync(join(cwd, 'migrated', 'staging', 'gateway-api.yaml'), 'utf8'))).toEqual(['Gateway/web/nginx', 'HTTPRoute/web/web']);
    expect(existsSync(join(cwd, 'migrated', 'lab'))).toBe(false);
    expect(r.stderr).toContain('staging: 1 Ingress from 3 objects read -> 2 Gateway API objects in migrated/staging/gateway-api.yaml;');
  });

  it('6. reads a fleet with one cluster down: the report is the one the README shows, and it exits 2', () => {
    const r = runs[5]!;
    expect(normalize(r.stderr)).toBe(sample);
    expect(r.status).toBe(2);
    const fleet = readFileSync(join(cwd, 'fleet.yaml'), 'utf8');
    expect(fleet.split(/^(?=# context: )/m).map((s) => [s.split('\n')[0], kinds(s).length])).toEqual([
      ['# context: prod', 6],
      ['# context: staging', 3],
    ]);
  });

  it('scan 1. reads all namespaces of the current context by default, and reports on stdout', () => {
    const r = scanRuns[0]!;
    expect(r.status).toBe(0); // warnings and info only
    expect(r.stderr).toBe('');
    // Every namespace: 3 Ingresses (shop/shop, shop/admin, blog/blog), one shared Gateway and a route
    // each, and the Istio Gateway shop/istio-gw with the VirtualService's route. Warnings: admin's
    // body size, blog's host already on an existing Gateway. Info: the defaulted class and namespace,
    // the Istio selector, and the inventory (3 Ingresses, the Istio Gateway, the VirtualService).
    expect(r.stdout).toContain('3 Ingresses from cluster prod (15 objects read, all namespaces) -> 6 Gateway API objects; 0 errors, 2 warnings, 8 info\n');
    expect(r.stdout).toMatch(/\[core\/host-already-migrated\]\n {8}cluster\/prod {2}Ingress blog\/blog \(resourceVersion \d+\) {2}spec\.rules\[0\]\.host\n/);
    expect(r.stdout).toMatch(/VirtualService shop\/vs \(Istio\) is still here.*\[scan\/virtual-service\]\n {8}cluster\/prod {2}VirtualService shop\/vs \(resourceVersion \d+\)\n/);
    for (const name of ['blog/blog', 'shop/admin', 'shop/shop']) expect(r.stdout).toContain(`Ingress ${name} is still here (served by ingress-nginx, class nginx)`);
    expect(r.requests).toContain('/apis/networking.k8s.io/v1/ingresses');
    expect(r.requests.filter((p) => p.includes('/namespaces/'))).toEqual([]);
  });

  it('scan 2. reads only the namespaces -n names; the JSON report has the cluster\u2019s summary, and objects in place of files', () => {
    const r = scanRuns[1]!;
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.requests.filter((p) => p.endsWith('/ingresses'))).toEqual(['/apis/networking.k8s.io/v1/namespaces/shop/ingresses']);
    const report = JSON.parse(readFileSync(join(cwd, 'shop.json'), 'utf8')) as {
      summary: Record<string, unknown>;
      findings: { ruleId: string; severity: string; object?: Record<string, string>; position?: { file: string; line?: number } }[];
    };
    const ajv = new Ajv({ strict: true });
    expect(ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report.schema.json'), 'utf8')) as object)(report)).toBe(true);
    // shop only: admin and shop, a Gateway in shop and their two routes, the Istio Gateway and the
    // VirtualService's route; the warning is admin's body size, the info the two Ingresses, the
    // Istio Gateway and the VirtualService still there, the defaulted class and the Istio selector.
    expect(report.summary).toEqual({
      ingresses: 2,
      objects: 5,
      files: 0,
      clusters: [{ context: 'prod', server: prod.url, scope: 'namespace shop', status: 'read', objectsRead: 11, ingresses: 2, objects: 5, findings: { error: 0, warning: 1, info: 6 } }],
      findings: { error: 0, warning: 1, info: 6 },
    });
    expect(report.findings.every((f) => f.position?.file === 'cluster/prod' && f.position.line === undefined)).toBe(true);
    expect(report.findings.filter((f) => f.ruleId === 'scan/ingress').map((f) => f.object)).toEqual([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'shop', name: 'admin', resourceVersion: '1003' },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'shop', name: 'shop', resourceVersion: '1002' },
    ]);
  });

  it('scan 3. and 4. a baseline of a cluster: only what was added since counts, not what was merely edited', () => {
    expect(scanRuns[2]!.status).toBe(0);
    const baseline = JSON.parse(readFileSync(join(cwd, 'baseline.json'), 'utf8')) as { findings: { ruleId: string; object?: { name?: string; resourceVersion?: string } }[] };
    expect(baseline.findings).toHaveLength(10); // as in scan 1: the same context and namespaces
    expect(baseline.findings.find((f) => f.ruleId === 'ingress-nginx/proxy-body-size')?.object?.resourceVersion).toBe('1003');
    const r = scanRuns[3]!;
    expect(r.status).toBe(1); // the new Ingress's proxy-buffering is a warning
    expect(r.stdout).toContain('[ingress-nginx/proxy-buffering]');
    expect(r.stdout).toContain('Ingress shop/checkout is still here');
    expect(r.stdout).not.toContain('[ingress-nginx/proxy-body-size]'); // admin has a new resourceVersion, and the same finding
    expect(r.stdout).not.toContain('Ingress shop/admin is still here');
    expect(r.stdout).toContain('4 Ingresses from cluster prod (');
    expect(r.stdout).toMatch(/; 2 new, 10 in the baseline \(not listed\)\n$/);
  });

  it('scan 5. scans a fleet with one cluster down: the report the README shows, SARIF and Markdown per cluster, exit 2', () => {
    const r = scanRuns[4]!;
    expect(normalize(r.stdout)).toBe(scanSample);
    expect(r.status).toBe(2);
    type Sarif = { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[] };
    const sarif = JSON.parse(readFileSync(join(cwd, 'fleet.sarif'), 'utf8')) as Sarif;
    const validate = sarifValidator();
    expect(validate(sarif)).toBe(true);
    expect(sarif.runs[0]!.results.map((x) => `${x.ruleId} ${x.locations[0]!.physicalLocation.artifactLocation.uri}`)).toEqual([
      'cluster/unreachable cluster/lab',
      'cluster/not-installed cluster/staging',
      'cluster/not-installed cluster/staging',
      'scan/ingress cluster/staging/web/Ingress/web',
    ]);
    expect(sarif.runs[0]!.results.every((x) => x.locations[0]!.physicalLocation.artifactLocation.uriBaseId === undefined)).toBe(true);
    const md = readFileSync(join(cwd, 'fleet.md'), 'utf8');
    expect(md).toContain('1 Ingress still to migrate in 2 clusters (1 not read) (3 Gateway API objects when converted): **1 error**, 0 warnings, 3 info.');
    expect(md).toContain('| `lab` | all namespaces | **not read** | 0 | 0 | 1 | 0 | 0 |\n| `staging` | all namespaces | read | 3 | 1 | 0 | 0 | 3 |\n');
    expect(md).toContain('Not read: `lab`; the findings of that cluster say why.');
    expect(md.indexOf('### Context `lab`')).toBeLessThan(md.indexOf('### Context `staging`'));
  });

  it('refuses what it cannot do with a usage error (exit 2) before reading anything', async () => {
    const before = prod.requests.length;
    const cases: [string[], string][] = [
      [['convert', '--from-cluster', 'file.yaml'], '--from-cluster reads no files'],
      [['convert', '--context', 'prod', 'fixtures/basic-paths/input.yaml'], '--context needs --from-cluster'],
      [['convert', '--from-cluster', '--request-timeout', 'soon'], '--request-timeout "soon" is not a duration'],
      [['convert', '--from-cluster', '--kubeconfig', join(cwd, 'kubeconfig'), '--context', 'nope'], 'context "nope" not found in the kubeconfig'],
    ];
    const results = await Promise.all(cases.map(([args]) => runAsync(args)));
    cases.forEach(([args, text], i) => {
      const r = results[i]!;
      expect({ args, status: r.status, stdout: r.stdout }).toEqual({ args, status: 2, stdout: '' });
      expect(r.stderr).toContain(text);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
    expect(prod.requests.length).toBe(before);
  });
});
