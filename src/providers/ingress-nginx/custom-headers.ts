/**
 * custom-headers: response headers from a ConfigMap (controller-v1.15.1
 * internal/ingress/annotations/customheaders/main.go). The value is the ConfigMap's
 * `namespace/name` (looked up as a store key, so a bare name is not found); every entry is a
 * header set with `more_set_headers` on every response of the Ingress's locations. nginx denies
 * the location (503) when the ConfigMap is missing, a name or value is invalid, or a header is
 * not listed in the controller ConfigMap's global-allowed-response-headers.
 */
import type { RouteIntent } from '../../ir/types.js';
import type { IngressModel } from '../common/ingress-model.js';
import type { ProviderContext } from '../types.js';
import { reporterFor } from './annotations.js';
import { NGINX_PREFIX } from './rules.js';

const HEADER = /^[a-zA-Z\d\-_]+$/;
const VALUE = /^[a-zA-Z\d_ :;.,\\/"'?!(){}[\]@<>=\-+*#$&`|~^%]+$/;
/** Gateway API: at most 16 `set` entries per header modifier. */
const MAX_SET = 16;

export function applyCustomHeaders(ctx: ProviderContext, m: IngressModel, routes: readonly RouteIntent[], consumed: Set<string>): void {
  const raw = m.annotations[NGINX_PREFIX + 'custom-headers']?.trim();
  if (!raw) return;
  consumed.add(NGINX_PREFIX + 'custom-headers');
  const report = reporterFor(ctx, m);
  const parts = raw.split('/');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    report('custom-headers', {
      severity: 'error',
      message: `custom-headers="${raw}" is not namespace/name; ingress-nginx could not find the ConfigMap and answered every path of the Ingress with 503, which was not reproduced`,
      remediation: 'Write the ConfigMap reference as namespace/name, or remove the annotation.',
    });
    return;
  }
  const doc = ctx.configMap(parts[0]!, parts[1]!);
  if (!doc) {
    report('custom-headers', {
      severity: 'warning',
      message: `ConfigMap ${raw} is not in the input, so its response headers were not added`,
      remediation: `Add the ConfigMap ${raw} manifest to the input (kubectl get configmap -n ${parts[0]} ${parts[1]} -o yaml), or copy its entries into a ResponseHeaderModifier filter.`,
    });
    return;
  }
  const data = doc.object['data'];
  const entries = typeof data === 'object' && data !== null && !Array.isArray(data) ? Object.entries(data as Record<string, unknown>) : [];
  const bad = entries.filter(([k, v]) => !HEADER.test(k) || typeof v !== 'string' || !VALUE.test(v)).map(([k]) => k);
  if (bad.length > 0) {
    report('custom-headers', {
      severity: 'error',
      message: `ConfigMap ${raw} has header names or values ingress-nginx refuses (${bad.sort().join(', ')}); it answered every path of the Ingress with 503, which was not reproduced`,
      remediation: 'Fix the ConfigMap, then regenerate.',
    });
    return;
  }
  if (entries.length === 0) return;
  const set = entries.map(([name, value]) => ({ name, value: value as string })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (set.length > MAX_SET) {
    report('custom-headers', {
      severity: 'warning',
      message: `ConfigMap ${raw} sets ${set.length} headers; a Gateway API header modifier takes ${MAX_SET}, so ${set
        .slice(MAX_SET)
        .map((h) => h.name)
        .join(', ')} were not added`,
      remediation: 'Set the remaining headers in the backend, or with an implementation-specific policy.',
    });
  }
  const kept = set.slice(0, MAX_SET);
  for (const r of routes) {
    if (r.httpsRedirectFor !== undefined) continue;
    for (const rule of r.rules) {
      if (rule.backends.length === 0) continue;
      const existing = rule.filters.find((f) => f.type === 'ResponseHeaderModifier');
      if (existing) {
        const mod = existing.responseHeaderModifier as { set?: { name: string; value: string }[] };
        const names = new Set((mod.set ?? []).map((h) => h.name.toLowerCase()));
        mod.set = [...(mod.set ?? []), ...kept.filter((h) => !names.has(h.name.toLowerCase()))].slice(0, MAX_SET);
      } else {
        rule.filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: kept.map((h) => ({ ...h })) } });
      }
    }
  }
  report('custom-headers', {
    severity: 'info',
    message: `the ${kept.length} header(s) of ConfigMap ${raw} are set on the responses of every path; ingress-nginx sent them only if they were listed in its ConfigMap's global-allowed-response-headers (otherwise it answered 503), and also on its own redirects and error pages`,
  });
}
