/**
 * The controller-independent reading of an Ingress object: rules, paths, backends, TLS and
 * default backend, each with its field path so findings can point at it. Handles
 * networking.k8s.io/v1 and the legacy v1beta1 shape (serviceName/servicePort).
 */
import type { ObjectRef } from '../../findings/finding.js';
import type { FieldPath, KubeObject, SourceDocument } from '../../inputs/document.js';
import { refOf } from '../types.js';
import { DNS_LABEL, DNS_SUBDOMAIN, WILDCARD_HOST } from '../../ir/k8s-names.js';

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface ServiceBackend {
  kind: 'service';
  name: string;
  port: { number?: number; name?: string };
  path: FieldPath;
}

export interface ResourceBackend {
  kind: 'resource';
  apiGroup?: string;
  resourceKind: string;
  name: string;
  path: FieldPath;
}

export type IngressBackend = ServiceBackend | ResourceBackend;

export interface IngressPath {
  /** '' when the rule has no host. */
  host: string;
  path: string;
  pathType: PathType;
  backend: IngressBackend;
  /** Field path of the path entry. */
  at: FieldPath;
}

export interface IngressTls {
  hosts: string[];
  secretName?: string;
  at: FieldPath;
}

/** How the Ingress's class was determined. */
export type ClassSource = 'spec' | 'annotation' | 'default-class' | 'none';

export interface IngressModel {
  doc: SourceDocument;
  ref: ObjectRef;
  namespace: string;
  name: string;
  className?: string;
  classSource: ClassSource;
  annotations: Record<string, string>;
  /** Hosts in rule order ('' for a rule without host), each with its paths. */
  rules: { host: string; at: FieldPath; paths: IngressPath[] }[];
  tls: IngressTls[];
  defaultBackend?: IngressBackend;
  creationTimestamp?: string;
}

export interface ModelProblem {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  remediation?: string;
  path: FieldPath;
}

export const DEFAULT_NAMESPACE = 'default';

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** What the Ingress API accepts as a host: a DNS-1123 subdomain, optionally behind `*.`; no IP. */

export function invalidHost(host: string): string | undefined {
  if (host.length > 253) return 'it is longer than 253 characters';
  if (!WILDCARD_HOST.test(host)) return 'it is not a DNS name (lowercase letters, digits, "-" and ".", optionally starting with "*.")';
  if (/^(\d+\.){3}\d+$/.test(host)) return 'it is an IP address, which Ingress hosts cannot be';
  return undefined;
}

export function isIngress(o: KubeObject): boolean {
  return o.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\/(v1|v1beta1)$/.test(o.apiVersion);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function readBackend(v: unknown, at: FieldPath, problems: ModelProblem[]): IngressBackend | undefined {
  if (!isRecord(v)) {
    problems.push({ ruleId: 'ingress/invalid-backend', severity: 'error', message: 'the backend is missing or not an object', path: at });
    return undefined;
  }
  if (isRecord(v.service)) {
    const name = str(v.service.name);
    const port = isRecord(v.service.port) ? v.service.port : {};
    const number = typeof port.number === 'number' ? port.number : undefined;
    const portName = str(port.name);
    if (!name || (number === undefined && portName === undefined)) {
      problems.push({
        ruleId: 'ingress/invalid-backend',
        severity: 'error',
        message: 'the service backend needs a name and a port (number or name)',
        path: [...at, 'service'],
      });
      return undefined;
    }
    return { kind: 'service', name, port: number !== undefined ? { number } : { name: portName! }, path: [...at, 'service'] };
  }
  // Legacy (extensions/v1beta1, networking.k8s.io/v1beta1): serviceName + servicePort.
  if (v.serviceName !== undefined) {
    const name = str(v.serviceName);
    const sp = v.servicePort;
    if (!name || (typeof sp !== 'number' && typeof sp !== 'string')) {
      problems.push({ ruleId: 'ingress/invalid-backend', severity: 'error', message: 'serviceName and servicePort are both required', path: at });
      return undefined;
    }
    const port = typeof sp === 'number' || /^\d+$/.test(sp) ? { number: Number(sp) } : { name: sp };
    return { kind: 'service', name, port, path: at };
  }
  if (isRecord(v.resource)) {
    const kind = str(v.resource.kind);
    const name = str(v.resource.name);
    if (!kind || !name) {
      problems.push({ ruleId: 'ingress/invalid-backend', severity: 'error', message: 'the resource backend needs kind and name', path: [...at, 'resource'] });
      return undefined;
    }
    const rb: ResourceBackend = { kind: 'resource', resourceKind: kind, name, path: [...at, 'resource'] };
    const g = str(v.resource.apiGroup);
    if (g !== undefined) rb.apiGroup = g;
    return rb;
  }
  problems.push({ ruleId: 'ingress/invalid-backend', severity: 'error', message: 'the backend has neither service nor resource', path: at });
  return undefined;
}

/** Reads an Ingress; never throws. Problems are returned for the caller to report. */
export function readIngress(doc: SourceDocument): { model: IngressModel; problems: ModelProblem[] } {
  const o = doc.object;
  const problems: ModelProblem[] = [];
  const annotations = (isRecord(o.metadata.annotations) ? o.metadata.annotations : {}) as Record<string, string>;
  const spec = isRecord(o.spec) ? o.spec : {};
  if (!isRecord(o.spec)) {
    problems.push({ ruleId: 'ingress/missing-spec', severity: 'error', message: 'the Ingress has no spec', path: [] });
  }
  const model: IngressModel = {
    doc,
    ref: refOf(doc),
    namespace: str(o.metadata.namespace) ?? DEFAULT_NAMESPACE,
    name: str(o.metadata.name) ?? '',
    classSource: 'none',
    annotations,
    rules: [],
    tls: [],
  };
  if (o.apiVersion !== 'networking.k8s.io/v1') {
    problems.push({
      ruleId: 'ingress/deprecated-api-version',
      severity: 'info',
      message: `${o.apiVersion} Ingress is no longer served since Kubernetes 1.22; it was read with its legacy meaning (serviceName/servicePort, no pathType = ImplementationSpecific)`,
      path: ['apiVersion'],
    });
  }
  if (!model.name) {
    problems.push({ ruleId: 'ingress/missing-name', severity: 'error', message: 'the Ingress has no metadata.name', path: ['metadata'] });
  } else if (!DNS_SUBDOMAIN.test(model.name) || model.name.length > 253 || !DNS_LABEL.test(model.namespace) || model.namespace.length > 63) {
    const bad = !DNS_SUBDOMAIN.test(model.name) || model.name.length > 253 ? `metadata.name "${model.name}"` : `metadata.namespace "${model.namespace}"`;
    problems.push({
      ruleId: 'ingress/invalid-name',
      severity: 'error',
      message: `${bad} is not a valid Kubernetes name (a template placeholder?); the API server rejects the Ingress, so it was not translated`,
      remediation: 'Render the manifest with its real values before converting it.',
      path: [],
    });
    model.name = '';
  }
  const ts = str(o.metadata.creationTimestamp);
  if (ts) model.creationTimestamp = ts;
  const specClass = str(spec.ingressClassName);
  if (specClass) {
    model.className = specClass;
    model.classSource = 'spec';
  } else if (annotations[INGRESS_CLASS_ANNOTATION]) {
    model.className = annotations[INGRESS_CLASS_ANNOTATION];
    model.classSource = 'annotation';
  }

  const rules = spec.rules === undefined ? [] : asArray(spec.rules);
  if (rules === undefined) {
    problems.push({ ruleId: 'ingress/invalid-rules', severity: 'error', message: 'spec.rules must be a list', path: ['spec', 'rules'] });
  }
  (rules ?? []).forEach((r, i) => {
    const at: FieldPath = ['spec', 'rules', i];
    if (!isRecord(r)) {
      problems.push({ ruleId: 'ingress/invalid-rules', severity: 'error', message: 'a rule must be an object', path: at });
      return;
    }
    const host = str(r.host) ?? '';
    const rule = { host: host.toLowerCase(), at, paths: [] as IngressPath[] };
    const bad = host === '' ? undefined : invalidHost(host.toLowerCase());
    if (bad) {
      problems.push({
        ruleId: 'ingress/invalid-host',
        severity: 'error',
        message: `host "${host}" is not valid: ${bad}; the Kubernetes API rejects it (a template placeholder?), so this rule was not translated`,
        remediation: 'Render the manifest with its real values before converting it.',
        path: [...at, 'host'],
      });
      return;
    }
    if (host !== host.toLowerCase()) {
      problems.push({
        ruleId: 'ingress/host-case',
        severity: 'warning',
        message: `host "${host}" is not lower case; Kubernetes rejects it, so it was lower-cased`,
        path: [...at, 'host'],
      });
    }
    if (r.http === undefined) {
      // A host-only rule: valid, and it routes nothing by itself (the default backend serves it).
      model.rules.push(rule);
      return;
    }
    const paths = isRecord(r.http) ? asArray(r.http.paths) : undefined;
    if (paths === undefined) {
      problems.push({ ruleId: 'ingress/invalid-rules', severity: 'error', message: 'http.paths must be a list', path: [...at, 'http'] });
      return;
    }
    paths.forEach((p, j) => {
      const pat: FieldPath = [...at, 'http', 'paths', j];
      if (!isRecord(p)) {
        problems.push({ ruleId: 'ingress/invalid-path', severity: 'error', message: 'a path entry must be an object', path: pat });
        return;
      }
      const legacy = o.apiVersion !== 'networking.k8s.io/v1';
      const rawType = str(p.pathType) ?? (legacy ? 'ImplementationSpecific' : undefined);
      if (rawType !== 'Exact' && rawType !== 'Prefix' && rawType !== 'ImplementationSpecific') {
        problems.push({
          ruleId: 'ingress/invalid-path',
          severity: 'error',
          message: rawType === undefined ? `path ${JSON.stringify(p.path ?? '')} has no pathType; networking.k8s.io/v1 requires Exact, Prefix or ImplementationSpecific` : `pathType "${rawType}" is not Exact, Prefix or ImplementationSpecific`,
          path: [...pat, 'pathType'],
        });
        return;
      }
      const path = str(p.path) ?? (rawType === 'ImplementationSpecific' ? '/' : undefined);
      if (path === undefined || !path.startsWith('/')) {
        problems.push({
          ruleId: 'ingress/invalid-path',
          severity: 'error',
          message: `path ${path === undefined ? 'is missing' : `"${path}" does not start with /`}`,
          path: [...pat, 'path'],
        });
        return;
      }
      const backend = readBackend(p.backend, [...pat, 'backend'], problems);
      if (!backend) return;
      rule.paths.push({ host: rule.host, path, pathType: rawType, backend, at: pat });
    });
    model.rules.push(rule);
  });

  const tls = spec.tls === undefined ? [] : asArray(spec.tls);
  if (tls === undefined) {
    problems.push({ ruleId: 'ingress/invalid-tls', severity: 'error', message: 'spec.tls must be a list', path: ['spec', 'tls'] });
  }
  (tls ?? []).forEach((t, i) => {
    const at: FieldPath = ['spec', 'tls', i];
    if (!isRecord(t)) {
      problems.push({ ruleId: 'ingress/invalid-tls', severity: 'error', message: 'a tls entry must be an object', path: at });
      return;
    }
    const hosts: string[] = [];
    (asArray(t.hosts) ?? []).forEach((h, j) => {
      if (typeof h !== 'string') return;
      const bad = invalidHost(h.toLowerCase());
      if (bad) {
        problems.push({ ruleId: 'ingress/invalid-host', severity: 'error', message: `tls host "${h}" is not valid: ${bad}; it was not translated`, path: [...at, 'hosts', j] });
        return;
      }
      hosts.push(h.toLowerCase());
    });
    const entry: IngressTls = { hosts, at };
    const secret = str(t.secretName);
    if (secret) entry.secretName = secret;
    model.tls.push(entry);
  });

  const db = spec.defaultBackend ?? spec.backend;
  if (db !== undefined) {
    const b = readBackend(db, ['spec', spec.defaultBackend !== undefined ? 'defaultBackend' : 'backend'], problems);
    if (b) model.defaultBackend = b;
  }
  return { model, problems };
}
