/**
 * The provider plug-in point. A provider owns one controller's semantics: which Ingresses are
 * its own, what ImplementationSpecific paths mean there, its defaults, and its annotation rules.
 */
import type { Finding, ObjectRef } from '../findings/finding.js';
import type { SourceDocument } from '../inputs/document.js';
import type { GatewayIntent, IR, PolicyTarget } from '../ir/types.js';
import type { IngressModel } from './common/ingress-model.js';
import type { RuleEntry } from './rules.js';

/** Objects of the input besides Ingresses (Services, ConfigMaps, IngressClasses, controller parameters...). */
export interface InputLookup {
  /**
   * The object of that API group ('' for the core group), kind and name; `namespace` for
   * namespaced kinds (an object without one is in `default`).
   */
  find(group: string, kind: string, name: string, namespace?: string): SourceDocument | undefined;
}

/**
 * Ingresses that one load balancer of the controller served together, whatever their namespaces
 * (the AWS Load Balancer Controller's IngressGroups): they share one Gateway.
 */
export interface GatewayGroup {
  /** Unique among the provider's groups. */
  id: string;
  /** Name of the Gateway (made a valid, unique name by the core). */
  name: string;
}

export interface ProviderContext {
  /** Adds a finding about a source object; position is looked up from the field path. */
  report(finding: Omit<Finding, 'object'> & { doc?: SourceDocument; path?: readonly (string | number)[] }): void;
  /** The IR under construction (shared by all providers). */
  ir: IR;
  /** Gateway API channel the output may use: experimental fields only when 'experimental'. */
  channel: 'standard' | 'experimental';
  /** Implementation whose policy objects may be generated ('standard': none). */
  target: 'standard' | PolicyTarget;
  /** Gateway key for an Ingress, decided by the topology options. */
  gatewayKeyFor(ingress: IngressModel): string;
  /** The Gateway intent of a key returned by gatewayKeyFor. */
  gateway(key: string): GatewayIntent;
  /** A ConfigMap of the input, if there is one with that namespace and name. */
  configMap(namespace: string, name: string): SourceDocument | undefined;
  /** Other objects of the input. */
  input: InputLookup;
  /** A Service of the input, if there is one with that namespace and name. */
  service(namespace: string, name: string): SourceDocument | undefined;
  /**
   * The input documents of a kind some provider declared in `inputKinds` (for example Traefik
   * Middlewares), in input order; empty for other kinds.
   */
  objects(kind: string): readonly SourceDocument[];
  /** Provider-specific options from the command line. */
  options: ProviderOptions;
  /** Resolves a backend port (number or Service port name); undefined when it cannot. */
  resolvePort(ingress: IngressModel, serviceName: string, port: { number?: number; name?: string }, path: readonly (string | number)[]): number | undefined;
}

/** A Traefik entry point: its name, and the listener protocol and port it stands for. */
export interface EntryPointOption {
  name: string;
  /** HTTPS: the entry point terminates TLS for every router on it (entryPoints.<name>.http.tls). */
  protocol: 'HTTP' | 'HTTPS';
  port: number;
  /** entryPoints.<name>.http.redirections.entryPoint.to: every request is redirected to that entry point. */
  redirectTo?: string;
}

/** Options that only one provider reads. */
export interface ProviderOptions {
  /** Traefik's entry points (--traefik-entrypoint); by default web=HTTP:80 and websecure=HTTPS:443. */
  traefikEntryPoints?: readonly EntryPointOption[];
}

export interface Provider {
  /** Id used by --providers and `rules --provider`. */
  id: string;
  /** Human name, e.g. "ingress-nginx". */
  displayName: string;
  /** Annotation prefixes this controller reads (with trailing slash). */
  annotationPrefixes: string[];
  /** IngressClass spec.controller values of this controller (exact, or a pattern for custom values). */
  controllers: (string | RegExp)[];
  /** Ingress class names that conventionally mean this controller. */
  classNames: string[];
  /** The annotation rule table. */
  rules: RuleEntry[];
  /**
   * The load balancer an Ingress shared with others, when the controller grouped Ingresses
   * otherwise than by class: its Ingresses get one Gateway named for the group, in every
   * --gateway-mode shared (per-namespace mode still splits it by namespace). Undefined: the
   * Ingress goes to the Gateway of its class.
   */
  gatewayGroup?(model: IngressModel, input: InputLookup): GatewayGroup | undefined;
  /**
   * The rule entry of an annotation key with the provider's prefix, for controllers whose keys are
   * not matched exactly (Traefik: case-insensitive, with numbered keys). Default: equal `key`.
   */
  findRule?(key: string): RuleEntry | undefined;
  /** Other input kinds the provider reads (by API group), offered through ProviderContext.objects. */
  inputKinds?: readonly { groups: readonly string[]; kind: string }[];
  /**
   * Kinds of the controller that carry routing gateway-shift does not translate (Traefik's
   * IngressRoute, say): each such input object is named in a finding instead of being skipped.
   */
  untranslatedKinds?: readonly { groups: readonly string[]; kind: string; what: string }[];
  /**
   * Translates all Ingresses this provider owns into the IR. Returns, per Ingress (by
   * `namespace/name`), the annotation keys it consumed; the rest are reported by the core.
   */
  translate(ctx: ProviderContext, ingresses: IngressModel[]): Map<IngressModel, Set<string>>;
}

export function refOf(doc: SourceDocument): ObjectRef {
  const o = doc.object;
  const ref: ObjectRef = { apiVersion: o.apiVersion, kind: o.kind };
  if (o.metadata.namespace !== undefined) ref.namespace = String(o.metadata.namespace);
  if (o.metadata.name !== undefined) ref.name = String(o.metadata.name);
  if (typeof o.metadata.resourceVersion === 'string' && o.metadata.resourceVersion !== '') ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}

/**
 * What a resource provider gets: the findings, the IR, the output options and the Services of
 * the input. Resource providers translate whole objects of their controller (Istio's Gateways
 * and VirtualServices), not Ingress annotations.
 */
export interface ResourceContext {
  report: ProviderContext['report'];
  ir: IR;
  channel: ProviderContext['channel'];
  target: ProviderContext['target'];
  /** --gateway-class: the gatewayClassName of the Gateways the provider makes (its default otherwise). */
  gatewayClass?: string;
  /** A Service of the input (apiVersion v1), by namespace and name. */
  service(namespace: string, name: string): SourceDocument | undefined;
  /** The namespaces objects of the input live in. */
  namespaces: ReadonlySet<string>;
}

/** A source object a resource provider translated, for `scan` and the output layouts. */
export interface ResourceOrigin {
  doc: SourceDocument;
  ref: ObjectRef;
  provider: string;
  /** Keys of the rule entries whose fields of this object were consumed (their effect is in the output), sorted. */
  translated: string[];
  /** Keys of the rule entries of the fields left untranslated (each named in a finding), sorted, one per field. */
  untranslated: string[];
}

/**
 * A provider of whole resources: it reads the objects of its API groups and kinds, translates them
 * into the IR, and accounts for every field of their spec through its rule table (one entry per
 * field, with the shape of an annotation entry): a field is consumed, or named in a finding.
 */
export interface ResourceProvider {
  /** Id used by --providers and `rules --provider`. */
  id: string;
  displayName: string;
  /** The API groups and kinds it reads (any version of the group). */
  kinds: { group: string; kinds: string[] }[];
  /** The field rule table. */
  rules: RuleEntry[];
  translate(ctx: ResourceContext, documents: SourceDocument[]): ResourceOrigin[];
}
