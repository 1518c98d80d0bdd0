/**
 * The Istio source model (istio/istio at 86c9f01fd, istio/api networking/v1alpha3): Gateways and
 * the VirtualServices bound to them, one instance per gateway proxy (Gateways with the same
 * selector share one: MergedGateway), and the sidecars (VirtualServices bound to `mesh`), one
 * instance. Independent of the translation (src/providers/istio).
 */
import type { ObjectRef } from '../../../findings/finding.js';
import type { KubeObject } from '../../../inputs/document.js';
import type { Probe } from '../../types.js';
import { isRecord } from '../../types.js';
import type { ObjectSourceModel, SourceInput, SourceInstance } from '../types.js';
import { evaluateGateway, evaluateMesh, type Context } from './evaluate.js';
import { isIstio, readIstio, serviceOfFqdn, type IstioGateway } from './objects.js';
import { gatewayProbes, meshProbes } from './probes.js';

export const ISTIO_ASSUMPTIONS = [
  'Gateways with the same selector run on one proxy (one address): their servers of a port share routes, as istiod merges them',
  'a credentialName Secret exists and its certificate names the server hosts; HTTPS for a name no server lists fails for a validating client',
  'the gateway proxies run in the namespace of their Gateway (exportTo and `.` server hosts are read against it)',
  'mesh requests come from a client the VirtualService is exported to, without sourceLabels or sourceNamespace conditions of its own',
  'a Service that is not in the input exists, with the ports the VirtualService uses (80 when it names none); a subset without a DestinationRule in the input exists',
  'fault injection (aborts), delegate, CORS, retries, timeouts, mirror percentages and DestinationRule traffic policies are not simulated',
];

/** The fields of a VirtualService whose effect the model does not simulate. */
function unmodelledFields(o: KubeObject): string[] {
  const spec = isRecord(o.spec) ? o.spec : {};
  const out = new Set<string>();
  for (const h of Array.isArray(spec.http) ? spec.http : []) {
    if (!isRecord(h)) continue;
    for (const k of ['fault', 'delegate', 'corsPolicy', 'retries', 'timeout', 'mirrorPercentage', 'mirrorPercent']) if (h[k] !== undefined) out.add(`http[].${k}`);
    for (const m of Array.isArray(h.match) ? h.match : []) {
      if (!isRecord(m)) continue;
      for (const k of ['sourceLabels', 'sourceNamespace']) if (m[k] !== undefined) out.add(`http[].match[].${k}`);
    }
  }
  return [...out].sort();
}

class GatewayInstance implements SourceInstance {
  readonly assumptions = ISTIO_ASSUMPTIONS;
  readonly unmodelled: SourceInstance['unmodelled'];

  constructor(
    readonly entry: string,
    private readonly ctx: Context,
    private readonly gateways: IstioGateway[],
    unmodelled: SourceInstance['unmodelled'],
  ) {
    this.unmodelled = unmodelled;
  }

  probes(): Probe[] {
    return gatewayProbes(this.ctx, this.entry, this.gateways);
  }

  evaluate(probe: Probe) {
    return evaluateGateway(this.ctx, this.gateways, probe);
  }

  hosts(): string[] {
    const keys = new Set(this.gateways.map((g) => `${g.namespace}/${g.name}`));
    return [...new Set(this.ctx.objects.virtualServices.filter((v) => v.gateways.some((g) => keys.has(g))).flatMap((v) => v.hosts))].sort();
  }
}

class MeshInstance implements SourceInstance {
  readonly entry = 'mesh';
  readonly assumptions = ISTIO_ASSUMPTIONS;

  constructor(
    private readonly ctx: Context,
    readonly unmodelled: SourceInstance['unmodelled'],
  ) {}

  probes(): Probe[] {
    return meshProbes(this.ctx, this.entry);
  }

  evaluate(probe: Probe) {
    return evaluateMesh(this.ctx, probe);
  }

  hosts(): string[] {
    return [];
  }
}

export const istioModel: ObjectSourceModel = {
  id: 'istio',
  displayName: 'Istio',
  owns: (o) => isIstio(o, 'VirtualService'),
  build(input: SourceInput): SourceInstance[] {
    const objects = readIstio(input.documents, input.services);
    const ctx: Context = { objects };
    const unmodelled = objects.virtualServices.map((v) => ({ object: v.ref, keys: unmodelledFields(v.doc.object) })).filter((u) => u.keys.length > 0);
    const bySelector = new Map<string, IstioGateway[]>();
    for (const g of [...objects.gateways.values()].sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1))) {
      let l = bySelector.get(g.selector);
      if (!l) bySelector.set(g.selector, (l = []));
      l.push(g);
    }
    const out: SourceInstance[] = [];
    for (const [selector, gws] of [...bySelector.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const keys = new Set(gws.map((g) => `${g.namespace}/${g.name}`));
      const entry = selector ? `gateway ${selector}` : `gateway ${[...keys].join(',')}`;
      out.push(new GatewayInstance(entry, ctx, gws, unmodelled.filter((u) => objects.virtualServices.some((v) => v.ref === u.object && v.gateways.some((g) => keys.has(g))))));
    }
    if (objects.virtualServices.some((v) => v.gateways.includes('mesh'))) {
      out.push(new MeshInstance(ctx, unmodelled.filter((u) => objects.virtualServices.some((v) => v.ref === u.object && v.gateways.includes('mesh')))));
    }
    return out;
  },
  notVerified(input: SourceInput) {
    const objects = readIstio(input.documents, input.services);
    const out: { object: ObjectRef; reason: string }[] = [];
    for (const v of objects.virtualServices) {
      const missing = v.gateways.filter((g) => g !== 'mesh' && !objects.gateways.has(g));
      if (missing.length) out.push({ object: v.ref, reason: `bound to Gateway ${missing.join(', ')}, which is not in the input: its servers (ports, hosts, TLS) are unknown, so requests through it are not simulated` });
      if (v.gateways.includes('mesh')) {
        const other = v.hosts.filter((h) => !serviceOfFqdn(h) && !h.includes('*'));
        if (other.length) out.push({ object: v.ref, reason: `mesh host ${other.join(', ')} is not a Kubernetes Service (name, or name.namespace.svc.cluster.local): requests to it are not simulated` });
      }
    }
    return out;
  },
};
