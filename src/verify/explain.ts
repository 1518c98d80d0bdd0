/**
 * Whether a finding of the conversion explains a difference. Conservative: a difference is
 * unexplained unless a finding
 *  1. has a rule id that this table allows for the kind of difference,
 *  2. is about an object one of the two models used to reach its outcome, in the role the table
 *     names (the location that answered, the annotation that put the host in regex mode, the
 *     canary, the certificate, ...), and
 *  3. for 'field' precision, points at that very annotation or path (its field, or a position
 *     inside that part of the source document).
 * Each entry says why the finding accounts for the difference.
 */
import type { Finding, ObjectRef, SourcePosition } from '../findings/finding.js';
import { ALB_EXPLANATION_RULES } from './explain-alb.js';
import { TRAEFIK_EXPLANATION_RULES } from './explain-traefik.js';
import { pathPrefixMatches } from './http.js';
import { pcre } from './regex.js';
import type { Aspect, Explanation, Involvement, Outcome, Probe } from './types.js';

export interface ExplainContext {
  probe: Probe;
  source: Outcome;
  gateway: Outcome;
  aspects: Aspect[];
}

export interface ExplanationRule {
  ruleIds: readonly string[];
  roles: readonly string[];
  precision: 'field' | 'object';
  /** The aspects of a difference the finding can account for. */
  covers: readonly Aspect[] | 'all';
  /** Whether the finding accounts for this difference (its covered aspects). */
  applies(c: ExplainContext, inv: Involvement): boolean;
  /** Why (documentation). */
  why: string;
  /** A further condition on the finding itself (what it says about which requests). */
  finding?: (f: Finding, c: ExplainContext) => boolean;
}

const stripSlash = (l: string) => l.replace(/\/(\?|$)/, '$1');
const redirects = (c: ExplainContext) => c.source.kind === 'redirect' && c.gateway.kind === 'redirect';

/** Redirect Locations that differ only by the trailing '/' nginx strips. */
function trailingSlashOnly(c: ExplainContext): boolean {
  if (c.source.kind !== 'redirect' || c.gateway.kind !== 'redirect') return false;
  return stripSlash(c.source.location) === stripSlash(c.gateway.location) || c.source.location.replace(/\/$/, '') === c.gateway.location.replace(/\/$/, '');
}

/** A host more than one label deeper than the wildcard host `inv.value` (`*.example.com`). */
function deeperThanWildcard(host: string, inv: Involvement): boolean {
  const w = inv.value;
  if (!w?.startsWith('*.') || !host.endsWith(w.slice(1))) return false;
  return host.slice(0, host.length - w.length + 1).includes('.');
}

/**
 * Whether a Gateway match value can stand for the nginx location path `p` in regex mode: the
 * path itself, or the prefix of `/prefix(/|$)(.*)` and `/prefix/(.*)` (without a final '/').
 */
function sameLocation(p: string, gw: string): boolean {
  const trim = (x: string) => (x.length > 1 && x.endsWith('/') ? x.slice(0, -1) : x);
  const prefix = /^(\/[^()|$]*?)\(\/\|\$\)\(\.\*\)$/.exec(p)?.[1] ?? /^(\/[^()|$]*\/)\(\.\*\)$/.exec(p)?.[1];
  return gw === p || (prefix !== undefined && gw === trim(prefix));
}

export const EXPLANATION_RULES: readonly ExplanationRule[] = [
  {
    ruleIds: ['ingress/wildcard-host-widened'],
    roles: ['wildcard-host'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => deeperThanWildcard(c.probe.host, inv),
    why: 'ingress-nginx matches a wildcard host one label deep, a Gateway API wildcard any number of labels: requests for deeper names differ',
  },
  {
    ruleIds: ['ingress-nginx/regex-host'],
    roles: ['regex-mode'],
    precision: 'field',
    covers: 'all',
    applies: (c) => {
      // The Gateway matched a PathPrefix that nginx's `~* "^<path>"` does not match (a path
      // ending in '/' requires it, where PathPrefix ignores a trailing '/').
      const gw = c.gateway.involved.find((i) => i.role === 'route-match' && i.value?.startsWith('PathPrefix '))?.value?.slice('PathPrefix '.length);
      if (gw !== undefined && pathPrefixMatches(gw, c.probe.path) && pcre(`^${gw}`, true)?.test(c.probe.path) === false) return true;
      const loc = c.source.involved.find((i) => i.role === 'location' || i.role === 'host-default');
      const p = loc?.value;
      if (p === undefined) return false;
      // nginx tried the regex locations longest path first, where the Gateway ranks the
      // translated prefixes by their own length: a longer regex path can win over a longer prefix.
      const gwMatch = c.gateway.involved.find((i) => i.role === 'route-match')?.value?.replace(/^\S+ /, '');
      if (gwMatch !== undefined && p.length > gwMatch.length && !sameLocation(p, gwMatch) && c.source.kind === 'forward' && c.gateway.kind === 'forward') return true;
      // nginx matched the request where a case-sensitive, segment-wise prefix of a literal path
      // would not, or only thanks to the case-insensitivity of a regex path.
      if (/^\/[-A-Za-z0-9._~!&'+,;=:@%/]*$/.test(p)) return !pathPrefixMatches(p, c.probe.path);
      const caseSensitive = pcre(`^${p}`);
      return caseSensitive !== undefined && !caseSensitive.test(c.probe.path);
    },
    why: 'in regex mode every path of the host is a case-insensitive regex anchored at the start only; the translation matches case-sensitive path segments',
  },
  {
    ruleIds: ['ingress-nginx/regex-path', 'ingress-nginx/regex-not-expressible', 'ingress/invalid-path', 'ingress-nginx/grpc-path'],
    roles: ['location', 'slash-redirect'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'the path was not translated, or became a RegularExpression match whose semantics are implementation-specific',
  },
  {
    ruleIds: ['ingress-nginx/regex-path'],
    roles: ['route-source'],
    precision: 'object',
    covers: 'all',
    applies: (c) => c.gateway.involved.some((i) => i.role === 'route-match' && i.value?.startsWith('RegularExpression ')),
    why: 'the Gateway answered from a RegularExpression rule of this Ingress, whose precedence among the other rules is implementation-specific (nginx tried its regex locations longest first)',
  },
  {
    ruleIds: ['ingress/duplicate-path'],
    roles: ['location'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'nginx answered from a location whose path the translation left out as a duplicate of another path',
  },
  {
    ruleIds: ['ingress-nginx/regex-prefix-bare'],
    roles: ['route-source'],
    precision: 'object',
    covers: 'all',
    applies: (c) => c.gateway.involved.some((i) => i.role === 'route-match' && i.value === `PathPrefix ${c.probe.path}`),
    why: 'the PathPrefix also takes the bare prefix, which the nginx regex required a "/" after',
  },
  {
    ruleIds: ['ingress-nginx/https-redirect', 'ingress-nginx/preserve-trailing-slash'],
    roles: ['ssl-redirect', 'force-ssl-redirect', 'certificate', 'host-ingress'],
    precision: 'object',
    covers: ['location'],
    applies: (c) => trailingSlashOnly(c),
    why: 'ingress-nginx drops the trailing "/" from the path of its HTTPS redirect; Gateway API redirects keep the path',
  },
  {
    ruleIds: ['ingress-nginx/from-to-www-redirect'],
    roles: ['www-redirect'],
    precision: 'field',
    covers: ['location'],
    applies: (c) => trailingSlashOnly(c),
    why: 'the www redirect server drops the trailing "/" of the path',
  },
  {
    ruleIds: ['ingress-nginx/from-to-www-redirect'],
    roles: ['www-redirect'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.probe.scheme === 'https',
    why: 'the www redirect server answers HTTPS only with a certificate for the other name',
  },
  {
    ruleIds: ['ingress-nginx/fixed-redirect-query', 'ingress-nginx/permanent-redirect', 'ingress-nginx/temporal-redirect', 'ingress-nginx/app-root'],
    roles: ['redirect-annotation', 'app-root'],
    precision: 'field',
    covers: ['location'],
    applies: (c) => redirects(c) && (c.source as { location: string }).location.split('?')[0] === (c.gateway as { location: string }).location.split('?')[0],
    why: 'nginx answers with the URL as written (no request query, its own query kept); a Gateway API redirect keeps the request\u2019s query string and cannot set one',
  },
  {
    ruleIds: ['ingress-nginx/permanent-redirect-code', 'ingress-nginx/temporal-redirect-code'],
    roles: ['redirect-code'],
    precision: 'field',
    covers: ['status'],
    applies: (c) => redirects(c),
    why: 'the redirect status nginx used is not one Gateway API redirects can have',
  },
  {
    ruleIds: ['ingress/catch-all-reaches-hosts', 'ingress/wildcard-reaches-hosts'],
    roles: ['route-source'],
    precision: 'object',
    covers: 'all',
    applies: (c) => c.source.involved.some((i) => i.role === 'host-default'),
    why: 'host-less rules also take requests for named hosts whose own rules do not match; nginx answered those from the host\u2019s server',
  },
  {
    ruleIds: ['core/grpc-http-route-conflict'],
    roles: ['rejected-route-source', 'route-source'],
    precision: 'object',
    covers: 'all',
    applies: (c) => c.gateway.involved.some((i) => i.role === 'rejected-route'),
    why: 'an HTTPRoute and a GRPCRoute share hostnames on a listener: Gateway API accepts only one of them',
  },
  {
    ruleIds: ['core/host-split-across-gateways'],
    roles: ['split-gateways'],
    precision: 'object',
    covers: 'all',
    applies: () => true,
    why: 'the host is served by several Gateways, which answer differently',
  },
  {
    ruleIds: ['ingress/tls-without-secret', 'ingress/tls-without-hosts', 'ingress/tls-conflict', 'ingress-nginx/default-certificate'],
    roles: ['certificate'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'ingress-nginx served the host with another (or the default) certificate and redirected it to HTTPS',
  },
  {
    ruleIds: ['ingress-nginx/server-alias', 'ingress-nginx/invalid-value'],
    roles: ['alias'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'ingress-nginx served an alias with the host\u2019s certificate only when the certificate named it',
  },
  {
    ruleIds: ['ingress-nginx/ssl-passthrough'],
    roles: ['passthrough'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'TLS passthrough as the finding describes it',
  },
  {
    ruleIds: ['ingress-nginx/canary'],
    roles: ['canary-upstream'],
    precision: 'field',
    covers: ['backends', 'weights'],
    applies: () => true,
    why: 'ingress-nginx applies a canary to its primary Service\u2019s upstream, whichever location uses it',
  },
  {
    ruleIds: ['ingress-nginx/canary-without-primary'],
    roles: ['canary-deleted'],
    precision: 'field',
    covers: ['backends', 'weights'],
    applies: () => true,
    why: 'nginx deleted the canary\u2019s upstream because one of its paths had no primary, so the canary had no effect anywhere',
  },
  {
    ruleIds: ['ingress-nginx/canary-default-backend', 'ingress-nginx/canary-not-merged'],
    roles: ['canary', 'canary-upstream'],
    precision: 'field',
    covers: ['backends', 'weights'],
    applies: () => true,
    why: 'a canary that the translation left out (a defaultBackend, or one whose primary path was not translated or went to another Gateway) splits its primary upstream in nginx, at every location that uses it',
  },
  {
    ruleIds: ['ingress-nginx/canary-shared-upstream'],
    roles: ['location', 'slash-redirect', 'dropped-path', 'regex-mode-location', 'app-root-location', 'www-redirect-location', 'canary-primary', 'canary', 'canary-upstream'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'a canary and another Ingress share a Service port: nginx gave the canary\u2019s paths locations, or took them from the other Ingress',
  },
  {
    ruleIds: ['ingress-nginx/grpc-filter'],
    roles: ['grpc'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.source.involved.some((i) => i.role === 'app-root'),
    why: 'nginx answered with the app-root redirect of a gRPC Ingress, which has no GRPCRoute form and was left out',
  },
  {
    ruleIds: ['ingress-nginx/grpc-filter'],
    roles: ['grpc'],
    precision: 'field',
    covers: ['path', 'host', 'mirrors'],
    applies: () => true,
    why: 'GRPCRoute has no URLRewrite or RequestMirror filter: rewrites and mirrors of gRPC locations were left out',
  },
  {
    ruleIds: ['ingress-nginx/grpc-filter'],
    roles: ['grpc'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.source.kind === 'redirect' && c.gateway.kind !== 'redirect',
    why: 'GRPCRoute has no RequestRedirect: the redirects of gRPC locations (app-root, permanent or temporal redirects) were left out',
  },
  {
    ruleIds: ['ingress-nginx/custom-headers'],
    roles: ['custom-headers'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'the custom-headers ConfigMap could not be used as nginx used it',
  },
  {
    ruleIds: ['ingress-nginx/mirror-target', 'ingress-nginx/mirror-host'],
    roles: ['mirror'],
    precision: 'field',
    covers: ['mirrors'],
    applies: () => true,
    why: 'the mirror target has no RequestMirror equivalent',
  },
  {
    ruleIds: ['ingress-nginx/upstream-vhost'],
    roles: ['upstream-vhost'],
    precision: 'field',
    covers: ['host'],
    applies: () => true,
    why: 'the upstream Host header could not be translated',
  },
  {
    ruleIds: ['ingress-nginx/x-forwarded-prefix'],
    roles: ['x-forwarded-prefix'],
    precision: 'field',
    covers: ['request-headers'],
    applies: () => true,
    why: 'the X-Forwarded-Prefix value could not be translated',
  },
  {
    ruleIds: ['ingress-nginx/auth-type', 'ingress-nginx/auth-secret'],
    roles: ['auth'],
    precision: 'field',
    covers: ['request-headers'],
    applies: () => true,
    why: 'nginx cleared the Authorization header of authenticated locations; the authentication was not translated as nginx had it',
  },
  {
    ruleIds: ['ingress-nginx/force-ssl-redirect'],
    roles: ['force-ssl-redirect'],
    precision: 'field',
    covers: ['location'],
    applies: (c) => trailingSlashOnly(c),
    why: 'ingress-nginx drops the trailing "/" from the path of its HTTPS redirect; Gateway API redirects keep the path',
  },
  {
    ruleIds: ['ingress-nginx/force-ssl-redirect'],
    roles: ['force-ssl-redirect'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.probe.scheme === 'https',
    why: 'nginx answered HTTPS for the host with its default certificate; the Gateway has no HTTPS listener for it',
  },
  {
    ruleIds: ['ingress-nginx/invalid-value', 'ingress-nginx/server-alias', 'ingress-nginx/ssl-passthrough', 'ingress-nginx/x-forwarded-prefix', 'ingress-nginx/upstream-vhost', 'ingress-nginx/permanent-redirect', 'ingress-nginx/temporal-redirect'],
    roles: ['rejected'],
    precision: 'field',
    covers: 'all',
    applies: () => true,
    why: 'ingress-nginx refused the whole Ingress because of this annotation; the translation kept its paths',
  },
  {
    ruleIds: ['ingress-nginx/duplicate-location'],
    roles: ['rejected'],
    precision: 'object',
    covers: 'all',
    applies: () => true,
    why: 'nginx refused the whole Ingress for a duplicate location (whichever of its paths the finding names); the translation kept its paths',
  },
  {
    ruleIds: ['core/parent-ref-tls'],
    roles: ['certificate', 'ssl-redirect', 'location', 'host-default'],
    precision: 'object',
    covers: 'all',
    applies: () => true,
    why: 'with --parent-ref the existing Gateway has to provide the HTTPS listener and the redirect',
  },
];

/** `prefix /api` of an Istio uri match (the value of an Istio model involvement). */
function istioUri(inv: Involvement): { type: string; value: string } | undefined {
  const m = /^(exact|prefix|regex) (.*)$/.exec(inv.value ?? '');
  return m ? { type: m[1]!, value: m[2]! } : undefined;
}

const trimSlash = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);

/** Whether the Gateway answered from the match an Istio route's uri match became (none: PathPrefix /). */
function sameMatch(c: ExplainContext, inv: Involvement): boolean {
  const gw = c.gateway.involved.find((i) => i.role === 'route-match')?.value;
  const u = istioUri(inv) ?? { type: 'prefix', value: '/' };
  const kind = u.type === 'exact' ? 'Exact' : u.type === 'prefix' ? 'PathPrefix' : 'RegularExpression';
  return gw !== undefined && (gw === `${kind} ${u.value}` || (kind === 'PathPrefix' && trimSlash(gw) === `PathPrefix ${trimSlash(u.value)}`));
}

/** Whether the Gateway answered from a rule of the same VirtualService with a path inside the Istio match's path. */
function withinMatch(c: ExplainContext, inv: Involvement): boolean {
  if (!c.gateway.involved.some((i) => i.role === 'route-source' && i.object.kind === inv.object.kind && i.object.name === inv.object.name && (i.object.namespace ?? 'default') === (inv.object.namespace ?? 'default'))) return false;
  const gw = /^(\S+) (.*)$/.exec(c.gateway.involved.find((i) => i.role === 'route-match')?.value ?? '');
  if (!gw) return false;
  const u = istioUri(inv) ?? { type: 'prefix', value: '/' };
  const [, kind, value] = gw;
  if (u.type === 'prefix') return (kind === 'Exact' || kind === 'PathPrefix') && value!.startsWith(u.value);
  return (kind === 'Exact' && u.type === 'exact' && value === u.value) || (kind === 'RegularExpression' && u.type === 'regex' && value === u.value);
}

/** Explanations of the Istio model's differences (src/verify/sources/istio). */
export const ISTIO_EXPLANATION_RULES: readonly ExplanationRule[] = [
  {
    // Several Istio Gateways with one selector are one proxy: one address, their servers and
    // virtual hosts merged. Each becomes a Gateway with an address of its own, and the request
    // the proxy answered reaches Gateways that answer it differently.
    ruleIds: ['istio/gateway.selector'],
    roles: ['server'],
    precision: 'object',
    covers: 'all',
    applies: (c) => (c.probe.gateways?.length ?? 0) > 1 && c.gateway.involved.some((i) => i.role === 'split-gateways'),
    why: 'the Istio Gateways of this request shared one proxy (same selector); in Gateway API each is a Gateway with its own address, and they answer this request differently',
  },
  {
    ruleIds: ['istio/virtual-service.http.match.uri'],
    roles: ['uri-match'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => {
      const u = istioUri(inv);
      return u?.type === 'prefix' && c.probe.path.startsWith(u.value) && !pathPrefixMatches(u.value, c.probe.path);
    },
    why: 'Istio took the request by a plain string prefix (/api matches /apix, /api/ does not match /api); the PathPrefix the prefix became matches whole segments',
  },
  {
    ruleIds: ['istio/virtual-service.http.match.uri'],
    roles: ['skipped-match', 'later-match'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => {
      const u = istioUri(inv);
      const gw = c.gateway.involved.find((i) => i.role === 'route-match')?.value;
      return u?.type === 'prefix' && !c.probe.path.startsWith(u.value) && pathPrefixMatches(u.value, c.probe.path) && gw !== undefined && trimSlash(gw) === `PathPrefix ${trimSlash(u.value)}`;
    },
    why: 'the Gateway took the request by the PathPrefix an Istio prefix became, which Istio’s string prefix did not match (a prefix ending in "/" against the path without it)',
  },
  {
    ruleIds: ['istio/virtual-service.http.match.uri'],
    roles: ['uri-match', 'skipped-match', 'also-matches', 'later-match'],
    precision: 'field',
    covers: 'all',
    applies: (c, inv) => {
      const u = istioUri(inv);
      if (u?.type !== 'regex') return false;
      const gw = c.gateway.involved.find((i) => i.role === 'route-match')?.value;
      // Istio answered from the regex, or the Gateway answered from the RegularExpression it became.
      return inv.role === 'uri-match' || gw === `RegularExpression ${u.value}`;
    },
    why: 'a regex path became a RegularExpression match, whose precedence against the other matches is implementation-specific',
  },
  {
    ruleIds: ['istio/rule-order'],
    roles: ['also-matches'],
    precision: 'field',
    covers: 'all',
    // The Gateway answered from the match that later route became (same kind and value; a route
    // without a uri match is PathPrefix /).
    applies: (c, inv) => sameMatch(c, inv),
    // The finding is about the requests of the route Istio answered from ("Istio gave ... to http[i]").
    finding: (f, c) => {
      const i = c.source.involved.find((x) => x.role === 'http-route')?.value;
      return i !== undefined && f.message.includes(`to http[${i}],`);
    },
    why: 'Istio answered from the first route that matches; the finding names the later route Gateway API’s precedence now ranks higher for these requests',
  },
  {
    ruleIds: ['istio/virtual-service.http.route.destination.subset', 'istio/virtual-service.tls.route.destination.subset', 'istio/virtual-service.tcp.route.destination.subset'],
    roles: ['destination'],
    precision: 'field',
    covers: ['backends'],
    // The Gateway sends to the Service the finding names for each subset (<service>-<subset>),
    // and to the same other backends: only the names differ.
    applies: (c, inv) => {
      if (!inv.value?.includes('~') || (c.source.kind !== 'forward' && c.source.kind !== 'passthrough') || (c.gateway.kind !== 'forward' && c.gateway.kind !== 'passthrough')) return false;
      const key = (service: string, port: number | string) => `${service.replace('~', '-')}:${port}`;
      const s = c.source.backends.map((b) => key(b.service, b.port)).sort();
      const g = c.gateway.backends.map((b) => key(b.service, b.port)).sort();
      return s.length === g.length && s.every((x, i) => x === g[i]);
    },
    why: 'Gateway API has no subsets: the backendRef names a Service to create for the subset (<service>-<subset>, from the DestinationRule labels)',
  },
  {
    ruleIds: ['istio/partial-service-host', 'istio/external-destination', 'istio/unknown-destination', 'istio/destination-port', 'istio/invalid-destination', 'istio/mesh-host-not-service'],
    roles: ['destination'],
    precision: 'field',
    covers: ['backends', 'weights', 'outcome', 'status'],
    // The Gateway lacks the backend (no usable backend: 500) or names another one.
    applies: (c) => (c.gateway.kind === 'respond' && c.gateway.status === 500) || c.gateway.kind === 'forward' || c.gateway.kind === 'passthrough',
    why: 'the destination is not a Service Gateway API can name as Istio named it (a partial name Istio did not resolve, a ServiceEntry host, a missing port)',
  },
  {
    ruleIds: ['istio/virtual-service.http.match.without-headers', 'istio/virtual-service.http.match.authority', 'istio/virtual-service.http.match.scheme', 'istio/virtual-service.http.match.source-labels', 'istio/virtual-service.http.match.source-namespace'],
    roles: ['skipped-match', 'later-match'],
    precision: 'field',
    covers: 'all',
    // A match Istio skipped for a condition the translation left out (the match got broader),
    // and the Gateway answered from a rule of the same VirtualService whose path lies within
    // that match's (the match it became, or an overlap the translation gave it).
    applies: (c, inv) => sameMatch(c, inv) || withinMatch(c, inv),
    why: 'the condition has no Gateway API equivalent and was left out: the match takes requests Istio excluded',
  },
  {
    ruleIds: ['istio/virtual-service.http.rewrite.uri', 'istio/virtual-service.http.rewrite.uri-regex-rewrite'],
    roles: ['http-route'],
    precision: 'field',
    covers: ['path'],
    applies: (c) => c.source.kind === 'forward' && c.gateway.kind === 'forward',
    why: 'Istio rewrites the matched prefix character by character (or by regex); Gateway API replaces whole segments, or cannot rewrite by regex',
  },
  {
    ruleIds: ['istio/virtual-service.http.match.ignore-uri-case'],
    roles: ['http-match'],
    precision: 'field',
    covers: 'all',
    // Istio matched the path only thanks to ignoreUriCase.
    applies: (c) => {
      const u = c.source.involved.find((i) => i.role === 'uri-match');
      const m = u && istioUri(u);
      if (!m) return false;
      return m.type === 'prefix' ? !c.probe.path.startsWith(m.value) : m.type === 'exact' ? c.probe.path !== m.value : false;
    },
    why: 'ignoreUriCase has no Gateway API equivalent: the path match stayed case-sensitive',
  },
  {
    ruleIds: ['istio/merged-virtual-services'],
    roles: ['route-source', 'http-route'],
    precision: 'object',
    covers: 'all',
    // Istio answered from one VirtualService of the host, the Gateway from another's route.
    applies: (c) => {
      const s = c.source.involved.find((i) => i.role === 'http-route')?.object;
      const g = c.gateway.involved.find((i) => i.role === 'route-source' && i.object.kind === 'VirtualService')?.object;
      return s !== undefined && g !== undefined && (s.name !== g.name || s.namespace !== g.namespace);
    },
    why: 'Istio concatenated the routes of the VirtualServices of one host in creation order (first match wins across them); Gateway API ranks the rules of their HTTPRoutes by specificity',
  },
  {
    ruleIds: ['istio/wildcard-reaches-hosts'],
    roles: ['route-source'],
    precision: 'object',
    covers: 'all',
    // Istio answered 404 from the named host's virtual host; the Gateway from a rule of another
    // VirtualService whose wildcard (or `*`) hostnames also match.
    applies: (c, inv) => c.source.kind === 'respond' && c.source.status === 404 && !c.source.involved.some((i) => i.role === 'virtual-service' && i.object.name === inv.object.name && i.object.namespace === inv.object.namespace),
    why: 'Istio gives a request to the virtual host of its most specific name only; Gateway API also ranks the rules of routes with wildcard hostnames matching it',
  },
  {
    ruleIds: ['istio/virtual-service.tls.match.sni-hosts'],
    roles: ['tls-route'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.source.kind === 'passthrough' && c.gateway.kind === 'tls-failure',
    why: 'an SNI host TLSRoute hostnames cannot hold (`*`) was left out, so the Gateway has no route for those names',
  },
  {
    ruleIds: ['istio/virtual-service.http.direct-response'],
    roles: ['http-route'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.source.kind === 'respond' && c.source.via.startsWith('directResponse'),
    why: 'Gateway API has no direct response: the rule keeps its matches without a backend (500)',
  },
  {
    ruleIds: ['istio/virtual-service.http.fault'],
    roles: ['http-route'],
    precision: 'field',
    covers: 'all',
    applies: (c) => c.source.kind === 'respond' && c.source.via.startsWith('fault abort'),
    why: 'fault injection was not translated: Istio aborted these requests',
  },
];

export type Locator = (object: ObjectRef, path: readonly (string | number)[]) => ReadonlySet<string> | undefined;

export function positionKey(p: SourcePosition): string {
  return `${p.file}:${p.line}:${p.column}`;
}

function sameObject(a: ObjectRef | undefined, b: ObjectRef): boolean {
  return a !== undefined && a.kind === b.kind && (a.namespace ?? 'default') === (b.namespace ?? 'default') && a.name === b.name;
}

function pointsAt(f: Finding, inv: Involvement, locate: Locator): boolean {
  if (!inv.path) return true;
  if (inv.path[0] === 'metadata' && inv.path[1] === 'annotations' && typeof inv.path[2] === 'string') {
    return f.field === `metadata.annotations[${inv.path[2]}]`;
  }
  if (!f.position) return false;
  return locate(inv.object, inv.path)?.has(positionKey(f.position)) ?? false;
}

/**
 * The findings that explain one difference: every aspect that differs must be accounted for by
 * some finding; otherwise nothing explains it (empty).
 */
export function explain(c: ExplainContext, findings: readonly Finding[], locate: Locator): Explanation[] {
  const involved = [...c.source.involved, ...c.gateway.involved];
  const out: Explanation[] = [];
  const seen = new Set<Finding>();
  const covered = new Set<Aspect>();
  for (const rule of [...EXPLANATION_RULES, ...TRAEFIK_EXPLANATION_RULES, ...ALB_EXPLANATION_RULES, ...ISTIO_EXPLANATION_RULES]) {
    for (const inv of involved) {
      if (!rule.roles.includes(inv.role)) continue;
      if (!rule.applies(c, inv)) continue;
      for (const f of findings) {
        if (!rule.ruleIds.includes(f.ruleId) || !sameObject(f.object, inv.object)) continue;
        if (rule.precision === 'field' && !pointsAt(f, inv, locate)) continue;
        if (rule.finding && !rule.finding(f, c)) continue;
        for (const a of c.aspects) if (rule.covers === 'all' || rule.covers.includes(a)) covered.add(a);
        if (seen.has(f)) continue;
        seen.add(f);
        const e: Explanation = { ruleId: f.ruleId, message: f.message };
        if (f.object) e.object = f.object;
        if (f.field) e.field = f.field;
        out.push(e);
      }
    }
  }
  return c.aspects.every((a) => covered.has(a)) ? out : [];
}
