/**
 * The load balancer settings of an IngressGroup (pkg/ingress/model_build_load_balancer*.go,
 * model_build_listener.go at v3.5.0): one value per group, taken from any member (the
 * IngressClassParams of a member's class first), different values stop the group. With --target
 * aws-lbc they become a LoadBalancerConfiguration (apis/gateway/v1/loadbalancerconfig_types.go)
 * that the Gateway names in spec.infrastructure.parametersRef.
 */
import type { SourceDocument } from '../../inputs/document.js';
import type { Json } from './parse.js';
import { commaList, isObject, parseGoBool, parseInt32, stringMap, type AlbAnnotations } from './parse.js';
import type { IngressModel } from '../common/ingress-model.js';

export interface Member {
  model: IngressModel;
  a: AlbAnnotations;
  /** spec of the IngressClassParams of the Ingress's class, if in the input. */
  params?: Record<string, Json>;
  paramsDoc?: SourceDocument;
  report: (suffix: string, f: { ruleId: string; severity: 'error' | 'warning' | 'info'; message: string; remediation?: string }) => void;
  /** The listener ports of the Ingress. */
  ports: Map<number, 'HTTP' | 'HTTPS'>;
}

export interface Listener {
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  name: string;
  members: Member[];
  /** ACM certificate ARNs (the first is the default); empty: discovered by host. */
  certificates: string[];
  sslPolicy?: string;
  mutualAuthentication?: Record<string, unknown>;
  attributes: Map<string, string>;
}

/** One value of the group for a setting; conflicts are reported on the member that differs. */
function single<T>(members: readonly Member[], suffix: string, read: (m: Member) => { value: T; fromParams: boolean } | undefined, same: (a: T, b: T) => boolean = (a, b) => a === b): T | undefined {
  let chosen: { value: T; from: Member } | undefined;
  for (const m of members) {
    const v = read(m);
    if (!v) continue;
    if (!chosen) chosen = { value: v.value, from: m };
    else if (!same(chosen.value, v.value)) {
      m.report(suffix, {
        ruleId: `alb/${suffix}`,
        severity: 'error',
        message: `${suffix} ${JSON.stringify(v.value)} conflicts with ${JSON.stringify(chosen.value)} of Ingress ${chosen.from.model.namespace}/${chosen.from.model.name} in the same group; the controller stops reconciling the whole group on this; the first value was kept`,
        remediation: 'Give every Ingress of the group the same value, or set it on one Ingress only.',
      });
    }
  }
  return chosen?.value;
}

const annotation = (suffix: string) => (m: Member) => {
  const v = m.a.get(suffix);
  return v === undefined ? undefined : { value: v, fromParams: false };
};

function fromParams(key: string, suffix: string) {
  return (m: Member) => {
    const p = m.params?.[key];
    if (typeof p === 'string' && p !== '') return { value: p, fromParams: true };
    return annotation(suffix)(m);
  };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** Merges key=value maps of the members (same key, other value: a conflict), IngressClassParams entries first. */
function mergedMap(members: readonly Member[], suffix: string, paramsKey?: string): Map<string, string> {
  const out = new Map<string, string>();
  const forced = new Map<string, string>();
  const owner = new Map<string, Member>();
  for (const m of members) {
    const list = paramsKey ? m.params?.[paramsKey] : undefined;
    if (Array.isArray(list)) for (const e of list) if (isObject(e) && typeof e.key === 'string' && typeof e.value === 'string') forced.set(e.key, e.value);
    const raw = m.a.get(suffix);
    if (raw === undefined) continue;
    const map = stringMap(raw);
    if (!map) {
      m.report(suffix, { ruleId: 'alb/invalid-value', severity: 'error', message: `${suffix}="${raw}" is not a key=value list; the controller stops reconciling the group on this; it was not used` });
      continue;
    }
    for (const [k, v] of map) {
      const had = out.get(k);
      if (had !== undefined && had !== v && !forced.has(k)) {
        m.report(suffix, { ruleId: `alb/${suffix}`, severity: 'error', message: `${suffix}: ${k}=${v} conflicts with ${k}=${had} of Ingress ${owner.get(k)!.model.namespace}/${owner.get(k)!.model.name} in the same group; the controller stops reconciling the group on this; the first value was kept` });
        continue;
      }
      if (had === undefined) {
        out.set(k, v);
        owner.set(k, m);
      }
    }
  }
  for (const [k, v] of forced) out.set(k, v);
  return out;
}

/** The LoadBalancerConfiguration spec of a group (empty when nothing is configured). */
export function loadBalancerConfiguration(members: readonly Member[], listeners: readonly Listener[]): { spec: Record<string, unknown>; notes: string[] } {
  const spec: Record<string, unknown> = {};
  const notes: string[] = [];
  const name = single(members, 'load-balancer-name', fromParams('loadBalancerName', 'load-balancer-name'));
  if (name !== undefined) spec.loadBalancerName = name;
  const scheme = single(members, 'scheme', fromParams('scheme', 'scheme'));
  if (scheme === 'internal' || scheme === 'internet-facing') spec.scheme = scheme;
  const ipType = single(members, 'ip-address-type', fromParams('ipAddressType', 'ip-address-type'));
  if (ipType === 'ipv4' || ipType === 'dualstack' || ipType === 'dualstack-without-public-ipv4') spec.ipAddressType = ipType;
  const coip = single(members, 'customer-owned-ipv4-pool', annotation('customer-owned-ipv4-pool'));
  if (coip) spec.customerOwnedIpv4Pool = coip;
  const ipam = single(members, 'ipam-ipv4-pool-id', (m) => {
    const c = m.params?.ipamConfiguration;
    if (isObject(c) && typeof c.ipv4IPAMPoolId === 'string') return { value: c.ipv4IPAMPoolId, fromParams: true };
    return annotation('ipam-ipv4-pool-id')(m);
  });
  if (ipam) spec.ipv4IPAMPoolId = ipam;
  const list = (suffix: string) => (m: Member) => {
    const v = m.a.get(suffix);
    return v === undefined ? undefined : { value: commaList(v), fromParams: false };
  };
  const subnets = single(members, 'subnets', (m) => {
    const s = m.params?.subnets;
    if (isObject(s) && Array.isArray(s.ids)) return { value: s.ids.filter((x): x is string => typeof x === 'string'), fromParams: true };
    return list('subnets')(m);
  }, sameSet);
  if (subnets?.length) spec.loadBalancerSubnets = subnets.map((identifier) => ({ identifier }));
  const sgs = single(members, 'security-groups', list('security-groups'), (a, b) => a.join(',') === b.join(','));
  if (sgs?.length) spec.securityGroups = sgs;
  const prefixes = single(members, 'security-group-prefix-lists', (m) => {
    const p = m.params?.prefixListsIDs ?? m.params?.PrefixListsIDs;
    if (Array.isArray(p) && p.length) return { value: p.filter((x): x is string => typeof x === 'string'), fromParams: true };
    return list('security-group-prefix-lists')(m);
  }, sameSet);
  if (prefixes?.length) spec.securityGroupPrefixes = prefixes;
  const cidrs = single(members, 'inbound-cidrs', (m) => {
    const p = m.params?.inboundCIDRs;
    if (Array.isArray(p) && p.length) return { value: p.filter((x): x is string => typeof x === 'string'), fromParams: true };
    return list('inbound-cidrs')(m);
  }, sameSet);
  if (cidrs?.length) {
    spec.sourceRanges = cidrs;
    const ports = new Set(members.filter((m) => m.a.has('inbound-cidrs') || Array.isArray(m.params?.inboundCIDRs)).flatMap((m) => [...m.ports.keys()]));
    const open = listeners.filter((l) => !ports.has(l.port)).map((l) => l.port);
    if (open.length) notes.push(`inbound-cidrs limited only the ports of the Ingresses that set it; sourceRanges limits every listener, ${open.join(', ')} included`);
  }
  const manage = single(members, 'manage-backend-security-group-rules', (m) => {
    const v = m.a.get('manage-backend-security-group-rules');
    const b = v === undefined ? undefined : parseGoBool(v);
    return b === undefined ? undefined : { value: b, fromParams: false };
  });
  if (manage !== undefined) spec.manageBackendSecurityGroupRules = manage;
  const listenerConfigurations = listeners.flatMap((l) => {
    const c: Record<string, unknown> = { protocolPort: `${l.protocol}:${l.port}` };
    if (l.certificates.length) {
      c.defaultCertificate = l.certificates[0];
      if (l.certificates.length > 1) c.certificates = l.certificates.slice(1);
    }
    if (l.sslPolicy) c.sslPolicy = l.sslPolicy;
    if (l.mutualAuthentication) c.mutualAuthentication = l.mutualAuthentication;
    if (l.attributes.size) c.listenerAttributes = [...l.attributes].map(([key, value]) => ({ key, value }));
    return Object.keys(c).length > 1 ? [c] : [];
  });
  if (listenerConfigurations.length) spec.listenerConfigurations = listenerConfigurations;
  const attributes = mergedMap(members, 'load-balancer-attributes', 'loadBalancerAttributes');
  if (attributes.size) spec.loadBalancerAttributes = [...attributes].map(([key, value]) => ({ key, value }));
  const tags = mergedMap(members, 'tags', 'tags');
  if (tags.size) spec.tags = Object.fromEntries([...tags].sort());
  const capacity = mergedMap(members, 'minimum-load-balancer-capacity');
  for (const m of members) {
    const c = m.params?.minimumLoadBalancerCapacity;
    if (isObject(c) && typeof c.capacityUnits === 'number') capacity.set('CapacityUnits', String(c.capacityUnits));
  }
  if (capacity.size) {
    const units = parseInt32(capacity.get('CapacityUnits') ?? '');
    if (units !== undefined) spec.minimumLoadBalancerCapacity = { capacityUnits: units };
    else notes.push(`minimum-load-balancer-capacity needs CapacityUnits=<number>; it was not used`);
  }
  const waf = single(members, 'wafv2-acl-arn', fromParams('wafv2AclArn', 'wafv2-acl-arn'));
  if (waf && waf !== 'none') spec.wafV2 = { webACL: waf };
  const shield = single(members, 'shield-advanced-protection', (m) => {
    const v = m.a.get('shield-advanced-protection');
    const b = v === undefined ? undefined : parseGoBool(v);
    return b === undefined ? undefined : { value: b, fromParams: false };
  });
  if (shield !== undefined) spec.shieldConfiguration = { enabled: shield };
  return { spec, notes };
}

/** The keys (suffixes) the LoadBalancerConfiguration above reads. */
export const LOAD_BALANCER_KEYS = [
  'load-balancer-name',
  'scheme',
  'ip-address-type',
  'customer-owned-ipv4-pool',
  'ipam-ipv4-pool-id',
  'subnets',
  'security-groups',
  'security-group-prefix-lists',
  'inbound-cidrs',
  'manage-backend-security-group-rules',
  'ssl-policy',
  'mutual-authentication',
  'load-balancer-attributes',
  'tags',
  'minimum-load-balancer-capacity',
  'wafv2-acl-arn',
  'shield-advanced-protection',
] as const;

