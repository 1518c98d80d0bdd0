/** A small cluster's worth of objects for the cluster tests. */
import type { TestKubeObject } from './kube-api-server.mjs';

export function ingress(ns: string, name: string, host: string, o: { labels?: Record<string, string>; port?: { number: number } | { name: string }; tls?: boolean } = {}): TestKubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: ns, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      ingressClassName: 'nginx',
      ...(o.tls ? { tls: [{ hosts: [host], secretName: `${name}-tls` }] } : {}),
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: o.port ?? { number: 80 } } } }] } }],
    },
  };
}

export function service(ns: string, name: string, ports: { name: string; port: number }[]): TestKubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: ports.map((p) => ({ ...p, targetPort: 8080, protocol: 'TCP' })) } };
}

export const ingressClass: TestKubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
  spec: { controller: 'k8s.io/ingress-nginx' },
};

export const secret: TestKubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-tls', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.key': 'c2VjcmV0' } };

export const middlewares: TestKubeObject[] = [
  { apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'strip', namespace: 'shop' }, spec: { stripPrefix: { prefixes: ['/api'] } } },
  { apiVersion: 'traefik.containo.us/v1alpha1', kind: 'Middleware', metadata: { name: 'old-strip', namespace: 'shop' }, spec: { stripPrefix: { prefixes: ['/old'] } } },
];

export const istio: TestKubeObject[] = [
  { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'istio-gw', namespace: 'shop' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'shop' }, spec: { hosts: ['vs.example.com'], gateways: ['istio-gw'], http: [{ route: [{ destination: { host: 'shop', port: { number: 8080 } } }] }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'dr', namespace: 'shop' }, spec: { host: 'shop' } },
  { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'se', namespace: 'shop' }, spec: { hosts: ['api.external.com'], resolution: 'DNS', ports: [{ number: 443, name: 'https', protocol: 'TLS' }] } },
];

export function gateway(ns: string, name: string, listeners: Record<string, unknown>[]): TestKubeObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: ns }, spec: { gatewayClassName: 'eg', listeners } };
}

/** Shop (named port resolved by its Service), blog, and the context objects. */
export function world(): TestKubeObject[] {
  return [
    ingressClass,
    ingress('shop', 'shop', 'shop.example.com', { port: { name: 'http' }, labels: { team: 'shop' } }),
    ingress('shop', 'admin', 'admin.example.com', { labels: { team: 'ops' } }),
    ingress('blog', 'blog', 'blog.example.com', { labels: { team: 'blog' } }),
    service('shop', 'shop', [{ name: 'http', port: 8080 }]),
    service('shop', 'admin', [{ name: 'http', port: 80 }]),
    service('blog', 'blog', [{ name: 'http', port: 80 }]),
    secret,
    ...middlewares,
    ...istio,
    gateway('infra', 'edge', [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }]),
    gateway('legacy', 'old-lb', [{ name: 'https-blog', hostname: 'blog.example.com', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'blog' }] } }]),
  ];
}

export const ALL_CRDS = ['traefik.io', 'traefik.containo.us', 'networking.istio.io', 'gateway.networking.k8s.io'];

/** The clusters of the README's "Against a cluster" section: prod and staging (lab is down). */
export function readmeProd(): TestKubeObject[] {
  return world().map((o) =>
    o.kind === 'Ingress' && o.metadata.name === 'admin' ? { ...o, metadata: { ...o.metadata, annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } } } : o,
  );
}

export function readmeStaging(): TestKubeObject[] {
  return [ingressClass, ingress('web', 'web', 'web.staging.example.com', { port: { name: 'http' } }), service('web', 'web', [{ name: 'http', port: 8080 }])];
}
