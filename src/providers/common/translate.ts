/**
 * Building blocks shared by the Ingress providers: backend resolution, path -> match, and
 * the per-(Ingress, host) route skeleton. Controller-specific choices are passed in.
 */
import type { SourcePosition } from '../../findings/finding.js';
import type { FieldPath } from '../../inputs/document.js';
import type { BackendRef, Provenance, RouteIntent } from '../../ir/types.js';
import { hostSlug } from '../../emitters/names.js';
import type { ProviderContext } from '../types.js';
import type { IngressBackend, IngressModel } from './ingress-model.js';

/** Field path as text: `spec.rules[0].http.paths[1]`. */
export function fieldText(path: FieldPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

/** Go's strconv.ParseBool, which ingress-nginx and Traefik use for boolean annotations. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/** Seconds as a Gateway API duration (each of h, m, s at most 5 digits). */
export function toGatewayDuration(seconds: number): string {
  if (seconds <= 99999) return `${seconds}s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}h${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}

export function annotationField(key: string): string {
  return `metadata.annotations[${key}]`;
}

/**
 * Where a piece of intent came from. The position is computed only when something reads it
 * (a finding): locating a field re-parses its document, which most conversions never need.
 */
export function provenanceOf(model: IngressModel, path: FieldPath = []): Provenance {
  const field = fieldText(path);
  let position: SourcePosition | undefined;
  const p: Provenance = {
    object: model.ref,
    get position(): SourcePosition {
      return (position ??= model.doc.locate(path));
    },
  };
  if (field) p.field = field;
  return p;
}

/** Gateway API path values: what the HTTPRoute schema accepts for Exact and PathPrefix. */
const GATEWAY_PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** Why a path cannot be an Exact/PathPrefix value in Gateway API, or undefined when it can. */
export function invalidGatewayPath(value: string): string | undefined {
  if (value.length > 1024) return 'it is longer than 1024 characters';
  if (!GATEWAY_PATH.test(value)) return 'it contains characters Gateway API does not accept in a path (such as spaces, | ^ [ ] { } or regex syntax)';
  if (value.includes('//')) return 'it contains "//"';
  if (value.includes('/./') || value.includes('/../')) return 'it contains "/./" or "/../"';
  if (/%2f/i.test(value)) return 'it contains an encoded slash (%2F)';
  if (value.endsWith('/..') || value.endsWith('/.')) return 'it ends with "/." or "/.."';
  return undefined;
}

/** Resolves an Ingress backend to a Gateway API backendRef, reporting what it cannot. */
export function resolveBackend(ctx: ProviderContext, model: IngressModel, backend: IngressBackend): BackendRef | undefined {
  if (backend.kind === 'resource') {
    ctx.report({
      ruleId: 'ingress/resource-backend',
      severity: 'warning',
      message: `the backend is a ${backend.resourceKind} resource (${backend.apiGroup ?? 'core'}), not a Service; Gateway API backendRefs to other kinds are implementation-specific, so this path was not translated`,
      remediation: 'Point the path at a Service, or add a backendRef with the group and kind your Gateway implementation supports by hand.',
      doc: model.doc,
      path: backend.path,
    });
    return undefined;
  }
  const port = ctx.resolvePort(model, backend.name, backend.port, backend.path);
  if (port === undefined) return undefined;
  return { name: backend.name, namespace: model.namespace, port };
}


/** A route skeleton for one host of one Ingress: name, hostnames, provenance. */
export function routeFor(ctx: ProviderContext, model: IngressModel, host: string, distinctHosts: number, at: FieldPath): RouteIntent {
  return {
    kind: 'HTTPRoute',
    gatewayKey: ctx.gatewayKeyFor(model),
    namespace: model.namespace,
    name: distinctHosts <= 1 ? model.name : `${model.name}-${hostSlug(host)}`,
    hostnames: host === '' ? [] : [host],
    attach: { http: true, https: false },
    rules: [],
    annotations: {},
    provenance: [provenanceOf(model, at)],
  };
}
