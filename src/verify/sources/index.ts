/** The source models verify knows, one per controller (ingress-nginx, Traefik, AWS Load Balancer Controller). */
import { albModel } from './alb/index.js';
import { ingressNginxModel } from './ingress-nginx/index.js';
import { istioModel } from './istio/index.js';
import { traefikModel } from './traefik/index.js';
import type { ObjectSourceModel, SourceModel } from './types.js';

export const SOURCE_MODELS: readonly SourceModel[] = [ingressNginxModel, traefikModel, albModel];

/** Models keyed to objects of their own (not Ingresses). */
export const OBJECT_SOURCE_MODELS: readonly ObjectSourceModel[] = [istioModel];

export type { ObjectSourceModel, SourceModel, SourceInstance, SourceInput } from './types.js';
