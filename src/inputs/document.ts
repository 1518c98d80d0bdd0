/**
 * A Kubernetes object read from some input, with the means to find where any of its fields
 * was written. Shared by inputs (which make them) and the core (which reads them); pure types.
 */
import type { SourcePosition } from '../findings/finding.js';

export interface KubeMetadata {
  name?: string;
  namespace?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  creationTimestamp?: string;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeMetadata;
  spec?: unknown;
  [key: string]: unknown;
}

/** A path into an object: keys and array indexes, e.g. ['metadata','annotations','a/b']. */
export type FieldPath = readonly (string | number)[];

export interface SourceDocument {
  object: KubeObject;
  /** Where the object starts (the document, or the item inside a List). */
  position: SourcePosition;
  /**
   * Position of a field (its key when it is a map entry, else its value). Falls back to the
   * nearest ancestor that exists, then to `position`.
   */
  locate(path: FieldPath): SourcePosition;
}
