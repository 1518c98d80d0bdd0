/**
 * The ingress-nginx source model (controller-v1.15.1), built from its source code as summarised
 * in docs/research/ingress-nginx-core.md and ingress-nginx-annotations.md.
 */
import type { SourceInput, SourceInstance, SourceModel } from '../types.js';
import { buildConfig, DEFAULT_SERVER } from './config.js';
import { evaluate } from './evaluate.js';
import { MODELLED, PREFIX, readNginxIngress, type NginxIngress } from './ingresses.js';
import { generateProbes } from './probes.js';

/** The controller configuration the model assumes (controller-v1.15.1 defaults unless said). */
export const NGINX_ASSUMPTIONS = [
  'ConfigMap defaults of controller-v1.15.1: ssl-redirect true, http-redirect-code 308, no-tls-redirect-locations /.well-known/acme-challenge, preserve-trailing-slash false, use-forwarded-headers false, relative-redirects false',
  'the default certificate is the controller\u2019s self-signed one (no --default-ssl-certificate): HTTPS for a host without a certificate fails for a validating client',
  'a tls Secret is valid and its certificate names exactly the hosts the Ingress lists with it (aliases and www twins are covered only when listed there)',
  'snippet annotations were allowed (allow-snippet-annotations, annotations-risk-level Critical), their content is not simulated',
  'ssl-passthrough annotations imply --enable-ssl-passthrough',
  'the admission webhook is deployed (Helm chart default): an Ingress that would give nginx a configuration it refuses (a duplicate location) was refused, the Ingresses being created in creationTimestamp order',
  'Ingresses without a class are served (--watch-ingress-without-class) when the harness assigned them to ingress-nginx',
  'every Service has endpoints; session affinity, authentication, IP lists, rate limits, timeouts and body limits are not simulated',
];

class NginxInstance implements SourceInstance {
  readonly assumptions = NGINX_ASSUMPTIONS;
  readonly unmodelled: SourceInstance['unmodelled'] = [];
  private readonly config;

  constructor(
    readonly entry: string,
    private readonly ingresses: NginxIngress[],
    private readonly input: SourceInput,
  ) {
    this.config = buildConfig(ingresses);
    for (const i of ingresses) {
      const keys = Object.keys(i.raw)
        .filter((k) => k.startsWith(PREFIX) && !MODELLED.has(k))
        .sort();
      if (keys.length) this.unmodelled.push({ object: i.ref, keys });
    }
  }

  probes() {
    return generateProbes(this.entry, this.config);
  }

  evaluate(probe: Parameters<SourceInstance['evaluate']>[0]) {
    return evaluate({ config: this.config, services: this.input.services, configMaps: this.input.configMaps }, probe);
  }

  hosts(): string[] {
    const out = new Set<string>();
    for (const s of this.config.ordered) {
      if (s.hostname !== DEFAULT_SERVER) out.add(s.hostname);
      for (const a of s.aliases) out.add(a);
    }
    for (const r of this.config.redirects) out.add(r.from);
    return [...out].sort();
  }
}

export const ingressNginxModel: SourceModel = {
  id: 'ingress-nginx',
  displayName: 'ingress-nginx',
  controllers: ['k8s.io/ingress-nginx', /^k8s\.io\/.*ingress-nginx/],
  classNames: ['nginx'],
  annotationPrefix: PREFIX,
  build(entry, docs, input) {
    const ingresses = docs.map(readNginxIngress).filter((i): i is NginxIngress => i !== undefined);
    return new NginxInstance(entry, ingresses, input);
  },
};
