/**
 * The intermediate representation: what the source configuration means, independent of the
 * controller that served it and of how Gateway API objects will be laid out. Providers write
 * it; emitters read it. Every piece remembers where it came from.
 */
import type { ObjectRef, SourcePosition } from '../findings/finding.js';

export interface Provenance {
  object: ObjectRef;
  /** Field path or annotation key that produced this piece of intent. */
  field?: string;
  position?: SourcePosition;
}

export type PathMatchType = 'Exact' | 'PathPrefix' | 'RegularExpression';

export interface PathMatch {
  type: PathMatchType;
  value: string;
}

export interface HeaderMatch {
  type: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}

export interface RouteMatch {
  path?: PathMatch;
  headers?: HeaderMatch[];
  queryParams?: HeaderMatch[];
  method?: string;
}

export interface BackendRef {
  /** Core Service unless group/kind say otherwise. */
  group?: string;
  kind?: string;
  name: string;
  namespace: string;
  port?: number;
  weight?: number;
  /** Filters applied only to requests sent to this backend (HTTPRoute backendRefs[].filters). */
  filters?: RouteFilter[];
}

/** Gateway API HTTPRoute filter objects, as they will be emitted. */
export type RouteFilter = Record<string, unknown> & { type: string };

export interface RuleIntent {
  matches: RouteMatch[];
  backends: BackendRef[];
  filters: RouteFilter[];
  timeouts?: { request?: string; backendRequest?: string };
  /** For GRPCRoute rules: the method match (none: every method). `matches` keep the HTTP path. */
  grpcMethod?: { service?: string; method?: string };
  /** Gateway API sessionPersistence (experimental channel). */
  sessionPersistence?: Record<string, unknown>;
  /** Gateway API retry (experimental channel): attempts, status codes, backoff. */
  retry?: { attempts?: number; codes?: number[]; backoff?: string };
  /** Optional rule name (Gateway API `rules[].name`), DNS-1123 label. */
  name?: string;
  provenance: Provenance[];
}

/** Which listeners of the Gateway a route attaches to. */
export interface Attachment {
  /** Plain HTTP listener (port 80). */
  http: boolean;
  /** The HTTPS listener for the route's hostname (port 443). */
  https: boolean;
  /**
   * The TLS listener in Passthrough mode for the route's hostnames (port 443, no certificate):
   * TLSRoutes only. A hostname with such a listener gets no HTTPS listener of its own.
   */
  passthrough?: boolean;
  /**
   * On a Gateway with an explicit listener layout (GatewayIntent.listeners): the names of the
   * listeners the route attaches to. The flags above are not used then.
   */
  listeners?: string[];
}

/**
 * A listener of a Gateway whose layout the provider decides, for controllers that listened on
 * ports of their own (the AWS Load Balancer Controller's listen-ports, Istio Gateway servers):
 * any port, HTTP, HTTPS, TLS or TCP.
 */
export interface ListenerIntent {
  /** Listener name (the routes' sectionName), unique in the Gateway. */
  name: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP';
  /** The listener's hostname (none: every host). */
  hostname?: string;
  /**
   * HTTPS (and TLS in Terminate mode): names of the Secrets, in the Gateway's namespace, holding
   * the certificates. Undefined: the listener gets no tls block, and the implementation supplies
   * the certificates (the AWS Load Balancer Controller takes them from ACM).
   */
  certificateSecrets?: string[];
  /** TLS: whether connections are passed through unterminated (TLSRoutes) or terminated here. */
  tlsMode?: 'Terminate' | 'Passthrough';
  /**
   * Which namespaces may attach routes, when the source said so (Istio's `namespace/host`
   * server hosts). Undefined: exactly the namespaces of the routes attached to it.
   */
  allowedNamespaces?: { from: 'All' } | { from: 'Same' } | { names: string[] };
  provenance: Provenance[];
}

/**
 * A parent a route names explicitly, instead of the listeners its Gateway key and `attach` give:
 * listeners of a Gateway of the IR, a Gateway that is not (by namespace and name, no section),
 * or a Service (a GAMMA mesh route: it applies to the traffic sent to that Service, on `port` or
 * on every port).
 */
export type RouteParent =
  | { kind: 'Gateway'; gatewayKey: string; listeners: string[] }
  | { kind: 'GatewayRef'; namespace: string; name: string }
  | { kind: 'Service'; namespace: string; name: string; port?: number };

export interface RouteIntent {
  /** A TLSRoute or TCPRoute has one rule with backends only (no matches, no filters). */
  kind: 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute' | 'TCPRoute';
  /** Gateway this route belongs to (see GatewayIntent.key); '' for a route with Service parents only. */
  gatewayKey: string;
  namespace: string;
  /** Suggested name; the emitter makes it unique and valid. */
  name: string;
  /** Empty: all hostnames (an Ingress rule without host). */
  hostnames: string[];
  attach: Attachment;
  /** Explicit parents (resource providers): when set, `gatewayKey` and `attach` do not place the route. */
  parents?: RouteParent[];
  /** An HTTP-listener twin that only redirects to HTTPS (needs a Gateway whose listeners we lay out). */
  httpsRedirectFor?: string;
  rules: RuleIntent[];
  annotations: Record<string, string>;
  provenance: Provenance[];
}

export interface SecretRef {
  namespace: string;
  name: string;
}

export interface TlsIntent {
  gatewayKey: string;
  hostname: string;
  secret: SecretRef;
  provenance: Provenance[];
}

export interface GatewayIntent {
  /** Stable key: the ingress class name (shared mode) or `namespace/class` (per-namespace mode). */
  key: string;
  /** Where the Gateway goes and what it is called. */
  namespace: string;
  name: string;
  gatewayClassName: string;
  /** The ingress class the Gateway replaces. */
  ingressClass: string;
  /** The provider whose Ingresses feed it. */
  provider: string;
  /** Annotations to put on the Gateway (cert-manager, external-dns), with where they came from. */
  annotations: Record<string, { value: string; provenance: Provenance[] }>;
  provenance: Provenance[];
  /** Source objects already in `provenance` (by identity), to keep adding them O(1). */
  sources: Set<ObjectRef>;
  /**
   * An explicit listener layout, in this order, instead of the default one (`http` on port 80 and
   * an HTTPS listener per TLS host on 443). Routes name their listeners in `attach.listeners`.
   */
  listeners?: ListenerIntent[];
  /**
   * The source load balancer this Gateway replaces, when the provider grouped Ingresses onto load
   * balancers of their own (ALB IngressGroups). A host on Gateways of different load balancers
   * was already split in the source; Gateways without it all replace the controller's one proxy.
   */
  loadBalancer?: string;
  /** spec.infrastructure.parametersRef: the implementation's configuration object for this Gateway. */
  parametersRef?: { group: string; kind: string; name: string };
}

/** Implementations whose policy objects gateway-shift can generate (`--target`). */
export type PolicyTarget = 'envoy-gateway' | 'aws-lbc';

/**
 * An implementation policy object to generate: a route-level policy attached to every route
 * object emitted for `routes`, or a listener-level one attached to the HTTPS listeners serving
 * `hostnames` (a host and its aliases) on a Gateway. `spec` holds everything but the target references.
 */
export interface EnvoyGatewayPolicyIntent {
  target: 'envoy-gateway';
  kind: 'BackendTrafficPolicy' | 'SecurityPolicy' | 'ClientTrafficPolicy';
  /** Where it goes and its suggested name (made unique by the emitter). */
  namespace: string;
  name: string;
  attach: { routes: RouteIntent[] } | { gatewayKey: string; hostnames: string[] };
  spec: Record<string, unknown>;
  provenance: Provenance[];
}

/**
 * A configuration object of the AWS Load Balancer Controller (gateway.k8s.aws/v1): referenced by
 * name from a Gateway (LoadBalancerConfiguration, spec.infrastructure.parametersRef) or a route
 * rule (ListenerRuleConfiguration, an ExtensionRef filter), or attached to a Service
 * (TargetGroupConfiguration, spec.targetReference). The provider chooses the final name.
 */
export interface AwsLbcObjectIntent {
  target: 'aws-lbc';
  kind: 'LoadBalancerConfiguration' | 'TargetGroupConfiguration' | 'ListenerRuleConfiguration';
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  /**
   * TargetGroupConfiguration: target group properties for some routes only, written as
   * spec.routeConfigurations for every route object emitted for `routes`.
   */
  routeConfigurations?: { routes: RouteIntent[]; props: Record<string, unknown> }[];
  provenance: Provenance[];
}

export type PolicyIntent = EnvoyGatewayPolicyIntent | AwsLbcObjectIntent;

/** TLS from the gateway to a Service (Gateway API BackendTLSPolicy). */
export interface BackendTlsIntent {
  namespace: string;
  service: string;
  /** Secret holding the CA certificate (key ca.crt), in `namespace`. */
  caSecret: string;
  /** Name verified in the backend certificate, also sent as SNI. */
  hostname: string;
  provenance: Provenance[];
}

export interface IR {
  gateways: GatewayIntent[];
  routes: RouteIntent[];
  tls: TlsIntent[];
  /** BackendTLSPolicies, one per Service. */
  backendTls: BackendTlsIntent[];
  /** Implementation policies (only with a --target that has them). */
  policies: PolicyIntent[];
}
