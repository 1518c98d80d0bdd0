/**
 * Findings of a --from-cluster run: each cluster's findings have the position `cluster/<context>`
 * (src/inputs/cluster/document.ts), and the summary lists the contexts. Helpers the reporters
 * share to group findings per cluster and to name a cluster object where a file would go.
 */
import type { Finding } from '../findings/finding.js';
import type { ClusterSummary, ReportSummary } from './types.js';

/** The position file of every finding about a context's cluster. */
export function clusterFile(context: string): string {
  return `cluster/${context}`;
}

/** The cluster a finding belongs to, when the run read clusters and the finding is about one. */
export function clusterOf(f: Pick<Finding, 'position'>, summary: ReportSummary): ClusterSummary | undefined {
  const file = f.position?.file;
  if (file === undefined || !summary.clusters || f.position?.line !== undefined) return undefined;
  return summary.clusters.find((k) => clusterFile(k.context) === file);
}

/** Findings per context (every context of the summary, in its order), and those of no cluster. */
export function groupByCluster<F extends Finding>(findings: readonly F[], clusters: readonly ClusterSummary[]): { groups: Map<string, F[]>; loose: F[] } {
  const byFile = new Map<string, F[]>(clusters.map((k) => [clusterFile(k.context), []]));
  const loose: F[] = [];
  for (const f of findings) {
    const l = f.position?.line === undefined ? byFile.get(f.position?.file ?? '\u0000') : undefined;
    (l ?? loose).push(f);
  }
  return { groups: new Map(clusters.map((k) => [k.context, byFile.get(clusterFile(k.context))!])), loose };
}

/**
 * A cluster object as path segments (a context name may hold slashes), where a file would be for a manifest:
 * `cluster/<context>/<namespace>/<kind>/<name>` (no namespace segment for cluster-scoped
 * objects; `cluster/<context>` for findings about the cluster itself). Without resourceVersion,
 * so that it names the same object from one run to the next.
 */
export function clusterObjectPath(context: string, object: Finding['object']): string[] {
  const segments = ['cluster', context];
  if (object) segments.push(...(object.namespace ? [object.namespace] : []), object.kind, ...(object.name !== undefined ? [object.name] : []));
  return segments;
}
