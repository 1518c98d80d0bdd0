/**
 * Which findings of the Traefik translation explain which differences between the Traefik model
 * (src/verify/sources/traefik/) and the Gateway API model. Same contract as the table of
 * explain.ts: an allowed rule id, about an object one model used in the named role, at that very
 * field for 'field' precision, when the condition holds.
 */
import type { ExplainContext, ExplanationRule } from './explain.js';
import { pathPrefixMatches } from './http.js';
import type { HeaderEdits, Involvement } from './types.js';

const redirectPair = (c: ExplainContext, pairs: [number, number][]): boolean =>
  c.source.kind === 'redirect' && c.gateway.kind === 'redirect' && pairs.some(([s, g]) => (c.source as { status: number }).status === s && (c.gateway as { status: number }).status === g);

/** The request headers of both outcomes agree once `names` are left out. */
function headersAgreeWithout(c: ExplainContext, names: readonly string[]): boolean {
  if (c.source.kind !== 'forward' || c.gateway.kind !== 'forward') return false;
  const strip = (h: HeaderEdits) => JSON.stringify(Object.entries(h).filter(([k]) => !names.includes(k)).sort());
  return strip(c.source.requestHeaders) === strip(c.gateway.requestHeaders);
}

/** A PathPrefix router (`inv.value` "PathPrefix p") that matched the request as a string prefix only. */
function stringPrefixOnly(c: ExplainContext, inv: Involvement): boolean {
  const p = inv.value?.startsWith('PathPrefix ') ? inv.value.slice('PathPrefix '.length) : undefined;
  return p !== undefined && p !== '/' && c.probe.path.startsWith(p) && !pathPrefixMatches(p.replace(/\/+$/, '') || '/', c.probe.path);
}

export const TRAEFIK_EXPLANATION_RULES: readonly ExplanationRule[] = [
  {
    ruleIds: ['traefik/prefix-match'],
    roles: ['router'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => stringPrefixOnly(c, inv),
    why: 'Traefik\u2019s PathPrefix is a plain string prefix: the router took a path that only shares characters with its prefix, which a Gateway API PathPrefix does not match',
  },
  {
    ruleIds: ['traefik/prefix-match'],
    roles: ['router-bare-prefix'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'Traefik\u2019s PathPrefix("/foo/") does not match /foo, which the Gateway API PathPrefix /foo/ does',
  },
  {
    ruleIds: ['traefik/prefix-match'],
    roles: ['middleware'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => {
      const p = inv.value?.startsWith('stripPrefix ') ? inv.value.slice('stripPrefix '.length) : undefined;
      return p !== undefined && !p.endsWith('/') && !pathPrefixMatches(p, c.probe.path);
    },
    why: 'the stripPrefix prefix is a string prefix in Traefik; the rule split off for it matches whole path segments',
  },
  {
    ruleIds: ['traefik/priority'],
    roles: ['shadowed-router'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'a router of higher priority (the longer rule, or router.priority) took the request in Traefik; Gateway API ranks by hostname and path and picks this path',
  },
  {
    ruleIds: ['traefik/redirect-status'],
    roles: ['middleware'],
    precision: 'field',
    covers: ['status'],
    applies: (c) => redirectPair(c, [[301, 308], [302, 307]]),
    why: 'Traefik answers GET with 301/302 and other methods with 308/307; the Gateway API redirect has the method-preserving status for all',
  },
  {
    ruleIds: ['traefik/redirect-query'],
    roles: ['middleware'],
    precision: 'field',
    covers: ['location'],
    applies: (c) => c.source.kind === 'redirect' && c.gateway.kind === 'redirect' && c.source.location.split('?')[0] === c.gateway.location.split('?')[0],
    why: 'the redirect Traefik built dropped the query string; a Gateway API redirect keeps it',
  },
  {
    ruleIds: ['traefik/replace-path-header'],
    roles: ['middleware'],
    precision: 'field',
    covers: ['request-headers'],
    applies: (c) => headersAgreeWithout(c, ['x-replaced-path']),
    why: 'a header modifier cannot copy the original path into X-Replaced-Path',
  },
  {
    ruleIds: ['traefik/entrypoint-redirect'],
    roles: ['entrypoint-redirect'],
    precision: 'object',
    covers: ['status'],
    applies: (c) => redirectPair(c, [[301, 308]]),
    why: 'the entry point redirection answers GET with 301 and other methods with 308; the Gateway API redirect uses 308 for all',
  },
  {
    ruleIds: ['traefik/no-certificate', 'traefik/router.tls.certresolver', 'traefik/https-without-host'],
    roles: ['host-rule', 'cert-resolver', 'default-router'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.probe.scheme === 'https' && c.gateway.kind === 'tls-failure',
    why: 'Traefik served the host over HTTPS with a certificate that is not in a Secret of the input (an ACME resolver, its store, or any SNI); there is no HTTPS listener for it',
  },
  {
    ruleIds: ['traefik/https-without-host'],
    roles: ['default-router', 'host-rule'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => c.probe.scheme === 'https' && (inv.role === 'default-router' || inv.value === '') && (c.gateway.kind === 'respond' || c.gateway.kind === 'tls-failure'),
    why: 'Traefik served the host-less router over HTTPS for any SNI; a Gateway API HTTPS listener needs a hostname, so it is served on HTTP only',
  },
  {
    ruleIds: ['traefik/wildcard-https-listener'],
    roles: ['host-rule'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => c.probe.scheme === 'https' && (inv.value?.startsWith('*.') ?? false) && c.gateway.kind === 'respond',
    why: 'a wildcard router answered a name that has an HTTPS listener of its own on the Gateway, to which the wildcard route is not attached',
  },
  {
    ruleIds: ['ingress/duplicate-path'],
    roles: ['router', 'shadowed-router'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'another Ingress defines the same host and path; the translation kept one of the two routers, Traefik answered with the one of higher priority',
  },
  {
    ruleIds: ['traefik/no-certificate'],
    roles: ['router', 'host-rule'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.probe.scheme === 'https' && (c.gateway.kind === 'tls-failure' || c.gateway.kind === 'respond'),
    why: 'the router’s path is served nowhere over HTTPS (no Secret for its host), while Traefik answered it with a certificate of its store for this name',
  },
  {
    ruleIds: ['traefik/default-backend-conflict'],
    roles: ['default-router', 'skipped-path', 'other-entrypoint-router'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'Traefik has one global default backend; which of two Ingresses defined it depended on its informer, the translation kept the other one',
  },
  {
    ruleIds: ['traefik/service.passhostheader'],
    roles: ['pass-host-header'],
    precision: 'field',
    covers: ['host'],
    applies: () => true,
    why: 'Traefik sent the server address as Host; Gateway API sends the client\u2019s Host',
  },
  {
    ruleIds: ['traefik/middleware-broken', 'traefik/path-not-served'],
    roles: ['broken-router-cause', 'broken-router'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'Traefik could not build the router\u2019s middlewares and served none of its requests',
  },
  {
    ruleIds: ['traefik/ingress-skipped', 'traefik/router.pathmatcher', 'traefik/path-skipped', 'traefik/path-not-served'],
    roles: ['skipped-path', 'skipped-annotation'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'Traefik skipped the path (or the whole Ingress) and the translation left it out too, or took it where Traefik had another router',
  },
];
