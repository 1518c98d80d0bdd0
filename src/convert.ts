/**
 * The conversion pipeline, minus I/O: source documents in, Gateway API objects and findings
 * out. inputs -> providers -> IR -> emitters -> validation.
 */
import type { Finding, ObjectRef } from './findings/finding.js';
import { formatPosition, normalizeFindings } from './findings/finding.js';
import type { KubeObject, SourceDocument } from './inputs/document.js';
import type { GatewayIntent, IR, PolicyTarget } from './ir/types.js';
import { emitEnvoyGatewayPolicies } from './emitters/envoy-gateway.js';
import { AWS_LBC_ALB_CONTROLLER, AWS_LBC_GROUP, emitAwsLbcObjects } from './emitters/aws-lbc.js';
import { emitGatewayApi, type ParentRefOverride } from './emitters/gateway-api.js';
import { NameRegistry, toDnsSubdomain } from './emitters/names.js';
import { KNOWN_GATEWAY_CLASSES } from './emitters/gateway-classes.js';
import { DEFAULT_NAMESPACE, INGRESS_CLASS_ANNOTATION, isIngress, readIngress, type IngressModel } from './providers/common/ingress-model.js';
import { annotationField, fieldText, provenanceOf } from './providers/common/translate.js';
import { inControllerOrder } from './providers/common/ingress-translator.js';
import { handleEcosystemAnnotations } from './providers/common/ecosystem.js';
import { checkParentRef, flagMigratedHosts, readExistingGateway, type ExistingGateway } from './existing-gateways.js';
import { PROVIDERS, FALLBACK_PROVIDER, KNOWN_ANNOTATION_PREFIXES, KNOWN_CONTROLLERS } from './providers/registry.js';
import type { InputLookup, Provider, ProviderContext, ProviderOptions } from './providers/types.js';
import { ruleFor, type RuleEntry } from './providers/rules.js';
import { refOf, type ResourceOrigin } from './providers/types.js';
import { translateResources } from './providers/resources.js';
import type { Validator } from './validate/validator.js';

export type GatewayMode = 'shared' | 'per-namespace';

export interface ConvertOptions {
  toolVersion: string;
  gatewayMode: GatewayMode;
  gatewayNamespace?: string;
  gatewayClass?: string;
  /** controllerName for the GatewayClass object, when the class is not in the known table. */
  gatewayController?: string;
  parentRef?: ParentRefOverride;
  /** Provider ids to use; the first is used for Ingresses no provider claims. */
  providers?: string[];
  /** Gateway API release channel the output may use (default standard). */
  channel?: 'standard' | 'experimental';
  /** Implementation whose policy objects are generated too (default: none, standard only). */
  target?: PolicyTarget;
  /** Options only one provider reads (Traefik entry points). */
  providerOptions?: ProviderOptions;
  /**
   * The input would hold the Gateway `parentRef` names if it existed (it was looked up in the
   * cluster), so its absence is an error. Without it, a Gateway missing from the input is not
   * judged (manifests rarely hold everything).
   */
  parentRefResolved?: boolean;
}

export interface ConvertResult {
  objects: KubeObject[];
  findings: Finding[];
  stats: { ingresses: number; objects: number; invalidObjects: number };
  /** Each Ingress that was translated, in input order (for `scan` and the output layouts). */
  ingresses: IngressOrigin[];
  /** Each object a resource provider (Istio) translated, with the fields it consumed. */
  resources: ResourceOrigin[];
}

/**
 * An Ingress that was translated: its source document (file, position), the provider that
 * served it and the annotation keys that provider translated. Emitted objects name their
 * Ingresses in the `gateway-shift.io/sources` annotation (`Ingress/<namespace>/<name>`).
 */
export interface IngressOrigin {
  doc: SourceDocument;
  ref: ObjectRef;
  namespace: string;
  className?: string;
  provider: string;
  /** Annotation keys consumed by the provider (their effect is in the output), sorted. */
  translated: string[];
}

export const DEFAULT_GATEWAY_NAMESPACE = 'gateway-system';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const KIND_ORDER = [
  'GatewayClass',
  'LoadBalancerConfiguration',
  'Gateway',
  'ListenerSet',
  'ReferenceGrant',
  'ListenerRuleConfiguration',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'TargetGroupConfiguration',
  'BackendTLSPolicy',
  'ClientTrafficPolicy',
  'BackendTrafficPolicy',
  'SecurityPolicy',
];

interface IngressClassInfo {
  controller?: string;
  isDefault: boolean;
  doc: SourceDocument;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectKey(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name ?? ''}`;
}


export function convert(documents: readonly SourceDocument[], opts: ConvertOptions, validator?: Validator): ConvertResult {
  const findings: Finding[] = [];
  const report: ProviderContext['report'] = (f) => {
    const { doc, path, ...rest } = f;
    const out: Finding = { ...rest };
    if (doc) {
      out.object = refOf(doc);
      if (!out.position) out.position = doc.locate(path ?? []);
      // An object read from a cluster has no lines: the field path is what locates the finding.
      if (out.position.line === undefined && out.field === undefined && path?.length) out.field = fieldText(path);
    }
    findings.push(out);
  };

  // 1. Index the inputs.
  const services = new Map<string, SourceDocument>();
  const configMaps = new Map<string, SourceDocument>();
  // Kinds the providers read besides Ingresses (e.g. Traefik Middlewares): `group/kind` -> kind.
  const extraKinds = new Map<string, string>();
  for (const p of PROVIDERS) for (const k of p.inputKinds ?? []) for (const g of k.groups) extraKinds.set(`${g}/${k.kind}`, k.kind);
  const extraObjects = new Map<string, SourceDocument[]>();
  const untranslated = new Map<string, { provider: Provider; what: string }>();
  for (const p of PROVIDERS) for (const k of p.untranslatedKinds ?? []) for (const g of k.groups) untranslated.set(`${g}/${k.kind}`, { provider: p, what: k.what });
  const classes = new Map<string, IngressClassInfo>();
  const ingressDocs: SourceDocument[] = [];
  const existingGateways = new Map<string, ExistingGateway>();
  const seen = new Map<string, SourceDocument>();
  // Every other named object, for providers that read controller-specific kinds.
  const others = new Map<string, SourceDocument>();
  const otherKey = (group: string, kind: string, namespace: string, name: string) => `${group}\u0000${kind}\u0000${namespace}\u0000${name}`;
  for (const doc of documents) {
    const o = doc.object;
    if (!isIngress(o) && typeof o.metadata.name === 'string') {
      const slash = o.apiVersion.lastIndexOf('/');
      const k = otherKey(slash < 0 ? '' : o.apiVersion.slice(0, slash), o.kind, typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '', o.metadata.name);
      if (!others.has(k)) others.set(k, doc);
    }
    const gw = o.kind === 'Gateway' ? readExistingGateway(doc) : undefined;
    if (gw) {
      if (!existingGateways.has(`${gw.namespace}/${gw.name}`)) existingGateways.set(`${gw.namespace}/${gw.name}`, gw);
    } else if (o.kind === 'Service' && o.apiVersion === 'v1') {
      services.set(`${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name ?? ''}`, doc);
    } else if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') {
      configMaps.set(`${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name ?? ''}`, doc);
    } else if (o.kind === 'IngressClass' && /^networking\.k8s\.io\//.test(o.apiVersion) && o.metadata.name) {
      const spec = isRecord(o.spec) ? o.spec : {};
      const info: IngressClassInfo = { isDefault: o.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true', doc };
      if (typeof spec.controller === 'string') info.controller = spec.controller;
      classes.set(o.metadata.name, info);
    } else if (isIngress(o)) {
      const key = objectKey(o);
      const first = seen.get(key);
      if (first) {
        report({
          ruleId: 'input/duplicate-object',
          severity: 'warning',
          message: `Ingress ${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name} is defined more than once; the first definition (${formatPosition(first.position)}) was used`,
          doc,
        });
        continue;
      }
      seen.set(key, doc);
      ingressDocs.push(doc);
    } else if (extraKinds.size > 0 || untranslated.size > 0) {
      const slash = o.apiVersion.indexOf('/');
      const groupKind = `${slash < 0 ? '' : o.apiVersion.slice(0, slash)}/${o.kind}`;
      const kind = extraKinds.get(groupKind);
      if (kind !== undefined) {
        let list = extraObjects.get(kind);
        if (!list) extraObjects.set(kind, (list = []));
        list.push(doc);
      }
      const u = untranslated.get(groupKind);
      if (u) {
        report({
          ruleId: 'core/kind-not-translated',
          severity: 'warning',
          message: `${o.kind} ${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name ?? ''} is ${u.what}, which gateway-shift does not translate yet (only Ingresses of ${u.provider.displayName}); the routing it defines is not in the output`,
          remediation: 'Write the equivalent HTTPRoute (or TCPRoute/UDPRoute) by hand.',
          doc,
        });
      }
    }
  }
  const defaultClasses = [...classes.entries()].filter(([, c]) => c.isDefault).map(([n]) => n).sort();

  // 2. Read each Ingress and decide its class and provider.
  const enabled = opts.providers?.length ? PROVIDERS.filter((p) => opts.providers!.includes(p.id)) : PROVIDERS;
  const forced = opts.providers?.length === 1 ? enabled[0] : undefined;
  const byProvider = new Map<Provider, IngressModel[]>();
  const models: IngressModel[] = [];
  for (const doc of ingressDocs) {
    const { model, problems } = readIngress(doc);
    for (const p of problems) {
      const f: Parameters<typeof report>[0] = { ruleId: p.ruleId, severity: p.severity, message: p.message, doc, path: p.path };
      if (p.remediation) f.remediation = p.remediation;
      report(f);
    }
    if (!model.name) continue;
    if (!model.className && defaultClasses.length > 0) {
      model.className = defaultClasses[0];
      model.classSource = 'default-class';
      if (defaultClasses.length > 1) {
        report({
          ruleId: 'core/several-default-classes',
          severity: 'warning',
          message: `several IngressClasses are marked default (${defaultClasses.join(', ')}); Kubernetes refuses new class-less Ingresses then, and ${defaultClasses[0]} was assumed`,
          remediation: 'Set spec.ingressClassName on the Ingress.',
          doc,
        });
      }
    }
    const provider = forced ?? detectProvider(model, classes, enabled, services);
    if (!provider) {
      const controller = model.className ? classes.get(model.className)?.controller : undefined;
      const known = controller ? KNOWN_CONTROLLERS[controller] : undefined;
      report({
        ruleId: 'core/unknown-controller',
        severity: 'warning',
        message: known
          ? `this Ingress belongs to ${known} (class "${model.className}"), which gateway-shift does not translate yet; it was converted with controller-independent Ingress semantics only`
          : `no controller could be determined for this Ingress (class: ${model.className ?? 'none'}); it was converted with controller-independent Ingress semantics only`,
        remediation: 'Pass --providers <id> to say which controller serves it (see `gateway-shift rules`).',
        doc,
        path: model.classSource === 'spec' ? ['spec', 'ingressClassName'] : [],
      });
    }
    const p = provider ?? FALLBACK_PROVIDER;
    if (!model.className) {
      model.className = p.classNames[0] ?? 'ingress';
      report({
        ruleId: 'core/no-ingress-class',
        severity: 'info',
        message: `the Ingress names no class and no IngressClass is marked default; assumed class "${model.className}"${p.id === 'ingress-nginx' ? ' (ingress-nginx serves class-less Ingresses only with --watch-ingress-without-class)' : ''}`,
        remediation: 'Set spec.ingressClassName, or include the IngressClass objects in the input.',
        doc,
        path: ['spec'],
      });
    }
    models.push(model);
    let list = byProvider.get(p);
    if (!list) byProvider.set(p, (list = []));
    list.push(model);
  }

  flagMigratedHosts(models, existingGateways, opts.parentRef, report);

  const input: InputLookup = {
    find(group, kind, name, namespace) {
      const ns = namespace ?? '';
      return others.get(otherKey(group, kind, ns, name)) ?? (ns === DEFAULT_NAMESPACE ? others.get(otherKey(group, kind, '', name)) : undefined);
    },
  };

  // 3. Topology: which Gateway each Ingress feeds. Ingresses that their controller grouped on
  // one load balancer (a provider's gatewayGroup) share a Gateway named for the group; the
  // others share the Gateway of their class.
  const providerOf = new Map<IngressModel, Provider>();
  for (const [p, list] of byProvider) for (const m of list) providerOf.set(m, p);
  const groupOf = new Map<IngressModel, { key: string; name: string }>();
  const groupNamespaces = new Map<string, Set<string>>();
  for (const [p, list] of byProvider) {
    if (!p.gatewayGroup) continue;
    for (const m of list) {
      const g = p.gatewayGroup(m, input);
      if (!g) continue;
      const key = `${p.id}:${g.id}`;
      groupOf.set(m, { key, name: g.name });
      let s = groupNamespaces.get(key);
      if (!s) groupNamespaces.set(key, (s = new Set()));
      s.add(m.namespace);
    }
  }
  const namespaces = new Set(models.filter((m) => !groupOf.has(m)).map((m) => m.namespace));
  let gatewayNamespace = opts.gatewayNamespace;
  if (!gatewayNamespace && opts.gatewayMode === 'shared' && !opts.parentRef) {
    if (namespaces.size <= 1) gatewayNamespace = [...namespaces][0] ?? DEFAULT_NAMESPACE;
    else {
      gatewayNamespace = DEFAULT_GATEWAY_NAMESPACE;
      findings.push({
        ruleId: 'core/gateway-namespace-defaulted',
        severity: 'info',
        message: `the Ingresses span ${namespaces.size} namespaces, so the shared Gateway was put in namespace "${DEFAULT_GATEWAY_NAMESPACE}"`,
        remediation: 'Choose the namespace with --gateway-namespace, or use --gateway-mode per-namespace.',
      });
    }
  }
  const ir: IR = { gateways: [], routes: [], tls: [], backendTls: [], policies: [] };
  const gateways = new Map<string, GatewayIntent>();
  const gatewayNames = new NameRegistry();
  const perNamespace = opts.gatewayMode === 'per-namespace';
  /** Namespace of a group's shared Gateway: the members' one namespace, else the option or the default. */
  const groupNamespace = (key: string): string => {
    if (opts.gatewayNamespace) return opts.gatewayNamespace;
    const nss = [...(groupNamespaces.get(key) ?? [])];
    if (nss.length === 1 || opts.parentRef) return nss[0] ?? DEFAULT_NAMESPACE;
    findings.push({
      ruleId: 'core/gateway-namespace-defaulted',
      severity: 'info',
      message: `the Ingresses of load balancer ${key.slice(key.indexOf(':') + 1)} span ${nss.length} namespaces (${nss.sort().join(', ')}), so its Gateway was put in namespace "${DEFAULT_GATEWAY_NAMESPACE}"`,
      remediation: 'Choose the namespace with --gateway-namespace, or use --gateway-mode per-namespace.',
    });
    return DEFAULT_GATEWAY_NAMESPACE;
  };
  const gatewayKeyFor = (m: IngressModel): string => {
    const cls = m.className ?? 'ingress';
    const group = groupOf.get(m);
    const key = group ? (perNamespace ? `${m.namespace}/${group.key}` : group.key) : perNamespace ? `${m.namespace}/${cls}` : cls;
    let gw = gateways.get(key);
    if (!gw) {
      const ns = perNamespace ? m.namespace : group ? groupNamespace(group.key) : gatewayNamespace ?? DEFAULT_NAMESPACE;
      gw = {
        key,
        namespace: ns,
        name: gatewayNames.claim('Gateway', ns, group ? group.name : cls),
        gatewayClassName: opts.gatewayClass ?? toDnsSubdomain(cls),
        ingressClass: cls,
        provider: providerOf.get(m)?.id ?? FALLBACK_PROVIDER.id,
        ...(group ? { loadBalancer: group.key } : {}),
        annotations: {},
        provenance: [],
        sources: new Set(),
      };
      gateways.set(key, gw);
    }
    if (!gw.sources.has(m.ref)) {
      gw.sources.add(m.ref);
      gw.provenance.push(provenanceOf(m));
    }
    return key;
  };

  const ctx: ProviderContext = {
    report,
    ir,
    channel: opts.channel ?? 'standard',
    target: opts.target ?? 'standard',
    gatewayKeyFor,
    gateway: (key) => {
      const gw = gateways.get(key);
      if (!gw) throw new Error(`no Gateway for key ${key}`);
      return gw;
    },
    configMap: (namespace, name) => configMaps.get(`${namespace}/${name}`),
    input,
    service: (namespace, name) => services.get(`${namespace}/${name}`),
    objects: (kind) => extraObjects.get(kind) ?? [],
    options: opts.providerOptions ?? {},
    resolvePort(model, serviceName, port, path) {
      const svc = services.get(`${model.namespace}/${serviceName}`)?.object;
      const ports = svc && isRecord(svc.spec) && Array.isArray(svc.spec.ports) ? (svc.spec.ports as unknown[]).filter(isRecord) : [];
      // ingress-nginx takes the first Service port whose port, targetPort or name equals the
      // backend's port (controller.go serviceEndpoints); Gateway API needs the Service port.
      const wanted = port.number ?? port.name;
      const found = ports.find((p) => p.port === wanted || p.name === wanted || p.targetPort === wanted);
      if (port.number !== undefined) {
        if (found && found.port !== port.number && typeof found.port === 'number') {
          report({
            ruleId: 'core/port-is-target-port',
            severity: 'info',
            message: `port ${port.number} is a targetPort of Service ${model.namespace}/${serviceName}, not one of its ports; the backendRef uses the Service port ${found.port}`,
            doc: model.doc,
            path: [...path, 'port'],
          });
          return found.port;
        }
        return port.number;
      }
      if (!svc) {
        report({
          ruleId: 'core/named-port-unresolved',
          severity: 'error',
          message: `the backend uses the named port "${port.name}" of Service ${model.namespace}/${serviceName}, which is not in the input, so the port number is unknown and this path was not translated`,
          remediation: `Add the Service ${model.namespace}/${serviceName} manifest to the input (or use a port number in the Ingress).`,
          doc: model.doc,
          path: [...path, 'port'],
        });
        return undefined;
      }
      if (found && typeof found.port === 'number') return found.port;
      report({
        ruleId: 'core/named-port-unresolved',
        severity: 'error',
        message: `Service ${model.namespace}/${serviceName} has no port named "${port.name}", so this path was not translated`,
        remediation: 'Fix the port name in the Ingress or the Service.',
        doc: model.doc,
        path: [...path, 'port'],
      });
      return undefined;
    },
  };

  // 4. Providers translate; the core accounts for every annotation.
  const consumedBy = new Map<IngressModel, Set<string>>();
  for (const p of [...byProvider.keys()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const list = byProvider.get(p)!;
    const before = ir.routes.length;
    const consumed = p.translate(ctx, list);
    const routesOf = new Map<ObjectRef, IR['routes']>();
    for (const r of ir.routes.slice(before)) {
      const src = r.provenance[0]?.object;
      if (!src) continue;
      let l = routesOf.get(src);
      if (!l) routesOf.set(src, (l = []));
      l.push(r);
    }
    // In the controller's order, so that the first value kept on a shared Gateway does not
    // depend on the order of the input files.
    for (const m of inControllerOrder(list)) {
      const used = consumed.get(m) ?? new Set<string>();
      used.add(INGRESS_CLASS_ANNOTATION);
      for (const k of handleEcosystemAnnotations(ctx, m, gateways.get(gatewayKeyFor(m))!, routesOf.get(m.ref) ?? [])) used.add(k);
      accountAnnotations(m, p, used, report, ctx.target);
      consumedBy.set(m, used);
    }
  }

  reportSplitHosts(ir, gateways, findings);

  // 5. Emit, validate, order.
  ir.gateways = [...gateways.values()];
  // With --target aws-lbc the implementation is the AWS Load Balancer Controller: every
  // Gateway's class is one of its GatewayClasses (its ALB controllerName, unless told otherwise).
  const lbc = opts.target === 'aws-lbc';
  if (!opts.gatewayClass && !opts.parentRef) {
    for (const gw of ir.gateways) {
      findings.push({
        ruleId: 'core/gateway-class-defaulted',
        severity: 'info',
        message: `Gateway ${gw.namespace}/${gw.name} uses gatewayClassName "${gw.gatewayClassName}", taken from the ingress class; ${
          lbc ? `a GatewayClass of that name for the AWS Load Balancer Controller (${opts.gatewayController ?? AWS_LBC_ALB_CONTROLLER}) was emitted` : 'no GatewayClass object was emitted'
        }`,
        remediation: lbc
          ? 'Name an existing GatewayClass with --gateway-class if the cluster has one for the controller already.'
          : 'Name the GatewayClass of your Gateway API implementation with --gateway-class (e.g. eg, istio, cilium, nginx).',
      });
    }
  }
  // Resource providers (Istio Gateways and VirtualServices): whole objects, not annotations.
  const resources = translateResources(documents, {
    report,
    ir,
    channel: opts.channel ?? 'standard',
    target: opts.target ?? 'standard',
    ...(opts.gatewayClass ? { gatewayClass: opts.gatewayClass } : {}),
    ...(opts.providers ? { providers: opts.providers } : {}),
  });
  const controllers: Record<string, string> = {};
  if (lbc && !opts.parentRef) {
    for (const gw of ir.gateways) controllers[gw.gatewayClassName] = opts.gatewayController ?? AWS_LBC_ALB_CONTROLLER;
  } else if (opts.gatewayClass) {
    const c = opts.gatewayController ?? KNOWN_GATEWAY_CLASSES[opts.gatewayClass];
    if (c) controllers[opts.gatewayClass] = c;
  }
  const emitOptions = {
    toolVersion: opts.toolVersion,
    gatewayClassControllers: controllers,
    ...(opts.parentRef ? { parentRef: opts.parentRef } : {}),
  };
  const emitted = emitGatewayApi(ir, emitOptions);
  findings.push(...emitted.findings);
  if (opts.target === 'envoy-gateway') {
    const eg = emitEnvoyGatewayPolicies(
      ir.policies.filter((p) => p.target === 'envoy-gateway'),
      emitted,
      emitOptions,
    );
    emitted.objects.push(...eg.objects);
    findings.push(...eg.findings);
  }
  if (lbc) {
    const aws = emitAwsLbcObjects(
      ir.policies.filter((p) => p.target === 'aws-lbc'),
      emitted,
      emitOptions,
    );
    emitted.objects.push(...aws.objects);
    findings.push(...aws.findings);
  }
  let invalid = 0;
  const objects: KubeObject[] = [];
  for (const o of emitted.objects) {
    const issues = validator ? validator.validate(o) : [];
    if (issues.length === 0) {
      objects.push(o);
      continue;
    }
    invalid++;
    const ref: ObjectRef = { apiVersion: o.apiVersion, kind: o.kind, name: String(o.metadata.name) };
    if (o.metadata.namespace !== undefined) ref.namespace = String(o.metadata.namespace);
    findings.push({
      ruleId: 'core/invalid-output',
      severity: 'error',
      message: `the generated ${o.kind} ${ref.namespace ? ref.namespace + '/' : ''}${ref.name} is not valid ${schemaOwner(o.apiVersion)} and was not written: ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
      remediation: 'This is a bug in gateway-shift; please report it with the input that caused it.',
      object: ref,
    });
  }
  if (opts.parentRef) {
    const routeNamespaces = objects.filter((o) => o.kind.endsWith('Route')).map((o) => o.metadata.namespace ?? DEFAULT_NAMESPACE);
    checkParentRef(opts.parentRef, existingGateways, routeNamespaces, opts.parentRefResolved === true, findings, report);
  }
  const sorted = objects
    .map((o) => ({ o, k: KIND_ORDER.indexOf(o.kind), n: `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}` }))
    .sort((a, b) => (a.k !== b.k ? (a.k < 0 ? 99 : a.k) - (b.k < 0 ? 99 : b.k) : a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .map((x) => x.o);
  return {
    objects: sorted,
    findings: normalizeFindings(findings),
    stats: { ingresses: models.length, objects: sorted.length, invalidObjects: invalid },
    ingresses: ingressOrigins(models, providerOf, consumedBy),
    resources,
  };
}

function ingressOrigins(models: readonly IngressModel[], providerOf: ReadonlyMap<IngressModel, Provider>, consumedBy: ReadonlyMap<IngressModel, Set<string>>): IngressOrigin[] {
  return models.map((m) => {
    const o: IngressOrigin = {
      doc: m.doc,
      ref: m.ref,
      namespace: m.namespace,
      provider: providerOf.get(m)?.id ?? FALLBACK_PROVIDER.id,
      translated: [...(consumedBy.get(m) ?? [])].filter((k) => k !== INGRESS_CLASS_ANNOTATION && k in m.annotations).sort(),
    };
    if (m.className !== undefined) o.className = m.className;
    return o;
  });
}

/** Whose definition an emitted object is checked against, for messages. */
function schemaOwner(apiVersion: string): string {
  if (apiVersion.startsWith('gateway.envoyproxy.io/')) return 'Envoy Gateway v1.9.0';
  if (apiVersion.startsWith(`${AWS_LBC_GROUP}/`)) return 'AWS Load Balancer Controller v3.5.0';
  return 'Gateway API v1.6.1';
}

function detectProvider(model: IngressModel, classes: Map<string, IngressClassInfo>, enabled: readonly Provider[], services: ReadonlyMap<string, SourceDocument>): Provider | undefined {
  if (model.className) {
    const controller = classes.get(model.className)?.controller;
    if (controller) return enabled.find((p) => p.controllers.some((c) => (typeof c === 'string' ? c === controller : c.test(controller))));
    const byName = enabled.find((p) => p.classNames.includes(model.className!));
    if (byName) return byName;
  }
  const byAnnotations = (annotations: readonly string[]): Provider | undefined => {
    let best: Provider | undefined;
    let bestCount = 0;
    for (const p of enabled) {
      const n = annotations.filter((k) => p.annotationPrefixes.some((x) => k.startsWith(x))).length;
      if (n > bestCount) {
        best = p;
        bestCount = n;
      }
    }
    return best;
  };
  // The Ingress's own annotations, else those of the Services it uses (Traefik reads service.*
  // annotations there).
  return (
    byAnnotations(Object.keys(model.annotations)) ??
    byAnnotations(
      [...new Set(model.rules.flatMap((r) => r.paths.map((p) => (p.backend.kind === 'service' ? p.backend.name : ''))).filter(Boolean))].flatMap((name) =>
        Object.keys(services.get(`${model.namespace}/${name}`)?.object.metadata.annotations ?? {}),
      ),
    )
  );
}

function accountAnnotations(model: IngressModel, provider: Provider, used: Set<string>, report: ProviderContext['report'], target: ProviderContext['target']): void {
  for (const key of Object.keys(model.annotations).sort()) {
    if (used.has(key)) continue;
    const path = ['metadata', 'annotations', key];
    const field = annotationField(key);
    const own = provider.annotationPrefixes.some((p) => key.startsWith(p));
    if (!own) {
      const other = KNOWN_ANNOTATION_PREFIXES.find((x) => key.startsWith(x.prefix));
      if (other) {
        report({
          ruleId: 'core/foreign-annotation',
          severity: 'info',
          message: `${key} is read by ${other.controller}, but this Ingress is served by ${provider.displayName}, so it had no effect and was ignored`,
          field,
          doc: model.doc,
          path,
        });
      }
      continue; // not a controller annotation (kubectl, helm, argo...): not ours to judge
    }
    const entry = provider.findRule ? provider.findRule(key) : ruleFor(provider.rules, key);
    if (!entry) {
      report({
        ruleId: `${provider.id}/unknown-annotation`,
        severity: 'warning',
        message: `${key} is not an annotation gateway-shift knows for ${provider.displayName}; it was not translated`,
        remediation: 'Check the spelling against the controller documentation; if it is real, configure its effect by hand on the Gateway API objects.',
        field,
        doc: model.doc,
        path,
      });
      continue;
    }
    const value = model.annotations[key] ?? '';
    const bad = entry.validateValue?.(value);
    if (bad) {
      report({
        ruleId: `${provider.id}/invalid-value`,
        severity: 'warning',
        message: `${key}="${value}" is not a valid value (${bad}); the controller ignored it or refused the Ingress`,
        remediation: 'Fix the value, or remove the annotation.',
        field,
        doc: model.doc,
        path,
      });
    }
    const f: Parameters<typeof report>[0] = {
      ruleId: entry.id,
      severity: entry.status === 'ignored' ? 'info' : entry.protects ? 'error' : 'warning',
      message: annotationMessage(key, value, entry, target) + (entry.protects && entry.status !== 'ignored' ? '; the paths it protected are now reachable without it' : ''),
      field,
      doc: model.doc,
      path,
    };
    if (entry.remediation) f.remediation = entry.remediation;
    report(f);
  }
}

/**
 * A host served by routes on two Gateways (per-namespace mode, or two classes) is two load
 * balancers for one DNS name: only one of them can receive its traffic. Reported only where
 * the source had one load balancer for them.
 */
function reportSplitHosts(ir: IR, gateways: Map<string, GatewayIntent>, findings: Finding[]): void {
  const byHost = new Map<string, Map<string, IR['routes'][number]>>();
  for (const r of ir.routes) {
    // '' stands for the routes without hostnames: the catch-all of unnamed hosts.
    const h = r.hostnames[0] ?? '';
    let m = byHost.get(h);
    if (!m) byHost.set(h, (m = new Map()));
    if (!m.has(r.gatewayKey)) m.set(r.gatewayKey, r);
  }
  for (const [host, m] of [...byHost.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (m.size < 2) continue;
    // Only a split of one source load balancer is new: ALB groups were separate load balancers.
    const perLoadBalancer = new Map<string, number>();
    for (const k of m.keys()) {
      const lb = gateways.get(k)?.loadBalancer ?? '';
      perLoadBalancer.set(lb, (perLoadBalancer.get(lb) ?? 0) + 1);
    }
    if (![...perLoadBalancer.values()].some((n) => n > 1)) continue;
    const keys = [...m.keys()].sort();
    const names = keys.map((k) => `${gateways.get(k)?.namespace}/${gateways.get(k)?.name}`);
    const second = m.get(keys[1]!)!;
    const p = second.provenance[0];
    const f: Finding = {
      ruleId: 'core/host-split-across-gateways',
      severity: 'warning',
      message:
        host === ''
          ? `requests for hosts no rule names (the rules without host and the default backends) are served by routes on ${keys.length} Gateways (${names.join(', ')}), which are separate load balancers, where the Ingress controller had one catch-all server: each answers them its own way`
          : `host ${host} is served by routes on ${keys.length} Gateways (${names.join(', ')}), which are separate load balancers: DNS can send its traffic to only one of them, and HTTPS and redirects differ between them`,
      remediation: 'Use --gateway-mode shared (the default), or move all paths of the host into one namespace and class.',
    };
    if (p) {
      f.object = p.object;
      if (p.field) f.field = p.field;
      if (p.position) f.position = p.position;
    }
    findings.push(f);
  }
}

function annotationMessage(key: string, value: string, entry: RuleEntry, target: ProviderContext['target']): string {
  const kv = `${key}="${value}"`;
  const viaTarget = target === 'standard' ? undefined : entry.targets?.[target];
  if (viaTarget) return `${kv} was not translated for ${target} here (${viaTarget.result})`;
  const hints = Object.entries(entry.targets ?? {}).map(([t, x]) => `; with --target ${t}: ${x.result.replace(/\.$/, '')}`);
  const targetHint = hints.join('');
  const what = targetHint ? entry.gatewayApi.replace(/\.$/, '') : entry.gatewayApi;
  switch (entry.status) {
    case 'ignored':
      return `${kv} is ignored: ${entry.gatewayApi}`;
    case 'target-specific':
      return `${kv} needs an implementation policy, which this target does not generate: ${what}${targetHint}`;
    case 'unsupported':
      return entry.channel === 'none'
        ? `${kv} has no Gateway API equivalent and was not translated: ${what}${targetHint}`
        : `${kv} was not translated (gateway-shift does not translate it yet); in Gateway API (${entry.channel} channel): ${entry.gatewayApi}`;
    default:
      return `${kv} was not applied to the output (gateway-shift could not use it here)`;
  }
}
