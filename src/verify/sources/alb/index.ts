/**
 * The AWS Load Balancer Controller source model (v3.5.0, Ingress support), written from the
 * controller's sources and the ELB listener rule semantics as summarised in docs/research/alb.md,
 * independently of the translation.
 */
import type { SourceInput, SourceInstance, SourceModel } from '../types.js';
import { buildConfig, classParams, PREFIX, readAlbIngress, type AlbConfig, type AlbIngress } from './config.js';
import { evaluate } from './evaluate.js';
import { generateProbes } from './probes.js';

/** Annotations whose effect on routing the model simulates. */
const MODELLED = /^(group\.name|group\.order|listen-ports|certificate-arn|ssl-redirect|use-regex-path-match|(actions|conditions|transforms)\..+)$/;

export const ALB_ASSUMPTIONS = [
  'controller flags at their defaults: tolerate-non-existent-backend-action and -service true, ingress class alb',
  'every Service of the input has targets; a Service that is not in the input is assumed to exist with the port as written',
  'the listeners\u2019 certificates (certificate-arn, or discovered in ACM) are valid for the hosts of the rules',
  'one load balancer per IngressGroup; DNS points a host at the load balancer whose rules name it',
  'source-ip conditions, regex values, authentication (cognito, oidc, jwt-validation), WAF, stickiness and target group settings are not simulated',
];

class AlbInstance implements SourceInstance {
  readonly assumptions = ALB_ASSUMPTIONS;
  readonly unmodelled: SourceInstance['unmodelled'] = [];
  readonly config: AlbConfig;

  constructor(
    readonly entry: string,
    ingresses: AlbIngress[],
    private readonly input: SourceInput,
  ) {
    this.config = buildConfig(ingresses, input.services);
    for (const i of ingresses) {
      const keys = Object.keys(i.raw)
        .filter((k) => k.startsWith(PREFIX) && !MODELLED.test(k.slice(PREFIX.length)))
        .sort();
      if (keys.length) this.unmodelled.push({ object: i.ref, keys });
    }
  }

  probes() {
    return generateProbes(this.entry, this.config);
  }

  evaluate(probe: Parameters<SourceInstance['evaluate']>[0]) {
    return evaluate({ config: this.config, services: this.input.services }, probe);
  }

  hosts(): string[] {
    const out = new Set<string>();
    for (const lb of this.config.loadBalancers) for (const l of lb.listeners) for (const r of [...l.rules, ...l.dropped]) for (const c of r.conditions) if (c.field === 'host-header') for (const v of c.values) out.add(v.toLowerCase());
    return [...out].sort();
  }
}

export const albModel: SourceModel = {
  id: 'alb',
  displayName: 'AWS Load Balancer Controller',
  controllers: ['ingress.k8s.aws/alb'],
  classNames: ['alb'],
  annotationPrefix: PREFIX,
  build(entry, docs, input) {
    const ingresses = docs.map((d) => readAlbIngress(d, classParams(d.object, input.ingressClasses, input.documents))).filter((i): i is AlbIngress => i !== undefined);
    return new AlbInstance(entry, ingresses, input);
  },
};
