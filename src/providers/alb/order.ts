/**
 * Rule order. An ALB listener evaluates its rules by priority and the first match wins; the
 * controller gives priorities in group order (group.order, then namespace/name), then in each
 * Ingress's rule and path order (pkg/ingress/model_build_listener_rules.go). Gateway API has no
 * order: the most specific match wins (hostname, then Exact over PathPrefix, longer prefixes,
 * method, header and query matches; then the older, then the alphabetically first route; then
 * rule order within a route).
 *
 * So, per listener: a match that earlier rules took entirely never reached its rule and is left
 * out (otherwise Gateway API would give it requests); where two rules overlap and Gateway API
 * prefers the later one, the request goes elsewhere than it did, which is reported. Before that,
 * the controller's own rule optimizer drops redirect rules that would redirect to themselves
 * (pkg/ingress/rule_optimizer.go isInfiniteRedirectRule).
 */
import type { HeaderMatch, PathMatch, RouteMatch } from '../../ir/types.js';
import type { AlbRule } from './model.js';

/** A rule on one listener, with the matches that can still reach it. */
export interface PlacedRule {
  rule: AlbRule;
  matches: RouteMatch[];
}

const ROOT: PathMatch = { type: 'PathPrefix', value: '/' };

function regex(r: string): RegExp | undefined {
  try {
    return new RegExp(r);
  } catch {
    return undefined;
  }
}

/** Gateway API hostname a ('' for any) takes every request of hostname b. */
export function hostCovers(a: string, b: string): boolean {
  if (a === '' || a === b) return true;
  if (b === '') return false;
  if (!a.startsWith('*.')) return false;
  const suffix = a.slice(1);
  return b.endsWith(suffix) && b.length > suffix.length;
}

function hostsOverlap(a: string, b: string): boolean {
  return hostCovers(a, b) || hostCovers(b, a);
}

function under(x: string, prefix: string): boolean {
  const p = prefix.replace(/\/$/, '');
  return p === '' || x === p || x.startsWith(`${p}/`);
}

function pathCovers(a: PathMatch, b: PathMatch): boolean {
  if (a.type === 'PathPrefix') return a.value === '/' || (b.type !== 'RegularExpression' && under(b.value, a.value));
  if (a.type === 'Exact') return b.type === 'Exact' && b.value === a.value;
  if (b.type === 'RegularExpression') return a.value === b.value;
  return b.type === 'Exact' && regex(a.value)?.test(b.value) === true;
}

function pathsOverlap(a: PathMatch, b: PathMatch): boolean {
  if (pathCovers(a, b) || pathCovers(b, a)) return true;
  const [re, lit] = a.type === 'RegularExpression' ? [a, b] : [b, a];
  if (re.type !== 'RegularExpression' || lit.type === 'RegularExpression') return false;
  const r = regex(re.value);
  return r !== undefined && (r.test(lit.value) || (lit.type === 'PathPrefix' && r.test(`${lit.value.replace(/\/$/, '')}/x`)));
}

function valueCovers(a: HeaderMatch, b: HeaderMatch): boolean {
  if (a.type === 'Exact') return b.type === 'Exact' && a.value === b.value;
  return a.value === b.value || (b.type === 'Exact' && regex(a.value)?.test(b.value) === true);
}

function sameName(a: HeaderMatch, b: HeaderMatch, caseless: boolean): boolean {
  return caseless ? a.name.toLowerCase() === b.name.toLowerCase() : a.name === b.name;
}

/** Every request that b matches, a matches too. */
export function matchCovers(a: RouteMatch, b: RouteMatch): boolean {
  if (!pathCovers(a.path ?? ROOT, b.path ?? ROOT)) return false;
  if (a.method && a.method !== b.method) return false;
  const all = (xs: HeaderMatch[] | undefined, ys: HeaderMatch[] | undefined, caseless: boolean) => (xs ?? []).every((x) => (ys ?? []).some((y) => sameName(x, y, caseless) && valueCovers(x, y)));
  return all(a.headers, b.headers, true) && all(a.queryParams, b.queryParams, false);
}

/** Some request could match both. */
function matchesOverlap(a: RouteMatch, b: RouteMatch): boolean {
  if (!pathsOverlap(a.path ?? ROOT, b.path ?? ROOT)) return false;
  if (a.method && b.method && a.method !== b.method) return false;
  const clash = (xs: HeaderMatch[] | undefined, ys: HeaderMatch[] | undefined, caseless: boolean) =>
    (xs ?? []).some((x) => (ys ?? []).some((y) => sameName(x, y, caseless) && x.type === 'Exact' && y.type === 'Exact' && x.value !== y.value));
  return !clash(a.headers, b.headers, true) && !clash(a.queryParams, b.queryParams, false);
}

const hostsOf = (r: AlbRule): string[] => (r.hosts.length ? r.hosts : ['']);

/**
 * Gateway API precedence of a match for a request on hostname `host`: larger wins. The path part
 * is undefined when a regular expression path makes it implementation-specific; the hostname
 * part decides first anyway.
 */
function precedence(host: string, m: RouteMatch): { host: number[]; rest: number[] | undefined } {
  const p = m.path ?? ROOT;
  const wildcard = host.startsWith('*.');
  const h = [wildcard || host === '' ? 0 : host.length, host.length];
  if (p.type === 'RegularExpression') return { host: h, rest: undefined };
  return { host: h, rest: [p.type === 'Exact' ? 1 : 0, p.type === 'Exact' ? 0 : p.value.replace(/\/$/, '').length, m.method ? 1 : 0, m.headers?.length ?? 0, m.queryParams?.length ?? 0] };
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The route order Gateway API falls back to on a tie: alphabetical by namespace/name. */
const routeKey = (r: AlbRule) => `${r.model.namespace}/${r.model.name}`;

/** controller's isInfiniteRedirectRule: a redirect to the same protocol, port, host, path and query. */
export function isInfiniteRedirect(rule: AlbRule, port: number, protocol: 'HTTP' | 'HTTPS'): boolean {
  if (rule.action.type !== 'redirect') return false;
  if (rule.albPathsAreRegex) return false;
  const r = rule.action.alb;
  if (r.host !== undefined && r.host !== '#{host}' && !rule.albHosts.includes(r.host)) return false;
  if (r.path !== undefined && r.path !== '/#{path}' && !rule.albPaths.includes(r.path)) return false;
  if (r.port !== undefined && r.port !== '#{port}' && r.port !== String(port)) return false;
  if (r.protocol !== undefined && r.protocol !== '#{protocol}' && r.protocol !== protocol) return false;
  if (r.query !== undefined && r.query !== '#{query}') return false;
  return true;
}

export interface Shadowed {
  rule: AlbRule;
  /** The matches no request reached; all of them when `entirely`. */
  matches: RouteMatch[];
  entirely: boolean;
  by: AlbRule[];
}

export interface Inversion {
  first: AlbRule;
  second: AlbRule;
  /** A request both took, described. */
  example: string;
  /** Regular expressions made the outcome implementation-specific. */
  uncertain: boolean;
  /** Why Gateway API prefers the second. */
  reason?: string;
}

const REASONS = ['an Exact path', 'a longer path prefix', 'a method match', 'more header matches', 'more query parameter matches'];

function describe(host: string, m: RouteMatch): string {
  const p = m.path ?? ROOT;
  const parts = [`${host || '(any host)'}${p.type === 'RegularExpression' ? ` ~${p.value}` : p.value}`];
  if (m.method) parts.push(m.method);
  for (const h of m.headers ?? []) parts.push(`${h.name}: ${h.value}`);
  for (const q of m.queryParams ?? []) parts.push(`?${q.name}=${q.value}`);
  return parts.join(' ');
}

/**
 * Places the rules of one listener, in priority order: leaves out what earlier rules shadowed and
 * finds where Gateway API will pick another rule than the ALB did. A rule with a source-ip
 * condition shadows nothing (other clients fall through it).
 */
export function placeRules(rules: readonly AlbRule[]): { placed: PlacedRule[]; shadowed: Shadowed[]; inversions: Inversion[] } {
  const placed: PlacedRule[] = [];
  const shadowed: Shadowed[] = [];
  for (const rule of rules) {
    const by = new Set<AlbRule>();
    const covered = (m: RouteMatch) =>
      hostsOf(rule).every((h) => {
        const c = placed.find((p) => !p.rule.sourceIps && hostsOf(p.rule).some((ph) => hostCovers(ph, h)) && p.rule.matches.some((pm) => matchCovers(pm, m)));
        if (c) by.add(c.rule);
        return c !== undefined;
      });
    const gone = rule.matches.filter(covered);
    const kept = rule.matches.filter((m) => !gone.includes(m));
    if (gone.length > 0) shadowed.push({ rule, matches: gone, entirely: kept.length === 0, by: [...by] });
    if (kept.length > 0) placed.push({ rule, matches: kept });
  }
  const inversions: Inversion[] = [];
  for (let j = 0; j < placed.length; j++) {
    const b = placed[j]!;
    for (let i = 0; i < j; i++) {
      const a = placed[i]!;
      if (a.rule === b.rule) continue;
      const found = invert(a, b);
      if (found) inversions.push(found);
    }
  }
  return { placed, shadowed, inversions };
}

/** Whether Gateway API gives a request that both take to b, where the ALB gave it to a (earlier). */
function invert(a: PlacedRule, b: PlacedRule): Inversion | undefined {
  let uncertain: Inversion | undefined;
  for (const ha of hostsOf(a.rule)) {
    for (const hb of hostsOf(b.rule)) {
      if (!hostsOverlap(ha, hb)) continue;
      for (const ma of a.matches) {
        for (const mb of b.matches) {
          if (!matchesOverlap(ma, mb)) continue;
          const pa = precedence(ha, ma);
          const pb = precedence(hb, mb);
          const host = hostCovers(ha, hb) ? hb : ha;
          // The narrower of the two matches describes a request both take.
          const example = describe(host, matchCovers(ma, mb) ? mb : matchCovers(mb, ma) || mb.path?.type === 'RegularExpression' ? ma : mb);
          const byHost = compare(pb.host, pa.host);
          if (byHost > 0) return { first: a.rule, second: b.rule, example, uncertain: false, reason: 'a more specific hostname' };
          if (byHost < 0) continue;
          if (!pa.rest || !pb.rest) {
            uncertain ??= { first: a.rule, second: b.rule, example, uncertain: true };
            continue;
          }
          const c = compare(pb.rest, pa.rest);
          const sameRoute = a.rule.model === b.rule.model;
          if (c > 0) return { first: a.rule, second: b.rule, example, uncertain: false, reason: REASONS[pb.rest.findIndex((x, i) => x !== pa.rest![i])]! };
          if (c === 0 && !sameRoute && routeKey(b.rule) < routeKey(a.rule)) return { first: a.rule, second: b.rule, example, uncertain: false, reason: 'a route name first in alphabetical order (the rules are equally specific)' };
        }
      }
    }
  }
  return uncertain;
}
