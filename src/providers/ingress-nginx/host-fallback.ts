/**
 * The unmatched paths of a host. ingress-nginx gives every host a root location `/` that takes
 * what no Ingress path of the host matches, and applies to it the location annotations of the
 * host's first Ingress in controller order (controller.go createServers L1363-1393,
 * locationApplyAnnotations). Unless some Ingress of the host has a Prefix path `/` (which
 * replaces that location), a permanent/temporal redirect of that Ingress answers every unmatched
 * path of the host, and its ssl-redirect (default on) redirects every unmatched HTTP request to
 * HTTPS when the host has a certificate (lua_ingress.lua checks the request's host, not the
 * location's Ingress), or always with force-ssl-redirect. Everything else the root location does
 * ends in the default backend's 404, which Gateway API answers for unmatched paths too.
 */
import type { RouteIntent, RuleIntent } from '../../ir/types.js';
import { tlsHostFor } from '../../emitters/gateway-api.js';
import type { IngressModel } from '../common/ingress-model.js';
import type { TranslatedIngress } from '../common/ingress-translator.js';
import { inControllerOrder } from '../common/ingress-translator.js';
import { annotationField, provenanceOf, routeFor } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { redirectFilter, type NginxLocationConfig } from './annotations.js';
import { NGINX_PREFIX } from './rules.js';

function coversRoot(r: RouteIntent): boolean {
  return r.rules.some((rule) => rule.matches.some((m) => m.path?.type === 'PathPrefix' && m.path.value === '/' && !m.headers?.length && !m.queryParams?.length && !m.method));
}

export function applyHostFallback(ctx: ProviderContext, primaries: readonly IngressModel[], translated: TranslatedIngress[], cfgOf: (m: IngressModel) => NginxLocationConfig): void {
  const owners = new Map<string, { model: IngressModel; at: readonly (string | number)[] }>();
  for (const m of inControllerOrder(primaries)) {
    for (const r of m.rules) {
      const k = `${ctx.gatewayKeyFor(m)} ${r.host}`;
      if (r.host !== '' && !owners.has(k)) owners.set(k, { model: m, at: r.at });
    }
  }
  const all = () => translated.flatMap((t) => t.routes);
  for (const [key, { model: owner, at }] of owners) {
    const gw = key.slice(0, key.indexOf(' '));
    const host = key.slice(key.indexOf(' ') + 1);
    const hostRoutes = all().filter((r) => r.gatewayKey === gw && r.hostnames[0] === host && r.kind !== 'TLSRoute');
    if (hostRoutes.some((r) => r.httpsRedirectFor === undefined && coversRoot(r))) continue;
    const cfg = cfgOf(owner);
    const tls = tlsHostFor(host, new Set(ctx.ir.tls.filter((t) => t.gatewayKey === gw).map((t) => t.hostname))) !== undefined;
    const t = translated.find((x) => x.model === owner)!;
    const own = t.routes.filter((r) => r.gatewayKey === gw && r.hostnames[0] === host);
    const distinct = new Set(owner.rules.map((r) => r.host)).size;
    const fallbackRule = (filter: RuleIntent['filters'][number], field: string): RuleIntent => ({
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backends: [],
      filters: [filter],
      provenance: [{ ...provenanceOf(owner, at), field }],
    });
    if (cfg.redirect) {
      const rule = fallbackRule(redirectFilter(cfg.redirect), annotationField(NGINX_PREFIX + cfg.redirect.key));
      const main = own.find((r) => r.httpsRedirectFor === undefined && r.kind === 'HTTPRoute');
      if (main) main.rules.push(rule);
      else t.routes.push({ ...routeFor(ctx, owner, host, distinct, at), attach: { http: true, https: tls }, rules: [rule] });
      continue;
    }
    if (!(cfg.forceSslRedirect || (cfg.sslRedirect && tls))) continue;
    const rule = fallbackRule({ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 308 } }, annotationField(NGINX_PREFIX + (cfg.forceSslRedirect ? 'force-ssl-redirect' : 'ssl-redirect')));
    // The HTTP side of the host: the owner's redirect twin, or its HTTP-only route.
    const http = own.find((r) => r.kind === 'HTTPRoute' && r.attach.http && !r.attach.https && (r.httpsRedirectFor !== undefined || !tls));
    if (http) {
      http.rules.push(rule);
      continue;
    }
    const base = routeFor(ctx, owner, host, distinct, at);
    t.routes.push({
      ...base,
      name: tls ? `${base.name}-https-redirect` : base.name,
      attach: { http: true, https: false },
      ...(tls ? { httpsRedirectFor: base.name } : {}),
      rules: [rule],
    });
  }
  // New routes join the IR (translateIngresses already pushed the others).
  const known = new Set(ctx.ir.routes);
  for (const r of all()) if (!known.has(r)) ctx.ir.routes.push(r);
}
