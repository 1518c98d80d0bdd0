/** --target aws-lbc: the AWS Load Balancer Controller's objects, their schemas, and its GatewayClass. */
import { stringify } from 'yaml';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { buildConvertOptions } from '../src/cli/convert-command.js';
import { convert } from '../src/convert.js';
import { emitAwsLbcObjects } from '../src/emitters/aws-lbc.js';
import { parseSource } from '../src/inputs/parse.js';
import type { RouteIntent } from '../src/ir/types.js';
import { createValidator } from '../src/validate/validator.js';

const validator = createValidator(loadSchemas(), 'standard');
const object = { kind: 'Ingress', namespace: 'a', name: 'i' };

const route = (name: string): RouteIntent => ({
  kind: 'HTTPRoute',
  gatewayKey: 'g',
  namespace: 'a',
  name,
  hostnames: [],
  attach: { http: true, https: false },
  rules: [],
  annotations: {},
  provenance: [{ object }],
});

describe('AWS Load Balancer Controller objects', () => {
  const shop = route('shop');
  const admin = route('admin');
  const result = emitAwsLbcObjects(
    [
      {
        target: 'aws-lbc',
        kind: 'TargetGroupConfiguration',
        namespace: 'a',
        name: 'web',
        spec: { targetReference: { name: 'web' }, defaultConfiguration: { targetType: 'ip' } },
        routeConfigurations: [{ routes: [shop, admin], props: { targetType: 'instance' } }],
        provenance: [{ object }],
      },
      { target: 'aws-lbc', kind: 'LoadBalancerConfiguration', namespace: 'a', name: 'g', spec: { scheme: 'internet-facing' }, provenance: [{ object }] },
    ],
    // The shop route was split in two objects; the admin route was not emitted.
    { routeNames: new Map([[shop, ['shop', 'shop-2']]]) },
    { toolVersion: 't', gatewayClassControllers: {} },
  );

  it('writes per-route target group properties for every route object emitted for the routes', () => {
    const tgc = result.objects.find((o) => o.kind === 'TargetGroupConfiguration')!;
    expect(tgc.apiVersion).toBe('gateway.k8s.aws/v1');
    expect((tgc.spec as Record<string, unknown>).routeConfigurations).toEqual([
      { routeIdentifier: { kind: 'HTTPRoute', namespace: 'a', name: 'shop' }, targetGroupProps: { targetType: 'instance' } },
      { routeIdentifier: { kind: 'HTTPRoute', namespace: 'a', name: 'shop-2' }, targetGroupProps: { targetType: 'instance' } },
    ]);
  });

  it('emits objects that are valid against the schema subsets', () => {
    expect(result.objects.map((o) => o.kind)).toEqual(['LoadBalancerConfiguration', 'TargetGroupConfiguration']);
    for (const o of result.objects) expect(validator.validate(o)).toEqual([]);
  });

  it('catches what the controller\u2019s CRDs refuse', () => {
    const lrc = (actions: unknown[]) => validator.validate({ apiVersion: 'gateway.k8s.aws/v1', kind: 'ListenerRuleConfiguration', metadata: { name: 'x', namespace: 'a' }, spec: { actions } });
    expect(lrc([{ type: 'fixed-response', fixedResponseConfig: { statusCode: 503, contentType: 'text/plain' } }])).toEqual([]);
    expect(lrc([{ type: 'fixed-response', fixedResponseConfig: { statusCode: 302 } }])).not.toEqual([]);
    expect(lrc([{ type: 'fixed-response', fixedResponseConfig: { statusCode: 503 } }, { type: 'redirect', redirectConfig: { query: '' } }])).not.toEqual([]);
    const lb = (mutualAuthentication: unknown) =>
      validator.validate({ apiVersion: 'gateway.k8s.aws/v1', kind: 'LoadBalancerConfiguration', metadata: { name: 'x', namespace: 'a' }, spec: { listenerConfigurations: [{ protocolPort: 'HTTPS:443', mutualAuthentication }] } });
    expect(lb({ mode: 'verify', trustStore: 'ts' })).toEqual([]);
    expect(lb({ mode: 'verify' })).not.toEqual([]);
    expect(lb({ mode: 'off', trustStore: 'ts' })).not.toEqual([]);
  });
});

describe('--target aws-lbc', () => {
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'a' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  };
  const { documents } = parseSource(stringify(ingress), 'gen.yaml');

  it('emits a GatewayClass of the controller for the Gateways\u2019 class', () => {
    const result = convert(documents, buildConvertOptions({ target: 'aws-lbc' }, 't'), validator);
    const gc = result.objects.find((o) => o.kind === 'GatewayClass')!;
    expect(gc.metadata.name).toBe('nginx');
    expect(gc.spec).toEqual({ controllerName: 'gateway.k8s.aws/alb' });
    expect(result.findings.find((f) => f.ruleId === 'core/gateway-class-defaulted')?.message).toContain('for the AWS Load Balancer Controller (gateway.k8s.aws/alb) was emitted');
  });

  it('uses --gateway-class and --gateway-controller when given', () => {
    const result = convert(documents, buildConvertOptions({ target: 'aws-lbc', gatewayClass: 'aws-alb' }, 't'), validator);
    expect(result.objects.filter((o) => o.kind === 'GatewayClass').map((o) => [o.metadata.name, o.spec])).toEqual([['aws-alb', { controllerName: 'gateway.k8s.aws/alb' }]]);
    const custom = convert(documents, buildConvertOptions({ target: 'aws-lbc', gatewayClass: 'edge', gatewayController: 'example.com/lbc' }, 't'), validator);
    expect(custom.objects.find((o) => o.kind === 'GatewayClass')!.spec).toEqual({ controllerName: 'example.com/lbc' });
  });
});
