/**
 * VirtualService tls and tcp routes (istio/api virtual_service.proto TLSRoute, TCPRoute,
 * TLSMatchAttributes, L4MatchAttributes): one TLSRoute (hostnames: the SNI hosts) or TCPRoute
 * per Istio route, each with one rule (Gateway API v1.6 TLSRoute and TCPRoute v1 have exactly
 * one). Istio takes the first route that matches a connection.
 */
import type { FieldPath } from '../../inputs/document.js';
import type { BackendRef, Provenance } from '../../ir/types.js';
import { WILDCARD_HOST } from '../../ir/k8s-names.js';
import { fieldText } from '../common/translate.js';
import { resolveDestination, type DestinationEnv } from './destinations.js';
import { isRecord, type ObjReader } from './read.js';
import { fieldRuleId } from './rules.js';

export interface L4Match {
  sniHosts: string[];
  port?: number;
  gateways?: string[];
  at: FieldPath;
}

export interface IstioL4Route {
  kind: 'tls' | 'tcp';
  index: number;
  at: FieldPath;
  matches: L4Match[];
  /** Match blocks were given and every one was left out. */
  empty: boolean;
  backends: BackendRef[];
  provenance: Provenance;
}

export function readL4Route(r: ObjReader, env: DestinationEnv & { gatewayRef(name: string): string }, kind: 'tls' | 'tcp', i: number): IstioL4Route | undefined {
  const at: FieldPath = ['spec', kind, i];
  if (!isRecord(r.get(at))) {
    r.report(at, 'istio/invalid-field', 'warning', `${fieldText(at)} is not a map; it was left out`);
    return undefined;
  }
  const matches: L4Match[] = [];
  const blocks = r.list([...at, 'match']);
  blocks.forEach((_, j) => {
    const mat = [...at, 'match', j];
    if (r.has([...mat, 'sourceLabels']) || r.has([...mat, 'sourceNamespace'])) {
      for (const k of Object.keys(r.map(mat) ?? {})) if (k !== 'sourceLabels' && k !== 'sourceNamespace') r.consume([...mat, k]);
      return;
    }
    const m: L4Match = { sniHosts: [], at: mat };
    if (kind === 'tls') {
      r.strings([...mat, 'sniHosts']).map((h) => h.toLowerCase()).forEach((h, k) => {
        if (WILDCARD_HOST.test(h)) m.sniHosts.push(h);
        else r.report([...mat, 'sniHosts', k], fieldRuleId('VirtualService.tls.match.sniHosts'), 'warning', `SNI host "${h}" is not a host name a TLSRoute accepts; it was left out`);
      });
      if (m.sniHosts.length === 0) {
        r.note(mat, fieldRuleId('VirtualService.tls.match.sniHosts'), 'warning', `${fieldText(mat)} has no SNI host a TLSRoute accepts; the match was left out`);
        return;
      }
    }
    const port = r.int([...mat, 'port']);
    if (port !== undefined) m.port = port;
    const gws = r.strings([...mat, 'gateways']);
    if (gws.length) m.gateways = gws.map((g) => env.gatewayRef(g));
    matches.push(m);
  });
  if (blocks.length === 0) {
    if (kind === 'tls') {
      r.note(at, fieldRuleId('VirtualService.tls.match.sniHosts'), 'warning', `tls[${i}] has no match (Istio requires sniHosts); it was not translated`);
      return undefined;
    }
    matches.push({ sniHosts: [], at });
  }
  const backends: BackendRef[] = [];
  const dests = r.list([...at, 'route']);
  const weights: (number | undefined)[] = [];
  dests.forEach((_, k) => {
    const dp = [...at, 'route', k];
    const ref = resolveDestination(r, [...dp, 'destination'], env, { entry: fieldRuleId(`VirtualService.${kind}.route.destination.subset`), what: `${kind} destination` });
    const w = r.int([...dp, 'weight']);
    if (ref) {
      backends.push(ref);
      weights.push(w);
    }
  });
  if (backends.length > 1 && !weights.every((w) => (w ?? 0) === 0)) backends.forEach((b, k) => (b.weight = weights[k] ?? 0));
  if (dests.length === 0) r.note(at, 'istio/invalid-field', 'warning', `${kind}[${i}] has no route destination; it was not translated`);
  return { kind, index: i, at, matches, empty: blocks.length > 0 && matches.length === 0, backends, provenance: r.provenance(at) };
}
