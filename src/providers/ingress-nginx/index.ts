/**
 * ingress-nginx (kubernetes/ingress-nginx, retired March 2026): its Ingresses, defaults and
 * annotation rules.
 */
import type { PathMatch } from '../../ir/types.js';
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { inControllerOrder, translateIngresses } from '../common/ingress-translator.js';
import { mapRegexPath, reportRegexHost, triggersRegexMode } from './regex.js';
import type { Provider } from '../types.js';
import { INGRESS_NGINX_RULES, NGINX_PREFIX } from './rules.js';
import { decorateRoute, readLocationConfig, type NginxLocationConfig } from './annotations.js';

/**
 * Outside regex mode, ingress-nginx turns ImplementationSpecific into Prefix when it loads an
 * Ingress (internal/k8s/main.go SetDefaultNGINXPathType), and Prefix is element-wise (a `/foo/`
 * location plus `= /foo`): both are Gateway API PathPrefix.
 */
function plainPath(p: IngressPath): PathMatch {
  return { type: p.pathType === 'Exact' ? 'Exact' : 'PathPrefix', value: p.path };
}

export const ingressNginx: Provider = {
  id: 'ingress-nginx',
  displayName: 'ingress-nginx',
  annotationPrefixes: [NGINX_PREFIX],
  // The default, and custom values of several installs (e.g. k8s.io/internal-ingress-nginx).
  controllers: ['k8s.io/ingress-nginx', /^k8s\.io\/.*ingress-nginx/],
  classNames: ['nginx'],
  rules: INGRESS_NGINX_RULES,
  translate(ctx, ingresses) {
    const configs = new Map(ingresses.map((m) => [m, readLocationConfig(ctx, m)] as const));
    const cfgOf = (m: IngressModel): NginxLocationConfig => configs.get(m)!;
    // Regex mode is per host (nginx server), whichever Ingress of the host asked for it.
    const regexHosts = new Map<string, IngressModel>();
    for (const m of inControllerOrder(ingresses)) {
      if (!triggersRegexMode(m, cfgOf(m).regex)) continue;
      for (const r of m.rules) {
        const k = `${ctx.gatewayKeyFor(m)} ${r.host}`;
        if (!regexHosts.has(k)) {
          regexHosts.set(k, m);
          reportRegexHost(ctx, m, r.host, cfgOf(m).regex);
        }
      }
    }
    translateIngresses(ctx, ingresses, {
      id: 'ingress-nginx',
      mapPath: (c, m, p) => (regexHosts.has(`${c.gatewayKeyFor(m)} ${p.host}`) ? mapRegexPath(c, m, p, cfgOf(m).regex) : plainPath(p)),
      // ssl-redirect defaults to true (ConfigMap), force-ssl-redirect implies it.
      redirectsToHttps: (m) => cfgOf(m).sslRedirect || cfgOf(m).forceSslRedirect,
      // ConfigMap http-redirect-code defaults to 308.
      httpsRedirectCode: 308,
      exemptAcmeChallenge: true,
      hostIsolation: true,
      slashRedirects: 301,
      noSlashRedirects: (gwKey, host) => regexHosts.has(`${gwKey} ${host}`),
      decorateRoute: (c, m, route, host) => decorateRoute(c, m, cfgOf(m), route, host),
    });
    return new Map(ingresses.map((m) => [m, cfgOf(m).consumed]));
  },
};
