/**
 * The translation every Ingress provider starts from: one HTTPRoute per (Ingress, host), one
 * rule per path, TLS hosts to HTTPS listeners, the default backend, and duplicate paths
 * resolved the way the controller resolves them. Providers pass in what differs.
 */
import type { SourcePosition } from '../../findings/finding.js';
import type { FieldPath } from '../../inputs/document.js';
import type { PathMatch, RouteIntent, RuleIntent, TlsIntent } from '../../ir/types.js';
import { tlsHostFor } from '../../emitters/gateway-api.js';
import type { ProviderContext } from '../types.js';
import type { IngressBackend, IngressModel, IngressPath } from './ingress-model.js';
import { invalidGatewayPath, provenanceOf, resolveBackend, routeFor } from './translate.js';

export interface IngressSemantics {
  /** Provider id, used in finding ids. */
  id: string;
  /** Maps one Ingress path to a Gateway API path match, reporting approximations; undefined drops it. */
  mapPath(ctx: ProviderContext, model: IngressModel, path: IngressPath): PathMatch | MappedPath | undefined;
  /** Whether HTTP requests for a host with a TLS certificate are redirected to HTTPS. */
  redirectsToHttps(model: IngressModel): boolean;
  /** HTTP status of that redirect. */
  httpsRedirectCode: 301 | 302 | 303 | 307 | 308;
  /** Whether ACME HTTP-01 challenge paths stay on HTTP for hosts that redirect. */
  exemptAcmeChallenge: boolean;
  /**
   * Whether a request whose Host has rules of its own never reaches host-less rules (nginx:
   * the server block is chosen by Host first). Gateway API merges them, so this is reported.
   */
  hostIsolation: boolean;
  /**
   * Applies the Ingress's own settings (annotations) to one of its routes, after its rules and
   * listeners are known and before the HTTPS-redirect twin and slash redirects are derived.
   * May change the rules and the attachment, and return more routes made from this one (say,
   * one per listener when the listeners answer differently).
   */
  decorateRoute?(ctx: ProviderContext, model: IngressModel, route: RouteIntent, host: { tls: boolean }): void | RouteIntent[];
  /**
   * What spec.defaultBackend serves: the fallback of the hosts the Ingress owns (ingress-nginx,
   * the default), or only for an Ingress without rules, as a catch-all for every host (Traefik).
   */
  defaultBackend?: 'owned-hosts' | 'catch-all-only';
  /**
   * How the controller chose between two definitions of one host and path: the one it processed
   * first keeps it (the default), or either may answer (routers of equal priority, Traefik).
   */
  duplicatePaths?: 'first' | 'unordered';
  /** Hosts whose prefix locations get no automatic slash redirect (nginx regex locations). */
  noSlashRedirects?(gatewayKey: string, host: string): boolean;
  /** Status of nginx's redirect from `/foo` to `/foo/` (prefix locations ending in /), if the controller does it. */
  slashRedirects?: 301;
  /** What the controller's HTTPS redirect did differently from a Gateway API redirect, for the finding. */
  httpsRedirectNote?: string;
  /**
   * The tls entries of an Ingress as the controller applies them (default: as written). ingress-
   * nginx uses a tls section only for the hosts of the same Ingress's rules.
   */
  tlsEntries?(ctx: ProviderContext, model: IngressModel): IngressModel['tls'];
  /**
   * Whether the first Ingress with only a defaultBackend takes the catch-all `/` before any
   * host-less path (nginx builds its servers before their locations).
   */
  catchAllBeforePaths?: boolean;
  /**
   * Whether a `/` path of `owner` takes every request the default backend of `model` would get
   * (default: yes). Traefik: only where owner's routers are on the same entry points.
   */
  defaultBackendShadowedBy?(owner: IngressModel, model: IngressModel): boolean;
}

/** A path match with the filters the controller applied to that path (a rewrite, say). */
export interface MappedPath {
  match: PathMatch;
  filters: RuleIntent['filters'];
  /** The path itself (an Exact match), which the controller served without these filters. */
  bare?: { match: PathMatch; filters: RuleIntent['filters'] };
}

export interface TranslatedIngress {
  model: IngressModel;
  routes: RouteIntent[];
}


function matchKey(m: PathMatch): string {
  return `${m.type} ${m.value}`;
}


/**
 * The order in which ingress-nginx walks Ingresses (store.go sortIngressSlice): oldest
 * creationTimestamp first; equal timestamps (manifests usually have none) by `namespace/name`
 * in DESCENDING order. The first Ingress to claim a host's certificate or a path keeps it.
 */
export function inControllerOrder(models: readonly IngressModel[]): IngressModel[] {
  const keyed = models.map((m) => ({ m, t: m.creationTimestamp ?? '', k: `${m.namespace}/${m.name}` }));
  keyed.sort((a, b) => (a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.k > b.k ? -1 : a.k < b.k ? 1 : 0));
  return keyed.map((x) => x.m);
}

export function translateIngresses(ctx: ProviderContext, models: IngressModel[], sem: IngressSemantics): TranslatedIngress[] {
  const ordered = inControllerOrder(models);

  // TLS: per gateway, the first Ingress (in controller order) to claim a host's certificate wins.
  const tlsByGateway = new Map<string, Map<string, TlsIntent>>();
  for (const m of ordered) {
    const key = ctx.gatewayKeyFor(m);
    let hosts = tlsByGateway.get(key);
    if (!hosts) tlsByGateway.set(key, (hosts = new Map()));
    (sem.tlsEntries ? sem.tlsEntries(ctx, m) : m.tls).forEach((t) => {
      if (!t.secretName) {
        ctx.report({
          ruleId: 'ingress/tls-without-secret',
          severity: 'warning',
          message: `the tls entry for ${t.hosts.join(', ') || 'no hosts'} has no secretName (the controller's default certificate); Gateway API HTTPS listeners need a certificate, so no HTTPS listener was made for it`,
          remediation: 'Name the Secret holding the certificate in secretName, or add certificateRefs to the Gateway listener by hand.',
          doc: m.doc,
          path: t.at,
        });
        return;
      }
      if (t.hosts.length === 0) {
        ctx.report({
          ruleId: 'ingress/tls-without-hosts',
          severity: 'warning',
          message: `the tls entry with Secret ${t.secretName} lists no hosts; Gateway API needs a hostname per HTTPS listener, so it was not translated`,
          remediation: 'List the hosts the certificate is for in spec.tls[].hosts.',
          doc: m.doc,
          path: t.at,
        });
        return;
      }
      for (const h of t.hosts) {
        const existing = hosts.get(h);
        if (existing) {
          if (existing.secret.name !== t.secretName || existing.secret.namespace !== m.namespace) {
            ctx.report({
              ruleId: 'ingress/tls-conflict',
              severity: 'warning',
              message: `host ${h} already has the certificate ${existing.secret.namespace}/${existing.secret.name} from an older Ingress; ${m.namespace}/${t.secretName} was not used`,
              doc: m.doc,
              path: t.at,
            });
          } else {
            existing.provenance.push(provenanceOf(m, t.at));
          }
          continue;
        }
        const intent: TlsIntent = { gatewayKey: key, hostname: h, secret: { namespace: m.namespace, name: t.secretName }, provenance: [provenanceOf(m, t.at)] };
        hosts.set(h, intent);
        ctx.ir.tls.push(intent);
      }
    });
  }

  // Paths: the first Ingress to define a host+path keeps it; the first Ingress to have a rule
  // for a host owns that host's fallback location (where its defaultBackend applies).
  const claimed = new Map<string, IngressModel>();
  if (sem.catchAllBeforePaths) {
    for (const m of ordered) {
      const k = `${ctx.gatewayKeyFor(m)}  ${matchKey({ type: 'PathPrefix', value: '/' })}`;
      if (m.defaultBackend && m.rules.length === 0 && !claimed.has(k)) claimed.set(k, m);
    }
  }
  const hostOwner = new Map<string, IngressModel>();
  // Hosts where some Ingress has a Prefix path "/" to a Service: that path takes everything,
  // so the host's default backend never does (ingress-nginx replaces its root location).
  const rooted = new Set<string>();
  for (const m of ordered) {
    for (const r of m.rules) {
      const k = `${ctx.gatewayKeyFor(m)} ${r.host}`;
      if (!hostOwner.has(k)) hostOwner.set(k, m);
      if (r.paths.some((p) => p.path === '/' && p.pathType !== 'Exact' && p.backend.kind === 'service')) rooted.add(k);
    }
  }
  const out: TranslatedIngress[] = [];
  for (const m of ordered) {
    const gwKey = ctx.gatewayKeyFor(m);
    const tlsHosts: ReadonlyMap<string, TlsIntent> = tlsByGateway.get(gwKey) ?? new Map();
    const hosts: { host: string; at: FieldPath }[] = [];
    for (const r of m.rules) if (!hosts.some((h) => h.host === r.host)) hosts.push({ host: r.host, at: r.at });
    const catchAllDefault = m.defaultBackend !== undefined && m.rules.length === 0;
    if (catchAllDefault) hosts.push({ host: '', at: ['spec', 'defaultBackend'] });
    const routes: RouteIntent[] = [];
    for (const { host, at } of hosts) {
      const route = routeFor(ctx, m, host, hosts.length, at);
      const seenHere = new Map<string, IngressPath>();
      // Paths the controller served that the translation could not express: the route's
      // route-wide settings (app-root, say) still apply to the host.
      let untranslatable = 0;
      for (const p of m.rules.filter((r) => r.host === host).flatMap((r) => r.paths)) {
        const mapped = sem.mapPath(ctx, m, p);
        if (!mapped) continue;
        const match = 'match' in mapped ? mapped.match : mapped;
        const pathFilters = 'match' in mapped ? mapped.filters : [];
        if (match.type !== 'RegularExpression') {
          const why = invalidGatewayPath(match.value);
          if (why) {
            ctx.report({
              ruleId: 'ingress/invalid-path',
              severity: 'error',
              message: `path "${p.path}" cannot be a Gateway API ${match.type} match: ${why}; it was not translated`,
              remediation: 'Fix the path, or write the match by hand (a RegularExpression match, where your implementation supports it).',
              doc: m.doc,
              path: [...p.at, 'path'],
            });
            untranslatable++;
            continue;
          }
        }
        const key = `${gwKey} ${host} ${matchKey(match)}`;
        const owner = claimed.get(key);
        if (owner && owner !== m) {
          ctx.report({
            ruleId: 'ingress/duplicate-path',
            severity: 'warning',
            message:
              sem.duplicatePaths === 'unordered'
                ? `${host || '(any host)'} ${p.path} (${p.pathType}) is also defined by Ingress ${owner.namespace}/${owner.name}; the controller answered with either of the two (same rule, same priority), Gateway API needs one, and the one of ${owner.namespace}/${owner.name} was kept`
                : `${host || '(any host)'} ${p.path} (${p.pathType}) is also defined by Ingress ${owner.namespace}/${owner.name}, which the controller processes first and which keeps it; this definition was not translated`,
            remediation: 'Remove one of the two definitions.',
            doc: m.doc,
            path: p.at,
          });
          continue;
        }
        const earlier = seenHere.get(key);
        if (earlier) {
          ctx.report({
            ruleId: 'ingress/duplicate-path',
            severity: 'warning',
            message:
              earlier.path === p.path && earlier.pathType === p.pathType
                ? `${host || '(any host)'} ${p.path} (${p.pathType}) appears twice in this Ingress; the first one was kept`
                : `${host || '(any host)'} ${p.path} (${p.pathType}) becomes the same Gateway API match (${match.type} ${match.value}) as ${earlier.path} (${earlier.pathType}) of this Ingress, which was kept; the controller had two locations, which it tried in its own order`,
            doc: m.doc,
            path: p.at,
          });
          continue;
        }
        claimed.set(key, m);
        seenHere.set(key, p);
        const backend = resolveBackend(ctx, m, p.backend);
        if (!backend) continue;
        route.rules.push({ matches: [{ path: match }], backends: [backend], filters: pathFilters.map((f) => structuredClone(f)), provenance: [provenanceOf(m, p.at)] });
        const bare = 'match' in mapped ? mapped.bare : undefined;
        const bareKey = bare && `${gwKey} ${host} ${matchKey(bare.match)}`;
        if (bare && bareKey && !claimed.has(bareKey)) {
          claimed.set(bareKey, m);
          seenHere.set(bareKey, p);
          route.rules.push({ matches: [{ path: bare.match }], backends: [{ ...backend }], filters: bare.filters.map((f) => structuredClone(f)), provenance: [provenanceOf(m, p.at)] });
        }
      }
      // The default backend is the fallback of the hosts this Ingress owns (or the catch-all
      // server when the Ingress has no rules at all); never of hosts an earlier Ingress owns.
      const ownedFallback = sem.defaultBackend !== 'catch-all-only' && host !== '' && hostOwner.get(`${gwKey} ${host}`) === m && !rooted.has(`${gwKey} ${host}`);
      if (m.defaultBackend && (catchAllDefault || ownedFallback)) {
        addDefaultBackend(ctx, m, m.defaultBackend, route, claimed, gwKey, host, sem.defaultBackendShadowedBy);
      }
      if (route.rules.length === 0 && untranslatable === 0) continue;
      const tls = tlsHostFor(host, tlsHosts) !== undefined;
      if (tls) {
        route.attach = sem.redirectsToHttps(m) ? { http: false, https: true } : { http: true, https: true };
      }
      const more = sem.decorateRoute?.(ctx, m, route, { tls }) ?? [];
      for (const r of [route, ...more]) if (r.rules.length > 0) routes.push(r);
    }
    out.push({ model: m, routes });
  }
  if (sem.slashRedirects) {
    const eligible = out.flatMap((t) => t.routes).filter((r) => r.kind === 'HTTPRoute' && !sem.noSlashRedirects?.(r.gatewayKey, r.hostnames[0] ?? ''));
    addSlashRedirects(eligible, sem.slashRedirects);
  }
  const redirected = new Set<string>();
  for (const t of out) {
    for (const r of t.routes) {
      const host = r.hostnames[0] ?? '';
      if (host.startsWith('*.')) {
        ctx.report({
          ruleId: 'ingress/wildcard-host-widened',
          severity: 'info',
          message: `the wildcard host ${host} matched exactly one extra label in the Ingress (${host.replace('*', 'a')}); a Gateway API hostname ${host} also matches deeper names (${host.replace('*', 'a.b')})`,
          remediation: `If deeper names must not be routed here, list the hosts explicitly.`,
          doc: t.model.doc,
          ...provPosition(r),
        });
      }
      if (!r.attach.http && r.attach.https && sem.redirectsToHttps(t.model) && !redirected.has(`${r.gatewayKey} ${host}`)) {
        redirected.add(`${r.gatewayKey} ${host}`);
        ctx.report({
          ruleId: `${sem.id}/https-redirect`,
          severity: 'info',
          message: `HTTP requests for ${host} are redirected to HTTPS with ${sem.httpsRedirectCode}, as ${sem.id} did for every host with a certificate (its default ssl-redirect); the paths are served on the HTTPS listener only${sem.httpsRedirectNote ? `; ${sem.httpsRedirectNote}` : ''}`,
          remediation: 'Nothing to do unless the HTTP paths must stay reachable; then say so on the Ingress (ssl-redirect "false").',
          doc: t.model.doc,
          path: ['spec', 'tls'],
        });
      }
    }
    if (sem.redirectsToHttps(t.model)) t.routes = t.routes.flatMap((r) => splitForRedirect(r, sem));
    ctx.ir.routes.push(...t.routes);
  }
  if (sem.hostIsolation) reportCatchAllLeaks(ctx, out);
  return out;
}

function provPosition(r: RouteIntent): { position?: SourcePosition; field?: string } {
  const p = r.provenance[0];
  const out: { position?: SourcePosition; field?: string } = {};
  if (p?.position) out.position = p.position;
  if (p?.field) out.field = p.field;
  return out;
}

/**
 * With host-less rules and host-specific routes on one Gateway, Gateway API sends a request for
 * a known host whose path matches none of its rules to the host-less rules; the Ingress
 * controller answered it from that host's own fallback (usually a 404).
 */
function reportCatchAllLeaks(ctx: ProviderContext, out: TranslatedIngress[]): void {
  const hostsByGateway = new Map<string, Set<string>>();
  const rooted = new Set<string>();
  // Every host of an Ingress rule has a server of its own in the controller, routes or not.
  for (const t of out) {
    for (const r of t.model.rules) {
      if (r.host === '') continue;
      const k = ctx.gatewayKeyFor(t.model);
      let s = hostsByGateway.get(k);
      if (!s) hostsByGateway.set(k, (s = new Set()));
      s.add(r.host);
    }
  }
  for (const t of out) for (const r of t.routes) if (r.hostnames.length) {
    let s = hostsByGateway.get(r.gatewayKey);
    if (!s) hostsByGateway.set(r.gatewayKey, (s = new Set()));
    s.add(r.hostnames[0]!);
    // A host with a `/` prefix rule answers every path itself: nothing leaks to the catch-all.
    if (r.rules.some((rule) => rule.matches.some((m) => m.path?.type === 'PathPrefix' && m.path.value === '/' && !m.headers?.length && !m.queryParams?.length && !m.method))) {
      rooted.add(`${r.gatewayKey} ${r.hostnames[0]}`);
    }
  }
  for (const [key, hosts] of hostsByGateway) for (const h of [...hosts]) if (rooted.has(`${key} ${h}`)) hosts.delete(h);
  // Hosts with no route on any Gateway: whichever Gateway their DNS points at, its catch-all
  // takes them (with one Gateway per namespace, it may be another namespace's).
  const routed = new Set(out.flatMap((t) => t.routes.flatMap((r) => r.hostnames)));
  const routeless = new Set(out.flatMap((t) => t.model.rules.map((r) => r.host)).filter((h) => h !== '' && !routed.has(h)));
  for (const t of out) {
    for (const r of t.routes) {
      const w = r.hostnames[0];
      if (w?.startsWith('*.') && r.rules.length > 0) {
        // A wildcard route also takes the unmatched requests of the names it covers (the
        // precedence of HTTPRoute.spec.hostnames); the controller chose the named host's own server.
        const covered = [...(hostsByGateway.get(r.gatewayKey) ?? [])].filter((h) => h !== w && h.endsWith(w.slice(1))).sort();
        if (covered.length > 0) {
          const shown = covered.slice(0, 5).join(', ') + (covered.length > 5 ? ` and ${covered.length - 5} more` : '');
          ctx.report({
            ruleId: 'ingress/wildcard-reaches-hosts',
            severity: 'warning',
            message: `these ${w} rules will also receive requests for ${shown} whose paths match none of those hosts' rules, where the Ingress controller answered from the named host's own server (its default backend, usually 404); implementations that keep hostnames apart (such as Envoy Gateway) answer 404 as the controller did`,
            remediation: 'Give each named host a "/" path of its own if it must keep answering 404, or accept the wider wildcard.',
            doc: t.model.doc,
            ...provPosition(r),
          });
        }
      }
      if (r.hostnames.length) continue;
      const hosts = [...new Set([...(hostsByGateway.get(r.gatewayKey) ?? []), ...routeless])].sort();
      if (hosts.length === 0 || r.rules.length === 0) continue;
      const shown = hosts.slice(0, 5).join(', ') + (hosts.length > 5 ? ` and ${hosts.length - 5} more` : '');
      ctx.report({
        ruleId: 'ingress/catch-all-reaches-hosts',
        severity: 'warning',
        message: `these host-less rules will also receive requests for ${shown} whose paths match none of those hosts' rules; the Ingress controller answered those from the host's own fallback (its default backend, usually 404)`,
        remediation: 'Give each host a "/" path of its own if it must keep answering 404, or accept the wider catch-all.',
        doc: t.model.doc,
        ...provPosition(r),
      });
    }
  }
}

/** ACME HTTP-01 challenge paths that ingress-nginx never redirects to HTTPS (no-tls-redirect-locations). */
export const NO_TLS_REDIRECT_PREFIX = '/.well-known/acme-challenge';

/**
 * An HTTPS-only route gets an HTTP twin that redirects; rules for ACME challenge paths stay
 * reachable over HTTP in a route of their own.
 */
function splitForRedirect(route: RouteIntent, sem: IngressSemantics): RouteIntent[] {
  if (route.attach.http || !route.attach.https) return [route];
  const isAcme = (r: RuleIntent): boolean => r.matches.some((m) => m.path !== undefined && m.path.type !== 'RegularExpression' && m.path.value.startsWith(NO_TLS_REDIRECT_PREFIX));
  const acme = sem.exemptAcmeChallenge ? route.rules.filter(isAcme) : [];
  const main: RouteIntent = { ...route, rules: route.rules.filter((r) => !acme.includes(r)) };
  const out: RouteIntent[] = [];
  if (main.rules.length) out.push(main, redirectRoute(main, sem.httpsRedirectCode));
  if (acme.length) out.push({ ...route, name: `${route.name}-acme-challenge`, attach: { http: true, https: true }, rules: acme });
  return out;
}

/**
 * nginx answers a request for `/foo` with a 301 to `/foo/` when a prefix (or exact) location
 * `/foo/` exists and no location matches `/foo` itself; Gateway API PathPrefix `/foo/` would
 * route `/foo` instead. Adds that redirect as an Exact rule on the same route.
 */
function addSlashRedirects(routes: RouteIntent[], statusCode: number): void {
  const byHost = new Map<string, RouteIntent[]>();
  for (const r of routes) {
    const k = `${r.gatewayKey} ${r.hostnames.join(',')}`;
    let l = byHost.get(k);
    if (!l) byHost.set(k, (l = []));
    l.push(r);
  }
  for (const group of byHost.values()) {
    const covered = new Set<string>();
    for (const r of group) for (const rule of r.rules) for (const m of rule.matches) if (m.path && m.path.type !== 'RegularExpression') covered.add(m.path.value);
    for (const r of group) {
      const added: RuleIntent[] = [];
      for (const rule of r.rules) {
        // Locations that redirect still proxy_pass, so nginx's 301 comes first for them too.
        if (rule.backends.length === 0 && !rule.filters.some((f) => f.type === 'RequestRedirect')) continue;
        for (const m of rule.matches) {
          const v = m.path?.value;
          if (!v || m.path?.type === 'RegularExpression' || v === '/' || !v.endsWith('/') || m.headers?.length || m.queryParams?.length || m.method) continue;
          const bare = v.slice(0, -1);
          if (covered.has(bare)) continue;
          covered.add(bare);
          added.push({
            matches: [{ path: { type: 'Exact', value: bare } }],
            backends: [],
            filters: [{ type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplaceFullPath', replaceFullPath: v }, statusCode } }],
            provenance: rule.provenance,
          });
        }
      }
      r.rules.push(...added);
    }
  }
}

/** spec.defaultBackend serves whatever the Ingress's paths do not: a `/` prefix rule per host. */
function addDefaultBackend(
  ctx: ProviderContext,
  m: IngressModel,
  db: IngressBackend,
  route: RouteIntent,
  claimed: Map<string, IngressModel>,
  gwKey: string,
  host: string,
  shadowedBy: IngressSemantics['defaultBackendShadowedBy'] = () => true,
): void {
  const match: PathMatch = { type: 'PathPrefix', value: '/' };
  const key = `${gwKey} ${host} ${matchKey(match)}`;
  const owner = claimed.get(key);
  if (owner && owner !== m && shadowedBy(owner, m)) return; // a path '/' already covers everything the default backend would get
  const backend = resolveBackend(ctx, m, db);
  if (!backend) return;
  claimed.set(key, m);
  route.rules.push({ matches: [{ path: match }], backends: [backend], filters: [], provenance: [provenanceOf(m, db.path)] });
}

/**
 * The HTTP-listener twin of an HTTPS-only route: the same matches, redirected to https. Rules
 * that already redirect stay as they are: the controller answers them before its HTTPS redirect
 * (nginx: app-root in the server rewrite phase and the 301 to a prefix ending in '/' when it
 * finds the location, both before the Lua redirect of the location's rewrite phase).
 */
export function redirectRoute(route: RouteIntent, statusCode: number): RouteIntent {
  return {
    ...route,
    kind: 'HTTPRoute',
    name: `${route.name}-https-redirect`,
    attach: { http: true, https: false },
    httpsRedirectFor: route.name,
    rules: route.rules.map(
      (r): RuleIntent =>
        r.backends.length === 0 && r.filters.some((f) => f.type === 'RequestRedirect')
          ? { matches: r.matches, backends: [], filters: r.filters.map((f) => structuredClone(f)), provenance: r.provenance }
          : {
              matches: r.matches,
              backends: [],
              filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode } }],
              provenance: r.provenance,
            },
    ),
  };
}
