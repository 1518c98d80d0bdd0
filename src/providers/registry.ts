/** The providers gateway-shift has, and the Ingress controllers it can recognise. */
import { albProvider } from './alb/index.js';
import { ingressNginx } from './ingress-nginx/index.js';
import { traefik } from './traefik/index.js';
import { genericIngress } from './generic.js';
import { istio } from './istio/index.js';
import type { Provider, ResourceProvider } from './types.js';

export const PROVIDERS: readonly Provider[] = [ingressNginx, albProvider, traefik];

/** Used for Ingresses whose controller is unknown or not yet supported. */
export const FALLBACK_PROVIDER: Provider = genericIngress;


/** IngressClass spec.controller values of controllers we recognise, with their names. */
export const KNOWN_CONTROLLERS: Readonly<Record<string, string>> = {
  'k8s.io/ingress-nginx': 'ingress-nginx',
  'traefik.io/ingress-controller': 'Traefik',
  'ingress.k8s.aws/alb': 'AWS Load Balancer Controller',
  'eks.amazonaws.com/alb': 'EKS Auto Mode load balancing',
  'nginx.org/ingress-controller': 'F5 NGINX Ingress Controller',
  'haproxy.org/ingress-controller/haproxy': 'HAProxy Ingress',
  'ingress-controllers.konghq.com/kong': 'Kong',
  'projectcontour.io/ingress-controller': 'Contour',
  'istio.io/ingress-controller': 'Istio',
};

/**
 * Annotation prefixes of Ingress controllers, supported or not, so that an annotation meant for
 * another controller than the one serving the Ingress is named instead of passed over.
 */
export const KNOWN_ANNOTATION_PREFIXES: readonly { prefix: string; controller: string }[] = [
  { prefix: 'nginx.ingress.kubernetes.io/', controller: 'ingress-nginx' },
  { prefix: 'traefik.ingress.kubernetes.io/', controller: 'Traefik' },
  { prefix: 'alb.ingress.kubernetes.io/', controller: 'AWS Load Balancer Controller' },
  { prefix: 'nginx.org/', controller: 'F5 NGINX Ingress Controller' },
  { prefix: 'konghq.com/', controller: 'Kong' },
  { prefix: 'haproxy.org/', controller: 'HAProxy Ingress' },
  { prefix: 'haproxy-ingress.github.io/', controller: 'HAProxy Ingress (community)' },
  { prefix: 'projectcontour.io/', controller: 'Contour' },
  { prefix: 'ingress.kubernetes.io/', controller: 'several controllers (legacy prefix)' },
  { prefix: 'kubernetes.io/ingress.global-static-ip-name', controller: 'GKE Ingress' },
  { prefix: 'ingress.gcp.kubernetes.io/', controller: 'GKE Ingress' },
  { prefix: 'networking.gke.io/', controller: 'GKE Ingress' },
  { prefix: 'appgw.ingress.kubernetes.io/', controller: 'Azure Application Gateway Ingress Controller' },
];

/** Providers of whole resources (not Ingress annotations): they run on their own kinds of the input. */
export const RESOURCE_PROVIDERS: readonly ResourceProvider[] = [istio];
