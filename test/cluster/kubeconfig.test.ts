/**
 * The kubeconfig through the real @kubernetes/client-node (loaded once here, in process: far
 * cheaper than a CLI run per case), and the --from-cluster conversion on top of it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertClusters, clusterStdout, contextFolder } from '../../src/cli/convert-cluster.js';
import { buildConvertOptions, serializeObjects } from '../../src/cli/convert-command.js';
import { UsageError } from '../../src/cli/errors.js';
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { createProgress } from '../../src/cli/progress.js';
import { KubeconfigError, planClusters, readFromClusters, type ClusterInputOptions } from '../../src/inputs/cluster/index.js';
import { loadKubeconfig } from '../../src/inputs/cluster/kubeconfig.js';
import { createValidator } from '../../src/validate/validator.js';
import { startKubeApiServer, writeKubeconfig, type KubeApiServer } from './kube-api-server.mjs';
import { ALL_CRDS, world } from './world.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'gs-kubeconfig-'));
const base = (o: Partial<ClusterInputOptions> = {}): ClusterInputOptions => ({
  contexts: [],
  allContexts: false,
  namespaces: [],
  allNamespaces: false,
  defaultScope: 'context-namespace',
  requestTimeoutMs: 10000,
  chunkSize: 500,
  userAgent: 'test',
  ...o,
});
const silent = { write: () => true };
const validator = createValidator(loadSchemas(), 'standard');

describe('kubeconfig and --from-cluster in process', () => {
  let s: KubeApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    s = await startKubeApiServer({ crds: ALL_CRDS, objects: world() });
    kubeconfig = writeKubeconfig(join(tmp(), 'config'), [
      s.kubeconfigEntry({ context: 'token', namespace: 'shop' }),
      s.kubeconfigEntry({ context: 'cert', namespace: 'shop', auth: 'client-cert' }),
      s.kubeconfigEntry({ context: 'exec', namespace: 'blog', auth: 'exec' }),
      s.kubeconfigEntry({ context: 'anonymous', auth: 'none' }),
      s.kubeconfigEntry({ context: 'wrong-ca', caData: s.pki.client.cert }),
    ]);
  });
  afterAll(() => s.close());

  it('authenticates as each context says: bearer token, client certificate, exec plugin', async () => {
    const reads = await readFromClusters(base({ kubeconfig, contexts: ['token', 'cert', 'exec'] }));
    expect(reads.map((r) => [r.context, r.status, r.scopeText])).toEqual([
      ['cert', 'ok', 'namespace shop'],
      ['exec', 'ok', 'namespace blog'],
      ['token', 'ok', 'namespace shop'],
    ]);
    expect(new Set(s.requests.map((q) => q.user))).toEqual(new Set(['token-user', 'gateway-shift-test']));
  });

  it('fails a context whose credentials are refused, or whose server certificate is not signed by its CA', async () => {
    const reads = await readFromClusters(base({ kubeconfig, contexts: ['anonymous', 'wrong-ca'] }));
    expect(reads.map((r) => [r.context, r.status, r.findings.map((f) => f.ruleId)])).toEqual([
      ['anonymous', 'failed', ['cluster/unauthorized']],
      ['wrong-ca', 'failed', ['cluster/unreachable']],
    ]);
    expect(reads[1]!.findings[0]!.message).toMatch(/certificate/i);
  });

  it('plans contexts and namespaces as kubectl: current context and its namespace, -n, -A wins, --all-contexts', async () => {
    const scope = async (o: Partial<ClusterInputOptions>) => (await planClusters(base({ kubeconfig, ...o }))).targets.map((t) => `${t.context.name}:${t.scope.allNamespaces ? '*' : t.scope.namespaces.join('+')}`);
    expect(await scope({})).toEqual(['token:shop']);
    expect(await scope({ contexts: ['anonymous'] })).toEqual(['anonymous:default']);
    expect(await scope({ namespaces: ['b', 'a', 'b'] })).toEqual(['token:a+b']);
    expect(await scope({ namespaces: ['a'], allNamespaces: true })).toEqual(['token:*']);
    expect(await scope({ defaultScope: 'all-namespaces' })).toEqual(['token:*']);
    expect(await scope({ allContexts: true })).toEqual(['anonymous:default', 'cert:shop', 'exec:blog', 'token:shop', 'wrong-ca:default']);
    await expect(planClusters(base({ kubeconfig, contexts: ['nope'] }))).rejects.toThrow(new KubeconfigError(`context "nope" not found in the kubeconfig ${kubeconfig} (it has: token, cert, exec, anonymous, wrong-ca)`));
    await expect(loadKubeconfig(join(tmp(), 'missing'))).rejects.toThrow(/cannot read the kubeconfig .*missing: no such file/);
  });

  it('finds $KUBECONFIG, and says so when there is no kubeconfig at all', async () => {
    const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
    try {
      process.env.KUBECONFIG = kubeconfig;
      expect((await loadKubeconfig()).currentContext).toBe('token');
      delete process.env.KUBECONFIG;
      process.env.HOME = tmp();
      await expect(loadKubeconfig()).rejects.toThrow('no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('converts per cluster with the --parent-ref check, and refuses -o json for several contexts on stdout', async () => {
    const run = (o: Record<string, unknown>) => convertClusters({ kubeconfig, ...o }, buildConvertOptions(o, 't'), () => validator, { version: 't', stderr: silent });
    const ok = await run({ parentRef: 'infra/edge/http', context: ['token'] });
    // shop/admin and shop/shop, and the Istio VirtualService shop/vs, all on the existing Gateway.
    expect(ok.conversions[0]!.objects.map((x) => x.kind)).toEqual(['HTTPRoute', 'HTTPRoute', 'HTTPRoute']);
    expect(ok.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const missing = await run({ parentRef: 'infra/nope', context: ['token'] });
    expect(missing.findings.map((f) => f.ruleId)).toContain('core/parent-ref-not-found');
    expect(missing.findings.find((f) => f.ruleId === 'core/parent-ref-not-found')!.position).toEqual({ file: 'cluster/token' });
    const out = clusterStdout(ok, 'yaml', serializeObjects);
    expect(out.startsWith('# context: token\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n')).toBe(true);
    await expect(run({ allContexts: true, output: 'json' })).rejects.toThrow(UsageError);
  });

  it('names output folders safely and uniquely', () => {
    const taken = new Set<string>();
    expect(['arn:aws:eks:eu-west-1:1:cluster/prod', 'kind-dev', '..', 'Kind-Dev', 'kind-dev'].map((n) => contextFolder(n, taken))).toEqual([
      'arn_aws_eks_eu-west-1_1_cluster_prod',
      'kind-dev',
      '_..',
      'Kind-Dev-2',
      'kind-dev-3',
    ]);
  });

  it('shows progress on a terminal only, throttled, and clears its line', () => {
    const writes: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: true, columns: 60, write: (x: string) => writes.push(x) }, () => t);
    p.update('prod', 500);
    p.update('prod', 1000); // within 100 ms: not drawn
    t = 150;
    p.update('staging', 1200);
    p.finish('prod', false);
    p.done();
    expect(writes).toEqual(['\r\x1b[Kreading objects: prod 500', '\r\x1b[Kreading objects: prod 1,000, staging 1,200', '\r\x1b[Kreading objects: prod 1,000 done, staging 1,200', '\r\x1b[K']);
    const narrow: string[] = [];
    const n = createProgress({ isTTY: true, columns: 0, write: (x: string) => narrow.push(x) });
    n.update('prod', 7); // a terminal that does not know its width: 80 columns
    expect(narrow).toEqual(['\r\x1b[Kreading objects: prod 7']);
    const none: string[] = [];
    const q = createProgress({ isTTY: false, write: (x: string) => none.push(x) });
    q.update('prod', 1);
    q.done();
    expect(none).toEqual([]);
  });
});
