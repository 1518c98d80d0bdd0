/** Shared builders and a cached validator per channel for the validator tests. */
import { loadSchemas } from '../../src/cli/load-schemas.js';
import { createValidator, type Channel, type SchemaSet, type Validator } from '../../src/validate/validator.js';

export const GROUP = 'gateway.networking.k8s.io';

let schemas: SchemaSet | undefined;
export function schemaSet(): SchemaSet {
  schemas ??= loadSchemas();
  return schemas;
}

const validators = new Map<Channel, Validator>();
export function validator(channel: Channel): Validator {
  let v = validators.get(channel);
  if (v === undefined) {
    v = createValidator(schemaSet(), channel);
    validators.set(channel, v);
  }
  return v;
}

type Spec = Record<string, unknown>;

export function obj(kind: string, spec: Spec, version = 'v1', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: `${GROUP}/${version}`, kind, metadata: { name: 'demo', namespace: 'default' }, spec, ...extra };
}

export const parent = { name: 'gw', sectionName: 'http' };

/** An HTTPRoute with the given rules (and one parentRef). */
export function httpRoute(rules: unknown[], more: Spec = {}): Record<string, unknown> {
  return obj('HTTPRoute', { parentRefs: [parent], rules, ...more });
}

export function grpcRoute(rules: unknown[], more: Spec = {}): Record<string, unknown> {
  return obj('GRPCRoute', { parentRefs: [parent], rules, ...more });
}

export const backend = { name: 'svc', port: 8080 };

export function gateway(listeners: unknown[], more: Spec = {}): Record<string, unknown> {
  return obj('Gateway', { gatewayClassName: 'example', listeners, ...more });
}

export function listenerSet(listeners: unknown[]): Record<string, unknown> {
  return obj('ListenerSet', { parentRef: { name: 'gw' }, listeners });
}

export const httpListener = { name: 'http', port: 80, protocol: 'HTTP' };
export const httpsListener = {
  name: 'https',
  port: 443,
  protocol: 'HTTPS',
  hostname: 'example.com',
  tls: { certificateRefs: [{ name: 'cert' }] },
};

/** A route of `kind` with the given parentRefs and one schema-valid rule (TLSRoute needs hostnames). */
export function routeWithParents(kind: string, parentRefs: unknown[]): Record<string, unknown> {
  const spec: Spec = { parentRefs, rules: [{ backendRefs: [backend] }] };
  if (kind === 'TLSRoute') spec['hostnames'] = ['example.com'];
  return obj(kind, spec);
}

export const clone = <T>(v: T): T => structuredClone(v);
