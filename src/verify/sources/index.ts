/** The source models verify knows, one per controller (ingress-nginx, Traefik, AWS Load Balancer Controller). */
import { albModel } from './alb/index.js';
import { ingressNginxModel } from './ingress-nginx/index.js';
import { traefikModel } from './traefik/index.js';
import type { SourceModel } from './types.js';

export const SOURCE_MODELS: readonly SourceModel[] = [ingressNginxModel, traefikModel, albModel];

export type { SourceModel, SourceInstance, SourceInput } from './types.js';
