/**
 * Traefik's path matching and router priority for Ingress paths, and the Gateway API matches that
 * come closest.
 *
 * - pathType Exact -> `Path` (the whole path), Prefix -> `PathPrefix`, ImplementationSpecific (or no
 *   pathType) -> router.pathmatcher, default `PathPrefix`; any other pathmatcher value makes Traefik
 *   skip the path (pkg/provider/kubernetes/ingress/kubernetes.go loadRouter L770-788).
 * - `PathPrefix` is strings.HasPrefix on the path (pkg/muxer/http/matcher.go L175-188): `/api`
 *   matches `/api`, `/api/x` and also `/apix`, and `/api/` does not match `/api`. Gateway API
 *   PathPrefix matches whole segments. (With the provider option strictPrefixMatching Traefik
 *   matches segments too, buildStrictPrefixMatchingRule L950-957.)
 * - `PathRegexp` is an unanchored Go regexp search (matcher.go L159-173).
 * - A router's priority is the length of its rule unless router.priority sets it
 *   (pkg/server/router/router.go L245-247, pkg/muxer/http/mux.go GetRulePriority); the rule is
 *   `Host("h") && Matcher("path")` (loadRouter L761-790); the router with the highest priority
 *   that matches answers (mux.go routes.Less).
 */
import type { PathMatch } from '../../ir/types.js';
import type { IngressPath } from '../common/ingress-model.js';
import { goRegex } from './goregex.js';

export type Matcher = 'Path' | 'PathPrefix' | 'PathRegexp';

/** The matcher Traefik uses for a path, or why it skipped the path. */
export function matcherFor(p: IngressPath, pathMatcher: string | undefined): Matcher | { invalid: string } {
  if (p.pathType === 'Exact') return 'Path';
  if (p.pathType === 'Prefix') return 'PathPrefix';
  if (pathMatcher === undefined || pathMatcher === '') return 'PathPrefix';
  if (pathMatcher === 'Path' || pathMatcher === 'PathPrefix' || pathMatcher === 'PathRegexp') return pathMatcher;
  return { invalid: `invalid router path matcher "${pathMatcher}": must be one of Path, PathPrefix, PathRegexp` };
}

/**
 * A Go regex Traefik searches for anywhere in the path, as a Gateway API RegularExpression, which
 * implementations match against the whole path: unanchored ends get `.*`.
 */
export function anchoredRegex(src: string): { value: string } | { error: string } {
  const compiled = goRegex(src);
  if ('error' in compiled) return compiled;
  const lead = /^\(\?[ims]+\)/.exec(src)?.[0] ?? '';
  const body = src.slice(lead.length);
  if (body.includes('|')) return { value: `${lead}.*(?:${body}).*` };
  const start = body.startsWith('^') ? body.slice(1) : `.*${body}`;
  const endsWithDollar = /(^|[^\\])(\\\\)*\$$/.test(start);
  return { value: lead + (endsWithDollar ? start.slice(0, -1) : `${start}.*`) };
}

/** Go's %q for the strings of an Ingress (ASCII): a JSON string. */
function quote(s: string): string {
  return JSON.stringify(s);
}

const byteLength = (s: string): number => new TextEncoder().encode(s).length;

/** The rule Traefik builds for a host and path (v3 syntax, or v2 for a wildcard host). */
export function routerRule(host: string, matcher: Matcher, path: string, ruleSyntax?: string): string {
  const parts: string[] = [];
  if (host !== '') {
    if (ruleSyntax === 'v2' && host.startsWith('*.')) parts.push(`HostRegexp(${quote(`{subdomain:[a-zA-Z0-9-]+}${host.slice(1)}`)})`);
    else parts.push(`Host(${quote(host)})`);
  }
  parts.push(`${matcher}(${quote(path)})`);
  return parts.join(' && ');
}

export function defaultPriority(rule: string): number {
  return byteLength(rule);
}

/** The Gateway API match for a Traefik matcher; undefined when a regex cannot be expressed. */
export function gatewayMatch(matcher: Matcher, path: string): PathMatch | { error: string } {
  if (matcher === 'Path') return { type: 'Exact', value: path };
  if (matcher === 'PathPrefix') return { type: 'PathPrefix', value: path };
  const r = anchoredRegex(path);
  if ('error' in r) return r;
  return { type: 'RegularExpression', value: r.value };
}

/** One router of the priority comparison. */
export interface RouterEntry<T> {
  host: string;
  matcher: Matcher;
  path: string;
  priority: number;
  /** Listeners it is served on. */
  http: boolean;
  https: boolean;
  /** Whatever the caller wants back in the results. */
  ref: T;
}

function traefikMatches(e: RouterEntry<unknown>, path: string): boolean | undefined {
  if (e.matcher === 'Path') return path === e.path;
  if (e.matcher === 'PathPrefix') return path.startsWith(e.path);
  const c = goRegex(e.path);
  return 'error' in c ? undefined : c.re.test(path);
}

function gatewayMatches(e: RouterEntry<unknown>, path: string): boolean | undefined {
  if (e.matcher === 'Path') return path === e.path;
  if (e.matcher === 'PathPrefix') {
    const v = e.path.replace(/\/+$/, '');
    return v === '' || path === v || path.startsWith(`${v}/`);
  }
  return undefined; // RegularExpression precedence is implementation-specific
}

interface PriorityDifference<T> {
  host: string;
  path: string;
  listener: 'http' | 'https';
  /** The router that answered in Traefik. */
  traefik: RouterEntry<T>;
  /** The rule that answers in Gateway API. */
  gateway: RouterEntry<T>;
}

/**
 * Requests that Traefik and Gateway API send to different rules. Each router's own path is
 * tried on its host (and host-less routers on a host of their own); where either side has a tie
 * or a regular expression decides, nothing is claimed.
 */
export function priorityDifferences<T>(entries: readonly RouterEntry<T>[], sameAnswer: (a: T, b: T) => boolean = () => false): PriorityDifference<T>[] {
  const out: PriorityDifference<T>[] = [];
  const seen = new Set<string>();
  const hostless = entries.filter((e) => e.host === '');
  const hosts = [...new Set(entries.map((e) => e.host))].sort();
  for (const host of hosts) {
    // A wildcard router takes the names one label below it too (muxer.go DomainMatchHostExpression),
    // with the priority of its rule, so it competes with the routers of those names (found by verify).
    const covers = (w: string) => w.startsWith('*.') && !host.startsWith('*.') && host.endsWith(w.slice(1)) && !host.slice(0, host.length - w.length + 1).includes('.');
    const candidates = host === '' ? hostless : [...entries.filter((e) => e.host === host || covers(e.host)), ...hostless];
    // Each path, and a request below it (where a prefix of one router and another router's path
    // both match: found by verify).
    const requests = [...new Set(candidates.filter((e) => e.matcher !== 'PathRegexp').flatMap((e) => [e.path, `${e.path.replace(/\/+$/, '')}/x`]))].sort();
    for (const listener of ['http', 'https'] as const) {
      const onListener = candidates.filter((e) => e[listener]);
      if (onListener.length < 2) continue;
      for (const path of requests) {
        let tWinner: RouterEntry<T> | undefined;
        let tTie = false;
        let unknown = false;
        for (const e of onListener) {
          const m = traefikMatches(e, path);
          if (m === undefined) unknown = true;
          if (!m) continue;
          if (!tWinner || e.priority > tWinner.priority) {
            tWinner = e;
            tTie = false;
          } else if (e.priority === tWinner.priority && !sameAnswer(e.ref, tWinner.ref)) tTie = true;
        }
        let gWinner: RouterEntry<T> | undefined;
        let gTie = false;
        let gBest: RouterEntry<T>[] = [];
        const rank = (e: RouterEntry<T>): [number, number, number] => [e.host === '' ? 0 : e.host.startsWith('*.') ? 1 : 2, e.matcher === 'Path' ? 1 : 0, e.path.replace(/\/+$/, '').length];
        const better = (a: [number, number, number], b: [number, number, number]): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
        for (const e of onListener) {
          const m = gatewayMatches(e, path);
          if (m === undefined) {
            // A RegularExpression that matches the request: its rank is implementation-specific.
            if (traefikMatches(e, path) !== false) unknown = true;
            continue;
          }
          if (!m) continue;
          if (!gWinner || better(rank(e), rank(gWinner)) > 0) {
            gWinner = e;
            gTie = false;
            gBest = [e];
          } else if (better(rank(e), rank(gWinner)) === 0) {
            gTie = true;
            gBest.push(e);
          }
        }
        if (unknown || tTie || !tWinner || !gWinner) continue;
        // Matches Gateway API ranks alike (`/api` and `/api/`) are ordered by route age and name,
        // which the Ingress does not decide: each of them may take the request (found by verify).
        const gateways = gTie ? gBest : [gWinner];
        for (const g of gateways) {
          if (g === tWinner) continue;
          if (tWinner.host === g.host && tWinner.matcher === g.matcher && tWinner.path === g.path) continue; // the same path defined twice
          // Once per pair of routers (the request below a path finds the same pair again).
          const key = `${entries.indexOf(tWinner)} ${entries.indexOf(g)} ${listener}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ host, path, listener, traefik: tWinner, gateway: g });
        }
      }
    }
  }
  return out;
}
