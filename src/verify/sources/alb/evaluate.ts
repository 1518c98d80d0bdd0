/**
 * One request through an Application Load Balancer as AWS Load Balancer Controller v3.5.0
 * configures it (the ELB listener rule semantics of the Elastic Load Balancing API reference):
 * the load balancer DNS points the host at -> the listener of the port (HTTP or HTTPS) -> its
 * ssl-redirect default action, or its rules in priority order, the first whose conditions all
 * match (host-header and path-pattern wildcards `*` and `?`, host case-insensitive, path
 * case-sensitive; http-header values and query strings case-insensitive; methods exact) -> the
 * rule's transforms (host-header-rewrite, url-rewrite) and action (forward with weights,
 * redirect with #{...} placeholders, fixed-response) -> else the listener's default action.
 */
import type { KubeObject } from '../../../inputs/document.js';
import { normalizeLocation, normalizeWeights, uri } from '../../http.js';
import { pcre } from '../../regex.js';
import type { Involvement, Outcome, Probe, WeightedBackend } from '../../types.js';
import { isRecord } from '../../types.js';
import type { Action, AlbConfig, Condition, Listener, LoadBalancer, Rule } from './config.js';
import { PREFIX } from './config.js';

export interface EvalContext {
  config: AlbConfig;
  services: ReadonlyMap<string, KubeObject>;
}

/** An ALB wildcard pattern (`*` any characters, `?` one) as a whole-value regex. */
export function globMatches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'is' : 's');
  return re.test(value);
}

function queryPairs(query: string | undefined): [string, string][] {
  if (!query) return [];
  return query.split('&').filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    const dec = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    return eq < 0 ? [dec(p), ''] : [dec(p.slice(0, eq)), dec(p.slice(eq + 1))];
  });
}

/** Whether a condition matches; 'unknown' for what the model does not simulate. */
export function conditionMatches(c: Condition, p: Probe): boolean | 'unknown' {
  switch (c.field) {
    case 'host-header':
      if (c.regex.length) return 'unknown';
      return c.values.some((v) => globMatches(v, p.host, true));
    case 'path-pattern':
      if (c.regex.length) return 'unknown';
      return c.values.some((v) => globMatches(v, p.path, false));
    case 'http-header': {
      if (c.regex.length) return 'unknown';
      const value = Object.entries(p.headers).find(([k]) => k.toLowerCase() === c.name.toLowerCase())?.[1];
      return value !== undefined && c.values.some((v) => globMatches(v, value, true));
    }
    case 'http-request-method':
      return c.values.includes(p.method);
    case 'query-string': {
      const pairs = queryPairs(p.query);
      return c.values.some((v) => pairs.some(([k, val]) => (v.key === undefined || globMatches(v.key, k, true)) && globMatches(v.value, val, true)));
    }
    case 'source-ip':
      return 'unknown';
  }
}

function ruleInv(r: Rule, role = 'alb-rule'): Involvement[] {
  const out: Involvement[] = [{ object: r.ingress.ref, path: r.at, role, value: r.conditions.map((c) => `${c.field}: ${'values' in c ? JSON.stringify(c.values) : ''}`).join('; ') }];
  if (role !== 'alb-rule') return out;
  if (r.keys.conditions) out.push({ object: r.ingress.ref, path: ['metadata', 'annotations', r.keys.conditions], role: 'alb-conditions' });
  if (r.keys.action) out.push({ object: r.ingress.ref, path: ['metadata', 'annotations', r.keys.action], role: 'alb-action' });
  if (r.keys.transforms) out.push({ object: r.ingress.ref, path: ['metadata', 'annotations', r.keys.transforms], role: 'alb-transforms' });
  return out;
}

/** The load balancer DNS sends the host to: one with a rule naming it, else one with rules for any host, else the first. */
export function loadBalancerFor(cfg: AlbConfig, host: string): LoadBalancer | undefined {
  const names = (lb: LoadBalancer) => lb.listeners.flatMap((l) => [...l.rules, ...l.dropped]).flatMap((r) => r.conditions.flatMap((c) => (c.field === 'host-header' ? c.values : [])));
  const all = cfg.loadBalancers;
  return (
    all.find((lb) => names(lb).some((n) => n.toLowerCase() === host)) ??
    all.find((lb) => names(lb).some((n) => globMatches(n, host, true))) ??
    all.find((lb) => lb.listeners.some((l) => l.defaultAction.ingress !== undefined || l.rules.some((r) => !r.conditions.some((c) => c.field === 'host-header')))) ??
    all[0]
  );
}

/** The load balancers whose rules name the host (DNS points the host at one of them). */
function namedBy(cfg: AlbConfig, host: string): LoadBalancer[] {
  return cfg.loadBalancers.filter(
    (lb) =>
      lb.listeners.some((l) => [...l.rules, ...l.dropped].some((r) => r.conditions.some((c) => c.field === 'host-header' && c.values.some((v) => globMatches(v, host, true))))) ||
      // A group the controller could not build: the hosts of its members' rules.
      (lb.failed !== undefined && lb.members.some((m) => ((m.doc.object.spec as { rules?: { host?: unknown }[] } | undefined)?.rules ?? []).some((r) => typeof r.host === 'string' && globMatches(r.host, host, true)))),
  );
}

export function evaluate(ctx: EvalContext, p: Probe): Outcome {
  const named = namedBy(ctx.config, p.host);
  const candidates = named.length > 1 ? named : named.length === 0 && ctx.config.loadBalancers.length > 1 ? ctx.config.loadBalancers : [];
  if (candidates.length > 1) {
    // A host several load balancers name, or none does: which one its DNS name points at is not
    // in the input. The answer is known only when all of them give it.
    const outs = candidates.map((lb) => evaluateAt(ctx, lb, p));
    const key = (o: Outcome) => JSON.stringify({ ...o, via: '', involved: [] });
    if (outs.every((o) => key(o) === key(outs[0]!))) return outs[0]!;
    return { kind: 'unknown', via: `${named.length ? 'several load balancers (IngressGroups) name' : 'no rule names'} ${p.host}, and they answer it differently: which one its DNS name points at is not in the input`, involved: [] };
  }
  const lb = named[0] ?? loadBalancerFor(ctx.config, p.host);
  if (!lb) return { kind: 'respond', status: 0, via: 'no load balancer', involved: [] };
  return evaluateAt(ctx, lb, p);
}

function evaluateAt(ctx: EvalContext, lb: LoadBalancer, p: Probe): Outcome {
  if (lb.failed) {
    const inv: Involvement[] = lb.members.map((m) => ({ object: m.ref, role: 'group-member' }));
    inv.push({ object: lb.failed.ingress.ref, path: lb.failed.key ? ['metadata', 'annotations', lb.failed.key] : ['spec', 'defaultBackend'], role: 'group-failed' });
    return { kind: 'unknown', via: `the controller cannot build IngressGroup ${lb.group} (${lb.failed.why}): the load balancer keeps its previous state`, involved: inv };
  }
  const port = p.scheme === 'https' ? 443 : 80;
  const l = lb.listeners.find((x) => x.port === port);
  if (!l) return p.scheme === 'https' ? { kind: 'tls-failure', via: `load balancer ${lb.group} has no listener on port 443`, involved: [] } : { kind: 'respond', status: 0, via: `load balancer ${lb.group} has no listener on port 80 (connection refused)`, involved: [] };
  if ((l.protocol === 'HTTPS') !== (p.scheme === 'https')) {
    return p.scheme === 'https' ? { kind: 'tls-failure', via: `the listener on port 443 is plain HTTP`, involved: [] } : { kind: 'respond', status: 400, via: `plain HTTP sent to the HTTPS listener on port 80`, involved: [] };
  }
  const via = `load balancer ${lb.group}, ${l.protocol} listener ${l.port}`;
  if (l.sslRedirect) {
    const s = l.sslRedirect;
    return {
      kind: 'redirect',
      status: 301,
      location: normalizeLocation(`https://${p.host}:${s.port}${uri(p.path, p.query)}`),
      via: `${via}: ssl-redirect`,
      involved: [{ object: s.ingress.ref, path: ['metadata', 'annotations', `${PREFIX}ssl-redirect`], role: 'ssl-redirect' }],
    };
  }
  for (let i = 0; i < l.rules.length; i++) {
    const r = l.rules[i]!;
    let unknown = false;
    let ok = true;
    for (const c of r.conditions) {
      const m = conditionMatches(c, p);
      if (m === 'unknown') unknown = true;
      else if (!m) ok = false;
    }
    if (!ok) continue;
    const inv = ruleInv(r);
    if (r.grpc !== Boolean(p.grpc)) return { kind: 'unknown', via: `${via}, rule ${i + 1}: ${r.grpc ? 'a plain HTTP request to a gRPC target group' : 'a gRPC call to an HTTP target group'}, which the model does not simulate`, involved: inv };
    if (unknown) return { kind: 'unknown', via: `${via}, rule ${i + 1}: a source-ip or regex condition, which the model does not simulate`, involved: inv };
    // The rules after this one that also match: Gateway API may rank one of them first.
    for (const later of l.rules.slice(i + 1)) if (later.conditions.every((c) => conditionMatches(c, p) === true)) inv.push(...ruleInv(later, 'later-alb-rule'));
    for (const d of l.dropped) if (d.conditions.every((c) => conditionMatches(c, p) === true)) inv.push(...ruleInv(d, 'dropped-alb-rule'));
    inv.push(...nearMisses(l, p));
    return act(ctx, r.action, r, p, l, `${via}, rule ${i + 1} (${r.ingress.namespace}/${r.ingress.name} ${r.path || '(no path)'})`, inv);
  }
  const inv: Involvement[] = nearMisses(l, p);
  for (const d of l.dropped) if (d.conditions.every((c) => conditionMatches(c, p) === true)) inv.push(...ruleInv(d, 'dropped-alb-rule'));
  const d = l.defaultAction;
  if (d.ingress && d.at) inv.push({ object: d.ingress.ref, path: d.at, role: 'alb-default' });
  return act(ctx, d.action, undefined, p, l, `${via}: default action`, inv);
}

/**
 * Rules that miss the request only because a `/p/*` pattern does not take `/p` itself, or only by
 * the case of a header or query value (the Gateway API forms of both differ there).
 */
function nearMisses(l: Listener, p: Probe): Involvement[] {
  const out: Involvement[] = [];
  for (const r of l.rules) {
    const fails = r.conditions.filter((c) => conditionMatches(c, p) !== true);
    if (fails.length !== 1) continue;
    const c = fails[0]!;
    if (c.field === 'path-pattern' && c.values.some((v) => v.endsWith('/*') && v.slice(0, -2) === p.path)) out.push(...ruleInv(r, 'bare-prefix-alb-rule'));
  }
  return out;
}

function servicePort(ctx: EvalContext, namespace: string, service: string, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  const svc = ctx.services.get(`${namespace}/${service}`);
  const ports = svc && isRecord(svc.spec) && Array.isArray(svc.spec.ports) ? svc.spec.ports.filter(isRecord) : [];
  const found = ports.find((x) => x.name === port);
  return typeof found?.port === 'number' ? found.port : undefined;
}

/** ALB's replacement of a transform: $1... of the regex groups. */
function rewrite(value: string, rewrites: readonly { regex: string; replace: string }[]): string | undefined {
  let v = value;
  for (const rw of rewrites) {
    const re = pcre(rw.regex);
    if (!re) return undefined;
    const m = re.exec(v);
    if (!m) continue;
    v = v.slice(0, m.index) + rw.replace.replace(/\$(\d)/g, (_, d: string) => m[Number(d)] ?? '') + v.slice(m.index + m[0].length);
  }
  return v;
}

function act(ctx: EvalContext, a: Action, r: Rule | undefined, p: Probe, l: Listener, via: string, involved: Involvement[]): Outcome {
  const namespace = r?.ingress.namespace ?? involved.find((i) => i.role === 'alb-default')?.object.namespace ?? 'default';
  switch (a.type) {
    case 'fixed-response':
      return { kind: 'respond', status: a.status, via: `${via}: fixed response${a.why ? ` (${a.why})` : ''}`, involved };
    case 'redirect': {
      const protocol = (a.protocol ?? '#{protocol}').replace('#{protocol}', l.protocol).toLowerCase();
      const host = (a.host ?? '#{host}').replace('#{host}', p.host);
      const port = (a.port ?? '#{port}').replace('#{port}', String(l.port));
      const path = (a.path ?? '/#{path}').replace('#{path}', p.path.slice(1));
      const query = (a.query ?? '#{query}').replace('#{query}', p.query ?? '');
      return { kind: 'redirect', status: a.status, location: normalizeLocation(`${protocol}://${host}:${port}${path}${query ? `?${query}` : ''}`), via: `${via}: redirect`, involved };
    }
    case 'forward': {
      const backends: WeightedBackend[] = [];
      for (const t of a.targets) {
        if (t.external !== undefined) return { kind: 'unknown', via: `${via}: forwards to the target group ${t.external} outside the cluster`, involved };
        const port = servicePort(ctx, namespace, t.service ?? '', t.port);
        if (port === undefined) return { kind: 'unknown', via: `${via}: the port ${String(t.port)} of Service ${namespace}/${t.service} cannot be resolved from the input`, involved };
        backends.push({ service: `${namespace}/${t.service}`, port, weight: t.weight });
      }
      const weighted = normalizeWeights(backends);
      if (weighted.length === 0) return { kind: 'respond', status: 503, via: `${via}: every target group has weight 0`, involved };
      let host = p.host;
      let path = p.path;
      for (const t of r?.transforms ?? []) {
        const v = rewrite(t.type === 'url-rewrite' ? path : host, t.rewrites);
        if (v === undefined || (t.type === 'url-rewrite' && v.includes('?'))) return { kind: 'unknown', via: `${via}: a ${t.type} transform the model cannot run`, involved };
        if (t.type === 'url-rewrite') path = v;
        else host = v;
      }
      return { kind: 'forward', backends: weighted, path: uri(path, p.query), host, requestHeaders: {}, responseHeaders: {}, mirrors: [], via, involved };
    }
  }
}
