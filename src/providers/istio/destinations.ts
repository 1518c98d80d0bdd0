/**
 * Istio destinations -> Gateway API backendRefs: the host resolved to a Service, the port, and
 * subsets (which Gateway API cannot express: the backendRef names a Service per subset and a
 * finding says which DestinationRule labels define it).
 */
import type { FieldPath, SourceDocument } from '../../inputs/document.js';
import type { BackendRef } from '../../ir/types.js';
import { toDnsLabel } from '../../emitters/names.js';
import { fieldText } from '../common/translate.js';
import { resolveHost, type HostEnv } from './hosts.js';
import { isRecord, type ObjReader } from './read.js';

export interface DestinationEnv {
  hosts: HostEnv;
  /** Ports of a Service of the input; undefined when the Service is not in the input. */
  servicePorts(namespace: string, name: string): number[] | undefined;
  /** DestinationRules of the input. */
  destinationRules: readonly SourceDocument[];
}

/** The DestinationRule subset of a Service, preferring a rule in the client's namespace, then the Service's. */
function findSubset(env: DestinationEnv, clientNs: string, svcNs: string, svc: string, subset: string): { rule: SourceDocument; labels: Record<string, string> } | undefined {
  const candidates: { rule: SourceDocument; labels: Record<string, string>; score: number }[] = [];
  for (const dr of env.destinationRules) {
    const spec = isRecord(dr.object.spec) ? dr.object.spec : {};
    if (typeof spec.host !== 'string') continue;
    const drNs = dr.object.metadata.namespace ?? 'default';
    const target = resolveHost(spec.host, drNs, env.hosts);
    if (target.kind !== 'service' || target.namespace !== svcNs || target.name !== svc) continue;
    for (const s of Array.isArray(spec.subsets) ? spec.subsets : []) {
      if (!isRecord(s) || s.name !== subset) continue;
      const labels: Record<string, string> = {};
      if (isRecord(s.labels)) for (const [k, v] of Object.entries(s.labels)) labels[k] = String(v);
      candidates.push({ rule: dr, labels, score: drNs === clientNs ? 0 : drNs === svcNs ? 1 : 2 });
    }
  }
  candidates.sort((a, b) => a.score - b.score);
  return candidates[0];
}

export interface DestinationOptions {
  /** Rule id for findings about the destination (the entry of the field it came from). */
  entry: string;
  /** What the destination is, in messages: "route destination", "mirror". */
  what: string;
}

/**
 * Resolves `at` (an Istio Destination: host, subset, port.number) read from `r` to a backendRef,
 * consuming its fields; undefined (with a finding) when there is no Service to send to.
 */
export function resolveDestination(r: ObjReader, at: FieldPath, env: DestinationEnv, opts: DestinationOptions): BackendRef | undefined {
  const host = r.str([...at, 'host']);
  const port = r.int([...at, 'port', 'number']);
  if (r.has([...at, 'port'])) r.consume([...at, 'port']);
  const subsetRaw = r.get([...at, 'subset']);
  const subset = typeof subsetRaw === 'string' && subsetRaw !== '' ? subsetRaw : undefined;
  if (subsetRaw !== undefined && subset === undefined) r.consume([...at, 'subset']);
  if (!host) {
    r.report(at, 'istio/invalid-destination', 'error', `the ${opts.what} at ${fieldText(at)} has no host; Istio refuses it, and it was not translated`, 'Give destination.host.');
    return undefined;
  }
  const target = resolveHost(host, r.namespace, env.hosts);
  const hostAt = [...at, 'host'];
  switch (target.kind) {
    case 'service-entry':
      r.report(
        hostAt,
        'istio/external-destination',
        'error',
        `the ${opts.what} ${host} is a host of ServiceEntry ${target.entry.object.metadata.namespace ?? 'default'}/${target.entry.object.metadata.name ?? ''}, not a Kubernetes Service; Gateway API backendRefs name Services, so it was left out`,
        'Use an implementation backend for the external host (Istio: a backendRef with group networking.istio.io, kind Hostname, name ' + host + '), or a Service of type ExternalName.',
      );
      r.consume(at);
      return undefined;
    case 'wildcard':
    case 'ip':
      r.report(hostAt, 'istio/invalid-destination', 'error', `the ${opts.what} ${host} is ${target.kind === 'ip' ? 'an IP address' : 'a wildcard'}, which names no Service; it was left out`, 'Send to a Service.');
      r.consume(at);
      return undefined;
    case 'unknown':
      r.report(
        hostAt,
        'istio/unknown-destination',
        'error',
        `the ${opts.what} ${host} is neither a Kubernetes Service name (name, or name.namespace.svc.cluster.local) nor a host of a ServiceEntry in the input, so it was left out (Istio dropped its traffic unless some registry has it)`,
        'Use the Service name, or add the ServiceEntry that declares the host to the input.',
      );
      r.consume(at);
      return undefined;
    case 'service':
      break;
  }
  if (target.form === 'partial') {
    r.report(
      hostAt,
      'istio/partial-service-host',
      'warning',
      `${host} was read as Service ${target.namespace}/${target.name}; Istio takes a name with a dot as fully qualified, so it found no Service under it (only ${target.name}.${target.namespace}.svc.cluster.local) and dropped this traffic`,
      `Check that Service ${target.namespace}/${target.name} is the intended destination (in Istio, write ${target.name}.${target.namespace}.svc.cluster.local).`,
    );
  } else r.consume(hostAt);
  const ports = env.servicePorts(target.namespace, target.name);
  let resolvedPort = port;
  if (resolvedPort === undefined) {
    if (ports && ports.length === 1) resolvedPort = ports[0];
    else {
      r.report(
        at,
        'istio/destination-port',
        'error',
        ports
          ? `the ${opts.what} ${host} has no port, and Service ${target.namespace}/${target.name} has ${ports.length} ports; Istio used the port the request came in on, but a Gateway API backendRef needs one, so it was left out`
          : `the ${opts.what} ${host} has no port, and Service ${target.namespace}/${target.name} is not in the input (Istio used its only port); a Gateway API backendRef needs the port, so it was left out`,
        ports ? 'Give destination.port.number.' : `Give destination.port.number, or add Service ${target.namespace}/${target.name} to the input.`,
      );
      return undefined;
    }
  }
  const ref: BackendRef = { name: target.name, namespace: target.namespace, port: resolvedPort! };
  if (subset !== undefined) {
    const name = toDnsLabel(`${target.name}-${subset}`);
    const found = findSubset(env, r.namespace, target.namespace, target.name, subset);
    const labels = found ? Object.entries(found.labels).map(([k, v]) => `${k}=${v}`).join(', ') : '';
    r.report(
      [...at, 'subset'],
      opts.entry,
      'error',
      `the ${opts.what} ${host} subset ${subset} ${found ? `(DestinationRule ${found.rule.object.metadata.namespace ?? 'default'}/${found.rule.object.metadata.name ?? ''}: pods labelled ${labels || 'with no labels'})` : '(no DestinationRule of the input defines it)'} has no Gateway API equivalent: backendRefs name whole Services, so the backendRef names Service ${target.namespace}/${name}, which you need to create`,
      `Create Service ${target.namespace}/${name} with the selector of Service ${target.name}${labels ? ` plus ${labels}` : ' plus the labels of the subset'} and the same ports (a Service per subset is the Gateway API way to route to versions).`,
    );
    ref.name = name;
  }
  return ref;
}
