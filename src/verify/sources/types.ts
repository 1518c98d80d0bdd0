/**
 * The plug-in point for source models: one per controller whose routing `verify` simulates
 * (ingress-nginx, Traefik, AWS Load Balancer Controller; Istio can be added beside them).
 * A source model reads the source objects directly, never the translation's code.
 */
import type { ObjectRef } from '../../findings/finding.js';
import type { KubeObject, SourceDocument } from '../../inputs/document.js';
import type { Outcome, Probe } from '../types.js';

/** Everything in the input, indexed once. */
export interface SourceInput {
  documents: readonly SourceDocument[];
  /** Services by `ns/name`. */
  services: ReadonlyMap<string, KubeObject>;
  /** ConfigMaps by `ns/name`. */
  configMaps: ReadonlyMap<string, KubeObject>;
  /** IngressClasses by name. */
  ingressClasses: ReadonlyMap<string, KubeObject>;
  /** What the user said of the controllers' static configuration (command-line options). */
  options?: ControllerOptions;
}

/** Static configuration of the controllers that is not in the Kubernetes objects. */
export interface ControllerOptions {
  /** Traefik's entry points (`--traefik-entrypoint`). */
  traefikEntryPoints?: readonly { name: string; protocol: 'HTTP' | 'HTTPS'; port: number; redirectTo?: string }[];
}

/** How the harness decided which controller serves an Ingress. */
export interface Assignment {
  model: SourceModel;
  /** The load balancer (ingress-nginx: the ingress class) the Ingress is served by. */
  entry: string;
}

/** A running instance of a controller: one load balancer, with the objects it serves. */
export interface SourceInstance {
  entry: string;
  /** Requests worth sending, derived from the source objects. */
  probes(): Probe[];
  /** What the controller does with a request. */
  evaluate(probe: Probe): Outcome;
  /** Host names the instance serves (DNS names that point at its load balancer). */
  hosts(): string[];
  /** Assumptions the model made about the controller's configuration. */
  assumptions: string[];
  /** Annotations present on the objects whose effect the model does not simulate. */
  unmodelled: { object: ObjectRef; keys: string[] }[];
}

export interface SourceModel {
  /** Provider id, as `--providers` names it. */
  id: string;
  displayName: string;
  /** IngressClass spec.controller values of the controller. */
  controllers: (string | RegExp)[];
  /** Ingress class names that conventionally mean this controller (no IngressClass object). */
  classNames: string[];
  /** Annotation prefix of the controller. */
  annotationPrefix: string;
  /** Builds the controller's state for one load balancer from the Ingress documents it serves. */
  build(entry: string, ingresses: readonly SourceDocument[], input: SourceInput): SourceInstance;
}

/**
 * A source model keyed to objects of its own rather than to Ingresses (Istio: Gateways and
 * VirtualServices). It takes the whole input and returns one instance per load balancer it finds
 * (and one for the mesh, if any).
 */
export interface ObjectSourceModel {
  /** Provider id, as `--providers` names it. */
  id: string;
  displayName: string;
  /** Whether an object is one this model verifies (the ones listed as not verified without it). */
  owns(o: KubeObject): boolean;
  build(input: SourceInput): SourceInstance[];
  /** Owned objects, or parts of them, that no instance verifies, with the reason. */
  notVerified?(input: SourceInput): { object: ObjectRef; reason: string }[];
}
