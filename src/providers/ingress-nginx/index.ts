/**
 * ingress-nginx (kubernetes/ingress-nginx, retired March 2026): its Ingresses, defaults and
 * annotation rules.
 */
import type { PathMatch } from '../../ir/types.js';
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { translateIngresses } from '../common/ingress-translator.js';
import type { Provider, ProviderContext } from '../types.js';
import { INGRESS_NGINX_RULES } from './rules.js';
import { decorateRoute, readLocationConfig, type NginxLocationConfig } from './annotations.js';

export const INGRESS_NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

/**
 * ingress-nginx turns ImplementationSpecific into Prefix when it loads an Ingress
 * (internal/k8s/main.go SetDefaultNGINXPathType), and Prefix is element-wise (a `/foo/`
 * location plus `= /foo`): both are Gateway API PathPrefix.
 */
function mapPath(_ctx: ProviderContext, _m: IngressModel, p: IngressPath): PathMatch {
  return { type: p.pathType === 'Exact' ? 'Exact' : 'PathPrefix', value: p.path };
}

export const ingressNginx: Provider = {
  id: 'ingress-nginx',
  displayName: 'ingress-nginx',
  annotationPrefixes: [INGRESS_NGINX_PREFIX],
  // The default, and custom values of several installs (e.g. k8s.io/internal-ingress-nginx).
  controllers: ['k8s.io/ingress-nginx', /^k8s\.io\/.*ingress-nginx/],
  classNames: ['nginx'],
  rules: INGRESS_NGINX_RULES,
  translate(ctx, ingresses) {
    const configs = new Map(ingresses.map((m) => [m, readLocationConfig(ctx, m)] as const));
    const cfgOf = (m: IngressModel): NginxLocationConfig => configs.get(m)!;
    translateIngresses(ctx, ingresses, {
      id: 'ingress-nginx',
      mapPath,
      // ssl-redirect defaults to true (ConfigMap), force-ssl-redirect implies it.
      redirectsToHttps: (m) => cfgOf(m).sslRedirect || cfgOf(m).forceSslRedirect,
      // ConfigMap http-redirect-code defaults to 308.
      httpsRedirectCode: 308,
      exemptAcmeChallenge: true,
      hostIsolation: true,
      slashRedirects: 301,
      decorateRoute: (c, m, route, host) => decorateRoute(c, m, cfgOf(m), route, host),
    });
    return new Map(ingresses.map((m) => [m, cfgOf(m).consumed]));
  },
};
