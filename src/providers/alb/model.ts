/**
 * The listener rules an Ingress gives its ALB, the way the controller builds them
 * (pkg/ingress/model_build_listener_rules.go, enhanced_backend_builder.go, model_build_actions.go
 * at v3.5.0), and their Gateway API form. One rule per path, in the Ingress's rule order and,
 * within a rule, exact paths first, then prefix paths from the longest, then the others in their
 * order; each with the path's conditions (its host, path patterns, conditions.<backend>) and its
 * action (the backend Service, or actions.<backend> for port use-annotation).
 *
 * A rule's conditions are ANDed and the values of one condition ORed; in Gateway API a rule's
 * matches are ORed and the parts of one match ANDed, so a rule becomes the cross product of its
 * OR-lists. What cannot be expressed drops the rule with a finding, never its condition: a rule
 * without its condition would take requests that were meant for others.
 */
import type { FieldPath } from '../../inputs/document.js';
import type { HeaderMatch, PathMatch, RouteFilter, RouteMatch } from '../../ir/types.js';
import { HTTP_HEADER_NAME, WILDCARD_HOST } from '../../ir/k8s-names.js';
import type { IngressModel, IngressPath, ServiceBackend } from '../common/ingress-model.js';
import { invalidGatewayPath } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { AlbAnnotations, field, isObject, parseJson, str, strings, type Json } from './parse.js';
import { ALB_PREFIX } from './rules.js';
import type { Backend, ServiceTarget } from './target-groups.js';

export const USE_ANNOTATION = 'use-annotation';
const MAX_MATCHES = 64;
const GATEWAY_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** The ALB redirect action as configured (placeholders #{host} etc. kept), for the controller's rule optimizer. */
export interface AlbRedirect {
  host?: string;
  path?: string;
  port?: string;
  protocol?: string;
  query?: string;
}

/** One ALB listener rule of an Ingress (or its default backend), listener-independent. */
export interface AlbRule {
  /** Creation order: the rule's place among all rules of the group. */
  seq: number;
  model: IngressModel;
  at: FieldPath;
  /** Backend Service name the annotation families are looked up by. */
  backendName: string;
  /** The listener's default action (spec.defaultBackend): matches last, has no conditions. */
  isDefault: boolean;
  /** Host-header values as the ALB had them (for the controller's rule optimizer). */
  albHosts: string[];
  /** Path-pattern values as the ALB had them; regex: they were regexValues. */
  albPaths: string[];
  albPathsAreRegex: boolean;
  /** Gateway API hostnames (empty: any host). */
  hosts: string[];
  /** ORed matches; never empty. */
  matches: RouteMatch[];
  /** The rule needs a source-ip condition (ListenerRuleConfiguration under --target aws-lbc). */
  sourceIps?: string[];
  action: RuleAction;
  /** URLRewrite filters from transforms.<backend>. */
  rewrites: RouteFilter[];
  /** Human description for findings. */
  label: string;
  /** Findings about how its matching differs, given once the rule is in the output. */
  notes: RuleNote[];
}

export interface RuleNote {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  remediation?: string;
}

export type RuleAction =
  | { type: 'forward'; backends: Backend[]; stickiness?: { enabled?: boolean; durationSeconds?: number } }
  | { type: 'redirect'; filter: RouteFilter; alb: AlbRedirect }
  | { type: 'fixed-response'; statusCode: number; contentType?: string; messageBody?: string; missingAction?: boolean };

export type RuleReport = (f: { ruleId: string; severity: 'error' | 'warning' | 'info'; message: string; remediation?: string; path?: FieldPath; key?: string }) => void;

/** Escapes a literal for a regular expression. */
function reLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An ALB wildcard value (`*` any characters, `?` one, `\` escapes) as an anchored regular expression. */
export function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) {
      out += reLiteral(glob[i + 1]!);
      i++;
    } else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += reLiteral(c);
  }
  return `^${out}$`;
}

function hasWildcard(v: string): boolean {
  return /(^|[^\\])[*?]/.test(v);
}

/** A glob value without wildcards, unescaped. */
function unescapeGlob(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/**
 * An ALB path pattern (ImplementationSpecific path, or a path-pattern condition value) as a
 * Gateway API path match: a value without wildcards is an exact path, `/*` every path, `<p>/*`
 * the paths below <p> (a PathPrefix, which also takes <p> itself), anything else a regular
 * expression.
 */
export function pathFromGlob(glob: string): { match: PathMatch; widened?: string; regex?: boolean } {
  if (!hasWildcard(glob)) return { match: { type: 'Exact', value: unescapeGlob(glob) } };
  if (glob === '/*') return { match: { type: 'PathPrefix', value: '/' } };
  const m = /^(\/.*)\/\*$/.exec(glob);
  if (m && !hasWildcard(m[1]!)) {
    const base = unescapeGlob(m[1]!);
    return { match: { type: 'PathPrefix', value: base }, widened: base };
  }
  return { match: { type: 'RegularExpression', value: globToRegex(glob) }, regex: true };
}

/** A host-header value as a Gateway API hostname; undefined when Gateway API cannot say it. */
export function hostFromAlb(value: string): string | undefined {
  const h = value.toLowerCase();
  return WILDCARD_HOST.test(h) && h.length <= 253 ? h : undefined;
}

/**
 * The controller's path order within one Ingress rule (sortIngressPaths): Exact paths, then
 * Prefix paths longest first (stable), then ImplementationSpecific ones in their order.
 */
export function sortPaths(paths: readonly IngressPath[]): IngressPath[] {
  const exact = paths.filter((p) => p.pathType === 'Exact');
  const prefix = paths.filter((p) => p.pathType === 'Prefix').map((p, i) => ({ p, i }));
  prefix.sort((a, b) => b.p.path.length - a.p.path.length || a.i - b.i);
  const other = paths.filter((p) => p.pathType === 'ImplementationSpecific');
  return [...exact, ...prefix.map((x) => x.p), ...other];
}

interface Alternatives {
  headers: HeaderMatch[][];
  queries: HeaderMatch[][];
  methods?: string[];
}

/** Parses and checks conditions.<name> as the controller does (RuleCondition.Validate). */
function readConditions(raw: string, report: RuleReport, key: string): Json[] | undefined {
  const parsed = parseJson(raw);
  if ('error' in parsed || !Array.isArray(parsed.value)) {
    report({ ruleId: 'alb/conditions', severity: 'error', key, message: `${ALB_PREFIX}${key} is not a JSON list of conditions (${'error' in parsed ? parsed.error : 'not a list'}); the controller refused the Ingress, so the paths with this backend were not translated` });
    return undefined;
  }
  return parsed.value;
}

export interface RuleContext {
  ctx: ProviderContext;
  model: IngressModel;
  annotations: AlbAnnotations;
  /** use-regex-path-match of the Ingress. */
  regexPaths: boolean;
  /** Builds the backend of a Service target group of this Ingress. */
  backend(service: string, port: { number?: number; name?: string }, at: FieldPath): ServiceTarget | undefined;
  report: RuleReport;
  target: ProviderContext['target'];
  /** Annotation families read, to report the unused ones. */
  familiesRead: Set<string>;
}

/** The rules of one Ingress path (or its default backend when `path` is undefined). */
export function buildRule(rc: RuleContext, seq: number, host: string, path: IngressPath | undefined, backend: ServiceBackend, at: FieldPath): AlbRule | undefined {
  const { model: m, annotations: a, report } = rc;
  const isDefault = path === undefined;
  const name = backend.name;
  const label = isDefault ? `the default backend (${name}) of Ingress ${m.namespace}/${m.name}` : `${host || '(any host)'} ${path.path} (${path.pathType}, backend ${name}) of Ingress ${m.namespace}/${m.name}`;
  const fail = (ruleId: string, message: string, key?: string, severity: 'error' | 'warning' = 'warning'): undefined => {
    const effect = severity === 'warning' ? message.replace(/; not translated$/, '; the rule was not translated, so the requests it took go to the rules after it') : message;
    report({ ruleId, severity, message: `${label}: ${effect}`, path: at, ...(key ? { key } : {}) });
    return undefined;
  };

  // --- conditions ------------------------------------------------------------------------------
  const hosts: string[] = [];
  const albHosts: string[] = [];
  const albPaths: string[] = [];
  let albPathsAreRegex = false;
  let albPathsAreGlobs = false;
  const paths: { match: PathMatch; widened?: string; regex?: boolean }[] = [];
  const alt: Alternatives = { headers: [], queries: [] };
  let sourceIps: string[] | undefined;
  if (host) albHosts.push(host);

  if (!isDefault) {
    const rawPath = rawPathOf(m, path);
    if (rawPath !== undefined && rawPath !== '') {
      // (Without a path the rule has no path condition and takes every path.)
      albPathsAreGlobs = !(path.pathType === 'ImplementationSpecific' && rc.regexPaths);
      if (path.pathType === 'Exact') {
        if (/[*?]/.test(path.path)) return fail('alb/invalid-path', `an Exact path cannot contain * or ? (the controller refused the Ingress); not translated`, undefined, 'error');
        albPaths.push(path.path);
        paths.push({ match: { type: 'Exact', value: path.path } });
      } else if (path.pathType === 'Prefix') {
        if (path.path === '/') {
          albPaths.push('/*');
          paths.push({ match: { type: 'PathPrefix', value: '/' } });
        } else {
          if (/[*?]/.test(path.path)) return fail('alb/invalid-path', `a Prefix path cannot contain * or ? (the controller refused the Ingress); not translated`, undefined, 'error');
          const base = path.path.replace(/\/$/, '');
          albPaths.push(base, `${base}/*`);
          paths.push({ match: { type: 'PathPrefix', value: base } });
        }
      } else if (rc.regexPaths) {
        albPathsAreRegex = true;
        albPaths.push(path.path.slice(1));
        paths.push({ match: { type: 'RegularExpression', value: path.path.slice(1) }, regex: true });
      } else {
        albPaths.push(path.path);
        paths.push(pathFromGlob(path.path));
      }
    }

    const condKey = `conditions.${name}`;
    const rawConditions = a.get(condKey);
    if (rawConditions !== undefined) {
      rc.familiesRead.add(condKey);
      a.use(condKey);
      const list = readConditions(rawConditions, report, condKey);
      if (!list) return undefined;
      for (const c of list) {
        if (!isObject(c)) return fail('alb/conditions', `${condKey} has an entry that is not an object (the controller refused the Ingress); not translated`, condKey, 'error');
        const fieldName = str(c, 'field');
        const cfg = (n: string) => {
          const v = field(c, n);
          return isObject(v) ? v : undefined;
        };
        switch (fieldName) {
          case 'host-header': {
            const hc = cfg('hostHeaderConfig');
            const values = hc ? strings(hc, 'values') ?? [] : [];
            const regexValues = hc ? strings(hc, 'regexValues') ?? [] : [];
            if (values.length === 0 && regexValues.length === 0) return fail('alb/conditions', `${condKey}: a host-header condition needs values (the controller refused the Ingress); not translated`, condKey, 'error');
            if (regexValues.length > 0) return fail('alb/conditions', `${condKey}: host-header regexValues cannot be Gateway API hostnames; not translated`, condKey);
            albHosts.push(...values);
            break;
          }
          case 'path-pattern': {
            const pc = cfg('pathPatternConfig');
            const values = pc ? strings(pc, 'values') ?? [] : [];
            const regexValues = pc ? strings(pc, 'regexValues') ?? [] : [];
            if (values.length === 0 && regexValues.length === 0) return fail('alb/conditions', `${condKey}: a path-pattern condition needs values (the controller refused the Ingress); not translated`, condKey, 'error');
            for (const v of values) {
              albPathsAreGlobs = true;
              albPaths.push(v);
              paths.push(pathFromGlob(v));
            }
            for (const v of regexValues) {
              albPathsAreRegex = true;
              albPaths.push(v);
              paths.push({ match: { type: 'RegularExpression', value: v }, regex: true });
            }
            break;
          }
          case 'http-header': {
            const hc = cfg('httpHeaderConfig');
            const header = hc ? str(hc, 'httpHeaderName') : undefined;
            const values = hc ? strings(hc, 'values') ?? [] : [];
            const regexValues = hc ? strings(hc, 'regexValues') ?? [] : [];
            if (!header || (values.length === 0 && regexValues.length === 0)) return fail('alb/conditions', `${condKey}: an http-header condition needs httpHeaderName and values (the controller refused the Ingress); not translated`, condKey, 'error');
            if (!HTTP_HEADER_NAME.test(header)) return fail('alb/conditions', `${condKey}: "${header}" is not an HTTP header name; not translated`, condKey);
            alt.headers.push([
              ...values.map((v): HeaderMatch => (hasWildcard(v) ? { type: 'RegularExpression', name: header, value: globToRegex(v) } : { type: 'Exact', name: header, value: unescapeGlob(v) })),
              ...regexValues.map((v): HeaderMatch => ({ type: 'RegularExpression', name: header, value: v })),
            ]);
            break;
          }
          case 'http-request-method': {
            const mc = cfg('httpRequestMethodConfig');
            const values = mc ? strings(mc, 'values') ?? [] : [];
            if (values.length === 0) return fail('alb/conditions', `${condKey}: an http-request-method condition needs values (the controller refused the Ingress); not translated`, condKey, 'error');
            const unknown = values.filter((v) => !GATEWAY_METHODS.has(v));
            if (unknown.length > 0) return fail('alb/conditions', `${condKey}: Gateway API method matches take only ${[...GATEWAY_METHODS].join(', ')} (case-sensitive, as on the ALB), not ${unknown.join(', ')}; not translated`, condKey);
            alt.methods = alt.methods ? alt.methods.filter((x) => values.includes(x)) : [...values];
            break;
          }
          case 'query-string': {
            const qc = cfg('queryStringConfig');
            const pairs = qc ? field(qc, 'values') : undefined;
            if (!Array.isArray(pairs) || pairs.length === 0) return fail('alb/conditions', `${condKey}: a query-string condition needs values (the controller refused the Ingress); not translated`, condKey, 'error');
            const options: HeaderMatch[] = [];
            for (const p of pairs) {
              const key = isObject(p) ? str(p, 'key') : undefined;
              const value = isObject(p) ? str(p, 'value') : undefined;
              if (!value) return fail('alb/conditions', `${condKey}: a query-string value cannot be empty (the controller refused the Ingress); not translated`, condKey, 'error');
              if (!key || hasWildcard(key)) return fail('alb/conditions', `${condKey}: a query-string condition on a value in any parameter${key ? ` or a wildcard parameter name (${key})` : ''} has no Gateway API match (a query parameter match names the parameter); not translated`, condKey);
              const k = unescapeGlob(key);
              if (!HTTP_HEADER_NAME.test(k)) return fail('alb/conditions', `${condKey}: "${k}" cannot be a Gateway API query parameter name; not translated`, condKey);
              options.push(hasWildcard(value) ? { type: 'RegularExpression', name: k, value: globToRegex(value) } : { type: 'Exact', name: k, value: unescapeGlob(value) });
            }
            alt.queries.push(options);
            break;
          }
          case 'source-ip': {
            const sc = cfg('sourceIPConfig');
            const values = sc ? strings(sc, 'values') ?? [] : [];
            if (values.length === 0) return fail('alb/conditions', `${condKey}: a source-ip condition needs values (the controller refused the Ingress); not translated`, condKey, 'error');
            sourceIps = [...(sourceIps ?? []), ...values];
            break;
          }
          default:
            // The controller ignores other fields (RuleCondition.Validate has no case for them).
            report({ ruleId: 'alb/conditions', severity: 'warning', key: condKey, message: `${condKey}: a condition with field "${fieldName ?? ''}" is not one the controller knows; it had no effect` });
        }
      }
      if (albPathsAreRegex && albPathsAreGlobs) {
        return fail('alb/conditions', `${condKey}: path patterns and path regexValues together (the controller refused the Ingress); not translated`, condKey, 'error');
      }
    }
  }
  if (paths.length === 0) paths.push({ match: { type: 'PathPrefix', value: '/' } });

  for (const h of albHosts) {
    const gh = hostFromAlb(h);
    if (!gh) return fail('alb/host', `host "${h}" (a host-header value with wildcards inside, or not a DNS name) has no Gateway API hostname form; not translated`);
    if (!hosts.includes(gh)) hosts.push(gh);
  }
  for (const p of paths) {
    if (p.match.type === 'RegularExpression') continue;
    const why = invalidGatewayPath(p.match.value);
    if (why) return fail('alb/invalid-path', `path ${p.match.value} cannot be a Gateway API ${p.match.type} match: ${why}; not translated`, undefined, 'error');
  }

  // --- action ----------------------------------------------------------------------------------
  const action = buildAction(rc, backend, at, label);
  if (!action) return undefined;

  // The cross product of the OR-lists.
  let matches: RouteMatch[] = paths.map((p) => ({ path: p.match }));
  if (alt.methods) {
    if (alt.methods.length === 0) return fail('alb/conditions', 'its http-request-method conditions have no method in common: it never matched; not translated', `conditions.${name}`, 'warning');
    matches = matches.flatMap((mm) => alt.methods!.map((method) => ({ ...mm, method })));
  }
  const names = alt.headers.map((h) => h[0]!.name.toLowerCase());
  if (new Set(names).size < names.length) return fail('alb/conditions', `two http-header conditions on one header (${names.join(', ')}) cannot be one Gateway API match; not translated`, `conditions.${name}`);
  for (const options of alt.headers) matches = matches.flatMap((mm) => options.map((h) => ({ ...mm, headers: [...(mm.headers ?? []), h] })));
  const qnames = alt.queries.map((q) => q[0]!.name);
  if (new Set(qnames).size < qnames.length) return fail('alb/conditions', `two query-string conditions on one parameter (${qnames.join(', ')}) cannot be one Gateway API match; not translated`, `conditions.${name}`);
  for (const options of alt.queries) {
    matches = matches.flatMap((mm) => options.map((q) => ({ ...mm, queryParams: [...(mm.queryParams ?? []), q] })));
    if (matches.length > MAX_MATCHES * 4) break;
  }
  if (matches.length > MAX_MATCHES) return fail('alb/conditions', `its conditions make ${matches.length} combinations, more than the ${MAX_MATCHES} matches a Gateway API rule may have; not translated`, `conditions.${name}`);

  // A listener's default action has no conditions and no transforms (buildListenerDefaultActions).
  const rewrites = action.type === 'redirect' || isDefault ? [] : buildRewrites(rc, name, matches, label, at);
  const rule: AlbRule = { seq, model: m, at, backendName: name, isDefault, albHosts, albPaths, albPathsAreRegex, hosts, matches, action, rewrites, label, notes: [] };
  if (sourceIps) rule.sourceIps = sourceIps;
  notePathSemantics(rule, paths, alt);
  return rule;
}

/** The raw `path` of an Ingress path entry (the model puts `/` where ImplementationSpecific has none). */
function rawPathOf(m: IngressModel, p: IngressPath): string | undefined {
  let cur: unknown = m.doc.object;
  for (const k of p.at) cur = typeof cur === 'object' && cur !== null ? (cur as Record<string | number, unknown>)[k] : undefined;
  const v = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>).path : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Findings about matching that works differently in Gateway API (given when the rule is in the output). */
function notePathSemantics(rule: AlbRule, paths: { match: PathMatch; widened?: string; regex?: boolean }[], alt: Alternatives): void {
  const regex = paths.filter((p) => p.regex).map((p) => p.match.value);
  const widened = paths.filter((p) => p.widened !== undefined && !paths.some((q) => q.match.type === 'Exact' && q.match.value === p.widened)).map((p) => p.widened!);
  if (regex.length > 0) {
    rule.notes.push({
      ruleId: 'alb/regex-path',
      severity: 'warning',
      message: `${rule.label}: ${regex.map((r) => `"${r}"`).join(', ')} became RegularExpression path matches; what they match is implementation-specific (the ALB used its own regular expressions or wildcards)`,
      remediation: 'Check the expressions with your implementation (the AWS Load Balancer Controller passes them to the ALB as regex values), or rewrite the paths as Exact or PathPrefix.',
    });
  }
  if (widened.length > 0) {
    rule.notes.push({
      ruleId: 'alb/path-widened',
      severity: 'info',
      message: `${rule.label}: ${widened.map((w) => `${w}/*`).join(', ')} matched the paths below ${widened.join(', ')} but not ${widened.length > 1 ? 'those paths' : 'that path'} itself; the PathPrefix match also takes ${widened.join(', ')}`,
      remediation: 'Add an Exact rule for the bare path if it must keep going elsewhere.',
    });
  }
  const regexValues = [...alt.headers.flat(), ...alt.queries.flat()].filter((h) => h.type === 'RegularExpression');
  if (regexValues.length > 0) {
    rule.notes.push({
      ruleId: 'alb/regex-match',
      severity: 'info',
      message: `${rule.label}: the values with wildcards or regexValues became RegularExpression header or query matches (${regexValues.map((h) => `${h.name}: ${h.value}`).join(', ')}), which Gateway API implementations support in their own way`,
    });
  }
  const insensitive = [...alt.headers.flat(), ...alt.queries.flat()].filter((h) => h.type === 'Exact' && /[A-Za-z]/.test(h.value));
  if (insensitive.length > 0) {
    rule.notes.push({
      ruleId: 'alb/match-case',
      severity: 'info',
      message: `${rule.label}: the ALB compared header and query values without regard to case; Gateway API Exact matches are case-sensitive (${insensitive.map((h) => `${h.name}: ${h.value}`).join(', ')})`,
    });
  }
}

/** The rule's action: the Service, or actions.<backend> for port use-annotation. */
function buildAction(rc: RuleContext, backend: ServiceBackend, at: FieldPath, label: string): RuleAction | undefined {
  const { annotations: a, report } = rc;
  if (backend.port.name !== USE_ANNOTATION) {
    const b = rc.backend(backend.name, backend.port, backend.path);
    return b ? { type: 'forward', backends: [b] } : undefined;
  }
  const key = `actions.${backend.name}`;
  const raw = a.get(key);
  if (raw === undefined) {
    // tolerate-non-existent-backend-action (default true): a fixed 503.
    report({
      ruleId: 'alb/actions',
      severity: 'warning',
      path: [...backend.path, 'port'],
      message: `${label}: the backend uses port use-annotation but there is no ${ALB_PREFIX}${key}; the ALB answered 503 "Backend action does not exist"`,
      remediation: `Add the ${key} annotation, or point the path at a Service port.`,
    });
    return { type: 'fixed-response', statusCode: 503, contentType: 'text/plain', messageBody: 'Backend action does not exist', missingAction: true };
  }
  rc.familiesRead.add(key);
  a.use(key);
  const bad = (message: string): undefined => {
    report({ ruleId: 'alb/actions', severity: 'error', key, message: `${ALB_PREFIX}${key}: ${message} (the controller refused the Ingress); the paths using it were not translated` });
    return undefined;
  };
  const parsed = parseJson(raw);
  if ('error' in parsed) return bad(`not valid JSON (${parsed.error})`);
  if (!isObject(parsed.value)) return bad('not a JSON object');
  const o = parsed.value;
  const type = str(o, 'type');
  switch (type) {
    case 'forward': {
      const single = str(o, 'targetGroupARN') ?? str(o, 'targetGroupName');
      const fc = field(o, 'forwardConfig');
      if (single !== undefined && fc !== undefined && fc !== null) return bad('both targetGroupARN/targetGroupName and forwardConfig');
      const tuples: Record<string, Json>[] = [];
      if (single !== undefined) tuples.push(str(o, 'targetGroupARN') !== undefined ? { targetGroupARN: single } : { targetGroupName: single });
      else if (isObject(fc)) {
        const tgs = field(fc, 'targetGroups');
        for (const t of Array.isArray(tgs) ? tgs : []) if (isObject(t)) tuples.push(t);
      } else return bad('a forward action needs forwardConfig or targetGroupARN/targetGroupName');
      if (tuples.length > 1 && tuples.some((t) => typeof field(t, 'weight') !== 'number')) return bad('every target group needs a weight when there are several');
      const backends: Backend[] = [];
      for (const t of tuples) {
        const svc = str(t, 'serviceName');
        const arn = str(t, 'targetGroupARN');
        const tgName = str(t, 'targetGroupName');
        if (!svc && !arn && !tgName) return bad('a target group needs serviceName or targetGroupARN/targetGroupName');
        if (svc && (arn || tgName)) return bad('a target group has both serviceName and targetGroupARN/targetGroupName');
        const weight = field(t, 'weight');
        const w = typeof weight === 'number' ? weight : undefined;
        if (svc) {
          const port = field(t, 'servicePort');
          if (port === undefined || port === null) return bad(`target group ${svc} has no servicePort`);
          // normalizeServicePortForBackwardsCompatibility: "80" is the number 80.
          const p = typeof port === 'number' ? { number: port } : /^\d+$/.test(String(port)) ? { number: Number(port) } : { name: String(port) };
          const b = rc.backend(svc, p, at);
          if (!b) return undefined;
          backends.push(w === undefined || tuples.length === 1 ? b : { ...b, ref: { ...b.ref, weight: w } });
        } else {
          backends.push({ kind: 'target-group', arn: arn ?? '', name: tgName ?? '', ...(w === undefined || tuples.length === 1 ? {} : { weight: w }) });
        }
      }
      const action: RuleAction = { type: 'forward', backends };
      const sc = isObject(fc) ? field(fc, 'targetGroupStickinessConfig') : undefined;
      if (isObject(sc)) {
        const enabled = field(sc, 'enabled');
        const duration = field(sc, 'durationSeconds');
        action.stickiness = {};
        if (typeof enabled === 'boolean') action.stickiness.enabled = enabled;
        if (typeof duration === 'number') action.stickiness.durationSeconds = duration;
      }
      return action;
    }
    case 'redirect': {
      const cfg = field(o, 'redirectConfig');
      if (!isObject(cfg)) return bad('a redirect action needs redirectConfig');
      const status = str(cfg, 'statusCode');
      if (!status) return bad('redirectConfig needs statusCode');
      const albRedirect: AlbRedirect = {};
      for (const k of ['host', 'path', 'port', 'protocol', 'query'] as const) {
        const v = str(cfg, k);
        if (v !== undefined) albRedirect[k] = v;
      }
      return redirectAction(rc, key, status, albRedirect);
    }
    case 'fixed-response': {
      const cfg = field(o, 'fixedResponseConfig');
      if (!isObject(cfg)) return bad('a fixed-response action needs fixedResponseConfig');
      const status = str(cfg, 'statusCode');
      if (!status) return bad('fixedResponseConfig needs statusCode');
      if (!/^[245]\d\d$/.test(status)) return bad(`fixed-response statusCode "${status}" is not a 2XX, 4XX or 5XX code`);
      const action: RuleAction = { type: 'fixed-response', statusCode: Number(status) };
      const ct = str(cfg, 'contentType');
      const body = str(cfg, 'messageBody');
      if (ct !== undefined) action.contentType = ct;
      if (body !== undefined) action.messageBody = body;
      return action;
    }
    default:
      return bad(`unknown action type "${type ?? ''}"`);
  }
}

/**
 * An ALB redirect as a RequestRedirect. The ALB fills what is not set from the request
 * (#{protocol}, #{host}, #{port}, /#{path}, #{query}); Gateway API keeps what is not set too,
 * except the port, which follows a changed scheme to its well-known port.
 */
function redirectAction(rc: RuleContext, key: string, status: string, r: AlbRedirect): RuleAction | undefined {
  const warn = (message: string) => rc.report({ ruleId: 'alb/actions', severity: 'warning', key, message: `${ALB_PREFIX}${key}: ${message}` });
  const codes: Record<string, number> = { HTTP_301: 301, HTTP_302: 302 };
  const code = codes[status];
  if (code === undefined) {
    rc.report({ ruleId: 'alb/actions', severity: 'error', key, message: `${ALB_PREFIX}${key}: statusCode "${status}" is not HTTP_301 or HTTP_302 (the ALB refused the rule); the paths using it were not translated` });
    return undefined;
  }
  const redirect: Record<string, unknown> = {};
  let scheme: string | undefined;
  if (r.protocol !== undefined && r.protocol !== '#{protocol}') {
    if (!/^(HTTP|HTTPS)$/i.test(r.protocol)) {
      rc.report({ ruleId: 'alb/actions', severity: 'error', key, message: `${ALB_PREFIX}${key}: protocol "${r.protocol}" is not HTTP or HTTPS; the paths using it were not translated` });
      return undefined;
    }
    scheme = r.protocol.toLowerCase();
    redirect.scheme = scheme;
  }
  if (r.host !== undefined && r.host !== '#{host}') {
    const h = r.host.toLowerCase();
    if (/#\{/.test(h) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(h)) warn(`host "${r.host}" (with placeholders, or not a DNS name) cannot be a Gateway API redirect hostname; the request\u2019s host is kept`);
    else redirect.hostname = h;
  }
  if (r.port !== undefined && r.port !== '#{port}') {
    const n = Number(r.port);
    if (!/^\d+$/.test(r.port) || n < 1 || n > 65535) warn(`port "${r.port}" is not a port number; the port follows the scheme`);
    else if (!(n === 443 && scheme === 'https') && !(n === 80 && scheme === 'http')) redirect.port = n;
  } else if (scheme !== undefined) {
    warn('the ALB kept the request\u2019s port (#{port}) while changing the protocol; Gateway API redirects to the well-known port of the new scheme');
  }
  if (r.path !== undefined && r.path !== '/#{path}') {
    if (/#\{/.test(r.path) || !r.path.startsWith('/')) warn(`path "${r.path}" uses placeholders Gateway API cannot fill; the request\u2019s path is kept`);
    else redirect.path = { type: 'ReplaceFullPath', replaceFullPath: r.path };
  }
  if (r.query !== undefined && r.query !== '#{query}') {
    const viaLbc = rc.target === 'aws-lbc';
    rc.report({
      ruleId: 'alb/actions',
      severity: viaLbc ? 'info' : 'warning',
      key,
      message: viaLbc
        ? `${ALB_PREFIX}${key}: the redirect query "${r.query}" is set by a ListenerRuleConfiguration (Gateway API redirects keep the request\u2019s query)`
        : `${ALB_PREFIX}${key}: the redirect replaced the query with "${r.query}"; Gateway API redirects keep the request\u2019s query`,
    });
  }
  redirect.statusCode = code;
  return { type: 'redirect', filter: { type: 'RequestRedirect', requestRedirect: redirect }, alb: r };
}

/**
 * transforms.<backend> as URLRewrite filters where the regex is a whole-value or a prefix
 * rewrite (the forms the controller itself generates from URLRewrite, pkg/gateway/routeutils/
 * route_rule_transform.go). A rewrite that cannot be expressed is reported and left out: the
 * requests still reach the rule's backend, with the path or host they came with.
 */
function buildRewrites(rc: RuleContext, name: string, matches: RouteMatch[], label: string, at: FieldPath): RouteFilter[] {
  const key = `transforms.${name}`;
  const raw = rc.annotations.get(key);
  if (raw === undefined) return [];
  rc.familiesRead.add(key);
  rc.annotations.use(key);
  const fail = (severity: 'error' | 'warning', message: string): RouteFilter[] => {
    rc.report({ ruleId: 'alb/transforms', severity, key, path: at, message: `${label}: ${message}; the rewrite was not applied (the requests reach the backend unchanged)` });
    return [];
  };
  const parsed = parseJson(raw);
  if ('error' in parsed || !Array.isArray(parsed.value)) return fail('error', `${ALB_PREFIX}${key} is not a JSON list of transforms (the controller refused the Ingress)`);
  const rewrite: Record<string, unknown> = {};
  const WHOLE = new Set(['.*', '^.*$', '^(.*)$', '^([^?]*)', '^([^?]*)$']);
  for (const t of parsed.value) {
    const type = isObject(t) ? str(t, 'type') : undefined;
    const cfgName = type === 'host-header-rewrite' ? 'hostHeaderRewriteConfig' : type === 'url-rewrite' ? 'urlRewriteConfig' : undefined;
    if (!isObject(t) || !cfgName) return fail('error', `${key}: unknown transform type "${type ?? ''}" (the controller refused the Ingress)`);
    const cfg = field(t, cfgName);
    const rewrites = isObject(cfg) ? field(cfg, 'rewrites') : undefined;
    if (!Array.isArray(rewrites) || rewrites.length === 0) return fail('error', `${key}: ${type} needs rewrites (the controller refused the Ingress)`);
    if (rewrites.length > 1 || !isObject(rewrites[0])) return fail('warning', `${key}: several ${type} rewrites in a row have no URLRewrite form`);
    const regex = str(rewrites[0], 'regex') ?? '';
    const replace = str(rewrites[0], 'replace') ?? '';
    if (type === 'host-header-rewrite') {
      if (!WHOLE.has(regex) || /\$/.test(replace) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(replace)) {
        return fail('warning', `${key}: host-header-rewrite of "${regex}" to "${replace}" is not a rewrite of the whole host to a fixed name, the only form URLRewrite has`);
      }
      rewrite.hostname = replace;
    } else {
      const prefix = /^\^((?:\\.|[^\\.*+?^${}()|[\]])*)\(\.\*\)\$?$/.exec(regex);
      // ReplacePrefixMatch needs the prefix matched, in each match of the rule.
      const onPrefix = (p: string) => matches.every((mm) => mm.path?.type === 'PathPrefix' && mm.path.value.replace(/\/$/, '') === p.replace(/\/$/, ''));
      if (WHOLE.has(regex) && !/\$/.test(replace) && replace.startsWith('/')) {
        rewrite.path = { type: 'ReplaceFullPath', replaceFullPath: replace };
      } else if (prefix && onPrefix(prefix[1]!.replace(/\\(.)/g, '$1')) && /^(\/[^$]*[^/$])?\$1$/.test(replace)) {
        rewrite.path = { type: 'ReplacePrefixMatch', replacePrefixMatch: replace.slice(0, -2) || '/' };
      } else {
        return fail('warning', `${key}: url-rewrite of "${regex}" to "${replace}" is neither a rewrite of the whole path to a fixed path nor ^<prefix>(.*)$ to <new>$1 on that prefix path, the forms URLRewrite has`);
      }
    }
  }
  return Object.keys(rewrite).length > 0 ? [{ type: 'URLRewrite', urlRewrite: rewrite }] : [];
}
