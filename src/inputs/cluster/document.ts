/**
 * An object read from a live cluster. It has no file and no lines: its position is the cluster
 * (`cluster/<context>`), and findings about it carry its identity (namespace, name,
 * resourceVersion) through the ObjectRef, and the field path through `field`.
 */
import type { SourcePosition } from '../../findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../document.js';

/** The position of every object read through a kubeconfig context. */
export function clusterPosition(context: string): SourcePosition {
  return { file: `cluster/${context}` };
}

export class ClusterDocument implements SourceDocument {
  constructor(
    readonly object: KubeObject,
    readonly position: SourcePosition,
  ) {}

  locate(_path: FieldPath): SourcePosition {
    return this.position;
  }
}
