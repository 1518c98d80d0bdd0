/**
 * First match wins (Istio) against most specific wins (Gateway API).
 *
 * Istio evaluates a VirtualService's http routes in order and takes the first that matches
 * (virtual_service.proto: "The first rule matching an incoming request is used"). Gateway API
 * ranks every match of every rule: Exact path, then the longest PathPrefix, then a method, then
 * the most header matches, then the most query matches; ties go to the first rule of the route
 * (HTTPRoute spec.rules[].matches). RegularExpression paths are ranked by the implementation;
 * this module ranks them as Istio's own Gateway API implementation does (pilot
 * config/kube/gateway sortHTTPRoutes: Exact > Prefix > RegularExpression, then length).
 *
 * When a later route j has a match more specific than an overlapping match of an earlier route
 * i, Gateway API would send the requests of the overlap to j where Istio sent them to i. The fix
 * adds the overlap itself (the two matches' conditions together) to route i: it is at least as
 * specific as j's match, and it ties in i's favour because i's rule comes first. Overlaps that
 * cannot be written as one Gateway API match (two different regexes, a regex and a prefix), or
 * that would change a prefix rewrite, are reported with the requests they concern.
 */
import type { HeaderMatch, PathMatch, RouteMatch } from '../../ir/types.js';

export interface OrderedRoute {
  /** Matches, in Gateway API form; a match without path is PathPrefix `/`. */
  matches: RouteMatch[];
  /**
   * The route rewrites or redirects the matched prefix: a match it gains must keep the same
   * PathPrefix (the prefix replaced is the matched one).
   */
  prefixDependent: boolean;
}

export interface OrderConflict {
  /** Index of the earlier route (Istio's winner) and of the later one (Gateway API's). */
  first: number;
  later: number;
  /** The requests concerned, in words. */
  requests: string;
  why: string;
}

export interface OrderResult {
  /** Matches added to each route (by index). */
  added: Map<number, RouteMatch[]>;
  /** Matches of later routes that an earlier route takes entirely in Istio (never reached). */
  unreachable: { route: number; match: number; by: number }[];
  conflicts: OrderConflict[];
}

const MAX_ADDED = 32;

function pathOf(m: RouteMatch): PathMatch {
  return m.path ?? { type: 'PathPrefix', value: '/' };
}

/** A PathPrefix value without its trailing slash (Gateway API ignores it), `/` kept. */
function prefixBase(v: string): string {
  return v.length > 1 && v.endsWith('/') ? v.slice(0, -1) : v;
}

/** Whether `path` lies under the prefix, element by element. */
function under(path: string, prefix: string): boolean {
  const p = prefixBase(prefix);
  return p === '/' || path === p || path.startsWith(`${p}/`);
}

type Rank = [number, number, number, number, number];

function rank(m: RouteMatch): Rank {
  const p = pathOf(m);
  const kind = p.type === 'Exact' ? 3 : p.type === 'PathPrefix' ? 2 : 1;
  const len = p.type === 'PathPrefix' ? prefixBase(p.value).length : p.value.length;
  return [kind, len, m.method ? 1 : 0, m.headers?.length ?? 0, m.queryParams?.length ?? 0];
}

function compareRank(a: Rank, b: Rank): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The regex as a whole-string JavaScript test (RE2 and JS agree on the common subset). */
function regexTest(re: string, s: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${re})$`, 'u').test(s);
  } catch {
    return undefined;
  }
}

/** Whether two value conditions can hold at once; undefined when it cannot be told. */
function valuesMeet(a: HeaderMatch, b: HeaderMatch): boolean | undefined {
  if (a.type === 'Exact' && b.type === 'Exact') return a.value === b.value;
  if (a.type === 'Exact') return regexTest(b.value, a.value);
  if (b.type === 'Exact') return regexTest(a.value, b.value);
  return a.value === b.value ? true : undefined;
}

/** The two value conditions together, or undefined when they cannot be written as one. */
function valuesBoth(a: HeaderMatch, b: HeaderMatch): HeaderMatch | undefined {
  if (a.type === b.type && a.value === b.value) return a;
  if (a.type === 'Exact' && regexTest(b.value, a.value)) return a;
  if (b.type === 'Exact' && regexTest(a.value, b.value)) return b;
  return undefined;
}

function keyed(list: readonly HeaderMatch[] | undefined, caseless: boolean): Map<string, HeaderMatch> {
  return new Map((list ?? []).map((h) => [caseless ? h.name.toLowerCase() : h.name, h]));
}

/** Whether some request can satisfy both matches (true when it cannot be told). */
export function overlaps(a: RouteMatch, b: RouteMatch): boolean {
  const pa = pathOf(a);
  const pb = pathOf(b);
  if (pa.type === 'Exact' && pb.type === 'Exact' && pa.value !== pb.value) return false;
  if (pa.type === 'Exact' && pb.type === 'PathPrefix' && !under(pa.value, pb.value)) return false;
  if (pb.type === 'Exact' && pa.type === 'PathPrefix' && !under(pb.value, pa.value)) return false;
  if (pa.type === 'PathPrefix' && pb.type === 'PathPrefix' && !under(pa.value, pb.value) && !under(pb.value, pa.value)) return false;
  if (pa.type === 'RegularExpression' && pb.type === 'Exact' && regexTest(pa.value, pb.value) === false) return false;
  if (pb.type === 'RegularExpression' && pa.type === 'Exact' && regexTest(pb.value, pa.value) === false) return false;
  if (a.method && b.method && a.method !== b.method) return false;
  for (const [list, caseless] of [
    [[a.headers, b.headers], true],
    [[a.queryParams, b.queryParams], false],
  ] as const) {
    const mb = keyed(list[1], caseless);
    for (const [k, h] of keyed(list[0], caseless)) {
      const other = mb.get(k);
      if (other && valuesMeet(h, other) === false) return false;
    }
  }
  return true;
}

/** Whether every request matching `inner` also matches `outer`. */
export function covers(outer: RouteMatch, inner: RouteMatch): boolean {
  const po = pathOf(outer);
  const pi = pathOf(inner);
  if (po.type === 'PathPrefix') {
    if (pi.type === 'RegularExpression' && prefixBase(po.value) !== '/') return false;
    if (pi.type !== 'RegularExpression' && !under(pi.value, po.value)) return false;
  } else if (po.type !== pi.type || po.value !== pi.value) {
    if (!(po.type === 'RegularExpression' && pi.type === 'Exact' && regexTest(po.value, pi.value))) return false;
  }
  if (outer.method && outer.method !== inner.method) return false;
  for (const [o, i, caseless] of [
    [outer.headers, inner.headers, true],
    [outer.queryParams, inner.queryParams, false],
  ] as const) {
    const ki = keyed(i, caseless);
    for (const [k, h] of keyed(o, caseless)) {
      const x = ki.get(k);
      if (!x) return false;
      if (!(x.type === h.type && x.value === h.value) && !(h.type === 'RegularExpression' && x.type === 'Exact' && regexTest(h.value, x.value))) return false;
    }
  }
  return true;
}

/**
 * Whether Istio's string prefix of `outer` (as written) fails to take paths of `inner` that
 * PathPrefix takes: an exact path or a prefix that does not start with it (`/api/` and /api).
 */
function istioPrefixMisses(outer: RouteMatch, inner: RouteMatch): boolean {
  const po = pathOf(outer);
  const pi = pathOf(inner);
  if (po.type !== 'PathPrefix' || po.value === '/' || pi.type === 'RegularExpression') return false;
  return !pi.value.startsWith(po.value);
}

/** Both matches' conditions as one match, or undefined when Gateway API cannot write it. */
export function both(a: RouteMatch, b: RouteMatch): RouteMatch | undefined {
  const pa = pathOf(a);
  const pb = pathOf(b);
  let path: PathMatch | undefined;
  if (pa.type === 'PathPrefix' && pb.type === 'PathPrefix') path = under(pa.value, pb.value) ? pa : pb;
  else if (pa.type === 'Exact') path = pa;
  else if (pb.type === 'Exact') path = pb;
  else if (pa.type === 'RegularExpression' && pb.type === 'RegularExpression') path = pa.value === pb.value ? pa : undefined;
  else if (pa.type === 'RegularExpression') path = prefixBase(pb.value) === '/' ? pa : undefined;
  else path = prefixBase(pa.value) === '/' ? pb : undefined;
  if (!path) return undefined;
  if (a.method && b.method && a.method !== b.method) return undefined;
  const out: RouteMatch = { path };
  const method = a.method ?? b.method;
  if (method) out.method = method;
  for (const [field, caseless] of [
    ['headers', true],
    ['queryParams', false],
  ] as const) {
    const merged = keyed(a[field], caseless);
    for (const [k, h] of keyed(b[field], caseless)) {
      const x = merged.get(k);
      if (!x) merged.set(k, h);
      else {
        const v = valuesBoth(x, h);
        if (!v) return undefined;
        merged.set(k, v);
      }
    }
    if (merged.size > 16) return undefined;
    if (merged.size) out[field] = [...merged.values()];
  }
  return out;
}

function sameMatch(a: RouteMatch, b: RouteMatch): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The requests of a match, in words. */
export function describeMatch(m: RouteMatch): string {
  const p = pathOf(m);
  const parts = [p.type === 'Exact' ? `path ${p.value}` : p.type === 'PathPrefix' ? (prefixBase(p.value) === '/' ? 'every path' : `paths under ${prefixBase(p.value)}`) : `paths matching ${p.value}`];
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers ?? []) parts.push(`header ${h.name} ${h.type === 'Exact' ? `= ${h.value}` : `~ ${h.value}`}`);
  for (const q of m.queryParams ?? []) parts.push(`query ${q.name} ${q.type === 'Exact' ? `= ${q.value}` : `~ ${q.value}`}`);
  return parts.join(', ');
}

/**
 * Makes Gateway API precedence give each request to the route Istio gave it: returns the matches
 * to add to earlier routes, the matches never reached, and the conflicts it could not resolve.
 */
export function orderRoutes(routes: readonly OrderedRoute[]): OrderResult {
  const result: OrderResult = { added: new Map(), unreachable: [], conflicts: [] };
  const all = routes.map((r) => [...r.matches]);
  const seenConflict = new Set<string>();
  let budget = MAX_ADDED;
  // Worklist: a match of route j to check against the routes before j.
  const work: { route: number; match: RouteMatch; original: number | undefined }[] = [];
  routes.forEach((r, j) => r.matches.forEach((m, k) => work.push({ route: j, match: m, original: k })));
  while (work.length > 0) {
    const { route: j, match: mj, original } = work.shift()!;
    for (let i = 0; i < j; i++) {
      for (const mi of [...all[i]!]) {
        if (!overlaps(mi, mj)) continue;
        // Istio's prefix is a string prefix: `/api/` does not take the exact path /api, which
        // PathPrefix /api/ does; Istio gave that path to the later route, nothing to add.
        if (istioPrefixMisses(mi, mj) && pathOf(mj).type === 'Exact') continue;
        if (original !== undefined && covers(mi, mj) && !istioPrefixMisses(mi, mj) && !result.unreachable.some((u) => u.route === j && u.match === original)) {
          result.unreachable.push({ route: j, match: original, by: i });
        }
        const c = compareRank(rank(mj), rank(mi));
        if (c <= 0) continue; // i's match wins or ties (i's rule comes first)
        const cap = both(mi, mj);
        const key = `${i}/${j}/${JSON.stringify(mi)}/${JSON.stringify(mj)}`;
        const conflict = (why: string) => {
          if (seenConflict.has(key)) return;
          seenConflict.add(key);
          result.conflicts.push({ first: i, later: j, requests: describeMatch(cap ?? mj), why });
        };
        if (!cap) {
          conflict('the overlap of the two matches cannot be written as one Gateway API match');
          continue;
        }
        if (compareRank(rank(cap), rank(mj)) < 0) {
          conflict('regex precedence is implementation-specific, and Istio ranks a RegularExpression path below every PathPrefix');
          continue;
        }
        if (routes[i]!.prefixDependent && pathOf(cap).value !== pathOf(mi).value) {
          conflict('the earlier route rewrites the prefix it matched, which a narrower match would change');
          continue;
        }
        if (all[i]!.some((m) => sameMatch(m, cap))) continue;
        if (budget === 0) {
          conflict('too many overlapping matches to add');
          continue;
        }
        budget--;
        all[i]!.push(cap);
        let list = result.added.get(i);
        if (!list) result.added.set(i, (list = []));
        list.push(cap);
        work.push({ route: i, match: cap, original: undefined });
      }
    }
  }
  return result;
}

/**
 * Overlapping matches of one route whose rewrite depends on the match (a prefix rewrite): Istio
 * takes the first of them, Gateway API the most specific, and the two rewrite differently. The
 * pairs where the later match ranks higher and has another path.
 */
export function sameRouteConflicts(matches: readonly RouteMatch[]): { first: number; later: number; requests: string }[] {
  const out: { first: number; later: number; requests: string }[] = [];
  for (let b = 1; b < matches.length; b++) {
    for (let a = 0; a < b; a++) {
      const ma = matches[a]!;
      const mb = matches[b]!;
      const pa = pathOf(ma);
      const pb = pathOf(mb);
      if (pa.type === pb.type && pa.value === pb.value) continue;
      if (!overlaps(ma, mb) || (istioPrefixMisses(ma, mb) && pb.type === 'Exact')) continue;
      if (compareRank(rank(mb), rank(ma)) <= 0) continue;
      out.push({ first: a, later: b, requests: describeMatch(both(ma, mb) ?? mb) });
      break;
    }
  }
  return out;
}
