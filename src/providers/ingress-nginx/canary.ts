/**
 * ingress-nginx canaries (controller-v1.15.1, controller.go mergeAlternativeBackends and
 * lua/balancer.lua route_to_alternative_balancer). A canary Ingress gets no server or location
 * of its own: its Service becomes the alternative backend of the location with the same host,
 * path and pathType, chosen per request by header, then cookie, then weight.
 */
import type { BackendRef, PathMatch, RouteIntent, RuleIntent } from '../../ir/types.js';
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { annotationField, provenanceOf, resolveBackend } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { parseGoBool } from '../common/translate.js';
import { NGINX_PREFIX } from './rules.js';
import { HTTP_HEADER_NAME } from '../../ir/k8s-names.js';
import { upstreamKey, type CanaryMerges } from './canary-merge.js';
import { upstreamCreators } from './nginx-locations.js';


export interface CanarySettings {
  header?: string;
  headerValue?: string;
  headerPattern?: string;
  cookie?: string;
  weight: number;
  total: number;
}

const CANARY_KEYS = ['canary-by-header', 'canary-by-header-value', 'canary-by-header-pattern', 'canary-by-cookie', 'canary-weight', 'canary-weight-total'];

/** Whether the Ingress is a canary; reads its canary settings and consumes the keys. */
export function readCanary(ctx: ProviderContext, m: IngressModel, consumed: Set<string>): CanarySettings | undefined {
  const a = (k: string): string | undefined => {
    const v = m.annotations[NGINX_PREFIX + k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const report = (k: string, severity: 'info' | 'warning', message: string) =>
    ctx.report({ ruleId: `ingress-nginx/${k}`, severity, message, field: annotationField(NGINX_PREFIX + k), doc: m.doc, path: ['metadata', 'annotations', NGINX_PREFIX + k] });
  const raw = a('canary');
  if (raw !== undefined) consumed.add(NGINX_PREFIX + 'canary');
  const on = raw !== undefined && parseGoBool(raw) === true;
  const present = CANARY_KEYS.filter((k) => a(k) !== undefined);
  for (const k of present) consumed.add(NGINX_PREFIX + k);
  if (!on) {
    for (const k of present) report(k, 'info', `${k} has no effect without canary: "true" (ingress-nginx drops the canary settings), so it was not translated`);
    return undefined;
  }
  const int = (k: string, dflt: number): number => {
    const v = a(k);
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v)) {
      report(k, 'warning', `${k}="${v}" is not a whole number; ingress-nginx used ${dflt}`);
      return dflt;
    }
    return Number(v);
  };
  const s: CanarySettings = { weight: int('canary-weight', 0), total: int('canary-weight-total', 100) };
  if (s.total < 100) {
    report('canary-weight-total', 'info', `canary-weight-total ${s.total} is below 100, which ingress-nginx ignores (it used 100); so does the translation`);
    s.total = 100;
  }
  const header = a('canary-by-header');
  if (header !== undefined) {
    if (HTTP_HEADER_NAME.test(header)) s.header = header;
    else report('canary-by-header', 'warning', `"${header}" is not a valid header name, so the header rule was not translated`);
  }
  const value = a('canary-by-header-value');
  const pattern = m.annotations[NGINX_PREFIX + 'canary-by-header-pattern'];
  if (value !== undefined) s.headerValue = value;
  else if (pattern !== undefined && pattern !== '') s.headerPattern = pattern;
  if (pattern !== undefined && value !== undefined) report('canary-by-header-pattern', 'info', 'canary-by-header-value is also set and wins, as in ingress-nginx; the pattern had no effect');
  const cookie = a('canary-by-cookie');
  if (cookie !== undefined) {
    if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookie)) {
      s.cookie = cookie;
      report(
        'canary-by-cookie',
        'info',
        `the cookie ${cookie} is matched with a regular expression on the Cookie header (Gateway API has no cookie match); RegularExpression header matches are implementation-specific, so check your implementation supports them`,
      );
    } else {
      report('canary-by-cookie', 'warning', `"${cookie}" is not a valid cookie name, so the cookie rule was not translated`);
    }
  }
  if (s.headerPattern !== undefined) {
    report(
      'canary-by-header-pattern',
      'info',
      `nginx matched the pattern anywhere in the header value (PCRE, unanchored); it is written .*(?:${s.headerPattern}).* so that it means the same to implementations that match the whole value (Envoy) and to those that search; PCRE-only syntax (lookarounds, backreferences) is not portable`,
    );
  }
  return s;
}

interface Slot {
  route: RouteIntent;
  rule: RuleIntent;
}

function key(gw: string, host: string, m: PathMatch): string {
  return `${gw} ${host} ${m.type} ${m.value}`;
}

/**
 * Merges canaries into the routes of their primaries, where ingress-nginx merged them (see
 * canary-merge.ts). `mapPath` is the provider's path mapping, so that a canary path meets its
 * primary whatever the host's matching mode; `merges` is the simulation for the canary's
 * controller.
 */
export function applyCanaries(
  ctx: ProviderContext,
  canaries: readonly { model: IngressModel; settings: CanarySettings }[],
  routes: readonly RouteIntent[],
  mapPath: (m: IngressModel, p: IngressPath) => PathMatch | undefined,
  mergesOf: (m: IngressModel) => CanaryMerges,
): void {
  const slots = new Map<string, Slot>();
  for (const route of routes) {
    if (route.httpsRedirectFor !== undefined) continue;
    for (const rule of route.rules) {
      const path = rule.matches[0]?.path;
      if (rule.backends.length !== 1 || rule.matches.length !== 1 || !path || rule.matches[0]?.headers) continue;
      const k = key(route.gatewayKey, route.hostnames[0] ?? '', path);
      if (!slots.has(k)) slots.set(k, { route, rule });
    }
  }
  const done = new Set<Slot>();
  for (const { model: m, settings: s } of canaries) {
    const merges = mergesOf(m);
    if (m.defaultBackend) {
      // controller.go mergeAlternativeBackends: a canary's defaultBackend becomes the alternative
      // of the upstream of every location of the catch-all server.
      ctx.report({
        ruleId: 'ingress-nginx/canary-default-backend',
        severity: 'warning',
        message: `ingress-nginx made this canary's defaultBackend the alternative backend (${describe(s)}) of every location of its catch-all server (the rules without host and the default backend), and so of every path, on any host, that uses the same Service port; the translation has no equivalent and did not translate it`,
        remediation: 'Add the weighted backendRefs and header rules to the routes without hostnames by hand, or give the canary explicit paths.',
        doc: m.doc,
        path: m.defaultBackend.path,
      });
    }
    for (const p of m.rules.flatMap((r) => r.paths)) {
      const where = p.host || '(any host)';
      const alt = upstreamKey(m, p.backend) ?? '';
      const skip = (ruleId: string, message: string, remediation?: string) => ctx.report({ ruleId, severity: 'warning', message, ...(remediation ? { remediation } : {}), doc: m.doc, path: p.at });
      const merge = merges.paths.get(p);
      if (!merge || merge.kind === 'no-server' || merge.kind === 'no-location') {
        skip('ingress-nginx/canary-without-primary', `no non-canary Ingress serves ${where} ${p.path} (${p.pathType}), so ingress-nginx dropped this canary path; it was not translated`);
        continue;
      }
      if (merge.kind === 'removed' || merges.deleted.has(alt)) {
        skip(
          'ingress-nginx/canary-without-primary',
          `this canary's Service port (${alt}) is also the backend of a canary path that has no primary: ingress-nginx deleted that canary upstream, so the canary had no effect here either; it was not translated`,
          'Remove the canary paths that have no primary, or give them their own Service port.',
        );
        continue;
      }
      if (merge.kind === 'stopped') {
        const at = merge.at.model ? `${merge.at.model.namespace}/${merge.at.model.name}'s ${merge.at.ingressPath ? `path ${merge.at.path}` : 'root location (its defaultBackend)'}` : merge.at.path;
        skip(
          'ingress-nginx/canary-without-primary',
          `${where} has a location listed before the primary, ${at}, whose backend is this canary's own Service port (${alt}): ingress-nginx stops merging there (mergeAlternativeBackends), so this canary had no effect; it was not translated`,
          'Give the canary its own Service (or port).',
        );
        continue;
      }
      const primary = merge.into.upstream!;
      const first = merges.firstAlternative.get(primary);
      if (first && (first.model !== m || first.upstream !== alt || first.defaultBackend)) {
        const what = first.defaultBackend ? `the defaultBackend of canary Ingress ${first.model.namespace}/${first.model.name}` : `canary Ingress ${first.model.namespace}/${first.model.name}`;
        skip('ingress-nginx/canary-duplicate', `the primary Service port of ${p.path} (${primary}) already has a canary (${what}); ingress-nginx used only the first one${merges.deleted.has(first.upstream) ? ', which it had deleted, so no canary at all' : ''}`);
        continue;
      }
      const primaryModel = merge.into.model!;
      const match = mapPath(m, p);
      const slot = match ? slots.get(key(ctx.gatewayKeyFor(primaryModel), p.host, match)) : undefined;
      if (!slot || !match || ctx.gatewayKeyFor(primaryModel) !== ctx.gatewayKeyFor(m)) {
        const why =
          ctx.gatewayKeyFor(primaryModel) !== ctx.gatewayKeyFor(m)
            ? `is in Ingress ${primaryModel.namespace}/${primaryModel.name}, whose routes went to another Gateway (gateway mode), so this canary could not join them`
            : `in Ingress ${primaryModel.namespace}/${primaryModel.name}, was not translated (see its finding), so neither was this canary`;
        ctx.report({
          ruleId: 'ingress-nginx/canary-not-merged',
          severity: 'warning',
          message: `the primary of ${where} ${p.path} (${p.pathType}) ${why}; ingress-nginx applied it to that location's Service upstream, and so to every location that uses the same Service port`,
          remediation: 'Add the canary backends and header rules by hand to the primary rule and to the other rules with the same Service.',
          doc: m.doc,
          path: p.at,
        });
        continue;
      }
      if (done.has(slot)) {
        skip('ingress-nginx/canary-duplicate', `${where} ${p.path} is already merged into this primary from another path of this canary; ingress-nginx used it once`);
        continue;
      }
      const canary = resolveBackend(ctx, m, p.backend);
      if (!canary) continue;
      done.add(slot);
      mergeInto(slot, canary, s, provenanceOf(m, p.at), match);
      ctx.report({
        ruleId: 'ingress-nginx/canary',
        severity: 'info',
        message: `canary of ${where} ${p.path}: merged into the primary's rule (${describe(s)}); ingress-nginx applied it to every path that uses the primary Service, and a client pinned by session affinity kept its backend`,
        doc: m.doc,
        path: p.at,
      });
    }
  }
}

function describe(s: CanarySettings): string {
  const parts: string[] = [];
  if (s.header) parts.push(s.headerValue !== undefined ? `header ${s.header}: ${s.headerValue}` : s.headerPattern !== undefined ? `header ${s.header} ~ ${s.headerPattern}` : `header ${s.header}: always/never`);
  if (s.cookie) parts.push(`cookie ${s.cookie}: always/never`);
  parts.push(`weight ${s.weight}/${s.total}`);
  return parts.join(', ');
}

function mergeInto(slot: Slot, canary: BackendRef, s: CanarySettings, prov: RuleIntent['provenance'][number], match: PathMatch): void {
  const { route, rule } = slot;
  const primary = rule.backends[0]!;
  if (s.weight >= s.total) rule.backends = [{ ...canary }];
  else if (s.weight > 0) rule.backends = [{ ...primary, weight: s.total - s.weight }, { ...canary, weight: s.weight }];
  rule.provenance = [...rule.provenance, prov];
  if (!route.provenance.some((p) => p.object === prov.object)) route.provenance.push(prov);
  const extra: RuleIntent[] = [];
  const headerRule = (name: string, type: 'Exact' | 'RegularExpression', value: string, to: BackendRef): RuleIntent => ({
    matches: [{ path: match, headers: [{ type, name, value }] }],
    backends: [{ ...to }],
    filters: rule.filters.map((f) => structuredClone(f)),
    provenance: [prov],
    ...(rule.grpcMethod ? { grpcMethod: { ...rule.grpcMethod } } : {}),
  });
  // Header rules, then cookie rules, in this order: they all have one header match, so Gateway
  // API ranks them by their order in the route, which is nginx's order (header, then cookie).
  if (s.header) {
    if (s.headerValue !== undefined) extra.push(headerRule(s.header, 'Exact', s.headerValue, canary));
    else if (s.headerPattern !== undefined) extra.push(headerRule(s.header, 'RegularExpression', `.*(?:${s.headerPattern}).*`, canary));
    else extra.push(headerRule(s.header, 'Exact', 'always', canary), headerRule(s.header, 'Exact', 'never', primary));
  }
  if (s.cookie) {
    // `name=value` as a whole cookie of the Cookie header (`a=1; b=2`), anchored both ways so
    // that it means the same under full-match and search semantics.
    const cookieIs = (v: string) => `^(.*;\\s*)?${escapeRegex(s.cookie!)}=${v}(\\s*;.*)?$`;
    extra.push(headerRule('Cookie', 'RegularExpression', cookieIs('always'), canary), headerRule('Cookie', 'RegularExpression', cookieIs('never'), primary));
  }
  const i = route.rules.indexOf(rule);
  route.rules.splice(i + 1, 0, ...extra);
}

function escapeRegex(v: string): string {
  return v.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** Annotations of a canary Ingress that ingress-nginx ignores (the primary's settings apply). */
export function reportIgnoredOnCanary(ctx: ProviderContext, m: IngressModel, consumed: Set<string>): void {
  for (const k of Object.keys(m.annotations).sort()) {
    if (!k.startsWith(NGINX_PREFIX) || consumed.has(k)) continue;
    const name = k.slice(NGINX_PREFIX.length);
    if (['load-balance', 'upstream-hash-by', 'upstream-hash-by-subset', 'upstream-hash-by-subset-size', 'service-upstream', 'affinity-canary-behavior'].includes(name)) continue;
    // Client-certificate settings are server-level and nginx takes them from canaries too
    // (controller.go createServers L737-775): not ignored, left to the rule table.
    if (name.startsWith('auth-tls-')) continue;
    consumed.add(k);
    ctx.report({
      ruleId: 'ingress-nginx/canary-ignored-annotation',
      severity: 'info',
      message: `${k} is ignored on a canary Ingress: requests to the canary are handled with the primary Ingress's settings`,
      field: annotationField(k),
      doc: m.doc,
      path: ['metadata', 'annotations', k],
    });
  }
}

/**
 * ingress-nginx keys upstreams by namespace, Service and port as written, and the Ingress that
 * creates an upstream decides whether it has locations (controller.go createUpstreams: the first
 * Ingress, in controller order, whose path uses it, or the last one whose defaultBackend uses
 * it; a canary's upstream has none). So a canary and a non-canary Ingress sharing a Service port
 * interfere: if the canary created the upstream, the other Ingress's paths to it get no location
 * (getBackendServers skips them); if the other Ingress did, the canary's paths become locations
 * of their own, with the canary's annotations. Reported; the translation keeps the intent.
 */
export function reportSharedUpstreams(ctx: ProviderContext, ordered: readonly IngressModel[], isCanary: (m: IngressModel) => boolean): void {
  const creator = upstreamCreators(ordered);
  for (const m of ordered) {
    for (const r of m.rules) {
      for (const p of r.paths) {
        if (p.backend.kind !== 'service') continue;
        const k = upstreamKey(m, p.backend)!;
        const c = creator.get(k)!;
        if (c === m || (!isCanary(c) && !isCanary(m))) continue;
        if (isCanary(c) && isCanary(m)) {
          ctx.report({
            ruleId: 'ingress-nginx/canary-shared-upstream',
            severity: 'warning',
            message: `canary Ingress ${c.namespace}/${c.name} uses the same Service port (${k}) and ingress-nginx created that upstream from it, so where this path meets its primary, nginx used the canary settings of ${c.namespace}/${c.name}, not these; the translation uses these`,
            remediation: 'Give each canary its own Service (or port).',
            doc: m.doc,
            path: p.at,
          });
          continue;
        }
        ctx.report({
          ruleId: 'ingress-nginx/canary-shared-upstream',
          severity: 'warning',
          message: isCanary(c)
            ? `canary Ingress ${c.namespace}/${c.name} uses the same Service port (${k}) and ingress-nginx created that upstream from it, so this path got no location of its own (its requests went to the host's other locations or its default backend); the translation keeps the path`
            : `this canary uses the same Service port (${k}) as Ingress ${c.namespace}/${c.name}, which created that upstream, so ingress-nginx made this path a location of its own (of ${r.host || 'the catch-all server'}, with this Ingress's annotations) instead of a canary; the translation treats it as a canary only`,
          remediation: 'Give the canary its own Service (or port).',
          doc: m.doc,
          path: p.at,
        });
      }
    }
  }
}
