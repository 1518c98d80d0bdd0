/**
 * Runs the resource providers (Istio) on the kinds they read: the parallel of the Ingress
 * pipeline in convert.ts, with the same findings, IR and options, and its own index of Services.
 */
import type { SourceDocument } from '../inputs/document.js';
import { DEFAULT_NAMESPACE } from './common/ingress-model.js';
import { RESOURCE_PROVIDERS } from './registry.js';
import type { ResourceContext, ResourceOrigin } from './types.js';

export interface ResourceOptions extends Omit<ResourceContext, 'service' | 'namespaces'> {
  /** --providers: when given, only the resource providers it names run. */
  providers?: readonly string[];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function translateResources(documents: readonly SourceDocument[], opts: ResourceOptions): ResourceOrigin[] {
  const providers = RESOURCE_PROVIDERS.filter((p) => !opts.providers?.length || opts.providers.includes(p.id));
  if (providers.length === 0) return [];
  const services = new Map<string, SourceDocument>();
  const namespaces = new Set<string>();
  for (const d of documents) {
    const o = d.object;
    if (typeof o.metadata.namespace === 'string') namespaces.add(o.metadata.namespace);
    if (o.kind === 'Service' && o.apiVersion === 'v1') {
      const k = `${o.metadata.namespace ?? DEFAULT_NAMESPACE}/${o.metadata.name ?? ''}`;
      if (!services.has(k)) services.set(k, d);
    }
  }
  const { providers: _ids, ...base } = opts;
  const ctx: ResourceContext = { ...base, namespaces, service: (ns, name) => services.get(`${ns}/${name}`) };
  const origins: ResourceOrigin[] = [];
  for (const p of providers) {
    const docs = documents.filter((d) => p.kinds.some((k) => k.group === groupOf(d.object.apiVersion) && k.kinds.includes(d.object.kind)));
    if (docs.length > 0) origins.push(...p.translate(ctx, docs));
  }
  return origins;
}
