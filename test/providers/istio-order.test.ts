/** First match wins against most specific wins: the overlap analysis of the Istio provider. */
import type { RouteMatch } from '../../src/ir/types.js';
import { both, covers, orderRoutes, overlaps } from '../../src/providers/istio/order.js';
import { formatDuration, parseDuration } from '../../src/providers/istio/durations.js';

const prefix = (value: string, extra: Partial<RouteMatch> = {}): RouteMatch => ({ path: { type: 'PathPrefix', value }, ...extra });
const exact = (value: string, extra: Partial<RouteMatch> = {}): RouteMatch => ({ path: { type: 'Exact', value }, ...extra });
const regex = (value: string): RouteMatch => ({ path: { type: 'RegularExpression', value } });
const header = (name: string, value: string) => ({ name, type: 'Exact' as const, value });

describe('overlaps, covers, both', () => {
  it('compares paths segment by segment, as PathPrefix matches', () => {
    expect(overlaps(prefix('/api'), prefix('/api/v2'))).toBe(true);
    expect(overlaps(prefix('/api'), prefix('/apix'))).toBe(false);
    expect(overlaps(prefix('/api/'), exact('/api'))).toBe(true);
    expect(overlaps(exact('/a'), exact('/b'))).toBe(false);
    expect(overlaps(regex('/items/[0-9]+'), exact('/login'))).toBe(false);
    expect(overlaps(regex('/items/[0-9]+'), prefix('/shop'))).toBe(true); // cannot be told: assumed
  });

  it('tells methods and header values apart', () => {
    expect(overlaps(prefix('/', { method: 'GET' }), prefix('/', { method: 'POST' }))).toBe(false);
    expect(overlaps(prefix('/', { headers: [header('x', '1')] }), prefix('/', { headers: [header('X', '2')] }))).toBe(false);
    expect(overlaps(prefix('/', { headers: [header('x', '1')] }), prefix('/', { headers: [{ name: 'x', type: 'RegularExpression', value: '[0-9]' }] }))).toBe(true);
  });

  it('knows when a match takes every request of another', () => {
    expect(covers(prefix('/api'), prefix('/api/v2', { headers: [header('x', '1')] }))).toBe(true);
    expect(covers(prefix('/api', { headers: [header('x', '1')] }), prefix('/api/v2'))).toBe(false);
  });

  it('writes two matches as one when Gateway API can', () => {
    expect(both(prefix('/', { headers: [header('x', '1')] }), prefix('/shop', { method: 'GET' }))).toEqual(prefix('/shop', { method: 'GET', headers: [header('x', '1')] }));
    expect(both(regex('/a.*'), regex('/b.*'))).toBeUndefined();
    expect(both(regex('/a.*'), prefix('/a'))).toBeUndefined();
    expect(both(prefix('/', { method: 'GET' }), prefix('/', { method: 'POST' }))).toBeUndefined();
  });
});

describe('orderRoutes', () => {
  it('changes nothing when the routes are already from the most specific', () => {
    const r = orderRoutes([{ matches: [exact('/login')], prefixDependent: false }, { matches: [prefix('/api/v2')], prefixDependent: false }, { matches: [prefix('/')], prefixDependent: false }]);
    expect(r).toEqual({ added: new Map(), unreachable: [], conflicts: [] });
  });

  it('gives the earlier route the overlap, and checks what it gained against the routes before it', () => {
    // 0: x-a header; 1: x-b header and /b; 2: /b/c. Route 1 gains /b/c + x-b, which then
    // outranks route 0 for requests with both headers: route 0 gains that too.
    const r = orderRoutes([
      { matches: [prefix('/', { headers: [header('x-a', '1')] })], prefixDependent: false },
      { matches: [prefix('/b', { headers: [header('x-b', '1')] })], prefixDependent: false },
      { matches: [prefix('/b/c')], prefixDependent: false },
    ]);
    expect(r.conflicts).toEqual([]);
    expect(r.added.get(1)).toEqual([prefix('/b/c', { headers: [header('x-b', '1')] })]);
    expect(r.added.get(0)).toEqual(
      expect.arrayContaining([prefix('/b', { headers: [header('x-a', '1'), header('x-b', '1')] }), prefix('/b/c', { headers: [header('x-a', '1'), header('x-b', '1')] })]),
    );
  });

  it('reports what it cannot write: a regex before a prefix, and a prefix rewrite', () => {
    const r = orderRoutes([
      { matches: [regex('/files/.*')], prefixDependent: false },
      { matches: [prefix('/', { headers: [header('x', '1')] })], prefixDependent: true },
      { matches: [prefix('/files')], prefixDependent: false },
    ]);
    expect(r.conflicts.map((c) => [c.first, c.later])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });
});

describe('durations', () => {
  it('reads Istio durations and writes Gateway API ones', () => {
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1m30s')).toBe(90000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5x')).toBeUndefined();
    expect(formatDuration(1500)).toBe('1s500ms');
    expect(formatDuration(90000)).toBe('1m30s');
    expect(formatDuration(0.4)).toBe('1ms');
    expect(formatDuration(0)).toBe('0s');
  });
});
