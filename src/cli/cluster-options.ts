/**
 * The options that read live clusters, with kubectl's names and conventions, shared by every
 * command that can read from a cluster (`convert`, and `scan`): `addClusterOptions` adds them to
 * a command, `clusterInputOptions` checks them and turns them into ClusterInputOptions. No
 * @kubernetes/client-node here.
 */
import { Option, type Command } from 'commander';
import { DNS_LABEL } from '../ir/k8s-names.js';
import type { ClusterInputOptions } from '../inputs/cluster/index.js';
import { UsageError } from './errors.js';

export interface ClusterCliOptions {
  fromCluster?: boolean;
  kubeconfig?: string;
  context?: string[];
  allContexts?: boolean;
  namespace?: string[];
  allNamespaces?: boolean;
  selector?: string;
  requestTimeout?: string;
  chunkSize?: string;
}

export const DEFAULT_REQUEST_TIMEOUT = '30s';
export const DEFAULT_CHUNK_SIZE = 500;

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * Adds --from-cluster and the kubectl-style options. `namespaceDefault` describes the scope
 * without -n/-A in the help ("the context's namespace" for convert, "all namespaces" for scan).
 */
export function addClusterOptions(cmd: Command, namespaceDefault: string): Command {
  return cmd
    .option('--from-cluster', 'read the Ingresses and their context (IngressClasses, Services, Traefik Middlewares, Istio and Gateway API objects) from clusters instead of files')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to read (repeatable; default: the current context)', collect)
    .option('--all-contexts', 'read every context of the kubeconfig')
    .option('-n, --namespace <namespace>', `namespace to read (repeatable; default: ${namespaceDefault})`, collect)
    .option('-A, --all-namespaces', 'read all namespaces')
    .option('-l, --selector <selector>', 'label selector for the Ingresses and Istio VirtualServices, e.g. app=shop,tier!=internal')
    .addOption(new Option('--request-timeout <duration>', 'deadline of each API request, retries included; 0 for none (e.g. 30s, 2m)').default(DEFAULT_REQUEST_TIMEOUT))
    .addOption(new Option('--chunk-size <n>', 'objects per page when listing').default(String(DEFAULT_CHUNK_SIZE)));
}

/** kubectl's --request-timeout: a Go duration (1m30s, 500ms, 2h), or a bare number of seconds. */
export function parseDuration(v: string): number {
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  let rest = s;
  if (rest === '') throw new UsageError(`--request-timeout "${v}" is not a duration`);
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new UsageError(`--request-timeout "${v}" is not a duration (e.g. 30s, 2m, 1m30s, or 0 for none)`);
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}

/** The cluster options given without --from-cluster, by flag name. */
export function clusterOnlyOptions(o: ClusterCliOptions): string[] {
  const used: string[] = [];
  if (o.kubeconfig !== undefined) used.push('--kubeconfig');
  if (o.context?.length) used.push('--context');
  if (o.allContexts) used.push('--all-contexts');
  if (o.namespace?.length) used.push('--namespace');
  if (o.allNamespaces) used.push('--all-namespaces');
  if (o.selector !== undefined) used.push('--selector');
  if (o.requestTimeout !== undefined && o.requestTimeout !== DEFAULT_REQUEST_TIMEOUT) used.push('--request-timeout');
  if (o.chunkSize !== undefined && o.chunkSize !== String(DEFAULT_CHUNK_SIZE)) used.push('--chunk-size');
  return used;
}

export function clusterInputOptions(
  o: ClusterCliOptions,
  env: { defaultScope: ClusterInputOptions['defaultScope']; userAgent: string; parentRef?: { namespace: string; name: string } },
): ClusterInputOptions {
  if (o.allContexts && o.context?.length) throw new UsageError('--context and --all-contexts cannot be combined');
  for (const ns of o.namespace ?? []) {
    if (!DNS_LABEL.test(ns)) throw new UsageError(`--namespace "${ns}" is not a valid namespace name`);
  }
  const chunk = o.chunkSize === undefined ? DEFAULT_CHUNK_SIZE : Number(o.chunkSize);
  if (!Number.isInteger(chunk) || chunk < 0) throw new UsageError(`--chunk-size "${o.chunkSize}" must be a whole number (0: no paging)`);
  if (o.selector !== undefined && o.selector.trim() === '') throw new UsageError('--selector is empty');
  const out: ClusterInputOptions = {
    contexts: o.context ?? [],
    allContexts: o.allContexts === true,
    // kubectl: -A wins over -n.
    namespaces: o.allNamespaces ? [] : (o.namespace ?? []),
    allNamespaces: o.allNamespaces === true,
    defaultScope: env.defaultScope,
    requestTimeoutMs: parseDuration(o.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT),
    chunkSize: chunk,
    userAgent: env.userAgent,
  };
  if (o.kubeconfig !== undefined) out.kubeconfig = o.kubeconfig;
  if (o.selector !== undefined) out.labelSelector = o.selector;
  if (env.parentRef) out.parentRef = env.parentRef;
  return out;
}
