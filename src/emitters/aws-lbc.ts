/**
 * AWS Load Balancer Controller configuration objects (gateway.k8s.aws/v1, as of the controller's
 * v3.5.0): LoadBalancerConfiguration (named by a Gateway's spec.infrastructure.parametersRef),
 * TargetGroupConfiguration (spec.targetReference names a Service of its namespace; per-route
 * properties name the route objects, known only once the routes are emitted) and
 * ListenerRuleConfiguration (named by ExtensionRef filters of route rules).
 */
import type { Finding } from '../findings/finding.js';
import type { KubeObject } from '../inputs/document.js';
import type { AwsLbcObjectIntent } from '../ir/types.js';
import { metadata, sortByKey, type EmitOptions, type EmitResult } from './gateway-api.js';

export const AWS_LBC_GROUP = 'gateway.k8s.aws';
export const AWS_LBC_API_VERSION = `${AWS_LBC_GROUP}/v1`;
/** The GatewayClass controllerName of the controller's ALB Gateways (pkg/gateway/constants). */
export const AWS_LBC_ALB_CONTROLLER = 'gateway.k8s.aws/alb';

export function emitAwsLbcObjects(
  intents: readonly AwsLbcObjectIntent[],
  placed: Pick<EmitResult, 'routeNames'>,
  opts: EmitOptions,
): { objects: KubeObject[]; findings: Finding[] } {
  const objects: KubeObject[] = [];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const o of sortByKey(intents, (x) => `${x.kind}/${x.namespace}/${x.name}`)) {
    const key = `${o.kind}/${o.namespace}/${o.name}`;
    if (seen.has(key)) {
      // A provider bug: two objects of one name would overwrite each other when applied.
      findings.push({ ruleId: 'core/duplicate-output', severity: 'error', message: `two ${o.kind} objects named ${o.namespace}/${o.name} were generated; only the first was written`, remediation: 'This is a bug in gateway-shift; please report it with the input that caused it.' });
      continue;
    }
    seen.add(key);
    const spec: Record<string, unknown> = structuredClone(o.spec);
    const perRoute: Record<string, unknown>[] = [];
    for (const rc of o.routeConfigurations ?? []) {
      for (const r of sortByKey(rc.routes, (x) => `${x.kind}/${x.namespace}/${x.name}`)) {
        for (const name of placed.routeNames.get(r) ?? []) {
          perRoute.push({ routeIdentifier: { kind: r.kind, namespace: r.namespace, name }, targetGroupProps: structuredClone(rc.props) });
        }
      }
    }
    if (perRoute.length > 0) spec.routeConfigurations = perRoute;
    objects.push({ apiVersion: AWS_LBC_API_VERSION, kind: o.kind, metadata: metadata(o.name, o.namespace, o.provenance, opts), spec });
  }
  return { objects, findings };
}
