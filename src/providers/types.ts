/**
 * The provider plug-in point. A provider owns one controller's semantics: which Ingresses are
 * its own, what ImplementationSpecific paths mean there, its defaults, and its annotation rules.
 */
import type { Finding, ObjectRef } from '../findings/finding.js';
import type { SourceDocument } from '../inputs/document.js';
import type { IR, PolicyTarget } from '../ir/types.js';
import type { IngressModel } from './common/ingress-model.js';
import type { RuleEntry } from './rules.js';

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
  /** A ConfigMap of the input, if there is one with that namespace and name. */
  configMap(namespace: string, name: string): SourceDocument | undefined;
  /** Resolves a backend port (number or Service port name); undefined when it cannot. */
  resolvePort(ingress: IngressModel, serviceName: string, port: { number?: number; name?: string }, path: readonly (string | number)[]): number | undefined;
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
