/** Which aspects of two outcomes differ. */
import { normalizeLocation } from './http.js';
import type { Aspect, HeaderEdits, Outcome, WeightedBackend } from './types.js';

const EPSILON = 1e-9;

function sameHeaders(a: HeaderEdits, b: HeaderEdits): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

function backendAspects(a: readonly WeightedBackend[], b: readonly WeightedBackend[]): Aspect[] {
  const key = (x: WeightedBackend) => `${x.service}:${x.port}`;
  const sa = a.map(key).sort();
  const sb = b.map(key).sort();
  if (sa.length !== sb.length || sa.some((k, i) => k !== sb[i])) return ['backends'];
  const wb = new Map(b.map((x) => [key(x), x.weight]));
  return a.some((x) => Math.abs(x.weight - (wb.get(key(x)) ?? 0)) > EPSILON) ? ['weights'] : [];
}

/** The aspects in which `g` differs from `s`; undefined when either cannot be compared. */
export function compareOutcomes(s: Outcome, g: Outcome): Aspect[] | undefined {
  if (s.kind === 'unknown' || g.kind === 'unknown') return undefined;
  if (s.kind !== g.kind) return ['outcome'];
  switch (s.kind) {
    case 'respond':
      return s.status === (g as typeof s).status ? [] : ['status'];
    case 'redirect': {
      const o = g as typeof s;
      const out: Aspect[] = [];
      if (s.status !== o.status) out.push('status');
      if (normalizeLocation(s.location) !== normalizeLocation(o.location)) out.push('location');
      return out;
    }
    case 'tls-failure':
      return [];
    case 'passthrough':
      return backendAspects(s.backends, (g as typeof s).backends);
    case 'forward': {
      const o = g as typeof s;
      const out = backendAspects(s.backends, o.backends);
      if (s.path !== o.path) out.push('path');
      // Host names are case-insensitive (RFC 9110 4.2.3).
      if (s.host.toLowerCase() !== o.host.toLowerCase()) out.push('host');
      if (!sameHeaders(s.requestHeaders, o.requestHeaders)) out.push('request-headers');
      if (!sameHeaders(s.responseHeaders, o.responseHeaders)) out.push('response-headers');
      if (s.mirrors.join(' ') !== o.mirrors.join(' ')) out.push('mirrors');
      return out;
    }
  }
}

/** One line describing an outcome. */
export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'forward': {
      const b = o.backends.map((x) => `${x.service}:${x.port}${o.backends.length > 1 ? ` (${Math.round(x.weight * 1000) / 10}%)` : ''}`).join(', ');
      const extra: string[] = [];
      const req = Object.entries(o.requestHeaders).map(([k, v]) => (v === null ? `-${k}` : `${k}: ${v}`));
      const res = Object.entries(o.responseHeaders).map(([k, v]) => (v === null ? `-${k}` : `${k}: ${v}`));
      if (req.length) extra.push(`request headers ${req.join(', ')}`);
      if (res.length) extra.push(`response headers ${res.join(', ')}`);
      if (o.mirrors.length) extra.push(`mirrored to ${o.mirrors.join(', ')}`);
      return `forward to ${b} as ${o.host}${o.path}${extra.length ? `; ${extra.join('; ')}` : ''}`;
    }
    case 'redirect':
      return `redirect ${o.status} to ${o.location}`;
    case 'respond':
      return o.status === 0 ? 'connection refused' : `${o.status} from the proxy`;
    case 'passthrough':
      return `TLS passed through to ${o.backends.map((x) => `${x.service}:${x.port}`).join(', ')}`;
    case 'tls-failure':
      return 'TLS handshake fails for a validating client';
    case 'unknown':
      return 'not modelled';
  }
}
