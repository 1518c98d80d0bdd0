/** The providers gateway-shift has, and the Ingress controllers it can recognise. */
import { ingressNginx } from './ingress-nginx/index.js';
import { genericIngress } from './generic.js';
import type { Provider } from './types.js';

export const PROVIDERS: readonly Provider[] = [ingressNginx];

/** Used for Ingresses whose controller is unknown or not yet supported. */
export const FALLBACK_PROVIDER: Provider = genericIngress;

export function providerById(id: string): Provider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

/** IngressClass spec.controller values of controllers we recognise, with their names. */
export const KNOWN_CONTROLLERS: Readonly<Record<string, string>> = {
  'k8s.io/ingress-nginx': 'ingress-nginx',
  'traefik.io/ingress-controller': 'Traefik',
  'ingress.k8s.aws/alb': 'AWS Load Balancer Controller',
  'nginx.org/ingress-controller': 'F5 NGINX Ingress Controller',
  'haproxy.org/ingress-controller/haproxy': 'HAProxy Ingress',
  'ingress-controllers.konghq.com/kong': 'Kong',
  'projectcontour.io/ingress-controller': 'Contour',
  'istio.io/ingress-controller': 'Istio',
};
