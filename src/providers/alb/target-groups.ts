/**
 * Target groups (pkg/ingress/model_build_target_group.go at v3.5.0): one per Ingress, Service and
 * port, configured by the target group annotations of the Service and of the Ingress, the
 * Service's winning (algorithm.MergeStringMap(svc.Annotations, ing.Annotations)), and the
 * targetType of the IngressClassParams over both. With --target aws-lbc they become the
 * properties of a TargetGroupConfiguration; the controller's Gateway defaults differ from its
 * Ingress defaults for the health check thresholds (3, not 2) and success codes (200-399, not
 * 200), so those are written out.
 */
import type { SourceDocument } from '../../inputs/document.js';
import type { BackendRef } from '../../ir/types.js';
import type { IngressModel } from '../common/ingress-model.js';
import { isObject, parseGoBool, parseInt32, stringMap } from './parse.js';
import { ALB_PREFIX } from './rules.js';

/** The target group annotations (suffixes) read from the Service first, then the Ingress. */
export const TARGET_GROUP_KEYS = [
  'target-type',
  'backend-protocol',
  'backend-protocol-version',
  'healthcheck-port',
  'healthcheck-protocol',
  'healthcheck-path',
  'healthcheck-interval-seconds',
  'healthcheck-timeout-seconds',
  'healthy-threshold-count',
  'unhealthy-threshold-count',
  'success-codes',
  'target-group-attributes',
  'target-node-labels',
  'multi-cluster-target-group',
] as const;

export interface ServiceTarget {
  kind: 'service';
  ref: BackendRef;
  /** The Service object, when it is in the input. */
  service?: SourceDocument;
  /** HTTP1 (default), HTTP2 or GRPC. */
  protocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC';
  /** TargetGroupConfiguration properties (for --target aws-lbc). */
  props: Record<string, unknown>;
  /** Keys (suffixes) whose values came from the Ingress and were used. */
  fromIngress: Set<string>;
}

/** A target group outside the cluster (targetGroupARN or targetGroupName of a forward action). */
export interface ExternalTarget {
  kind: 'target-group';
  arn: string;
  name: string;
  weight?: number;
}

export type Backend = ServiceTarget | ExternalTarget;

export type SettingProblem = { key: string; fromService: boolean; message: string };

/**
 * The settings of the target group of a Service port for an Ingress; problems are the values the
 * controller refuses (which stop the whole group), reported by the caller.
 */
export function targetGroupSettings(
  m: IngressModel,
  serviceName: string,
  service: SourceDocument | undefined,
  port: { number?: number; name?: string },
  paramsTargetType: string | undefined,
): { protocolVersion: ServiceTarget['protocolVersion']; props: Record<string, unknown>; fromIngress: Set<string>; problems: SettingProblem[] } {
  const svcAnnotations = service && isObject(service.object.metadata.annotations) ? (service.object.metadata.annotations as Record<string, unknown>) : {};
  const fromIngress = new Set<string>();
  const problems: SettingProblem[] = [];
  const get = (suffix: string): { value: string; fromService: boolean } | undefined => {
    const s = svcAnnotations[ALB_PREFIX + suffix];
    if (typeof s === 'string') return { value: s, fromService: true };
    const i = m.annotations[ALB_PREFIX + suffix];
    if (typeof i === 'string') {
      fromIngress.add(suffix);
      return { value: i, fromService: false };
    }
    return undefined;
  };
  const problem = (suffix: string, v: { fromService: boolean }, message: string) => problems.push({ key: suffix, fromService: v.fromService, message });
  const props: Record<string, unknown> = {};

  const tt = get('target-type');
  const targetType = paramsTargetType ?? tt?.value;
  if (tt && !['instance', 'ip'].includes(tt.value)) problem('target-type', tt, `unknown targetType "${tt.value}"`);
  else if (targetType === 'instance' || targetType === 'ip') props.targetType = targetType;

  const bp = get('backend-protocol');
  if (bp) {
    if (bp.value === 'HTTP' || bp.value === 'HTTPS') props.protocol = bp.value;
    else problem('backend-protocol', bp, `backend protocol must be HTTP or HTTPS, not "${bp.value}"`);
  }
  let protocolVersion: ServiceTarget['protocolVersion'] = 'HTTP1';
  const pv = get('backend-protocol-version');
  if (pv) {
    if (pv.value === 'HTTP1' || pv.value === 'HTTP2' || pv.value === 'GRPC') {
      protocolVersion = pv.value;
      props.protocolVersion = pv.value;
    } else problem('backend-protocol-version', pv, `backend protocol version must be HTTP1, HTTP2 or GRPC, not "${pv.value}"`);
  }

  // Health check: the Ingress defaults where the Gateway ones differ.
  const hc: Record<string, unknown> = { healthyThresholdCount: 2, unhealthyThresholdCount: 2 };
  const hp = get('healthcheck-port');
  if (hp && hp.value !== 'traffic-port') hc.healthCheckPort = hp.value;
  const hproto = get('healthcheck-protocol');
  if (hproto) {
    if (hproto.value === 'HTTP' || hproto.value === 'HTTPS') hc.healthCheckProtocol = hproto.value;
    else problem('healthcheck-protocol', hproto, `healthCheckProtocol must be HTTP or HTTPS, not "${hproto.value}"`);
  }
  const hpath = get('healthcheck-path');
  if (hpath) hc.healthCheckPath = hpath.value;
  const ints: [string, string][] = [
    ['healthcheck-interval-seconds', 'healthCheckInterval'],
    ['healthcheck-timeout-seconds', 'healthCheckTimeout'],
    ['healthy-threshold-count', 'healthyThresholdCount'],
    ['unhealthy-threshold-count', 'unhealthyThresholdCount'],
  ];
  for (const [suffix, prop] of ints) {
    const v = get(suffix);
    if (!v) continue;
    const n = parseInt32(v.value);
    if (n === undefined) problem(suffix, v, `"${v.value}" is not a whole number`);
    else hc[prop] = n;
  }
  const codes = get('success-codes');
  if (protocolVersion === 'GRPC') {
    if (codes) hc.matcher = { grpcCode: codes.value };
  } else hc.matcher = { httpCode: codes?.value ?? '200' };
  props.healthCheckConfig = sortProps(hc);

  const attrs = get('target-group-attributes');
  if (attrs) {
    const map = stringMap(attrs.value);
    if (!map) problem('target-group-attributes', attrs, `"${attrs.value}" is not a key=value list`);
    else if (map.size > 0) props.targetGroupAttributes = [...map].map(([key, value]) => ({ key, value }));
  }
  const labels = get('target-node-labels');
  if (labels) {
    const map = stringMap(labels.value);
    if (!map) problem('target-node-labels', labels, `"${labels.value}" is not a key=value list`);
    // The controller selects nodes only for instance targets.
    else if (map.size > 0 && (targetType ?? 'instance') === 'instance') props.nodeSelector = { matchLabels: Object.fromEntries([...map].sort()) };
  }
  // multi-cluster-target-group: the Ingress's true wins, else the Service's value.
  const mcIng = m.annotations[`${ALB_PREFIX}multi-cluster-target-group`];
  const mcSvc = svcAnnotations[`${ALB_PREFIX}multi-cluster-target-group`];
  if (mcIng !== undefined) fromIngress.add('multi-cluster-target-group');
  const mc = (mcIng !== undefined && parseGoBool(mcIng) === true) || (typeof mcSvc === 'string' && parseGoBool(mcSvc) === true);
  if (mc) props.enableMultiCluster = true;

  // target-control-port.<service>.<port>
  const tcpSuffix = `target-control-port.${serviceName}.${port.number ?? port.name ?? ''}`;
  const tcp = get(tcpSuffix);
  if (tcp) {
    const n = parseInt32(tcp.value);
    if (n === undefined) problem(tcpSuffix, tcp, `"${tcp.value}" is not a port number`);
    else if ((targetType ?? 'instance') === 'instance') problem(tcpSuffix, tcp, 'a target control port needs ip targets');
    else props.targetControlPort = n;
  }

  // Tags of target groups: the Ingress's merged with the Service's (the Service's win).
  const tags = new Map<string, string>();
  const ingTags = m.annotations[`${ALB_PREFIX}tags`];
  const svcTags = svcAnnotations[`${ALB_PREFIX}tags`];
  for (const raw of [ingTags, typeof svcTags === 'string' ? svcTags : undefined]) {
    if (raw === undefined) continue;
    const map = stringMap(raw);
    if (map) for (const [k, v] of map) tags.set(k, v);
  }
  if (tags.size > 0) props.tags = Object.fromEntries([...tags].sort());
  return { protocolVersion, props: sortProps(props), fromIngress, problems };
}

function sortProps(o: Record<string, unknown>): Record<string, unknown> {
  const order = ['targetType', 'protocol', 'protocolVersion', 'healthCheckConfig', 'targetGroupAttributes', 'nodeSelector', 'targetControlPort', 'enableMultiCluster', 'tags', 'healthCheckPort', 'healthCheckProtocol', 'healthCheckPath', 'healthCheckInterval', 'healthCheckTimeout', 'healthyThresholdCount', 'unhealthyThresholdCount', 'matcher'];
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  return out;
}

/** The target group name of an ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>). */
export function targetGroupNameOfArn(arn: string): string | undefined {
  const m = /:targetgroup\/([^/]+)\/[^/]+$/.exec(arn);
  return m?.[1];
}

