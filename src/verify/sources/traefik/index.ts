/**
 * The Traefik source model (v3.7.9, Kubernetes Ingress provider), written from Traefik's sources
 * as summarised in docs/research/traefik.md, independently of the translation.
 */
import type { SourceInput, SourceInstance, SourceModel } from '../types.js';
import { buildConfig, DEFAULT_ENTRY_POINTS, PREFIX, readTraefikIngress, type EntryPoint, type TraefikConfig, type TraefikIngress } from './config.js';
import { evaluate } from './evaluate.js';
import { generateProbes } from './probes.js';

/** Router and service settings whose effect on routing the model simulates. */
const MODELLED = /^(router\.(entrypoints|middlewares|priority|pathmatcher|rulesyntax|tls(\.certresolver|\.domains\..*)?)|service\.(middlewares|passhostheader))$/i;

export function traefikAssumptions(entryPoints: readonly EntryPoint[]): string[] {
  return [
    `entry points ${entryPoints.map((e) => `${e.name}=${e.protocol}:${e.port}${e.redirectTo ? `:redirect=${e.redirectTo}` : ''}`).join(', ')} (--traefik-entrypoint, else the Helm chart v41.3.0 web and websecure), none marked asDefault`,
    'provider options at their defaults: no strictPrefixMatching, allowCrossNamespace false, allowExternalNameServices false, allowEmptyServices false, defaultRuleSyntax v3',
    'every Service in the input has endpoints; a Service that is not in the input is assumed to exist with the port as written',
    'a spec.tls Secret holds a valid certificate for the hosts listed with it (without hosts: the Ingress\u2019s rule hosts); an ACME resolver obtains one for its router\u2019s domains; the TLSStore default certificate covers every name; otherwise Traefik\u2019s self-signed default certificate fails validation',
    'Middlewares of the input are traefik.io objects; a reference to a Middleware that is not in the input (or of another provider) is "not compared"',
    'authentication, IP allow lists, rate limits, retries, compression, error pages, CORS and security headers of headers middlewares are not simulated',
  ];
}

class TraefikInstance implements SourceInstance {
  readonly assumptions: string[];
  readonly unmodelled: SourceInstance['unmodelled'] = [];
  readonly config: TraefikConfig;

  constructor(
    readonly entry: string,
    ingresses: TraefikIngress[],
    private readonly input: SourceInput,
  ) {
    const eps = input.options?.traefikEntryPoints?.length ? input.options.traefikEntryPoints : DEFAULT_ENTRY_POINTS;
    this.assumptions = traefikAssumptions(eps);
    this.config = buildConfig(ingresses, input.documents, input.services, eps);
    for (const i of ingresses) {
      const keys = Object.keys(i.raw)
        .filter((k) => k.startsWith(PREFIX) && !MODELLED.test(k.slice(PREFIX.length)))
        .sort();
      if (keys.length) this.unmodelled.push({ object: i.ref, keys });
    }
    for (const mw of this.config.middlewares.values()) {
      if (mw.kind && !['stripPrefix', 'addPrefix', 'replacePath', 'replacePathRegex', 'redirectScheme', 'redirectRegex', 'chain'].includes(mw.kind)) {
        const extra = mw.kind === 'headers' ? Object.keys(mw.config).filter((k) => k !== 'customRequestHeaders' && k !== 'customResponseHeaders') : [mw.kind];
        if (extra.length) this.unmodelled.push({ object: mw.ref, keys: extra.map((k) => (mw.kind === 'headers' ? `spec.headers.${k}` : `spec.${k}`)) });
      }
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
    for (const r of this.config.routers) if (r.host) out.add(r.host);
    for (const s of this.config.skipped) if (s.host) out.add(s.host);
    return [...out].sort();
  }
}

export const traefikModel: SourceModel = {
  id: 'traefik',
  displayName: 'Traefik',
  controllers: ['traefik.io/ingress-controller'],
  classNames: ['traefik'],
  annotationPrefix: PREFIX,
  build(entry, docs, input) {
    const ingresses = docs.map(readTraefikIngress).filter((i): i is TraefikIngress => i !== undefined);
    return new TraefikInstance(entry, ingresses, input);
  },
};
