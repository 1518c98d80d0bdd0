/**
 * GatewayClass names commonly used by Gateway API implementations, and their controllerName
 * (from each implementation's documentation; see also research/gateway-api-facts.md).
 * A GatewayClass object is emitted only when --gateway-class names one of these (or
 * --gateway-controller says which controller it is).
 */
export const KNOWN_GATEWAY_CLASSES: Readonly<Record<string, string>> = {
  eg: 'gateway.envoyproxy.io/gatewayclass-controller',
  'envoy-gateway': 'gateway.envoyproxy.io/gatewayclass-controller',
  istio: 'istio.io/gateway-controller',
  'istio-waypoint': 'istio.io/mesh-controller',
  cilium: 'io.cilium/gateway-controller',
  nginx: 'gateway.nginx.org/nginx-gateway-controller',
  kgateway: 'kgateway.dev/kgateway',
  agentgateway: 'agentgateway.dev/agentgateway',
  traefik: 'traefik.io/gateway-controller',
  'aws-alb': 'gateway.k8s.aws/alb',
  alb: 'gateway.k8s.aws/alb',
  'aws-nlb': 'gateway.k8s.aws/nlb',
  'gke-l7-global-external-managed': 'networking.gke.io/gateway',
  'gke-l7-regional-external-managed': 'networking.gke.io/gateway',
  'gke-l7-rilb': 'networking.gke.io/gateway',
  'gke-l7-gxlb': 'networking.gke.io/gateway',
  contour: 'projectcontour.io/gateway-controller',
  kong: 'konghq.com/kic-gateway-controller',
};
