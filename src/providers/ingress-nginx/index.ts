/**
 * ingress-nginx (kubernetes/ingress-nginx, retired March 2026): its Ingresses, defaults and
 * annotation rules.
 */
import type { PathMatch } from '../../ir/types.js';
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { inControllerOrder, translateIngresses } from '../common/ingress-translator.js';
import { annotationField } from '../common/translate.js';
import { mapRegexPath, regexModeHosts, reportRegexHost, type RegexSettings } from './regex.js';
import { applyCanaries, readCanary, reportIgnoredOnCanary, reportSharedUpstreams, type CanarySettings } from './canary.js';
import { simulateCanaryMerges, type CanaryMerges } from './canary-merge.js';
import type { Provider } from '../types.js';
import { INGRESS_NGINX_RULES, NGINX_PREFIX } from './rules.js';
import { decorateRoute, readLocationConfig, refusingAnnotation, wwwRedirects, type NginxLocationConfig } from './annotations.js';
import { applyServerAliases, applySslPassthrough } from './server.js';
import { HTTPS_REDIRECT_SLASH } from './annotations.js';
import { wildcardCovers } from '../../emitters/gateway-api.js';
import { envoyGatewayListenerPolicies, envoyGatewayRoutePolicies } from './envoy-gateway.js';
import { applyCustomHeaders } from './custom-headers.js';
import { applyBackendTls } from './backend-tls.js';
import { applyHostFallback } from './host-fallback.js';
import { nginxTlsEntries, reportDefaultCertificates } from './default-certificate.js';
import { reportDuplicateLocations } from './duplicate-location.js';

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
    // Canaries first: they get no routes of their own, and most of their annotations are ignored.
    const consumedByCanary = new Map<IngressModel, Set<string>>();
    const canaries: { model: IngressModel; settings: CanarySettings }[] = [];
    const primaries: IngressModel[] = [];
    // Ingresses the controller did not load at all.
    const unloaded = new Set<IngressModel>();
    for (const m of inControllerOrder(ingresses)) {
      const used = new Set<string>();
      const settings = readCanary(ctx, m, used);
      const refused = settings ? refusingAnnotation(m) : undefined;
      if (settings && refused) {
        // The controller refused the canary Ingress before it could be one: nothing to merge.
        ctx.report({
          ruleId: 'ingress-nginx/invalid-value',
          severity: 'warning',
          message: `${NGINX_PREFIX}${refused.key}: ${refused.why}, so ingress-nginx refused this whole canary Ingress (annotation validation, canary or not); it was not translated`,
          remediation: 'Fix or remove the annotation (it has no effect on a canary anyway).',
          field: annotationField(NGINX_PREFIX + refused.key),
          doc: m.doc,
          path: ['metadata', 'annotations', NGINX_PREFIX + refused.key],
        });
        for (const p of m.rules.flatMap((r) => r.paths)) {
          ctx.report({
            ruleId: 'ingress-nginx/canary-refused',
            severity: 'info',
            message: `this canary path was not translated: ingress-nginx refused the Ingress (its ${refused.key} annotation)`,
            doc: m.doc,
            path: p.at,
          });
        }
        for (const k of Object.keys(m.annotations)) if (k.startsWith(NGINX_PREFIX)) used.add(k);
        consumedByCanary.set(m, used);
        unloaded.add(m);
        continue;
      }
      if (settings) {
        canaries.push({ model: m, settings });
        consumedByCanary.set(m, used);
      } else {
        primaries.push(m);
        consumedByCanary.set(m, used);
      }
    }
    const configs = new Map(primaries.map((m) => [m, readLocationConfig(ctx, m)] as const));
    const cfgOf = (m: IngressModel): NginxLocationConfig => configs.get(m)!;
    // Regex mode is per host (nginx server), whichever Ingress of the host asked for it.
    const regexHosts = new Map<string, IngressModel>();
    const hostOwners = new Map<string, IngressModel>();
    for (const m of primaries) for (const r of m.rules) if (!hostOwners.has(`${ctx.gatewayKeyFor(m)} ${r.host}`)) hostOwners.set(`${ctx.gatewayKeyFor(m)} ${r.host}`, m);
    for (const m of primaries) {
      for (const host of regexModeHosts(m, cfgOf(m).regex, (h) => hostOwners.get(`${ctx.gatewayKeyFor(m)} ${h}`) === m)) {
        const k = `${ctx.gatewayKeyFor(m)} ${host}`;
        if (!regexHosts.has(k)) {
          regexHosts.set(k, m);
          reportRegexHost(ctx, m, host, cfgOf(m).regex);
        }
      }
    }
    // Two paths nginx writes as one prefix location: nginx refused the Ingress that brought the
    // second (per controller, i.e. ingress class).
    const canarySet = new Set(canaries.map((c) => c.model));
    const refused = new Set<IngressModel>();
    for (const cls of new Set(ingresses.map((m) => m.className))) {
      const ofClass = inControllerOrder(ingresses).filter((m) => m.className === cls && !unloaded.has(m));
      for (const m of reportDuplicateLocations(ctx, ofClass, (x) => canarySet.has(x), (x, host) => regexHosts.has(`${ctx.gatewayKeyFor(x)} ${host}`))) refused.add(m);
    }
    // A path's match depends on its host's mode; `own` carries the Ingress's own rewrite.
    const mapPath = (m: IngressModel, p: IngressPath, own: RegexSettings) =>
      regexHosts.has(`${ctx.gatewayKeyFor(m)} ${p.host}`) ? mapRegexPath(ctx, m, p, own) : plainPath(p);
    const translated = translateIngresses(ctx, primaries, {
      id: 'ingress-nginx',
      mapPath: (_c, m, p) => {
        if (p.pathType === 'Exact' && p.path === '/' && regexHosts.has(`${ctx.gatewayKeyFor(m)} ${p.host}`)) {
          // In regex mode both the host's root location and this one are `~* "^/"`; nginx keeps
          // the root location first (same path, created first) and never reaches this one.
          ctx.report({
            ruleId: 'ingress-nginx/regex-root-shadowed',
            severity: 'warning',
            message: `${p.host || 'the default server'} is in regex mode, where this Exact "/" becomes the regex ^/ just like the host's own root location, which nginx lists first and always uses (its backend is the first Ingress's defaultBackend, else the 404 default backend); this path never received requests and was not translated`,
            remediation: 'Use pathType Prefix for "/" on a host with use-regex or rewrite-target, which replaces the root location.',
            doc: m.doc,
            path: [...p.at, 'pathType'],
          });
          return undefined;
        }
        return mapPath(m, p, cfgOf(m).regex);
      },
      // ssl-redirect defaults to true (ConfigMap), force-ssl-redirect implies it.
      redirectsToHttps: (m) => cfgOf(m).sslRedirect || cfgOf(m).forceSslRedirect,
      // ConfigMap http-redirect-code defaults to 308.
      httpsRedirectCode: 308,
      exemptAcmeChallenge: true,
      hostIsolation: true,
      catchAllBeforePaths: true,
      slashRedirects: 301,
      httpsRedirectNote: HTTPS_REDIRECT_SLASH,
      tlsEntries: (c, m) => nginxTlsEntries(c, m, cfgOf(m).fromToWww, cfgOf(m).serverAliases ?? [], (h) => hostOwners.has(`${ctx.gatewayKeyFor(m)} ${h}`)),
      noSlashRedirects: (gwKey, host) => regexHosts.has(`${gwKey} ${host}`),
      decorateRoute: (c, m, route, host) => decorateRoute(c, m, cfgOf(m), route, host),
    });
    reportDefaultCertificates(ctx, primaries);
    // The unmatched paths of each host, as its first Ingress's root location handles them.
    applyHostFallback(ctx, primaries, translated, cfgOf, (gw, host) => regexHosts.has(`${gw} ${host}`));
    // Before the canaries: their rules copy the primary rule's filters.
    for (const t of translated) applyCustomHeaders(ctx, t.model, t.routes, cfgOf(t.model).consumed);
    if (ctx.target === 'envoy-gateway') {
      for (const t of translated) envoyGatewayRoutePolicies(ctx, t.model, t.routes, cfgOf(t.model).consumed);
    }
    ctx.ir.routes.push(
      ...wwwRedirects(
        ctx,
        primaries.map((m) => ({ model: m, on: cfgOf(m).fromToWww })),
        // The redirect server gets the host's certificate only when it names the other name: the
        // certificate the host's first Ingress with a tls section gives it (BuildRedirects), whose
        // names are taken to be the hosts that Ingress lists with the same Secret.
        (gw, host, twin) => {
          const decider = primaries.find((m) => ctx.gatewayKeyFor(m) === gw && m.tls.length > 0 && m.rules.some((r) => r.host === host));
          const entry = decider?.tls.find((t) => t.hosts.includes(host)) ?? decider?.tls.find((t) => t.secretName && t.hosts.some((h) => wildcardCovers(h, host)));
          if (!decider || !entry?.secretName) return false;
          return decider.tls.some((t) => t.secretName === entry.secretName && t.hosts.some((h) => h === twin || wildcardCovers(h, twin)));
        },
      ),
    );
    const mergesByClass = new Map<string | undefined, CanaryMerges>();
    applyCanaries(
      ctx,
      canaries,
      translated.flatMap((t) => t.routes),
      // A canary's own rewrite is ignored by nginx: only its path's match matters.
      (m, p) => {
        const mapped = mapPath(m, p, { useRegex: false });
        return mapped && 'match' in mapped ? mapped.match : mapped;
      },
      // One controller per ingress class, whatever Gateway the routes went to.
      (m) => {
        let merges = mergesByClass.get(m.className);
        if (!merges) {
          merges = simulateCanaryMerges(
            inControllerOrder(ingresses).filter((x) => x.className === m.className && !refused.has(x) && !unloaded.has(x)),
            (x) => canarySet.has(x),
          );
          mergesByClass.set(m.className, merges);
        }
        return merges;
      },
    );
    reportSharedUpstreams(ctx, inControllerOrder(ingresses).filter((m) => !unloaded.has(m)), (m) => canarySet.has(m));
    // Server-level names and TLS handling, once every route of every host is known: aliases
    // first (they keep HTTPS with the host's certificate even when the host is passed through).
    applyServerAliases(ctx, primaries, (m) => cfgOf(m).serverAliases, (m) => cfgOf(m).fromToWww, translated);
    applySslPassthrough(ctx, primaries, (m) => cfgOf(m).sslPassthrough, translated);
    if (ctx.target === 'envoy-gateway') {
      // Server-level TLS settings, after the aliases (they share the host's server block).
      const names = new Map<string, Set<string>>();
      for (const r of ctx.ir.routes) {
        for (const h of r.hostnames) {
          const k = `${r.gatewayKey} ${h}`;
          let set = names.get(k);
          if (!set) names.set(k, (set = new Set([h])));
          for (const x of r.hostnames) set.add(x);
        }
      }
      envoyGatewayListenerPolicies(
        ctx,
        inControllerOrder(ingresses).filter((m) => !unloaded.has(m)),
        (m) => (canarySet.has(m) ? consumedByCanary.get(m)! : cfgOf(m).consumed),
        (m) => canarySet.has(m),
        (gw, host) => [...(names.get(`${gw} ${host}`) ?? new Set([host]))].sort(),
      );
    }
    // After the canaries: their Services are reached with the primary location's TLS settings.
    const routesOf = new Map(translated.map((t) => [t.model, t.routes] as const));
    applyBackendTls(ctx, primaries, (m) => cfgOf(m).backendProtocol, (m) => routesOf.get(m) ?? [], (m) => cfgOf(m).consumed);
    for (const c of canaries) reportIgnoredOnCanary(ctx, c.model, consumedByCanary.get(c.model)!);
    return new Map(
      ingresses.map((m) => {
        const used = consumedByCanary.get(m) ?? new Set<string>();
        for (const k of configs.get(m)?.consumed ?? []) used.add(k);
        return [m, used];
      }),
    );
  },
};
