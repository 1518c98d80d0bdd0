/**
 * What `gateway-shift scan` reports on top of the conversion findings: which source objects are
 * still there (every Ingress, and the VirtualServices gateway-shift does not translate), what
 * happens to each controller annotation (translated, partial, target-specific, unsupported,
 * ignored, unknown), and which controller each finding belongs to. Pure: no I/O.
 */
import type { ConvertResult, IngressOrigin } from '../convert.js';
import { normalizeFindings, type Finding, type ObjectRef } from '../findings/finding.js';
import type { SourceDocument } from '../inputs/document.js';
import type { PolicyTarget } from '../ir/types.js';
import { FALLBACK_PROVIDER, KNOWN_ANNOTATION_PREFIXES, KNOWN_CONTROLLERS, PROVIDERS, RESOURCE_PROVIDERS } from '../providers/registry.js';
import type { RuleEntry } from '../providers/rules.js';
import { refOf, type Provider } from '../providers/types.js';
import type { AnnotationStatus, ReportFinding } from './types.js';
import { plural } from './plural.js';

export const SCAN_INGRESS_RULE = 'scan/ingress';
export const SCAN_VIRTUAL_SERVICE_RULE = 'scan/virtual-service';
export const SCAN_ISTIO_GATEWAY_RULE = 'scan/istio-gateway';
/** Controller label of findings that belong to no source object (inputs, topology). */
export const GENERAL = 'general';

/** Source kinds gateway-shift reads but does not translate yet, reported as still there. */
const UNTRANSLATED_KINDS: readonly { group: string; kind: string; controller: string; rule: string }[] = [];

/** The inventory rule of each kind a resource provider translates. */
const RESOURCE_RULES: Readonly<Record<string, string>> = { VirtualService: SCAN_VIRTUAL_SERVICE_RULE, Gateway: SCAN_ISTIO_GATEWAY_RULE };

export interface ScanInput {
  /** Every input document (Ingresses, IngressClasses, VirtualServices...). */
  documents: readonly SourceDocument[];
  result: Pick<ConvertResult, 'findings' | 'ingresses'> & Partial<Pick<ConvertResult, 'resources'>>;
  /** Findings of reading the inputs (input/*). */
  inputFindings: readonly Finding[];
  target: 'standard' | PolicyTarget;
}

export function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name ?? ''}`;
}

function providerById(id: string): Provider | undefined {
  return PROVIDERS.find((p) => p.id === id);
}

const annotationField = (key: string) => `metadata.annotations[${key}]`;

/** A value as shown in a one-line message: no line breaks, at most 60 characters. */
function shortValue(v: string): string {
  const one = v.replace(/\s*\n\s*/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** What happens to an annotation of the provider's table, given whether the provider consumed it. */
export function annotationStatus(entry: RuleEntry | undefined, consumed: boolean, target: 'standard' | PolicyTarget): AnnotationStatus {
  if (!entry) return 'unknown';
  const viaTarget = target === 'standard' ? undefined : entry.targets?.[target];
  if (consumed) {
    if (entry.status === 'translated' || entry.status === 'partial') return entry.status;
    return viaTarget ? viaTarget.status : entry.status;
  }
  // Not consumed: the core reported it from the table (see accountAnnotations in convert.ts).
  if (entry.status === 'translated' || entry.status === 'partial' || viaTarget) return 'unsupported';
  return entry.status;
}

function controllerLabels(documents: readonly SourceDocument[]): Map<string, string> {
  const byClass = new Map<string, string>();
  for (const d of documents) {
    const o = d.object;
    if (o.kind !== 'IngressClass' || !/^networking\.k8s\.io\//.test(o.apiVersion) || !o.metadata.name) continue;
    const spec = o.spec as { controller?: unknown } | undefined;
    if (typeof spec?.controller === 'string') byClass.set(o.metadata.name, KNOWN_CONTROLLERS[spec.controller] ?? spec.controller);
  }
  return byClass;
}

/** Display name of the controller of an Ingress gateway-shift has no provider for. */
function unknownControllerLabel(origin: IngressOrigin, byClass: ReadonlyMap<string, string>): string {
  const fromClass = origin.className ? byClass.get(origin.className) : undefined;
  if (fromClass) return fromClass;
  const counts = new Map<string, number>();
  for (const key of Object.keys(origin.doc.object.metadata.annotations ?? {})) {
    const known = KNOWN_ANNOTATION_PREFIXES.find((x) => key.startsWith(x.prefix));
    if (known) counts.set(known.controller, (counts.get(known.controller) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best ? best[0] : 'unknown controller';
}

const STATUS_PHRASES: readonly [AnnotationStatus, string][] = [
  ['translated', 'translated'],
  ['partial', 'partly translated'],
  ['target-specific', 'need an implementation policy'],
  ['unsupported', 'cannot be translated'],
  ['unknown', 'unknown'],
  ['ignored', 'ignored'],
];

/** `3 controller annotations: 1 translated, 2 cannot be translated`. */
function statusSummary(counts: ReadonlyMap<AnnotationStatus, number>): string {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return 'no controller annotations';
  const parts = STATUS_PHRASES.filter(([s]) => counts.has(s)).map(([s, phrase]) => `${counts.get(s)} ${phrase}`);
  return `${plural(total, 'controller annotation')}: ${parts.join(', ')}`;
}

/** `12 fields: 9 translated, 1 partly translated, 2 cannot be translated`. */
function fieldSummary(counts: ReadonlyMap<AnnotationStatus, number>): string {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return 'no fields';
  const parts = STATUS_PHRASES.filter(([s]) => counts.has(s)).map(([s, phrase]) => `${counts.get(s)} ${phrase}`);
  return `${plural(total, 'kind of field', 'kinds of fields')}: ${parts.join(', ')}`;
}

/** The scan findings: the conversion's, tagged, plus the inventory. Sorted like all findings. */
export function scanFindings(input: ScanInput): ReportFinding[] {
  const out: ReportFinding[] = [...input.inputFindings, ...input.result.findings].map((f) => ({ ...f }));
  // Findings about a field of an object, to tag them with the annotation's status.
  const byObjectField = new Map<string, ReportFinding[]>();
  for (const f of out) {
    if (!f.object || !f.field) continue;
    const k = `${refKey(f.object)}\u0000${f.field}`;
    let l = byObjectField.get(k);
    if (!l) byObjectField.set(k, (l = []));
    l.push(f);
  }

  const byClass = controllerLabels(input.documents);
  const controllerOf = new Map<string, string>();
  const positionOf = new Map<string, SourceDocument['position']>();

  for (const origin of input.result.ingresses) {
    const provider = origin.provider === FALLBACK_PROVIDER.id ? undefined : providerById(origin.provider);
    const label = provider ? provider.displayName : unknownControllerLabel(origin, byClass);
    const key = refKey(origin.ref);
    controllerOf.set(key, label);
    positionOf.set(key, origin.doc.position);
    const consumed = new Set(origin.translated);
    const counts = new Map<AnnotationStatus, number>();
    const annotations = origin.doc.object.metadata.annotations ?? {};
    for (const name of Object.keys(annotations).sort()) {
      const field = annotationField(name);
      const tagged = byObjectField.get(`${key}\u0000${field}`) ?? [];
      let status: AnnotationStatus;
      let entry: RuleEntry | undefined;
      if (provider?.annotationPrefixes.some((p) => name.startsWith(p))) {
        entry = provider.rules.find((r) => r.key === name);
        status = annotationStatus(entry, consumed.has(name), input.target);
        for (const f of tagged) if (f.ruleId === entry?.id || f.ruleId === `${provider.id}/unknown-annotation`) f.status = status;
      } else if (KNOWN_ANNOTATION_PREFIXES.some((x) => name.startsWith(x.prefix))) {
        // Another controller's annotation had no effect; with no provider, its own controller's
        // annotations cannot be translated by this version.
        status = provider ? 'ignored' : 'unsupported';
        for (const f of tagged) if (f.ruleId === 'core/foreign-annotation') f.status = status;
      } else {
        continue; // kubectl, Helm, Argo CD, cert-manager...: not a controller setting
      }
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (entry && consumed.has(name) && !tagged.some((f) => f.ruleId === entry.id)) {
        out.push(translatedFinding(origin, entry, name, annotations[name] ?? '', status, input.target));
      }
    }
    const o = origin.doc.object;
    out.push({
      ruleId: SCAN_INGRESS_RULE,
      severity: 'info',
      message:
        `Ingress ${origin.namespace}/${o.metadata.name} is still here (${provider ? `served by ${label}` : `controller: ${label}, which gateway-shift does not translate`}` +
        `${origin.className ? `, class ${origin.className}` : ''}); ${statusSummary(counts)}`,
      remediation: 'Convert it with `gateway-shift convert`, check the findings on it, then remove it once the Gateway API routes serve its traffic.',
      object: origin.ref,
      position: origin.doc.position,
    });
  }

  for (const origin of input.result.resources ?? []) {
    const provider = RESOURCE_PROVIDERS.find((p) => p.id === origin.provider);
    if (!provider) continue;
    const key = refKey(origin.ref);
    controllerOf.set(key, provider.displayName);
    positionOf.set(key, origin.doc.position);
    const consumed = new Set(origin.translated);
    const byId = new Map(provider.rules.map((r) => [r.id, r] as const));
    // What happens to each field: its entry's status when consumed, as for annotations otherwise.
    const counts = new Map<AnnotationStatus, number>();
    const count = (st: AnnotationStatus) => counts.set(st, (counts.get(st) ?? 0) + 1);
    for (const k of origin.translated) {
      const entry = provider.rules.find((r) => r.key === k);
      if (entry) count(annotationStatus(entry, true, input.target));
    }
    for (const k of origin.untranslated) {
      const entry = provider.rules.find((r) => r.key === k);
      if (entry) count(annotationStatus(entry, false, input.target));
    }
    for (const f of out) {
      if (!f.object || refKey(f.object) !== key) continue;
      const entry = byId.get(f.ruleId);
      if (entry) f.status = annotationStatus(entry, consumed.has(entry.key), input.target);
      else if (f.ruleId === `${provider.id}/unknown-field`) {
        f.status = 'unknown';
        count('unknown');
      }
    }
    const o = origin.doc.object;
    const rule = RESOURCE_RULES[o.kind] ?? SCAN_VIRTUAL_SERVICE_RULE;
    out.push({
      ruleId: rule,
      severity: 'info',
      message: `${o.kind} ${origin.ref.namespace ?? 'default'}/${origin.ref.name ?? ''} (${provider.displayName}) is still here; ${fieldSummary(counts)}`,
      remediation: 'Convert it with `gateway-shift convert`, check the findings on it, then remove it once the Gateway API objects serve its traffic.',
      object: origin.ref,
      position: origin.doc.position,
    });
  }

  for (const doc of input.documents) {
    const o = doc.object;
    const kind = UNTRANSLATED_KINDS.find((k) => o.kind === k.kind && o.apiVersion.startsWith(`${k.group}/`));
    if (!kind) continue;
    const ref = refOf(doc); // with its resourceVersion, when read from a cluster
    controllerOf.set(refKey(ref), kind.controller);
    out.push({
      ruleId: kind.rule,
      severity: 'warning',
      message: `${o.kind} ${ref.namespace ?? 'default'}/${ref.name ?? '(no name)'} (${kind.controller}) is still here; gateway-shift does not translate ${kind.controller} ${o.kind}s yet`,
      remediation: `Write the Gateway API routes for it by hand (${kind.controller} implements Gateway API), then remove it.`,
      object: ref,
      position: doc.position,
    });
  }

  for (const f of out) {
    const k = f.object ? refKey(f.object) : undefined;
    f.controller = (k && controllerOf.get(k)) ?? GENERAL;
    // A finding about a source object without a field position is about the whole object.
    if (!f.position && k && positionOf.has(k)) f.position = positionOf.get(k)!;
  }
  return normalizeFindings(out) as ReportFinding[];
}

function translatedFinding(origin: IngressOrigin, entry: RuleEntry, key: string, value: string, status: AnnotationStatus, target: 'standard' | PolicyTarget): ReportFinding {
  const viaTarget = target === 'standard' ? undefined : entry.targets?.[target];
  const kv = `${key}="${shortValue(value)}"`;
  const result = entry.status === 'translated' || entry.status === 'partial' || !viaTarget ? entry.gatewayApi : `with --target ${target}: ${viaTarget.result}`;
  const f: ReportFinding = {
    ruleId: entry.id,
    severity: 'info',
    message: `${kv} ${status === 'partial' ? 'translates partly' : 'translates'}: ${result}`,
    object: origin.ref,
    field: annotationField(key),
    position: origin.doc.locate(['metadata', 'annotations', key]),
    status,
  };
  if (status === 'partial' && entry.remediation) f.remediation = entry.remediation;
  return f;
}
