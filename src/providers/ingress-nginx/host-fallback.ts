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
import { HTTPS_REDIRECT_SLASH, redirectFilter, reportAppRootQuery, type NginxLocationConfig } from './annotations.js';
import { withoutGroups } from './regex.js';
import { NGINX_PREFIX } from './rules.js';

function coversRoot(r: RouteIntent): boolean {
  return r.rules.some((rule) => rule.matches.some((m) => m.path?.type === 'PathPrefix' && m.path.value === '/' && !m.headers?.length && !m.queryParams?.length && !m.method));
}

export function applyHostFallback(
  ctx: ProviderContext,
  primaries: readonly IngressModel[],
  translated: TranslatedIngress[],
  cfgOf: (m: IngressModel) => NginxLocationConfig,
  regexHost: (gatewayKey: string, host: string) => boolean,
): void {
  const owners = new Map<string, { model: IngressModel; at: readonly (string | number)[] }>();
  for (const m of inControllerOrder(primaries)) {
    for (const r of m.rules) {
      const k = `${ctx.gatewayKeyFor(m)} ${r.host}`;
      if (r.host !== '' && !owners.has(k)) owners.set(k, { model: m, at: r.at });
    }
  }
  // Indexed once: every host is visited once, and the routes added below are for that host only.
  const routesByHost = new Map<string, RouteIntent[]>();
  for (const t of translated) {
    for (const r of t.routes) {
      if (r.kind === 'TLSRoute') continue;
      const k = `${r.gatewayKey} ${r.hostnames[0]}`;
      const list = routesByHost.get(k);
      if (list) list.push(r);
      else routesByHost.set(k, [r]);
    }
  }
  const tlsHostsByGateway = new Map<string, Set<string>>();
  for (const t of ctx.ir.tls) {
    let hosts = tlsHostsByGateway.get(t.gatewayKey);
    if (!hosts) tlsHostsByGateway.set(t.gatewayKey, (hosts = new Set()));
    hosts.add(t.hostname);
  }
  const translatedOf = new Map(translated.map((t) => [t.model, t] as const));
  for (const [key, { model: owner, at }] of owners) {
    const gw = key.slice(0, key.indexOf(' '));
    const host = key.slice(key.indexOf(' ') + 1);
    const hostRoutes = routesByHost.get(key) ?? [];
    const cfg = cfgOf(owner);
    // The owner's defaultBackend is the root location's backend: in regex mode its rewrite applies.
    const target = cfg.regex.rewriteTarget;
    if (target !== undefined && target !== '/' && regexHost(gw, host)) {
      for (const r of hostRoutes.filter((x) => x.httpsRedirectFor === undefined)) {
        for (const rule of r.rules) {
          if (rule.backends.length === 0 || !rule.provenance.some((p) => p.object === owner.ref && p.field?.startsWith('spec.defaultBackend'))) continue;
          const path = { type: 'ReplaceFullPath', replaceFullPath: withoutGroups(target) };
          // One URLRewrite per rule: upstream-vhost may have put its hostname there already.
          const existing = rule.filters.find((f) => f.type === 'URLRewrite');
          if (existing) (existing.urlRewrite as Record<string, unknown>).path = path;
          else rule.filters.push({ type: 'URLRewrite', urlRewrite: { path } });
          if (cfg.regex.xForwardedPrefix !== undefined) rule.filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Forwarded-Prefix', value: cfg.regex.xForwardedPrefix }] } });
        }
      }
    }
    if (hostRoutes.some((r) => r.httpsRedirectFor === undefined && coversRoot(r))) continue;
    const tls = tlsHostFor(host, tlsHostsByGateway.get(gw) ?? new Set()) !== undefined;
    const t = translatedOf.get(owner)!;
    const own = t.routes.filter((r) => r.gatewayKey === gw && r.hostnames[0] === host);
    const distinct = new Set(owner.rules.map((r) => r.host)).size;
    const fallbackRule = (filter: RuleIntent['filters'][number], field: string): RuleIntent => ({
      matches: [{ path: { type: 'PathPrefix', value: '/' } }],
      backends: [],
      filters: [filter],
      provenance: [{ ...provenanceOf(owner, at), field }],
    });
    // app-root of the root location: nginx's server-level `if ($uri = /)`, on both schemes.
    if (cfg.appRoot && !hostRoutes.some((r) => r.rules.some((rule) => rule.matches.some((m) => m.path?.type === 'Exact' && m.path.value === '/')))) {
      reportAppRootQuery(ctx, owner, cfg.appRoot);
      t.routes.push({
        ...routeFor(ctx, owner, host, distinct, at),
        attach: { http: true, https: tls },
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: '/' } }],
            backends: [],
            filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: cfg.appRoot }, statusCode: 302 } }],
            provenance: [{ ...provenanceOf(owner, at), field: annotationField(NGINX_PREFIX + 'app-root') }],
          },
        ],
      });
    }
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
    if (tls && !cfg.forceSslRedirect && !hostRoutes.some((r) => r.httpsRedirectFor !== undefined)) {
      // No path of the host was translated with its redirect, so nothing said so yet.
      ctx.report({
        ruleId: 'ingress-nginx/https-redirect',
        severity: 'info',
        message: `HTTP requests for ${host} are redirected to HTTPS with 308, as ingress-nginx did for every host with a certificate (its default ssl-redirect); ${HTTPS_REDIRECT_SLASH}`,
        remediation: 'Nothing to do unless the HTTP paths must stay reachable; then say so on the Ingress (ssl-redirect "false").',
        doc: owner.doc,
        path: ['spec', 'tls'],
      });
    }
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
  // Wildcard hosts whose widening translateIngresses reported already.
  const widened = new Set([...known].filter((r) => r.hostnames[0]?.startsWith('*.')).map((r) => `${r.gatewayKey} ${r.hostnames[0]}`));
  for (const t of translated) {
    for (const r of t.routes) {
      if (known.has(r)) continue;
      ctx.ir.routes.push(r);
      const host = r.hostnames[0] ?? '';
      if (host.startsWith('*.') && !widened.has(`${r.gatewayKey} ${host}`)) {
        widened.add(`${r.gatewayKey} ${host}`);
        ctx.report({
          ruleId: 'ingress/wildcard-host-widened',
          severity: 'info',
          message: `the wildcard host ${host} matched exactly one extra label in the Ingress (${host.replace('*', 'a')}); a Gateway API hostname ${host} also matches deeper names (${host.replace('*', 'a.b')})`,
          remediation: 'If deeper names must not be routed here, list the hosts explicitly.',
          doc: t.model.doc,
          path: owners.get(`${r.gatewayKey} ${host}`)?.at ?? [],
        });
      }
    }
  }
  // A wildcard host without any route still gets its HTTPS listener, which takes deeper names.
  for (const [key, { model, at }] of owners) {
    const host = key.slice(key.indexOf(' ') + 1);
    const gw = key.slice(0, key.indexOf(' '));
    if (!host.startsWith('*.') || widened.has(key) || !tlsHostsByGateway.get(gw)?.has(host)) continue;
    widened.add(key);
    ctx.report({
      ruleId: 'ingress/wildcard-host-widened',
      severity: 'info',
      message: `the wildcard host ${host} matched exactly one extra label in the Ingress (${host.replace('*', 'a')}); the Gateway API listener for ${host} also takes deeper names (${host.replace('*', 'a.b')}), which nginx answered with its default certificate`,
      remediation: 'If deeper names must not be served here, list the hosts explicitly.',
      doc: model.doc,
      path: at,
    });
  }
}
