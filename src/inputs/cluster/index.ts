/**
 * Live clusters as an input: from the cluster options of a command (kubectl's conventions) to
 * one set of documents and findings per kubeconfig context. Used by `convert --from-cluster`
 * and `scan --from-cluster` (which differs in its default scope: all namespaces). Clusters are read concurrently, a few at a time; one that cannot be read fails
 * alone.
 *
 * This module does not load @kubernetes/client-node; kubeconfig.ts does, when called.
 */
import { KubeApi } from './api.js';
import { clusterPosition } from './document.js';
import type { Kubeconfig, KubeconfigContext } from './kubeconfig.js';
import { KubeconfigError } from './kubeconfig.js';
import { mapLimit, readCluster, type ClusterRead, type ClusterScope } from './read-cluster.js';
import { httpTransport } from './transport.js';

export { KubeconfigError };
export type { ClusterRead };

export interface ClusterInputOptions {
  /** --kubeconfig; otherwise $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** --context, repeatable; none: the current context. */
  contexts: readonly string[];
  /** --all-contexts. */
  allContexts: boolean;
  /** -n/--namespace, repeatable. */
  namespaces: readonly string[];
  /** -A/--all-namespaces. */
  allNamespaces: boolean;
  /** Without -n or -A: the context's namespace (as kubectl does; convert) or all namespaces (scan). */
  defaultScope: 'context-namespace' | 'all-namespaces';
  /** -l/--selector, for the Ingresses. */
  labelSelector?: string;
  /** --request-timeout, in ms (0: none). */
  requestTimeoutMs: number;
  /** --chunk-size: objects per list page. */
  chunkSize: number;
  /** The Gateway --parent-ref names, looked up in each cluster. */
  parentRef?: { namespace: string; name: string };
  userAgent: string;
  /** Clusters read at once. */
  clusterConcurrency?: number;
  /** Requests in flight at once per cluster. */
  requestConcurrency?: number;
  /** Objects read so far in a context (called often; the progress indicator throttles). */
  onProgress?: (context: string, objectsRead: number) => void;
  /** A context was read (or failed). */
  onClusterDone?: (context: string, failed: boolean) => void;
  /** Replaces the kubeconfig loader (tests). */
  loadKubeconfig?: (path?: string) => Promise<Kubeconfig>;
}

export interface ClusterTarget {
  context: KubeconfigContext;
  scope: ClusterScope;
}

export interface ClusterPlan {
  kubeconfig: Kubeconfig;
  /** Sorted by context name. */
  targets: ClusterTarget[];
}

export interface ClusterInput extends ClusterRead {
  server?: string;
  /** The namespaces read, as text ("all namespaces", or a list). */
  scopeText: string;
}

export const DEFAULT_CLUSTER_CONCURRENCY = 4;
export const DEFAULT_REQUEST_CONCURRENCY = 4;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Loads the kubeconfig and decides which contexts and namespaces to read. Throws KubeconfigError. */
export async function planClusters(o: ClusterInputOptions): Promise<ClusterPlan> {
  const load = o.loadKubeconfig ?? (async (p?: string) => (await import('./kubeconfig.js')).loadKubeconfig(p));
  const kubeconfig = await load(o.kubeconfig);
  let chosen: KubeconfigContext[];
  if (o.allContexts) {
    chosen = kubeconfig.contexts;
    if (chosen.length === 0) throw new KubeconfigError(`the kubeconfig ${kubeconfig.source} has no contexts`);
  } else if (o.contexts.length > 0) {
    const missing = o.contexts.filter((n) => !kubeconfig.contexts.some((c) => c.name === n));
    if (missing.length) {
      throw new KubeconfigError(
        `context${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')} not found in the kubeconfig ${kubeconfig.source} (it has: ${kubeconfig.contexts.map((c) => c.name).join(', ') || 'none'})`,
      );
    }
    chosen = [...new Set(o.contexts)].map((n) => kubeconfig.contexts.find((c) => c.name === n)!);
  } else {
    const current = kubeconfig.currentContext;
    const ctx = current !== undefined ? kubeconfig.contexts.find((c) => c.name === current) : undefined;
    if (!ctx) throw new KubeconfigError(current ? `the current context "${current}" is not in the kubeconfig ${kubeconfig.source}` : `the kubeconfig ${kubeconfig.source} has no current context: choose one with --context`);
    chosen = [ctx];
  }
  const targets = chosen
    .map((context): ClusterTarget => {
      if (o.allNamespaces || (o.namespaces.length === 0 && o.defaultScope === 'all-namespaces')) return { context, scope: { allNamespaces: true, namespaces: [] } };
      const namespaces = o.namespaces.length > 0 ? [...new Set(o.namespaces)].sort(compare) : [context.namespace ?? 'default'];
      return { context, scope: { allNamespaces: false, namespaces } };
    })
    .sort((a, b) => compare(a.context.name, b.context.name));
  return { kubeconfig, targets };
}

/** Reads the planned clusters, a few at a time. Never throws for what a cluster answers. */
export async function readClusters(plan: ClusterPlan, o: ClusterInputOptions): Promise<ClusterInput[]> {
  return mapLimit(plan.targets, o.clusterConcurrency ?? DEFAULT_CLUSTER_CONCURRENCY, async (t): Promise<ClusterInput> => {
    const name = t.context.name;
    const scopeText = t.scope.allNamespaces ? 'all namespaces' : `namespace${t.scope.namespaces.length === 1 ? '' : 's'} ${t.scope.namespaces.join(', ')}`;
    const base: Omit<ClusterInput, keyof ClusterRead> = { scopeText };
    if (t.context.server !== undefined) base.server = t.context.server;
    let endpoint;
    try {
      endpoint = plan.kubeconfig.endpoint(name);
    } catch (e) {
      o.onClusterDone?.(name, true);
      return {
        ...base,
        context: name,
        documents: [],
        objectsRead: 0,
        status: 'failed',
        parentRefResolved: false,
        findings: [{ ruleId: 'cluster/kubeconfig', severity: 'error', message: `${(e as Error).message}; nothing was read`, position: clusterPosition(name) }],
      };
    }
    const transport = httpTransport(endpoint, o.userAgent);
    let count = 0;
    o.onProgress?.(name, 0);
    try {
      const read = await readCluster(new KubeApi(transport, { requestTimeoutMs: o.requestTimeoutMs }), {
        context: name,
        scope: t.scope,
        chunkSize: o.chunkSize,
        concurrency: o.requestConcurrency ?? DEFAULT_REQUEST_CONCURRENCY,
        ...(o.labelSelector !== undefined ? { labelSelector: o.labelSelector } : {}),
        ...(o.parentRef ? { parentRef: o.parentRef } : {}),
        onProgress: (d) => o.onProgress?.(name, (count += d)),
      });
      o.onClusterDone?.(name, read.status === 'failed');
      return { ...base, ...read };
    } finally {
      transport.close?.();
    }
  });
}

/** planClusters + readClusters: what a command calls to read its clusters. */
export async function readFromClusters(o: ClusterInputOptions): Promise<ClusterInput[]> {
  return readClusters(await planClusters(o), o);
}
