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
 * Merges canaries into the routes of their primaries. `mapPath` is the provider's path mapping,
 * so that a canary path meets its primary whatever the host's matching mode.
 */
export function applyCanaries(
  ctx: ProviderContext,
  canaries: readonly { model: IngressModel; settings: CanarySettings }[],
  routes: readonly RouteIntent[],
  mapPath: (m: IngressModel, p: IngressPath) => PathMatch | undefined,
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
  const taken = new Set<Slot>();
  for (const { model: m, settings: s } of canaries) {
    for (const p of m.rules.flatMap((r) => r.paths)) {
      const match = mapPath(m, p);
      const slot = match ? slots.get(key(ctx.gatewayKeyFor(m), p.host, match)) : undefined;
      if (!slot || !match) {
        ctx.report({
          ruleId: 'ingress-nginx/canary-without-primary',
          severity: 'warning',
          message: `no non-canary Ingress serves ${p.host || '(any host)'} ${p.path} (${p.pathType}), so ingress-nginx dropped this canary path; it was not translated`,
          doc: m.doc,
          path: p.at,
        });
        continue;
      }
      if (taken.has(slot)) {
        ctx.report({ ruleId: 'ingress-nginx/canary-duplicate', severity: 'warning', message: `${p.path} already has a canary; ingress-nginx used only the first one`, doc: m.doc, path: p.at });
        continue;
      }
      const canary = resolveBackend(ctx, m, p.backend);
      if (!canary) continue;
      taken.add(slot);
      mergeInto(slot, canary, s, provenanceOf(m, p.at), match);
      ctx.report({
        ruleId: 'ingress-nginx/canary',
        severity: 'info',
        message: `canary of ${p.host || '(any host)'} ${p.path}: merged into the primary's rule (${describe(s)}); ingress-nginx applied it to every path that uses the primary Service, and a client pinned by session affinity kept its backend`,
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
