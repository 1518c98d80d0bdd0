/**
 * Host names as Istio reads them (istio/istio pkg/config/model.go ResolveShortnameToFQDN): a name
 * without a dot is a Service of the rule's namespace (name.<namespace>.svc.cluster.local); any
 * name with a dot is taken as fully qualified, so it is a Kubernetes Service only in the form
 * name.namespace.svc.cluster.local, and otherwise a host of the registry that a ServiceEntry
 * declares. `name.namespace` and `name.namespace.svc` are what people mean as Services (the
 * issue asks for them), but Istio found no Service under those names: they are read as the
 * Service and reported.
 */
import type { SourceDocument } from '../../inputs/document.js';
import { DNS_LABEL } from '../../ir/k8s-names.js';
import { isRecord } from './read.js';

export const CLUSTER_DOMAIN = 'cluster.local';

export type HostTarget =
  /** A Kubernetes Service. `partial`: written name.namespace or name.namespace.svc. */
  | { kind: 'service'; namespace: string; name: string; form: 'short' | 'fqdn' | 'partial' }
  /** A host that a ServiceEntry of the input declares (outside Kubernetes Services). */
  | { kind: 'service-entry'; host: string; entry: SourceDocument }
  /** A wildcard (`*`, `*.example.com`). */
  | { kind: 'wildcard'; host: string }
  /** An IP address. */
  | { kind: 'ip'; host: string }
  /** A DNS name that is neither a Service nor declared by a ServiceEntry of the input. */
  | { kind: 'unknown'; host: string };

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isIp(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

/** Istio's host matching: equal, or a wildcard on either side covering the other. */
export function hostsMatch(a: string, b: string): boolean {
  if (a === '*' || b === '*' || a === b) return true;
  if (a.startsWith('*.') && (b.endsWith(a.slice(1)) || b === a)) return true;
  if (b.startsWith('*.') && a.endsWith(b.slice(1))) return true;
  return false;
}

/** The ServiceEntries of the input, by the hosts they declare (exact or wildcard). */
export class ServiceEntries {
  private readonly exact = new Map<string, SourceDocument>();
  private readonly wildcards: { suffix: string; doc: SourceDocument }[] = [];

  constructor(docs: readonly SourceDocument[]) {
    for (const d of docs) {
      const spec = isRecord(d.object.spec) ? d.object.spec : {};
      for (const h of Array.isArray(spec.hosts) ? spec.hosts : []) {
        if (typeof h !== 'string') continue;
        if (h.startsWith('*')) this.wildcards.push({ suffix: h.slice(1), doc: d });
        else if (!this.exact.has(h)) this.exact.set(h, d);
      }
    }
  }

  declaring(host: string): SourceDocument | undefined {
    return this.exact.get(host) ?? this.wildcards.find((w) => host.endsWith(w.suffix) && host.length > w.suffix.length)?.doc;
  }
}

export interface HostEnv {
  serviceEntries: ServiceEntries;
  /** Whether the input has a Service with that namespace and name. */
  hasService(namespace: string, name: string): boolean;
  /** Namespaces that objects of the input live in. */
  namespaces: ReadonlySet<string>;
}

/** Resolves a host of a VirtualService (or of a destination) written in `namespace`. */
export function resolveHost(host: string, namespace: string, env: HostEnv): HostTarget {
  if (host === '*' || host.startsWith('*')) return { kind: 'wildcard', host };
  if (isIp(host)) return { kind: 'ip', host };
  if (!host.includes('.')) return { kind: 'service', namespace, name: host, form: 'short' };
  const entry = env.serviceEntries.declaring(host);
  if (entry) return { kind: 'service-entry', host, entry };
  const labels = host.split('.');
  const [name, ns] = labels as [string, string];
  if (labels.length === 5 && host.endsWith(`.svc.${CLUSTER_DOMAIN}`) && DNS_LABEL.test(name) && DNS_LABEL.test(ns)) {
    return { kind: 'service', namespace: ns, name, form: 'fqdn' };
  }
  if (labels.length === 3 && labels[2] === 'svc' && DNS_LABEL.test(name) && DNS_LABEL.test(ns)) return { kind: 'service', namespace: ns, name, form: 'partial' };
  // name.namespace: only when that namespace is one of the input's (example.com is not a Service).
  if (labels.length === 2 && DNS_LABEL.test(name) && DNS_LABEL.test(ns) && (env.hasService(ns, name) || env.namespaces.has(ns))) {
    return { kind: 'service', namespace: ns, name, form: 'partial' };
  }
  return { kind: 'unknown', host };
}

/** The fully qualified name Istio gives a host (short names get the rule's namespace). */
export function fqdn(host: string, namespace: string): string {
  return host.includes('.') || host === '*' || isIp(host) ? host : `${host}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}
