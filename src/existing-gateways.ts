/**
 * Gateway API Gateways that already exist in the input (read from a cluster, or given as
 * manifests): the Gateway `--parent-ref` names is checked against them, and Ingress hosts that an
 * existing Gateway already has a listener for are flagged as possibly migrated already.
 * Pure: no I/O.
 */
import type { Finding } from './findings/finding.js';
import type { SourceDocument } from './inputs/document.js';
import { GATEWAY_API_GROUP } from './ir/k8s-names.js';
import type { IngressModel } from './providers/common/ingress-model.js';
import type { ProviderContext } from './providers/types.js';

export interface ExistingListener {
  name: string;
  hostname?: string;
  protocol?: string;
  port?: number;
  /** allowedRoutes.namespaces.from; Gateway API's default is Same. */
  from: string;
}

export interface ExistingGateway {
  doc: SourceDocument;
  namespace: string;
  name: string;
  listeners: ExistingListener[];
}

export interface ParentRefTarget {
  namespace: string;
  name: string;
  sectionName?: string;
}

type Report = ProviderContext['report'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Gateway in `doc`, if it is a Gateway API Gateway (any version). */
export function readExistingGateway(doc: SourceDocument): ExistingGateway | undefined {
  const o = doc.object;
  if (o.kind !== 'Gateway' || !o.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`) || !o.metadata.name) return undefined;
  const spec = isRecord(o.spec) ? o.spec : {};
  const listeners: ExistingListener[] = [];
  for (const l of Array.isArray(spec.listeners) ? spec.listeners : []) {
    if (!isRecord(l) || typeof l.name !== 'string') continue;
    const allowed = isRecord(l.allowedRoutes) && isRecord(l.allowedRoutes.namespaces) ? l.allowedRoutes.namespaces : {};
    const listener: ExistingListener = { name: l.name, from: typeof allowed.from === 'string' ? allowed.from : 'Same' };
    if (typeof l.hostname === 'string') listener.hostname = l.hostname.toLowerCase();
    if (typeof l.protocol === 'string') listener.protocol = l.protocol;
    if (typeof l.port === 'number') listener.port = l.port;
    listeners.push(listener);
  }
  return { doc, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name, listeners };
}

/** Whether a listener hostname covers all of `host` (Gateway API: `*.` is a suffix match). */
export function listenerCovers(listenerHost: string, host: string): boolean {
  if (listenerHost === host) return true;
  if (!listenerHost.startsWith('*.')) return false;
  const suffix = listenerHost.slice(1); // ".example.com"
  const h = host.startsWith('*.') ? host.slice(1) : host;
  return h.endsWith(suffix) && h.length > suffix.length;
}

/**
 * Checks `--parent-ref` against the Gateway it names when that Gateway is in the input: the
 * section must be one of its listeners, and the listeners must admit routes from the namespaces
 * the routes were generated in. When the Gateway is not in the input, it is an error only if
 * `resolved` says the input would hold it (it was looked up in the cluster).
 */
export function checkParentRef(
  ref: ParentRefTarget,
  gateways: ReadonlyMap<string, ExistingGateway>,
  routeNamespaces: readonly string[],
  resolved: boolean,
  findings: Finding[],
  report: Report,
): void {
  const gw = gateways.get(`${ref.namespace}/${ref.name}`);
  const label = `${ref.namespace}/${ref.name}`;
  if (!gw) {
    if (resolved) {
      findings.push({
        ruleId: 'core/parent-ref-not-found',
        severity: 'error',
        message: `--parent-ref names the Gateway ${label}, which does not exist in the cluster, so the generated routes would attach to nothing`,
        remediation: 'Create that Gateway first, or name an existing one with --parent-ref (or leave the option out to generate Gateways).',
      });
    }
    return;
  }
  let candidates = gw.listeners;
  if (ref.sectionName !== undefined) {
    const l = gw.listeners.find((x) => x.name === ref.sectionName);
    if (!l) {
      report({
        ruleId: 'core/parent-ref-section-not-found',
        severity: 'error',
        message: `--parent-ref names the listener "${ref.sectionName}" of Gateway ${label}, which has no such listener (it has: ${gw.listeners.map((x) => x.name).join(', ') || 'none'}), so the generated routes would not be accepted`,
        remediation: 'Use one of the Gateway\u2019s listener names as the section, or leave the section out.',
        doc: gw.doc,
        path: ['spec', 'listeners'],
      });
      return;
    }
    candidates = [l];
  }
  const namespaces = [...new Set(routeNamespaces)].sort();
  const surely = (ns: string) => candidates.some((l) => l.from === 'All' || (l.from === 'Same' && ns === gw.namespace));
  const bySelector = candidates.some((l) => l.from === 'Selector');
  const refused = namespaces.filter((ns) => !surely(ns) && !bySelector);
  const unsure = namespaces.filter((ns) => !surely(ns) && bySelector);
  if (refused.length > 0) {
    const which = ref.sectionName !== undefined ? `its listener "${ref.sectionName}" admits` : 'its listeners admit';
    report({
      ruleId: 'core/parent-ref-not-allowed',
      severity: 'error',
      message: `the routes in namespace${refused.length === 1 ? '' : 's'} ${refused.join(', ')} cannot attach to Gateway ${label}: ${which} routes from its own namespace (${gw.namespace}) only`,
      remediation: 'Set allowedRoutes.namespaces.from to All (or a Selector matching those namespaces) on the listener, or pick another Gateway.',
      doc: gw.doc,
      path: ['spec', 'listeners'],
    });
  }
  if (unsure.length > 0) {
    report({
      ruleId: 'core/parent-ref-selector',
      severity: 'info',
      message: `Gateway ${label} admits routes from namespaces chosen by a label selector, which gateway-shift cannot evaluate; check that it selects ${unsure.join(', ')}`,
      doc: gw.doc,
      path: ['spec', 'listeners'],
    });
  }
}

/**
 * Flags each Ingress host that an existing Gateway (other than the --parent-ref target, which is
 * meant to serve it) already has a listener for: it may have been migrated already, and applying
 * the new routes too would serve it from two places.
 */
export function flagMigratedHosts(models: readonly IngressModel[], gateways: ReadonlyMap<string, ExistingGateway>, parentRef: ParentRefTarget | undefined, report: Report): void {
  const others = [...gateways.values()].filter((g) => !parentRef || g.namespace !== parentRef.namespace || g.name !== parentRef.name);
  if (others.length === 0) return;
  const sorted = others.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
  for (const m of models) {
    const seen = new Set<string>();
    for (const rule of m.rules) {
      if (rule.host === '' || seen.has(rule.host)) continue;
      seen.add(rule.host);
      const hits: string[] = [];
      for (const g of sorted) {
        const ls = g.listeners.filter((l) => l.hostname !== undefined && listenerCovers(l.hostname, rule.host));
        if (ls.length) hits.push(`${g.namespace}/${g.name} (listener${ls.length === 1 ? '' : 's'} ${ls.map((l) => l.name).join(', ')})`);
      }
      if (hits.length === 0) continue;
      report({
        ruleId: 'core/host-already-migrated',
        severity: 'warning',
        message: `host ${rule.host} already has a listener on the existing Gateway${hits.length === 1 ? '' : 's'} ${hits.join(', ')}: it may have been migrated already, and applying these routes as well would serve it from two places`,
        remediation: 'Check the existing Gateway and its routes; if they already serve this host, leave this Ingress out, or attach the routes to that Gateway with --parent-ref.',
        doc: m.doc,
        path: [...rule.at, 'host'],
      });
    }
  }
}
