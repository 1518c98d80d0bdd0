/**
 * The conversion pipeline, minus I/O: source documents in, Gateway API objects and findings
 * out. inputs -> providers -> IR -> emitters -> validation.
 */
import type { Finding, ObjectRef } from './findings/finding.js';
import { normalizeFindings } from './findings/finding.js';
import type { KubeObject, SourceDocument } from './inputs/document.js';
import type { GatewayIntent, IR, PolicyTarget } from './ir/types.js';
import { emitEnvoyGatewayPolicies } from './emitters/envoy-gateway.js';
import { emitGatewayApi, type ParentRefOverride } from './emitters/gateway-api.js';
import { toDnsSubdomain } from './emitters/names.js';
import { KNOWN_GATEWAY_CLASSES } from './emitters/gateway-classes.js';
import { DEFAULT_NAMESPACE, INGRESS_CLASS_ANNOTATION, isIngress, readIngress, type IngressModel } from './providers/common/ingress-model.js';
import { annotationField, provenanceOf } from './providers/common/translate.js';
import { inControllerOrder } from './providers/common/ingress-translator.js';
import { handleEcosystemAnnotations } from './providers/common/ecosystem.js';
import { PROVIDERS, FALLBACK_PROVIDER, KNOWN_ANNOTATION_PREFIXES, KNOWN_CONTROLLERS } from './providers/registry.js';
import type { Provider, ProviderContext } from './providers/types.js';
import type { RuleEntry } from './providers/rules.js';
import { refOf } from './providers/types.js';
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
}

export interface ConvertResult {
  objects: KubeObject[];
  findings: Finding[];
  stats: { ingresses: number; objects: number; invalidObjects: number };
}

export const DEFAULT_GATEWAY_NAMESPACE = 'gateway-system';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

const KIND_ORDER = ['GatewayClass', 'Gateway', 'ListenerSet', 'ReferenceGrant', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'BackendTLSPolicy', 'ClientTrafficPolicy', 'BackendTrafficPolicy', 'SecurityPolicy'];

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
    }
    findings.push(out);
  };

  // 1. Index the inputs.
  const services = new Map<string, KubeObject>();
  const configMaps = new Map<string, SourceDocument>();
  const classes = new Map<string, IngressClassInfo>();
  const ingressDocs: SourceDocument[] = [];
  const seen = new Map<string, SourceDocument>();
  for (const doc of documents) {
    const o = doc.object;
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      services.set(`${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name ?? ''}`, o);
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
          message: `Ingress ${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name} is defined more than once; the first definition (${first.position.file}:${first.position.line}) was used`,
          doc,
        });
        continue;
      }
      seen.set(key, doc);
      ingressDocs.push(doc);
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
    const provider = forced ?? detectProvider(model, classes, enabled);
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

  // 3. Topology: which Gateway each Ingress feeds.
  const namespaces = new Set(models.map((m) => m.namespace));
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
  const providerOf = new Map<IngressModel, Provider>();
  for (const [p, list] of byProvider) for (const m of list) providerOf.set(m, p);
  const gatewayKeyFor = (m: IngressModel): string => {
    const cls = m.className ?? 'ingress';
    const ns = opts.gatewayMode === 'per-namespace' ? m.namespace : gatewayNamespace ?? DEFAULT_NAMESPACE;
    const key = opts.gatewayMode === 'per-namespace' ? `${m.namespace}/${cls}` : cls;
    let gw = gateways.get(key);
    if (!gw) {
      gw = {
        key,
        namespace: ns,
        name: toDnsSubdomain(cls),
        gatewayClassName: opts.gatewayClass ?? toDnsSubdomain(cls),
        ingressClass: cls,
        provider: providerOf.get(m)?.id ?? FALLBACK_PROVIDER.id,
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
    configMap: (namespace, name) => configMaps.get(`${namespace}/${name}`),
    resolvePort(model, serviceName, port, path) {
      const svc = services.get(`${model.namespace}/${serviceName}`);
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
    }
  }

  reportSplitHosts(ir, gateways, findings);

  // 5. Emit, validate, order.
  ir.gateways = [...gateways.values()];
  if (!opts.gatewayClass && !opts.parentRef) {
    for (const gw of ir.gateways) {
      findings.push({
        ruleId: 'core/gateway-class-defaulted',
        severity: 'info',
        message: `Gateway ${gw.namespace}/${gw.name} uses gatewayClassName "${gw.gatewayClassName}", taken from the ingress class; no GatewayClass object was emitted`,
        remediation: 'Name the GatewayClass of your Gateway API implementation with --gateway-class (e.g. eg, istio, cilium, nginx).',
      });
    }
  }
  const controllers: Record<string, string> = {};
  if (opts.gatewayClass) {
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
      message: `the generated ${o.kind} ${ref.namespace ? ref.namespace + '/' : ''}${ref.name} is not valid ${o.apiVersion.startsWith('gateway.envoyproxy.io/') ? 'Envoy Gateway v1.9.0' : 'Gateway API v1.6.1'} and was not written: ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
      remediation: 'This is a bug in gateway-shift; please report it with the input that caused it.',
      object: ref,
    });
  }
  const sorted = objects
    .map((o) => ({ o, k: KIND_ORDER.indexOf(o.kind), n: `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}` }))
    .sort((a, b) => (a.k !== b.k ? (a.k < 0 ? 99 : a.k) - (b.k < 0 ? 99 : b.k) : a.n < b.n ? -1 : a.n > b.n ? 1 : 0))
    .map((x) => x.o);
  return { objects: sorted, findings: normalizeFindings(findings), stats: { ingresses: models.length, objects: sorted.length, invalidObjects: invalid } };
}

function detectProvider(model: IngressModel, classes: Map<string, IngressClassInfo>, enabled: readonly Provider[]): Provider | undefined {
  if (model.className) {
    const controller = classes.get(model.className)?.controller;
    if (controller) return enabled.find((p) => p.controllers.some((c) => (typeof c === 'string' ? c === controller : c.test(controller))));
    const byName = enabled.find((p) => p.classNames.includes(model.className!));
    if (byName) return byName;
  }
  let best: Provider | undefined;
  let bestCount = 0;
  for (const p of enabled) {
    const n = Object.keys(model.annotations).filter((k) => p.annotationPrefixes.some((x) => k.startsWith(x))).length;
    if (n > bestCount) {
      best = p;
      bestCount = n;
    }
  }
  return best;
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
    const entry = provider.rules.find((r) => r.key === key);
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
 * balancers for one DNS name: only one of them can receive its traffic.
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
  const egHint = entry.targets?.['envoy-gateway'] ? `; with --target envoy-gateway: ${entry.targets['envoy-gateway'].result}` : '';
  const what = egHint ? entry.gatewayApi.replace(/\.$/, '') : entry.gatewayApi;
  switch (entry.status) {
    case 'ignored':
      return `${kv} is ignored: ${entry.gatewayApi}`;
    case 'target-specific':
      return `${kv} needs an implementation policy, which this target does not generate: ${what}${egHint}`;
    case 'unsupported':
      return entry.channel === 'none'
        ? `${kv} has no Gateway API equivalent and was not translated: ${what}${egHint}`
        : `${kv} was not translated (gateway-shift does not translate it yet); in Gateway API (${entry.channel} channel): ${entry.gatewayApi}`;
    default:
      return `${kv} was not applied to the output (gateway-shift could not use it here)`;
  }
}
