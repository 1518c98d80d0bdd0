/**
 * What gateway-shift reads from a cluster, and therefore the RBAC that is enough to run it.
 * Secrets are never read: certificates are referenced by name only.
 */

export interface ResourceSpec {
  /** API group ('' for the core group). */
  group: string;
  /** Versions gateway-shift reads, best first; for custom resources the cluster's discovery picks among them. */
  versions: readonly string[];
  /** Plural resource name, as in the URL and in RBAC rules. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** A CustomResourceDefinition that may be absent: then skipped with an info finding. */
  crd: boolean;
  /** How findings name these objects. */
  label: string;
  /** Not reading them leaves the conversion incomplete: a failure is an error (else a warning). */
  essential: boolean;
  /** `-l/--selector` applies to them (the objects translated into routes: Ingresses, Istio VirtualServices); the context objects are read whole. */
  selectable: boolean;
  /** Verbs needed: list always; get only where single objects are looked up. */
  verbs: readonly ('get' | 'list')[];
}

const spec = (s: Omit<ResourceSpec, 'verbs'> & { verbs?: ResourceSpec['verbs'] }): ResourceSpec => ({ verbs: ['list'], ...s });

export const CLUSTER_RESOURCES: readonly ResourceSpec[] = [
  spec({ group: 'networking.k8s.io', versions: ['v1'], resource: 'ingresses', kind: 'Ingress', namespaced: true, crd: false, label: 'Ingresses', essential: true, selectable: true }),
  spec({ group: 'networking.k8s.io', versions: ['v1'], resource: 'ingressclasses', kind: 'IngressClass', namespaced: false, crd: false, label: 'IngressClasses', essential: false, selectable: false }),
  spec({ group: '', versions: ['v1'], resource: 'services', kind: 'Service', namespaced: true, crd: false, label: 'Services', essential: false, selectable: false }),
  spec({ group: 'traefik.io', versions: ['v1alpha1'], resource: 'middlewares', kind: 'Middleware', namespaced: true, crd: true, label: 'Traefik Middlewares (traefik.io)', essential: false, selectable: false }),
  spec({ group: 'traefik.containo.us', versions: ['v1alpha1'], resource: 'middlewares', kind: 'Middleware', namespaced: true, crd: true, label: 'Traefik Middlewares (traefik.containo.us)', essential: false, selectable: false }),
  spec({ group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], resource: 'gateways', kind: 'Gateway', namespaced: true, crd: true, label: 'Istio Gateways', essential: false, selectable: false }),
  spec({ group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], resource: 'virtualservices', kind: 'VirtualService', namespaced: true, crd: true, label: 'Istio VirtualServices', essential: false, selectable: true }),
  spec({ group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], resource: 'destinationrules', kind: 'DestinationRule', namespaced: true, crd: true, label: 'Istio DestinationRules', essential: false, selectable: false }),
  spec({ group: 'networking.istio.io', versions: ['v1', 'v1beta1', 'v1alpha3'], resource: 'serviceentries', kind: 'ServiceEntry', namespaced: true, crd: true, label: 'Istio ServiceEntries', essential: false, selectable: false }),
  spec({ group: 'gateway.networking.k8s.io', versions: ['v1', 'v1beta1'], resource: 'gateways', kind: 'Gateway', namespaced: true, crd: true, label: 'Gateway API Gateways', essential: false, selectable: false, verbs: ['get', 'list'] }),
];

export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The ClusterRole rules that are enough for everything gateway-shift reads (one per group and verb set). */
export function rbacRules(): RbacRule[] {
  const rules: RbacRule[] = [];
  for (const r of CLUSTER_RESOURCES) {
    const verbs = [...r.verbs].sort();
    const same = rules.find((x) => x.apiGroups[0] === r.group && x.verbs.join() === verbs.join());
    if (same) {
      if (!same.resources.includes(r.resource)) same.resources.push(r.resource);
    } else {
      rules.push({ apiGroups: [r.group], resources: [r.resource], verbs });
    }
  }
  return rules;
}
