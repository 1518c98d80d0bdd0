/** The source models verify knows, one per controller. Add Traefik, ALB and Istio models here. */
import { ingressNginxModel } from './ingress-nginx/index.js';
import { istioModel } from './istio/index.js';
import type { ObjectSourceModel, SourceModel } from './types.js';

export const SOURCE_MODELS: readonly SourceModel[] = [ingressNginxModel];

/** Models keyed to objects of their own (not Ingresses). */
export const OBJECT_SOURCE_MODELS: readonly ObjectSourceModel[] = [istioModel];

export type { ObjectSourceModel, SourceModel, SourceInstance, SourceInput } from './types.js';
