/**
 * Reads one cluster: discovery, then every resource of CLUSTER_RESOURCES in the requested
 * namespaces (paginated, a few requests at a time), into documents and findings. Never throws
 * for what the cluster answers: a missing CRD is an info finding, a 403 names the missing
 * permission and the rest is still read, an unreachable cluster is one error finding.
 */
import type { Finding } from '../../findings/finding.js';
import type { KubeObject, SourceDocument } from '../document.js';
import { ApiError, type KubeApi } from './api.js';
import { ClusterDocument, clusterPosition } from './document.js';
import { CLUSTER_RESOURCES, type ResourceSpec } from './resources.js';

export interface ClusterScope {
  /** Cluster-wide lists (-A); otherwise `namespaces`. */
  allNamespaces: boolean;
  namespaces: readonly string[];
}

export interface ReadClusterOptions {
  context: string;
  scope: ClusterScope;
  /** -l/--selector, for the Ingresses. */
  labelSelector?: string;
  /** Objects per page (limit). */
  chunkSize: number;
  /** Requests in flight at once on this cluster. */
  concurrency: number;
  /** The Gateway --parent-ref names: looked up even outside the namespaces read. */
  parentRef?: { namespace: string; name: string };
  /** Objects read so far changed by `delta` (negative when a list restarts). */
  onProgress?: (delta: number) => void;
}

export interface ClusterRead {
  context: string;
  documents: SourceDocument[];
  findings: Finding[];
  objectsRead: number;
  /** failed: nothing was read (the findings say why); partial: some lists could not be read. */
  status: 'ok' | 'partial' | 'failed';
  /** The Gateway --parent-ref names was looked up: if it is not in `documents`, it does not exist. */
  parentRefResolved: boolean;
}

interface Resolved {
  spec: ResourceSpec;
  version: string;
}

interface GroupInfo {
  versions: string[];
  preferred?: string;
}

/** Runs `fn` over `items`, at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function basePath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

function qualified(spec: ResourceSpec): string {
  return spec.group ? `${spec.resource}.${spec.group}` : spec.resource;
}

export async function readCluster(api: KubeApi, o: ReadClusterOptions): Promise<ClusterRead> {
  const position = clusterPosition(o.context);
  const findings: Finding[] = [];
  const out: ClusterRead = { context: o.context, documents: [], findings, objectsRead: 0, status: 'ok', parentRefResolved: false };
  let partial = false;
  const find = (ruleId: string, severity: Finding['severity'], message: string, remediation?: string): void => {
    const f: Finding = { ruleId, severity, message, position };
    if (remediation) f.remediation = remediation;
    findings.push(f);
    if (severity !== 'info') partial = true;
  };
  const progress = (d: number): void => {
    out.objectsRead += d;
    o.onProgress?.(d);
  };
  const fatal = (e: unknown): ClusterRead => {
    const err = e instanceof ApiError ? e : new ApiError('failed', (e as Error)?.message ?? String(e), '');
    if (err.kind === 'unauthorized' || err.kind === 'credentials') {
      find('cluster/unauthorized', 'error', `${err.message}; nothing was read from this cluster`, 'Check the credentials of this context (kubectl --context ' + o.context + ' auth whoami).');
    } else {
      find('cluster/unreachable', 'error', `cannot read the cluster (${err.message}); nothing was read from it`, 'Check that the cluster is reachable from here (kubectl --context ' + o.context + ' version), or raise --request-timeout.');
    }
    out.status = 'failed';
    out.documents = [];
    return out;
  };

  // 1. Discovery: which groups and versions the cluster serves.
  let groups: Map<string, GroupInfo> | undefined;
  try {
    const list = await api.get<{ groups?: { name?: string; versions?: { version?: string }[]; preferredVersion?: { version?: string } }[] }>('/apis');
    groups = new Map();
    for (const g of list.groups ?? []) {
      if (typeof g.name !== 'string') continue;
      const info: GroupInfo = { versions: (g.versions ?? []).map((v) => v.version).filter((v): v is string => typeof v === 'string') };
      if (typeof g.preferredVersion?.version === 'string') info.preferred = g.preferredVersion.version;
      groups.set(g.name, info);
    }
  } catch (e) {
    if (!(e instanceof ApiError) || (e.kind !== 'forbidden' && e.kind !== 'not-found')) return fatal(e);
    find('cluster/forbidden', 'warning', `API discovery (GET /apis) was refused (${e.message}); custom resources are probed by listing them instead`, 'Kubernetes grants discovery to every authenticated user (ClusterRole system:discovery); check that binding.');
  }

  // 2. Resolve the version of each resource; custom resources that are absent are skipped.
  const resourceLists = new Map<string, Promise<Set<string> | undefined>>();
  const resourcesOf = (group: string, version: string): Promise<Set<string> | undefined> => {
    const key = groupVersion(group, version);
    let p = resourceLists.get(key);
    if (!p) {
      p = api.get<{ resources?: { name?: string }[] }>(basePath(group, version)).then(
        (l) => new Set((l.resources ?? []).map((r) => r.name).filter((n): n is string => typeof n === 'string')),
        (e: unknown) => {
          if (e instanceof ApiError && e.kind === 'not-found') return new Set<string>();
          return undefined; // unknown: try the list itself
        },
      );
      resourceLists.set(key, p);
    }
    return p;
  };
  const absent = new Set<ResourceSpec>();
  const notInstalled = (spec: ResourceSpec, why: string): void => {
    absent.add(spec);
    find('cluster/not-installed', 'info', `${spec.label} were not read: ${why}; skipped`);
  };
  const absentGroups = new Map<string, ResourceSpec[]>();
  const resolved: Resolved[] = [];
  for (const spec of CLUSTER_RESOURCES) {
    if (!groups || spec.group === '') {
      resolved.push({ spec, version: spec.versions[0]! });
      continue;
    }
    const g = groups.get(spec.group);
    if (!g) {
      if (spec.crd) {
        absent.add(spec);
        const l = absentGroups.get(spec.group);
        if (l) l.push(spec);
        else absentGroups.set(spec.group, [spec]);
      }
      else find('cluster/not-served', 'error', `the cluster does not serve the API group ${spec.group}, so its ${spec.label} cannot be read`);
      continue;
    }
    const version = g.preferred !== undefined && spec.versions.includes(g.preferred) ? g.preferred : spec.versions.find((v) => g.versions.includes(v));
    if (version === undefined) {
      if (spec.crd) notInstalled(spec, `the cluster serves ${spec.group} in version${g.versions.length === 1 ? '' : 's'} ${g.versions.join(', ')}, and gateway-shift reads ${spec.versions.join(', ')}`);
      else find('cluster/not-served', 'error', `the cluster does not serve ${groupVersion(spec.group, spec.versions[0]!)} (it serves ${g.versions.join(', ')}; Kubernetes 1.19 or newer is needed), so its ${spec.label} cannot be read`);
      continue;
    }
    if (spec.crd) {
      const names = await resourcesOf(spec.group, version);
      if (names && !names.has(spec.resource)) {
        notInstalled(spec, `${groupVersion(spec.group, version)} has no resource ${spec.resource} (CRD not installed)`);
        continue;
      }
    }
    resolved.push({ spec, version });
  }

  for (const [group, specs] of absentGroups) {
    find('cluster/not-installed', 'info', `the API group ${group} is not served (its CRDs are not installed), so ${specs.map((x) => x.label).join(', ')} were not read; skipped`);
  }

  // 3. The lists: per resource, one cluster-wide list (-A, or cluster-scoped resources) or one per namespace.
  interface Task {
    r: Resolved;
    namespace?: string;
  }
  const tasks: Task[] = [];
  for (const r of resolved) {
    if (!r.spec.namespaced || o.scope.allNamespaces) tasks.push({ r });
    else for (const ns of o.scope.namespaces) tasks.push({ r, namespace: ns });
  }
  let stop: ApiError | undefined;
  let gatewaysListed = true;
  const results = await mapLimit(tasks, o.concurrency, async (t): Promise<KubeObject[]> => {
    if (stop) return [];
    const { spec, version } = t.r;
    const path = `${basePath(spec.group, version)}${t.namespace !== undefined ? `/namespaces/${encodeURIComponent(t.namespace)}` : ''}/${spec.resource}`;
    const q: { limit: number; labelSelector?: string } = { limit: o.chunkSize };
    if (spec.selectable && o.labelSelector) q.labelSelector = o.labelSelector;
    try {
      const l = await api.list(path, q, progress);
      const apiVersion = groupVersion(spec.group, version);
      return l.items.map((item) => {
        // Items of built-in lists carry no apiVersion/kind; managedFields are bookkeeping.
        const obj = item as KubeObject;
        if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') obj.apiVersion = apiVersion;
        if (typeof obj.kind !== 'string' || obj.kind === '') obj.kind = spec.kind;
        if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
        delete obj.metadata.managedFields;
        return obj;
      });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      if (spec.group === 'gateway.networking.k8s.io') gatewaysListed = false;
      const where = t.namespace !== undefined ? `in namespace ${t.namespace}` : spec.namespaced ? 'in all namespaces' : '(cluster-scoped)';
      if (e.kind === 'unauthorized' || e.kind === 'credentials') {
        stop ??= e;
        return [];
      }
      if (e.kind === 'forbidden') {
        const scope = t.namespace !== undefined ? `in namespace ${t.namespace}` : 'at cluster scope';
        find(
          'cluster/forbidden',
          spec.essential ? 'error' : 'warning',
          `not allowed to list ${qualified(spec)} ${scope}, so the ${spec.label} ${where} were not read. Missing permission: verb "list" on resource "${spec.resource}" in API group "${spec.group}" ${scope}${spec.essential ? '' : '; the conversion may lack context from them'}`,
          `Grant that permission (the README's "Against a cluster" section has a ClusterRole that is enough)${spec.namespaced ? ', or read other namespaces with -n' : ''}.`,
        );
        return [];
      }
      if (e.kind === 'not-found' && spec.crd) {
        notInstalled(spec, `${groupVersion(spec.group, version)} ${spec.resource} is not served (CRD not installed)`);
        return [];
      }
      find('cluster/request-failed', spec.essential ? 'error' : 'warning', `cannot list ${qualified(spec)} ${where}: ${e.message}`, 'Run again; if it persists, check the API server (and raise --request-timeout for slow clusters).');
      return [];
    }
  });
  if (stop) return fatal(stop);

  const seen = new Set<string>();
  for (const objects of results) {
    for (const obj of objects) {
      out.documents.push(new ClusterDocument(obj, position));
      if (obj.kind === 'Gateway' && obj.apiVersion.startsWith('gateway.networking.k8s.io/')) seen.add(`${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`);
    }
  }

  // 4. The Gateway --parent-ref names, wherever it lives.
  if (o.parentRef) {
    const key = `${o.parentRef.namespace}/${o.parentRef.name}`;
    const isGatewaySpec = (s: ResourceSpec): boolean => s.group === 'gateway.networking.k8s.io' && s.resource === 'gateways';
    const gw = resolved.find((r) => isGatewaySpec(r.spec));
    if (seen.has(key)) out.parentRefResolved = true;
    else if (!gw || [...absent].some(isGatewaySpec)) out.parentRefResolved = [...absent].some(isGatewaySpec); // Gateway API not installed: it cannot exist
    else if (o.scope.allNamespaces && gatewaysListed) out.parentRefResolved = true;
    else {
      const path = `${basePath(gw.spec.group, gw.version)}/namespaces/${encodeURIComponent(o.parentRef.namespace)}/gateways/${encodeURIComponent(o.parentRef.name)}`;
      try {
        const obj = await api.get<KubeObject>(path);
        if (typeof obj.apiVersion !== 'string') obj.apiVersion = groupVersion(gw.spec.group, gw.version);
        if (typeof obj.kind !== 'string') obj.kind = 'Gateway';
        if (obj.metadata) delete obj.metadata.managedFields;
        out.documents.push(new ClusterDocument(obj, position));
        progress(1);
        out.parentRefResolved = true;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        if (e.kind === 'not-found') out.parentRefResolved = true;
        else if (e.kind === 'unauthorized' || e.kind === 'credentials') return fatal(e);
        else if (e.kind === 'forbidden') {
          find(
            'cluster/forbidden',
            'warning',
            `not allowed to get the Gateway ${key} named by --parent-ref, so it could not be checked. Missing permission: verb "get" on resource "gateways" in API group "gateway.networking.k8s.io" in namespace ${o.parentRef.namespace}`,
            'Grant that permission (see the README\u2019s "Against a cluster" section).',
          );
        } else {
          find('cluster/request-failed', 'warning', `cannot get the Gateway ${key} named by --parent-ref: ${e.message}`);
        }
      }
    }
  }
  out.status = partial ? 'partial' : 'ok';
  return out;
}
