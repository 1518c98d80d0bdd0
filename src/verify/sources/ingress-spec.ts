/**
 * The parts of an Ingress every source model reads the same way, whatever its controller: the
 * annotations as strings, the Service backends, the tls section. Controller-specific reading
 * (which paths a controller accepts, legacy fields) stays in each model.
 */
import type { FieldPath, KubeObject } from '../../inputs/document.js';
import { isRecord } from '../types.js';

export interface Backend {
  service: string;
  /** As written: a number or a port name. */
  port: number | string;
  at: FieldPath;
}

export interface TlsEntry {
  hosts: string[];
  secretName: string;
  at: FieldPath;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** metadata.annotations as strings (a YAML number or boolean as its text). */
export function rawAnnotations(o: KubeObject): Record<string, string> {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(isRecord(o.metadata.annotations) ? o.metadata.annotations : {})) raw[k] = typeof v === 'string' ? v : String(v);
  return raw;
}

/**
 * A backend's Service and port (networking.k8s.io/v1 `service`; with `legacy`, also the
 * v1beta1 `serviceName`/`servicePort`); undefined for anything else.
 */
export function readServiceBackend(v: unknown, at: FieldPath, legacy = false): Backend | undefined {
  if (!isRecord(v)) return undefined;
  if (isRecord(v.service)) {
    const name = str(v.service.name);
    const port = isRecord(v.service.port) ? v.service.port : {};
    const p = typeof port.number === 'number' ? port.number : str(port.name);
    if (!name || p === undefined) return undefined;
    return { service: name, port: p, at: [...at, 'service'] };
  }
  if (legacy && v.serviceName !== undefined) {
    const name = str(v.serviceName);
    const sp = v.servicePort;
    if (!name || (typeof sp !== 'number' && typeof sp !== 'string')) return undefined;
    return { service: name, port: typeof sp === 'string' && /^\d+$/.test(sp) ? Number(sp) : sp, at };
  }
  return undefined;
}

/** spec.tls, hosts lower-cased. */
export function readTls(spec: Record<string, unknown>): TlsEntry[] {
  const out: TlsEntry[] = [];
  (Array.isArray(spec.tls) ? spec.tls : []).forEach((t: unknown, i: number) => {
    if (!isRecord(t)) return;
    out.push({
      hosts: (Array.isArray(t.hosts) ? t.hosts : []).filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()),
      secretName: str(t.secretName) ?? '',
      at: ['spec', 'tls', i],
    });
  });
  return out;
}
