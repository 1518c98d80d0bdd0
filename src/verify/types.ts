/**
 * `verify`: the vocabulary shared by the two routing models and the comparison. A probe is one
 * HTTP(S) request; each model answers it with an outcome; the comparison lists what differs.
 * Pure data, no I/O.
 */
import type { ObjectRef } from '../findings/finding.js';
import type { FieldPath } from '../inputs/document.js';

/** One request sent to a load balancer. */
export interface Probe {
  /** The load balancer of the source controller it is sent to (ingress-nginx: the ingress class). */
  entry: string;
  /** `tcp`: a plain TCP connection to `port` (no Host, no path; `host` names the destination for reports). */
  scheme: 'http' | 'https' | 'tcp';
  /** Host header, lower case, without port; also the TLS SNI for https. */
  host: string;
  /** Request path, starting with '/'. */
  path: string;
  /** Query string without '?', if any. */
  query?: string;
  method: string;
  /** Request headers, lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** A gRPC call (POST, content-type application/grpc, path /package.Service/Method). */
  grpc?: boolean;
  /** Why the probe was generated (for reports). */
  reason: string;
  /** The port the request is sent to, when not the scheme's default (Istio Gateway servers). */
  port?: number;
  /**
   * The source gateways (`ns/name`) whose load balancer receives the request: the Gateway API
   * Gateways of those names answer it (Istio: a Gateway API Gateway keeps its Gateway's name).
   */
  gateways?: readonly string[];
  /** A request sent inside the mesh to a Service (`ns/name`) on a port, not to a load balancer. */
  mesh?: { service: string; port: number };
}

/** A Service port receiving a share of the requests (weights are normalised to sum 1). */
export interface WeightedBackend {
  /** `namespace/name` of the Service. */
  service: string;
  /** Service port number (a name when it could not be resolved). */
  port: number | string;
  weight: number;
}

/** Header changes: a value sets the header, null removes it. Names are lower case. */
export type HeaderEdits = Record<string, string | null>;

/** Something a model used to reach its outcome: a source object part, or an output object. */
export interface Involvement {
  object: ObjectRef;
  /** Field path inside a source object (absent for output objects). */
  path?: FieldPath;
  /** What it did: 'location', 'certificate', 'regex-mode', 'canary', 'route', ... */
  role: string;
  /** A detail of that role: the Ingress path of a location, the path match of a route rule. */
  value?: string;
}

interface OutcomeBase {
  involved: Involvement[];
  /** Short explanation of how the model got there. */
  via: string;
}

export interface ForwardOutcome extends OutcomeBase {
  kind: 'forward';
  backends: WeightedBackend[];
  /** Path and query sent to the backend. */
  path: string;
  /** Host header sent to the backend. */
  host: string;
  requestHeaders: HeaderEdits;
  responseHeaders: HeaderEdits;
  /** Services (`namespace/name:port`) that receive a copy of the request. */
  mirrors: string[];
}

export interface RedirectOutcome extends OutcomeBase {
  kind: 'redirect';
  status: number;
  location: string;
}

/** The proxy answers itself (404 no route, 500 invalid backend, 503 denied ...). */
export interface RespondOutcome extends OutcomeBase {
  kind: 'respond';
  status: number;
}

/** TLS connection passed through unterminated. */
export interface PassthroughOutcome extends OutcomeBase {
  kind: 'passthrough';
  backends: WeightedBackend[];
}

/** A certificate-validating client cannot complete the TLS handshake. */
export interface TlsFailureOutcome extends OutcomeBase {
  kind: 'tls-failure';
}

/** The model cannot say (a feature it does not simulate). Never compared. */
export interface UnknownOutcome extends OutcomeBase {
  kind: 'unknown';
}

export type Outcome = ForwardOutcome | RedirectOutcome | RespondOutcome | PassthroughOutcome | TlsFailureOutcome | UnknownOutcome;

/** Aspects of two outcomes that can differ. */
export type Aspect =
  | 'outcome'
  | 'status'
  | 'location'
  | 'backends'
  | 'weights'
  | 'path'
  | 'host'
  | 'request-headers'
  | 'response-headers'
  | 'mirrors';

export interface Explanation {
  ruleId: string;
  message: string;
  object?: ObjectRef;
  field?: string;
}

export interface Difference {
  probe: Probe;
  source: Outcome;
  gateway: Outcome;
  aspects: Aspect[];
  /** Findings of the conversion that account for the difference; empty: unexplained. */
  explainedBy: Explanation[];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `Kind ns/name` of an object reference. */
export function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? ''}`;
}
