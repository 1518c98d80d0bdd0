/**
 * `verify`: converts the sources (as `convert` would), then sends every probe the source models
 * derive from the sources through the source model and through the Gateway API model, and lists
 * the requests whose outcomes differ, with the findings that explain them. No I/O.
 *
 * Which Gateway answers a request: the one DNS would point the host at, i.e. the Gateway whose
 * routes name the host (exact before wildcard; a route refused only for an HTTPRoute/GRPCRoute
 * conflict counts, its parentRef still names the Gateway); for a host no route names, the
 * Gateways that have a catch-all route (no hostnames), else those serving the other hosts of the
 * same source load balancer.
 * When several Gateways qualify and answer differently, the difference is reported against the
 * first and says so.
 */
import type { Finding, ObjectRef } from '../findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../inputs/document.js';
import { convert, type ConvertOptions, type ConvertResult } from '../convert.js';
import type { Validator } from '../validate/validator.js';
import { compareOutcomes } from './compare.js';
import { explain, positionKey, type Locator } from './explain.js';
import { GatewayApiModel, type RegexPrecedence } from './gateway-api/model.js';
import { OBJECT_SOURCE_MODELS, SOURCE_MODELS, type ObjectSourceModel, type SourceInput, type SourceInstance, type SourceModel } from './sources/index.js';
import type { Difference, Involvement, Outcome, Probe } from './types.js';
import { isRecord } from './types.js';

export interface VerifyOptions {
  convert: ConvertOptions;
  /** Check these Gateway API objects (hand-edited output) instead of the conversion's. */
  gatewayApi?: readonly KubeObject[];
  /** Where RegularExpression path matches rank in the Gateway API model. */
  regexPrecedence?: RegexPrecedence;
}

export interface EntryReport {
  provider: string;
  /** The source load balancer (ingress-nginx: the ingress class). */
  entry: string;
  ingresses: number;
  probes: number;
  compared: number;
  /** Probes one of the models cannot answer (a feature it does not simulate). */
  notCompared: number;
  differences: number;
  unexplained: number;
  assumptions: string[];
  unmodelled: SourceInstance['unmodelled'];
}

export interface VerifyResult {
  conversion: ConvertResult;
  /** The Gateway API objects that were checked. */
  gatewayApiObjects: readonly KubeObject[];
  gatewayModel: { regexPrecedence: RegexPrecedence; notes: string[] };
  entries: EntryReport[];
  differences: Difference[];
  /** Ingresses (and Istio VirtualServices) no source model covers. */
  notVerified: { object: ObjectRef; reason: string }[];
  stats: { probes: number; compared: number; notCompared: number; differences: number; explained: number; unexplained: number };
}

const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

function isIngress(o: KubeObject): boolean {
  return o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\/(v1|v1beta1)$/.test(o.apiVersion);
}

function refOf(o: KubeObject): ObjectRef {
  return { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name ?? '' };
}

function indexInput(documents: readonly SourceDocument[]): SourceInput {
  const services = new Map<string, KubeObject>();
  const configMaps = new Map<string, KubeObject>();
  const ingressClasses = new Map<string, KubeObject>();
  for (const d of documents) {
    const o = d.object;
    const key = `${o.metadata.namespace ?? 'default'}/${o.metadata.name ?? ''}`;
    if (o.kind === 'Service' && o.apiVersion === 'v1' && !services.has(key)) services.set(key, o);
    else if (o.kind === 'ConfigMap' && o.apiVersion === 'v1' && !configMaps.has(key)) configMaps.set(key, o);
    else if (o.kind === 'IngressClass' && /^networking\.k8s\.io\//.test(o.apiVersion) && o.metadata.name) ingressClasses.set(o.metadata.name, o);
  }
  return { documents, services, configMaps, ingressClasses };
}

/** Which source model serves an Ingress, and on which load balancer; or why none does. */
function assign(o: KubeObject, input: SourceInput, providers: readonly string[] | undefined): { model: SourceModel; entry: string } | string {
  const models = providers?.length ? SOURCE_MODELS.filter((m) => providers.includes(m.id)) : SOURCE_MODELS;
  const spec = isRecord(o.spec) ? o.spec : {};
  const defaults = [...input.ingressClasses.entries()].filter(([, c]) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true').map(([n]) => n).sort();
  const className = (typeof spec.ingressClassName === 'string' && spec.ingressClassName) || o.metadata.annotations?.[CLASS_ANNOTATION] || defaults[0];
  if (providers?.length === 1) {
    const m = models[0];
    return m ? { model: m, entry: className ?? m.classNames[0] ?? m.id } : `no source model for provider ${providers[0]}`;
  }
  if (className) {
    const ic = input.ingressClasses.get(className);
    const controller = ic && isRecord(ic.spec) && typeof ic.spec.controller === 'string' ? ic.spec.controller : undefined;
    const m = controller
      ? models.find((x) => x.controllers.some((c) => (typeof c === 'string' ? c === controller : c.test(controller))))
      : models.find((x) => x.classNames.includes(className));
    if (m) return { model: m, entry: className };
    return controller ? `its class ${className} belongs to controller ${controller}, which verify has no source model of yet` : `its class ${className} is not one verify has a source model of yet (${SOURCE_MODELS.map((x) => x.id).join(', ')})`;
  }
  const keys = Object.keys(o.metadata.annotations ?? {});
  let best: SourceModel | undefined;
  let count = 0;
  for (const m of models) {
    const n = keys.filter((k) => k.startsWith(m.annotationPrefix)).length;
    if (n > count) {
      best = m;
      count = n;
    }
  }
  if (best) return { model: best, entry: best.classNames[0] ?? best.id };
  return 'it names no class and carries no controller annotation';
}

/** The positions of a field and everything under it, for matching findings to source fields. */
function makeLocator(documents: readonly SourceDocument[]): Locator {
  const byRef = new Map<string, SourceDocument>();
  for (const d of documents) {
    const k = `${d.object.kind}/${d.object.metadata.namespace ?? 'default'}/${d.object.metadata.name ?? ''}`;
    if (!byRef.has(k)) byRef.set(k, d);
  }
  const cache = new Map<string, Set<string>>();
  return (object, path) => {
    const k = `${object.kind}/${object.namespace ?? 'default'}/${object.name ?? ''}`;
    const doc = byRef.get(k);
    if (!doc) return undefined;
    const ck = `${k}\u0000${JSON.stringify(path)}`;
    let set = cache.get(ck);
    if (set) return set;
    set = new Set<string>();
    let value: unknown = doc.object;
    for (const seg of path) value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[seg as string] : undefined;
    const walk = (v: unknown, at: FieldPath) => {
      set!.add(positionKey(doc.locate(at)));
      if (isRecord(v)) for (const [kk, vv] of Object.entries(v)) walk(vv, [...at, kk]);
      else if (Array.isArray(v)) v.forEach((vv, i) => walk(vv, [...at, i]));
    };
    walk(value, path);
    cache.set(ck, set);
    return set;
  };
}

/** With --parent-ref the Gateway is not generated; assume one with an HTTP listener for every host. */
function parentRefGateway(opts: ConvertOptions): KubeObject | undefined {
  if (!opts.parentRef) return undefined;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: opts.parentRef.name, namespace: opts.parentRef.namespace },
    spec: { gatewayClassName: 'assumed', listeners: [{ name: opts.parentRef.sectionName ?? 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
  };
}

export function verify(documents: readonly SourceDocument[], opts: VerifyOptions, validator?: Validator): VerifyResult {
  const conversion = convert(documents, opts.convert, validator);
  const input = indexInput(documents);
  if (opts.convert.providerOptions?.traefikEntryPoints?.length) input.options = { traefikEntryPoints: opts.convert.providerOptions.traefikEntryPoints };
  const notes: string[] = [];
  let objects: KubeObject[] = [...(opts.gatewayApi ?? conversion.objects)];
  const assumed = parentRefGateway(opts.convert);
  if (assumed && !objects.some((o) => o.kind === 'Gateway' && o.metadata.name === assumed.metadata.name && o.metadata.namespace === assumed.metadata.namespace)) {
    objects.push(assumed);
    notes.push(`--parent-ref: the existing Gateway ${opts.convert.parentRef!.namespace}/${opts.convert.parentRef!.name} is not in the input; assumed to have one HTTP listener on port 80 named ${opts.convert.parentRef!.sectionName ?? 'http'} for every host and namespace, and no HTTPS listener`);
  }
  // Namespace labels, for allowedRoutes selectors.
  objects = [...objects, ...documents.map((d) => d.object).filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1')];
  const regexPrecedence = opts.regexPrecedence ?? 'envoy-gateway';
  notes.push(
    regexPrecedence === 'envoy-gateway'
      ? 'RegularExpression path matches rank as in Envoy Gateway v1.9.0: after Exact, before PathPrefix, longer patterns first (internal/gatewayapi/sort.go); regexes are RE2 and match the whole path'
      : 'RegularExpression path matches rank as in Istio: after Exact and PathPrefix, longer patterns first (pilot sortHTTPRoutes); regexes are RE2 and match the whole path',
    'hostless routes take the requests of named hosts that no rule of those hosts matches (the precedence HTTPRoute.spec.hostnames describes; Envoy-based implementations keep hosts apart after intersecting with the listener hostname)',
  );
  const awsLbcCertificates = opts.convert.target === 'aws-lbc';
  if (awsLbcCertificates) notes.push('--target aws-lbc: HTTPS listeners without certificateRefs take their certificates from the LoadBalancerConfiguration or from ACM by hostname, as the AWS Load Balancer Controller’s Gateway support does');
  const gateway = new GatewayApiModel(objects, { regexPrecedence, awsLbcCertificates });

  // Ingresses per source model and load balancer.
  const groups = new Map<string, { model: SourceModel; entry: string; docs: SourceDocument[] }>();
  const notVerified: VerifyResult['notVerified'] = [];
  const seen = new Set<string>();
  const objectModels = new Set<ObjectSourceModel>();
  for (const d of documents) {
    const o = d.object;
    // Objects a model of their own verifies (Istio VirtualServices): the model reads the whole input.
    const owner = OBJECT_SOURCE_MODELS.find((m) => m.owns(o));
    if (owner && o.metadata.name) {
      const k = `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
      if (!seen.has(k)) {
        seen.add(k);
        const providers = opts.convert.providers;
        if (!providers?.length || providers.includes(owner.id)) objectModels.add(owner);
        else notVerified.push({ object: refOf(o), reason: `${owner.displayName} objects are not converted with --providers ${providers.join(',')}` });
      }
      continue;
    }
    if (!isIngress(o) || !o.metadata.name) continue;
    const k = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const a = assign(o, input, opts.convert.providers);
    if (typeof a === 'string') {
      notVerified.push({ object: refOf(o), reason: a });
      continue;
    }
    const gk = `${a.model.id}\u0000${a.entry}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { model: a.model, entry: a.entry, docs: [] }));
    g.docs.push(d);
  }

  const locate = makeLocator(documents);
  const findings: readonly Finding[] = conversion.findings;
  const entries: EntryReport[] = [];
  const differences: Difference[] = [];
  const allGateways = gateway.gatewayKeys();
  const sourcesOf = new Map<string, string[]>();
  for (const o of objects) {
    const v = o.kind === 'Gateway' ? o.metadata.annotations?.['gateway-shift.io/sources'] : undefined;
    if (typeof v === 'string') sourcesOf.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, v.split(',').map((x) => x.trim()));
  }
  const runs: { provider: string; count: number; instance: SourceInstance; sources: Set<string> }[] = [];
  for (const g of [...groups.values()].sort((a, b) => (`${a.model.id}/${a.entry}` < `${b.model.id}/${b.entry}` ? -1 : 1))) {
    // (The sources annotation names an Ingress without a namespace in its document as `Ingress//name`.)
    const sources = new Set(g.docs.map((d) => `Ingress/${d.object.metadata.namespace ?? ''}/${d.object.metadata.name}`));
    runs.push({ provider: g.model.id, count: g.docs.length, instance: g.model.build(g.entry, g.docs, input), sources });
  }
  for (const m of objectModels) {
    const count = documents.filter((d) => m.owns(d.object)).length;
    for (const instance of m.build(input)) runs.push({ provider: m.id, count, instance, sources: new Set() });
    notVerified.push(...(m.notVerified?.(input) ?? []));
  }
  for (const { provider, count, instance, sources: entrySources } of runs) {
    const entryGateways = [...new Set(instance.hosts().flatMap((h) => gateway.gatewaysServing(h.startsWith('*.') ? `gs-probe${h.slice(1)}` : h.replace(/^\./, '')))).values()].sort();
    const fallback = entryGateways.length ? entryGateways : allGateways;
    // The Gateways generated for this entry's Ingresses (their gateway-shift.io/sources): a
    // request for a host no route names reaches this load balancer's replacement, not the
    // catch-all of another controller's or another ALB's Gateway. Hand-edited outputs without
    // the annotation fall back to every Gateway.
    const owned = allGateways.filter((k) => (sourcesOf.get(k) ?? []).some((s) => entrySources.has(s)));
    const catchAll = (owned.length ? owned : allGateways).filter((k) => gateway.hasCatchAll(k));
    const unnamed = catchAll.length ? catchAll : owned.length ? owned : fallback;
    const report: EntryReport = {
      provider,
      entry: instance.entry,
      ingresses: count,
      probes: 0,
      compared: 0,
      notCompared: 0,
      differences: 0,
      unexplained: 0,
      assumptions: instance.assumptions,
      unmodelled: instance.unmodelled,
    };
    for (const probe of instance.probes()) {
      report.probes++;
      const source = instance.evaluate(probe);
      // DNS points a named host at the Gateways whose routes name it; a host no route names
      // reaches the load balancer that has a catch-all, if one does.
      // The entry's requests reach its own load balancer: when the output's Gateways say which
      // were generated for it, only those (another controller's Gateway may name the host too).
      const named0 = gateway.gatewaysServing(probe.host);
      const serving = owned.length ? named0.filter((k) => owned.includes(k)) : named0;
      // A request to a named load balancer (an Istio gateway proxy) reaches the Gateways of those
      // names that serve the host, else those names; a mesh request goes to the Service.
      const named = probe.gateways?.filter((k) => allGateways.includes(k)) ?? [];
      const gwOutcome = probe.mesh
        ? gateway.evaluateMesh(probe.mesh.service, probe.mesh.port, probe)
        : named.length
          ? gatewayOutcome(gateway, serving.filter((k) => named.includes(k)).length ? serving.filter((k) => named.includes(k)) : named, probe)
          : gatewayOutcome(gateway, serving.length ? serving : unnamed, probe);
      const aspects = compareOutcomes(source, gwOutcome);
      if (aspects === undefined) {
        report.notCompared++;
        continue;
      }
      report.compared++;
      if (aspects.length === 0) continue;
      const explainedBy = explain({ probe, source, gateway: gwOutcome, aspects }, findings, locate);
      differences.push({ probe, source, gateway: gwOutcome, aspects, explainedBy });
      report.differences++;
      if (explainedBy.length === 0) report.unexplained++;
    }
    entries.push(report);
  }
  const unexplained = differences.filter((d) => d.explainedBy.length === 0).length;
  return {
    conversion,
    gatewayApiObjects: objects,
    gatewayModel: { regexPrecedence, notes },
    entries,
    differences,
    notVerified,
    stats: {
      probes: entries.reduce((s, e) => s + e.probes, 0),
      compared: entries.reduce((s, e) => s + e.compared, 0),
      notCompared: entries.reduce((s, e) => s + e.notCompared, 0),
      differences: differences.length,
      explained: differences.length - unexplained,
      unexplained,
    },
  };
}

/** The request at each candidate Gateway; when they disagree, the first answer, marked as split. */
function gatewayOutcome(model: GatewayApiModel, gateways: readonly string[], probe: Probe): Outcome {
  if (gateways.length === 0) return { kind: 'respond', status: 0, via: 'no Gateway in the Gateway API objects', involved: [] };
  const outcomes = gateways.map((g) => model.evaluate(g, probe));
  const first = outcomes[0]!;
  const differ = outcomes.some((o) => {
    const a = compareOutcomes(first, o);
    return a === undefined ? first.kind !== o.kind : a.length > 0;
  });
  if (!differ) return first;
  const split: Involvement[] = gateways.flatMap((g) => model.routeSources(g, probe.host).map((i) => ({ ...i, role: 'split-gateways' })));
  return { ...first, via: `${first.via}; Gateways ${gateways.join(', ')} serve this host and answer differently`, involved: [...first.involved, ...split] };
}
