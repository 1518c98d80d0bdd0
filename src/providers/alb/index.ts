/**
 * AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller v3.5.0), Ingress
 * support: its IngressGroups become Gateways, its listeners (listen-ports) Gateway listeners, its
 * listener rules HTTPRoutes (GRPCRoutes for gRPC target groups) in the controller's priority
 * order, and with --target aws-lbc what standard Gateway API cannot say becomes the controller's
 * own LoadBalancerConfiguration, TargetGroupConfiguration and ListenerRuleConfiguration.
 * Facts, with the source lines they come from: docs/research/alb.md.
 */
import type { FieldPath, SourceDocument } from '../../inputs/document.js';
import type { AwsLbcObjectIntent, BackendRef, ListenerIntent, RouteIntent, RuleIntent } from '../../ir/types.js';
import { hostSlug, NameRegistry } from '../../emitters/names.js';
import { AWS_LBC_GROUP } from '../../emitters/aws-lbc.js';
import type { IngressModel } from '../common/ingress-model.js';
import { annotationField, provenanceOf } from '../common/translate.js';
import { ruleFor } from '../rules.js';
import type { Provider, ProviderContext } from '../types.js';
import { classParams, gatewayGroup, groupOrder, groupSource, invalidGroupName, sortMembers } from './group.js';
import { loadBalancerConfiguration, LOAD_BALANCER_KEYS, type Listener, type Member } from './load-balancer.js';
import { buildRule, sortPaths, USE_ANNOTATION, type AlbRule, type RuleContext } from './model.js';
import { isInfiniteRedirect, placeRules, type PlacedRule } from './order.js';
import { AlbAnnotations, annotationReporter, commaList, field, isObject, parseGoBool, parseInt32, parseJson, str, stringMap, type Json } from './parse.js';
import { ALB_PREFIX, ALB_RULES } from './rules.js';
import { targetGroupNameOfArn, targetGroupSettings, TARGET_GROUP_KEYS, type ServiceTarget } from './target-groups.js';

const LRC_KIND = 'ListenerRuleConfiguration';
const GRPC_SERVICE = /^\.?[A-Za-z_][A-Za-z_0-9]*(\.[A-Za-z_][A-Za-z_0-9]*)*$/;
const GRPC_METHOD = /^[A-Za-z_][A-Za-z_0-9]*$/;
const AUTH_KEYS = ['auth-type', 'auth-idp-cognito', 'auth-idp-oidc', 'auth-on-unauthenticated-request', 'auth-scope', 'auth-session-cookie', 'auth-session-timeout'];

/** State shared by the groups of one conversion. */
interface Run {
  ctx: ProviderContext;
  lbc: boolean;
  consumed: Map<IngressModel, Set<string>>;
  seq: number;
  /** Target groups per Service (namespace/name), in controller order, for TargetGroupConfigurations. */
  targetGroups: Map<string, { model: IngressModel; target: ServiceTarget }[]>;
  routesOf: Map<IngressModel, RouteIntent[]>;
  /** ListenerRuleConfigurations by namespace and spec, and their names. */
  lrcBySpec: Map<string, string>;
  lrcNames: NameRegistry;
  /** Findings already given (dedupe across listeners). */
  said: Set<string>;
}

export const albProvider: Provider = {
  id: 'alb',
  displayName: 'AWS Load Balancer Controller',
  annotationPrefixes: [ALB_PREFIX],
  controllers: ['ingress.k8s.aws/alb'],
  classNames: ['alb'],
  rules: ALB_RULES,
  gatewayGroup,
  translate(ctx, ingresses) {
    const run: Run = {
      ctx,
      lbc: ctx.target === 'aws-lbc',
      consumed: new Map(ingresses.map((m) => [m, new Set<string>()])),
      seq: 0,
      targetGroups: new Map(),
      routesOf: new Map(),
      lrcBySpec: new Map(),
      lrcNames: new NameRegistry(),
      said: new Set(),
    };
    const groups = new Map<string, IngressModel[]>();
    for (const m of ingresses) {
      const key = ctx.gatewayKeyFor(m);
      let l = groups.get(key);
      if (!l) groups.set(key, (l = []));
      l.push(m);
    }
    for (const key of [...groups.keys()].sort()) translateGroup(run, key, groups.get(key)!);
    if (run.lbc) targetGroupConfigurations(run);
    reportServiceAnnotations(run);
    return run.consumed;
  },
};

/** One IngressGroup: one ALB, one Gateway. */
function translateGroup(run: Run, key: string, list: IngressModel[]): void {
  const { ctx } = run;
  const gw = ctx.gateway(key);
  const members: Member[] = sortMembers(list).map((m) => {
    const member: Member = { model: m, a: new AlbAnnotations(m.annotations, run.consumed.get(m)), report: annotationReporter(ctx, m), ports: new Map() };
    const params = classParams(m, ctx.input);
    if (params) {
      member.params = params.spec;
      member.paramsDoc = params.doc;
    }
    return member;
  });
  for (const mem of members) checkGroup(run, mem);

  // Listeners: the ports of every member, one protocol per port.
  const listeners = new Map<number, Listener>();
  const certsOf = new Map<Member, string[]>();
  for (const mem of members) {
    const { ports, certs } = listenPorts(mem);
    certsOf.set(mem, certs);
    for (const [port, protocol] of ports) {
      const l = listeners.get(port);
      if (l && l.protocol !== protocol) {
        mem.report('listen-ports', {
          ruleId: 'alb/listen-ports',
          severity: 'error',
          message: `port ${port} is ${protocol} here but ${l.protocol} for Ingress ${l.members[0]!.model.namespace}/${l.members[0]!.model.name} of the same group; the controller stops reconciling the whole group on this; this Ingress was not attached to that port`,
        });
        continue;
      }
      mem.ports.set(port, protocol);
      if (l) l.members.push(mem);
      else listeners.set(port, { port, protocol, name: listenerName(protocol, port), members: [mem], certificates: [], attributes: new Map() });
    }
  }
  const ordered = [...listeners.values()].sort((a, b) => a.port - b.port);
  for (const l of ordered) configureListener(l, certsOf);

  // ssl-redirect: every HTTP listener answers with a redirect and has no rule.
  const redirectPort = sslRedirect(members, listeners);

  if (redirectPort !== undefined) {
    for (const mem of members) {
      if (mem.ports.size === 0 || [...mem.ports.values()].some((p) => p === 'HTTPS')) continue;
      ctx.report({
        ruleId: 'alb/ssl-redirect',
        severity: 'warning',
        message: `Ingress ${mem.model.namespace}/${mem.model.name} listens only on HTTP ports (${[...mem.ports.keys()].join(', ')}), which redirect every request to HTTPS port ${redirectPort} (ssl-redirect of its group); the ALB never used its rules, and they were not translated`,
        remediation: 'Add the HTTPS port to its listen-ports if its paths must be served.',
        field: annotationField(`${ALB_PREFIX}listen-ports`),
        doc: mem.model.doc,
        path: mem.a.has('listen-ports') ? ['metadata', 'annotations', `${ALB_PREFIX}listen-ports`] : [],
      });
    }
  }

  // The rules of every member, in group order.
  const rulesOf = new Map<Member, { rules: AlbRule[]; fallback?: AlbRule }>();
  for (const mem of members) rulesOf.set(mem, memberRules(run, mem));

  // Authentication is added to the rules of HTTPS listeners only (buildActions).
  if (run.lbc) {
    for (const mem of members) {
      const authed = [...rulesOf.get(mem)!.rules, rulesOf.get(mem)!.fallback].some((r) => r && (r as AuthRule).auth);
      if (!authed || [...mem.ports.values()].includes('HTTPS')) continue;
      const key = mem.a.has('jwt-validation') ? 'jwt-validation' : 'auth-type';
      mem.report(key, {
        ruleId: `alb/${key}`,
        severity: 'warning',
        message: `the controller authenticates requests on HTTPS listeners only, and this Ingress listens on HTTP only: its paths were served without ${key === 'jwt-validation' ? 'JWT validation' : 'authentication'}, and still are`,
        remediation: 'Add an HTTPS port to listen-ports (with a certificate) if the paths must be protected.',
      });
    }
  }

  // Per listener: the ALB's rule order, what earlier rules shadow, where Gateway API differs.
  const placedOn = new Map<Listener, PlacedRule[]>();
  for (const l of ordered) {
    if (redirectPort !== undefined && l.protocol === 'HTTP') continue;
    const seqRules = l.members.flatMap((m) => rulesOf.get(m)!.rules);
    const fallbacks = l.members.filter((m) => rulesOf.get(m)!.fallback);
    for (const extra of fallbacks.slice(1)) {
      once(run, `fallback ${extra.model.namespace}/${extra.model.name} ${gw.key}`, () =>
        ctx.report({
          ruleId: 'alb/default-backend',
          severity: 'error',
          message: `Ingress ${fallbacks[0]!.model.namespace}/${fallbacks[0]!.model.name} of the same group also has a defaultBackend; the controller stops reconciling the group when two do ("multiple ingress defined default backend"); this one was not translated`,
          remediation: 'Keep one defaultBackend per IngressGroup (and listener port).',
          doc: extra.model.doc,
          path: ['spec', 'defaultBackend'],
        }),
      );
    }
    if (fallbacks[0]) seqRules.push(rulesOf.get(fallbacks[0])!.fallback!);
    const active = seqRules.filter((r) => {
      if (!isInfiniteRedirect(r, l.port, l.protocol)) return true;
      once(run, `loop ${r.seq} ${l.port}`, () =>
        report(run, r, {
          ruleId: 'alb/redirect-loop',
          severity: 'info',
          message: `${r.label}: the controller leaves this redirect out of the ${l.protocol} listener on port ${l.port}, where it would redirect to itself; it was left out there too`,
        }),
      );
      return false;
    });
    const { placed, shadowed, inversions } = placeRules(active);
    for (const s of shadowed) {
      const by = s.by.map((r) => r.label).join('; ');
      const on = `the ${l.protocol} listener on port ${l.port}`;
      // The controller itself leaves out rules that an earlier redirect covers (rule_optimizer.go).
      const byRedirect = s.by.every((r) => r.action.type === 'redirect');
      once(run, `shadow ${l.port} ${s.rule.seq} ${JSON.stringify(s.matches)}`, () =>
        report(run, s.rule, {
          ruleId: 'alb/rule-shadowed',
          severity: s.rule.isDefault || byRedirect ? 'info' : 'warning',
          message: byRedirect
            ? `${s.rule.label}: on ${on}, ${by} redirects all of its requests first; the controller leaves the rule out there, and so does the translation`
            : s.entirely
              ? `${s.rule.label} never received a request on ${on}: ${by}, earlier in the listener’s rule order (group.order, then namespace/name, then path order), took all of them; it was left out there, as Gateway API would have given it the more specific ones`
              : `${s.rule.label}: ${s.matches.length} of its ${s.rule.matches.length} matches never received a request on ${on} (${by} came first and took them); they were left out there`,
          ...(byRedirect ? {} : { remediation: 'If this rule was meant to win, give its Ingress a lower group.order (or make the earlier rule narrower) before converting.' }),
        }),
      );
    }
    for (const inv of inversions) {
      if (!run.lbc && (inv.first.sourceIps || inv.second.sourceIps)) continue;
      once(run, `order ${inv.first.seq} ${inv.second.seq}`, () =>
        report(run, inv.second, {
          ruleId: 'alb/rule-order',
          severity: inv.uncertain ? 'info' : 'warning',
          message: `a request such as ${inv.example} matches both ${inv.first.label} and ${inv.second.label}: the ALB gave it to the first, earlier in its rule order (group.order, then namespace/name, then path order); Gateway API ${
            inv.uncertain ? 'decides between a regular expression and another match in an implementation-specific way' : `gives it to the second, which has ${inv.reason}`
          }`,
          remediation: 'Make the two rules disjoint (a more specific path, a header or method condition), or accept the Gateway API choice.',
        }),
      );
    }
    placedOn.set(l, placed);
  }

  // Routes: per Ingress and hostnames, one per set of listeners with the same rules.
  const redirectListeners = redirectPort === undefined ? [] : ordered.filter((l) => l.protocol === 'HTTP');
  buildRoutes(run, gw.key, members, ordered, placedOn);
  if (redirectPort !== undefined && redirectListeners.length > 0) {
    const setters = members.filter((m) => m.a.has('ssl-redirect') || m.params?.sslRedirectPort !== undefined);
    const redirect: Record<string, unknown> = { scheme: 'https' };
    if (redirectPort !== 443) redirect.port = redirectPort;
    redirect.statusCode = 301;
    ctx.ir.routes.push({
      kind: 'HTTPRoute',
      gatewayKey: gw.key,
      namespace: gw.namespace,
      name: `${gw.name}-ssl-redirect`,
      hostnames: [],
      attach: { http: false, https: false, listeners: redirectListeners.map((l) => l.name) },
      httpsRedirectFor: 'ssl-redirect',
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backends: [], filters: [{ type: 'RequestRedirect', requestRedirect: redirect }], provenance: setters.map((m) => provenanceOf(m.model, ['metadata', 'annotations', `${ALB_PREFIX}ssl-redirect`])) }],
      annotations: {},
      provenance: setters.map((m) => provenanceOf(m.model)),
    });
  }

  // The Gateway's listeners, and its certificates.
  const secretOf = (l: Listener) => (l.name === 'https' ? `${gw.name}-tls` : `${gw.name}-${l.name}-tls`);
  gw.listeners = ordered.map((l): ListenerIntent => {
    const li: ListenerIntent = { name: l.name, port: l.port, protocol: l.protocol, provenance: l.members.map((m) => provenanceOf(m.model)) };
    if (l.protocol === 'HTTPS' && !run.lbc) {
      const n = Math.max(1, l.certificates.length);
      li.certificateSecrets = Array.from({ length: n }, (_, i) => (i === 0 ? secretOf(l) : `${secretOf(l)}-${i + 1}`));
      const first = l.members.find((m) => Array.isArray(m.params?.certificateArn) || m.a.has('certificate-arn')) ?? l.members[0]!;
      const where =
        first.paramsDoc && Array.isArray(first.params?.certificateArn)
          ? { doc: first.paramsDoc, path: ['spec', 'certificateArn'], field: 'spec.certificateArn' }
          : { doc: first.model.doc, path: first.a.has('certificate-arn') ? ['metadata', 'annotations', `${ALB_PREFIX}certificate-arn`] : [], field: annotationField(`${ALB_PREFIX}certificate-arn`) };
      ctx.report({
        ruleId: 'alb/certificate',
        severity: 'warning',
        message: `the HTTPS listener on port ${l.port} of load balancer ${gw.name} used ${
          l.certificates.length ? `the ACM certificate${l.certificates.length > 1 ? 's' : ''} ${l.certificates.join(', ')}` : 'the ACM certificates the controller discovered for the hosts of its Ingresses'
        }; Gateway API takes certificates from Secrets: listener ${l.name} of Gateway ${gw.namespace}/${gw.name} names ${li.certificateSecrets.join(', ')}, to be created with them`,
        remediation: 'Create the kubernetes.io/tls Secrets (cert-manager, or an exported ACM certificate), or keep the AWS Load Balancer Controller with --target aws-lbc, which keeps the ACM certificates.',
        ...where,
      });
      for (const other of l.members) {
        if (other === first || !other.a.has('certificate-arn')) continue;
        once(run, `cert ${other.model.namespace}/${other.model.name} ${l.port}`, () =>
          other.report('certificate-arn', {
            ruleId: 'alb/certificate',
            severity: 'info',
            message: `the certificates of this Ingress serve the HTTPS listener on port ${l.port} of load balancer ${gw.name}, with those of the other Ingresses of the group; see the finding on ${first.model.namespace}/${first.model.name}`,
          }),
        );
      }
    }
    return li;
  });

  if (run.lbc) {
    const { spec, notes } = loadBalancerConfiguration(members, ordered);
    for (const mem of members) {
      for (const k of LOAD_BALANCER_KEYS) mem.a.use(k);
      for (const k of Object.keys(mem.model.annotations)) if (k.startsWith(`${ALB_PREFIX}listener-attributes.`)) run.consumed.get(mem.model)!.add(k);
      checkValues(mem, LOAD_BALANCER_KEYS);
      if (mem.a.has('tags')) {
        mem.report('tags', {
          ruleId: 'alb/tags',
          severity: 'info',
          message: 'the tags are on the load balancer (LoadBalancerConfiguration) and the target groups (TargetGroupConfigurations); of the listener rules, only those with a ListenerRuleConfiguration carry them',
        });
      }
      if (mem.a.has('wafv2-acl-name')) {
        mem.a.use('wafv2-acl-name');
        mem.report('wafv2-acl-name', {
          ruleId: 'alb/wafv2-acl-name',
          severity: 'error',
          message: `the web ACL "${mem.a.get('wafv2-acl-name')}" is named, and the LoadBalancerConfiguration takes its ARN (wafV2.webACL), which only AWS knows; no web ACL was configured, so the paths are not protected by it`,
          remediation: 'Look the ARN up (aws wafv2 list-web-acls --scope REGIONAL) and set spec.wafV2.webACL of the LoadBalancerConfiguration.',
        });
      }
    }
    for (const note of notes) ctx.report({ ruleId: 'alb/load-balancer', severity: 'info', message: `Gateway ${gw.namespace}/${gw.name}: ${note}`, doc: members[0]!.model.doc });
    if (Object.keys(spec).length > 0) {
      gw.parametersRef = { group: AWS_LBC_GROUP, kind: 'LoadBalancerConfiguration', name: gw.name };
      ctx.ir.policies.push({ target: 'aws-lbc', kind: 'LoadBalancerConfiguration', namespace: gw.namespace, name: gw.name, spec, provenance: members.map((m) => provenanceOf(m.model)) });
    }
  }
  reportClassParams(run, members);
}

/** group.name and group.order of one member. */
function checkGroup(run: Run, mem: Member): void {
  const g = groupSource(mem.model, run.ctx.input);
  mem.a.use('group.name');
  mem.a.use('group.order');
  if (g.from !== 'none') {
    const bad = invalidGroupName(g.name);
    if (bad) {
      const msg = `group name "${g.name}" is not valid (${bad}); the controller leaves this Ingress out of every load balancer, so it was not served; it was translated as a load balancer of its own`;
      if (g.from === 'annotation') mem.report('group.name', { ruleId: 'alb/group.name', severity: 'error', message: msg });
      else run.ctx.report({ ruleId: 'alb/group.name', severity: 'error', message: `IngressClassParams ${g.doc.object.metadata.name}: ${msg}`, doc: g.doc, path: ['spec', 'group', 'name'] });
    } else if (g.from === 'params' && mem.a.has('group.name') && mem.a.get('group.name') !== g.name) {
      mem.report('group.name', { ruleId: 'alb/group.name', severity: 'info', message: `group.name "${mem.a.get('group.name')}" has no effect: the IngressClassParams of the class puts its Ingresses in group "${g.name}"` });
    }
  }
  const o = groupOrder(mem.model);
  if (o.error) mem.report('group.order', { ruleId: 'alb/group.order', severity: 'error', message: `group.order ${o.error}; the controller stops reconciling the whole group on this; 0 was assumed` });
}

function listenerName(protocol: 'HTTP' | 'HTTPS', port: number): string {
  if (protocol === 'HTTP' && port === 80) return 'http';
  if (protocol === 'HTTPS' && port === 443) return 'https';
  return `${protocol.toLowerCase()}-${port}`;
}

/** computeIngressListenPortConfigByPort: the ports of an Ingress and its explicit certificates. */
function listenPorts(mem: Member): { ports: Map<number, 'HTTP' | 'HTTPS'>; certs: string[] } {
  const paramCerts = mem.params?.certificateArn;
  const certs = Array.isArray(paramCerts) && paramCerts.length > 0 ? paramCerts.filter((c): c is string => typeof c === 'string') : commaList(mem.a.get('certificate-arn') ?? '');
  mem.a.use('certificate-arn');
  mem.a.use('listen-ports');
  const fallback = (): Map<number, 'HTTP' | 'HTTPS'> => new Map([certs.length ? [443, 'HTTPS'] : [80, 'HTTP']]);
  const raw = mem.a.get('listen-ports');
  if (raw === undefined) return { ports: fallback(), certs };
  const bad = (why: string) => {
    mem.report('listen-ports', { ruleId: 'alb/listen-ports', severity: 'error', message: `listen-ports ${why}; the controller stops reconciling the whole group on this; the default (${certs.length ? 'HTTPS 443' : 'HTTP 80'}) was assumed` });
    return { ports: fallback(), certs };
  };
  const parsed = parseJson(raw);
  if ('error' in parsed) return bad(`is not valid JSON (${parsed.error})`);
  if (!Array.isArray(parsed.value)) return bad('is not a JSON list');
  if (parsed.value.length === 0) return bad('is empty');
  const ports = new Map<number, 'HTTP' | 'HTTPS'>();
  for (const entry of parsed.value) {
    if (!isObject(entry)) return bad('has an entry that is not an object');
    for (const [protocol, port] of Object.entries(entry)) {
      if (typeof port !== 'number' || !Number.isInteger(port)) return bad(`has a port that is not a whole number (${JSON.stringify(port)})`);
      if (port < 1 || port > 65535) return bad(`has port ${port}, outside [1, 65535]`);
      if (protocol !== 'HTTP' && protocol !== 'HTTPS') return bad(`has protocol "${protocol}", not HTTP or HTTPS`);
      ports.set(port, protocol);
    }
  }
  return { ports, certs };
}

/** Certificates, SSL policy, mutual TLS and attributes of one listener, merged over its members. */
function configureListener(l: Listener, certsOf: Map<Member, string[]>): void {
  if (l.protocol === 'HTTPS') {
    const all = l.members.flatMap((m) => certsOf.get(m) ?? []);
    l.certificates = [...new Set(all)];
    let policyFrom: Member | undefined;
    for (const m of l.members) {
      const p = typeof m.params?.sslPolicy === 'string' && m.params.sslPolicy !== '' ? m.params.sslPolicy : m.a.get('ssl-policy');
      if (p === undefined) continue;
      if (!policyFrom) {
        l.sslPolicy = p;
        policyFrom = m;
      } else if (p !== l.sslPolicy) {
        m.report('ssl-policy', { ruleId: 'alb/ssl-policy', severity: 'error', message: `ssl-policy ${p} conflicts with ${l.sslPolicy} of Ingress ${policyFrom.model.namespace}/${policyFrom.model.name} on port ${l.port}; the controller stops reconciling the group on this; the first was kept` });
      }
    }
    for (const m of l.members) {
      const raw = m.a.get('mutual-authentication');
      if (raw === undefined) continue;
      const parsed = parseJson(raw);
      const entries = 'value' in parsed && Array.isArray(parsed.value) ? parsed.value : undefined;
      if (!entries || entries.length === 0) {
        m.report('mutual-authentication', { ruleId: 'alb/invalid-value', severity: 'error', message: 'mutual-authentication is not a JSON list of port settings; the controller stops reconciling the group on this' });
        continue;
      }
      for (const e of entries) {
        if (!isObject(e) || field(e, 'port') !== l.port) continue;
        const mode = str(e, 'mode');
        if (mode !== 'off' && mode !== 'passthrough' && mode !== 'verify') continue;
        const ma: Record<string, unknown> = { mode };
        const ts = str(e, 'trustStore');
        if (ts !== undefined && mode === 'verify') ma.trustStore = ts;
        const ignore = field(e, 'ignoreClientCertificateExpiry');
        if (typeof ignore === 'boolean' && mode === 'verify') ma.ignoreClientCertificateExpiry = ignore;
        const adv = str(e, 'advertiseTrustStoreCaNames');
        if ((adv === 'on' || adv === 'off') && mode === 'verify') ma.advertiseTrustStoreCaNames = adv;
        if (mode === 'verify' && ts === undefined) continue;
        l.mutualAuthentication ??= ma;
      }
    }
  }
  const attrKey = `listener-attributes.${l.protocol}-${l.port}`;
  for (const m of l.members) {
    const raw = m.a.get(attrKey);
    if (raw === undefined) continue;
    const map = stringMap(raw);
    if (!map) {
      m.report(attrKey, { ruleId: 'alb/invalid-value', severity: 'error', message: `${attrKey}="${raw}" is not a key=value list; the controller stops reconciling the group on this` });
      continue;
    }
    for (const [k, v] of map) {
      const had = l.attributes.get(k);
      if (had !== undefined && had !== v) m.report(attrKey, { ruleId: 'alb/listener-attributes', severity: 'error', message: `${attrKey}: ${k}=${v} conflicts with ${k}=${had} of another Ingress of the group; the controller stops reconciling the group on this; the first was kept` });
      else l.attributes.set(k, v);
    }
  }
}

/** buildSSLRedirectConfig: the HTTPS port every HTTP listener redirects to, if any. */
function sslRedirect(members: readonly Member[], listeners: Map<number, Listener>): number | undefined {
  const ports = new Map<number, Member>();
  for (const m of members) {
    const fromParams = m.params?.sslRedirectPort;
    const raw = typeof fromParams === 'string' && fromParams !== '' ? fromParams : m.a.get('ssl-redirect');
    m.a.use('ssl-redirect');
    if (raw === undefined) continue;
    const n = parseInt32(raw);
    if (n === undefined) {
      m.report('ssl-redirect', { ruleId: 'alb/ssl-redirect', severity: 'error', message: `ssl-redirect "${raw}" is not a port number; the controller stops reconciling the group on this; nothing was redirected` });
      continue;
    }
    if (!ports.has(n)) ports.set(n, m);
  }
  if (ports.size === 0) return undefined;
  const [port, setter] = [...ports][0]!;
  if (ports.size > 1) {
    setter.report('ssl-redirect', { ruleId: 'alb/ssl-redirect', severity: 'error', message: `the Ingresses of the group redirect to different ports (${[...ports.keys()].join(', ')}); the controller stops reconciling the group on this; nothing was redirected` });
    return undefined;
  }
  const l = listeners.get(port);
  if (!l || l.protocol !== 'HTTPS') {
    setter.report('ssl-redirect', { ruleId: 'alb/ssl-redirect', severity: 'error', message: `ssl-redirect names port ${port}, which is not an HTTPS listener of the group; the controller stops reconciling the group on this; nothing was redirected` });
    return undefined;
  }
  return port;
}

/** The listener rules of one Ingress (path rules in order, and its default backend). */
function memberRules(run: Run, mem: Member): { rules: AlbRule[]; fallback?: AlbRule } {
  const { ctx } = run;
  const m = mem.model;
  const regexPaths = parseGoBool(mem.a.get('use-regex-path-match') ?? 'false') === true;
  if (mem.a.has('use-regex-path-match')) {
    mem.a.use('use-regex-path-match');
    if (parseGoBool(mem.a.get('use-regex-path-match')!) === undefined) mem.report('use-regex-path-match', { ruleId: 'alb/invalid-value', severity: 'error', message: `use-regex-path-match="${mem.a.get('use-regex-path-match')}" is not a boolean; the controller stops reconciling the group on this; false was assumed` });
  }
  const familiesRead = new Set<string>();
  const paramsTargetType = typeof mem.params?.targetType === 'string' && mem.params.targetType !== '' ? mem.params.targetType : undefined;
  const rc: RuleContext = {
    ctx,
    model: m,
    annotations: mem.a,
    regexPaths,
    target: ctx.target,
    familiesRead,
    report: (f) => {
      const path = f.key ? ['metadata', 'annotations', ALB_PREFIX + f.key] : f.path;
      const finding: Parameters<ProviderContext['report']>[0] = { ruleId: f.ruleId, severity: f.severity, message: f.message, doc: m.doc, path: path ?? [] };
      if (f.key) finding.field = annotationField(ALB_PREFIX + f.key);
      if (f.remediation) finding.remediation = f.remediation;
      ctx.report(finding);
    },
    backend: (service, port, at) => {
      const svc = ctx.input.find('', 'Service', service, m.namespace);
      // The controller looks the port up among the Service's ports only (pkg/k8s/service_utils.go
      // LookupServicePort), by number or name, and stops the group when it is not there.
      const ports = svc && isObject(svc.object.spec) && Array.isArray(svc.object.spec.ports) ? svc.object.spec.ports.filter(isObject) : undefined;
      if (ports && port.number !== undefined && !ports.some((p) => p.port === port.number)) {
        once(run, `svcport ${m.namespace}/${m.name} ${service} ${port.number}`, () =>
          ctx.report({
            ruleId: 'alb/service-port',
            severity: 'error',
            message: `Service ${m.namespace}/${service} has no port ${port.number}; the controller stops reconciling the group on this ("unable to find port")`,
            remediation: 'Use a port of the Service (its port, not its targetPort).',
            doc: m.doc,
            path: [...at, 'port'],
          }),
        );
      }
      const n = ctx.resolvePort(m, service, port, at);
      if (n === undefined) return undefined;
      const settings = targetGroupSettings(m, service, svc, port, paramsTargetType);
      for (const p of settings.problems) {
        const where = p.fromService && svc ? { doc: svc, path: ['metadata', 'annotations', ALB_PREFIX + p.key] } : { doc: m.doc, path: ['metadata', 'annotations', ALB_PREFIX + p.key] };
        once(run, `tg ${where.doc.position.file}:${where.doc.position.line} ${p.key}`, () =>
          ctx.report({ ruleId: 'alb/invalid-value', severity: 'error', message: `${ALB_PREFIX}${p.key}: ${p.message}${p.fromService ? ` (on Service ${m.namespace}/${service})` : ''}; the controller stops reconciling the group on this`, field: annotationField(ALB_PREFIX + p.key), ...where }),
        );
      }
      if (settings.fromIngress.has('backend-protocol-version')) mem.a.use('backend-protocol-version');
      if (run.lbc) for (const k of settings.fromIngress) mem.a.use(k);
      if (settings.protocolVersion === 'HTTP2' && !run.lbc) {
        once(run, `h2 ${m.namespace}/${service}`, () =>
          ctx.report({
            ruleId: 'alb/backend-protocol-version',
            severity: 'warning',
            message: `the ALB spoke HTTP/2 to Service ${m.namespace}/${service}; Gateway API implementations choose the backend protocol from the Service port\u2019s appProtocol`,
            remediation: 'Set appProtocol: kubernetes.io/h2c (cleartext) on the Service port, or use a BackendTLSPolicy for HTTP/2 over TLS.',
            field: annotationField(`${ALB_PREFIX}backend-protocol-version`),
            doc: svc && !settings.fromIngress.has('backend-protocol-version') ? svc : m.doc,
            path: ['metadata', 'annotations', `${ALB_PREFIX}backend-protocol-version`],
          }),
        );
      }
      const target: ServiceTarget = { kind: 'service', ref: { name: service, namespace: m.namespace, port: n }, protocolVersion: settings.protocolVersion, props: settings.props, fromIngress: settings.fromIngress };
      if (svc) target.service = svc;
      const k = `${m.namespace}/${service}`;
      let l = run.targetGroups.get(k);
      if (!l) run.targetGroups.set(k, (l = []));
      l.push({ model: m, target });
      return target;
    },
  };
  const rules: AlbRule[] = [];
  for (const r of m.rules) {
    for (const p of sortPaths(r.paths)) {
      if (p.backend.kind !== 'service') {
        rc.report({ ruleId: 'alb/resource-backend', severity: 'error', path: p.backend.path, message: `${r.host || '(any host)'} ${p.path}: the controller takes only Service backends and stops reconciling the group on a resource backend; not translated` });
        continue;
      }
      const rule = buildRule(rc, run.seq++, r.host, p, p.backend, p.at);
      if (rule) rules.push(withAuth(run, mem, rule));
    }
  }
  let fallback: AlbRule | undefined;
  if (m.defaultBackend) {
    if (m.defaultBackend.kind !== 'service') rc.report({ ruleId: 'alb/resource-backend', severity: 'error', path: m.defaultBackend.path, message: 'the controller takes only Service backends and stops reconciling the group on a resource backend; the default backend was not translated' });
    else {
      const r = buildRule(rc, run.seq++, '', undefined, m.defaultBackend, m.defaultBackend.path);
      if (r) fallback = withAuth(run, mem, r);
    }
  }
  // Families read for no backend of the Ingress had no effect.
  for (const k of Object.keys(m.annotations).sort()) {
    const fam = /^alb\.ingress\.kubernetes\.io\/((?:actions|conditions|transforms)\..+)$/.exec(k);
    if (!fam || familiesRead.has(fam[1]!)) continue;
    run.consumed.get(m)!.add(k);
    const name = fam[1]!.slice(fam[1]!.indexOf('.') + 1);
    mem.report(fam[1]!, {
      ruleId: `alb/${fam[1]!.slice(0, fam[1]!.indexOf('.'))}`,
      severity: 'info',
      message: `${k} is not used: no translated path of the Ingress has the backend ${name}${fam[1]!.startsWith('actions.') ? ` with port ${USE_ANNOTATION}` : ''}, so it has no effect here`,
    });
  }
  // The controller ignores spec.tls: HTTPS certificates come from ACM.
  m.tls.forEach((t, i) => {
    if (t.secretName) {
      ctx.report({
        ruleId: 'alb/tls-secret-ignored',
        severity: 'info',
        message: `spec.tls Secret ${t.secretName} was not used by the controller (its hosts only guide the ACM certificate discovery)${run.lbc ? '' : '; the HTTPS listeners name Secrets of their own (see alb/certificate)'}`,
        doc: m.doc,
        path: ['spec', 'tls', i, 'secretName'],
      });
    }
  });
  return { rules, fallback };
}

/** The authentication of a rule (HTTPS listeners only), for --target aws-lbc; read from the Service first when the rule forwards to one Service. */
interface AuthRule extends AlbRule {
  auth?: Record<string, unknown>;
}

function withAuth(run: Run, mem: Member, rule: AlbRule): AuthRule {
  const single = rule.action.type === 'forward' && rule.action.backends.length === 1 && rule.action.backends[0]!.kind === 'service' ? rule.action.backends[0] : undefined;
  const svcAnn = single?.kind === 'service' && single.service && isObject(single.service.object.metadata.annotations) ? (single.service.object.metadata.annotations as Record<string, string>) : {};
  const get = (k: string): string | undefined => svcAnn[ALB_PREFIX + k] ?? mem.a.get(k);
  const type = get('auth-type');
  const jwt = get('jwt-validation');
  if (type === 'none' && mem.a.has('auth-type')) mem.a.use('auth-type');
  if (!run.lbc) return rule;
  let action: Record<string, unknown> | undefined;
  const bad = (k: string, message: string) => mem.report(k, { ruleId: `alb/${k}`, severity: 'error', message: `${message}; the controller stops reconciling the group on this, so these paths were not protected by it` });
  if (type === 'cognito' || type === 'oidc') {
    const idpKey = type === 'cognito' ? 'auth-idp-cognito' : 'auth-idp-oidc';
    const raw = get(idpKey);
    const parsed = raw === undefined ? undefined : parseJson(raw);
    const idp = parsed && 'value' in parsed && isObject(parsed.value) ? parsed.value : undefined;
    if (!idp) bad(idpKey, `auth-type ${type} needs ${idpKey} as a JSON object`);
    else {
      const cfg: Record<string, unknown> = {};
      const s = (o: Record<string, Json>, k: string) => str(o, k) ?? '';
      if (type === 'cognito') {
        cfg.userPoolArn = s(idp, 'userPoolARN');
        cfg.userPoolClientId = s(idp, 'userPoolClientID');
        cfg.userPoolDomain = s(idp, 'userPoolDomain');
      } else {
        cfg.issuer = s(idp, 'issuer');
        cfg.authorizationEndpoint = s(idp, 'authorizationEndpoint');
        cfg.tokenEndpoint = s(idp, 'tokenEndpoint');
        cfg.userInfoEndpoint = s(idp, 'userInfoEndpoint');
        cfg.secret = { name: s(idp, 'secretName') };
      }
      const extra = field(idp, 'authenticationRequestExtraParams');
      if (isObject(extra) && Object.keys(extra).length) cfg.authenticationRequestExtraParams = extra;
      const scope = get('auth-scope');
      if (scope !== undefined) cfg.scope = scope;
      const onUnauth = get('auth-on-unauthenticated-request');
      if (onUnauth !== undefined) cfg.onUnauthenticatedRequest = onUnauth;
      const cookie = get('auth-session-cookie');
      if (cookie !== undefined) cfg.sessionCookieName = cookie;
      const timeout = get('auth-session-timeout');
      if (timeout !== undefined) {
        const n = parseInt32(timeout);
        if (n === undefined) bad('auth-session-timeout', `auth-session-timeout "${timeout}" is not a whole number`);
        else cfg.sessionTimeout = n;
      }
      action = type === 'cognito' ? { type: 'authenticate-cognito', authenticateCognitoConfig: cfg } : { type: 'authenticate-oidc', authenticateOIDCConfig: cfg };
      for (const k of AUTH_KEYS) mem.a.use(k);
    }
  }
  if (jwt !== undefined) {
    const parsed = parseJson(jwt);
    const o = 'value' in parsed && isObject(parsed.value) ? parsed.value : undefined;
    if (!o || !str(o, 'jwksEndpoint') || !str(o, 'issuer')) bad('jwt-validation', 'jwt-validation needs a JSON object with jwksEndpoint and issuer');
    else if (action) bad('jwt-validation', 'authentication and jwt-validation cannot both be configured');
    else {
      const cfg: Record<string, unknown> = { issuer: str(o, 'issuer'), jwksEndpoint: str(o, 'jwksEndpoint') };
      const claims = field(o, 'additionalClaims');
      if (Array.isArray(claims) && claims.length) cfg.additionalClaims = claims.filter(isObject).map((c) => ({ format: str(c, 'format') ?? '', name: str(c, 'name') ?? '', values: (field(c, 'values') as string[] | undefined) ?? [] }));
      action = { type: 'jwt-validation', jwtValidationConfig: cfg };
      mem.a.use('jwt-validation');
    }
  }
  return action ? { ...rule, auth: action } : rule;
}

/** Routes of a group: per member and hostnames, one per set of listeners that carry the same rules. */
function buildRoutes(run: Run, gatewayKey: string, members: readonly Member[], listeners: readonly Listener[], placedOn: Map<Listener, PlacedRule[]>): void {
  const { ctx } = run;
  for (const mem of members) {
    const m = mem.model;
    const slots = new Map<string, { hosts: string[]; byListener: Map<Listener, PlacedRule[]> }>();
    for (const l of listeners) {
      for (const p of placedOn.get(l) ?? []) {
        if (p.rule.model !== m) continue;
        const hk = p.rule.hosts.join(',');
        let s = slots.get(hk);
        if (!s) slots.set(hk, (s = { hosts: p.rule.hosts, byListener: new Map() }));
        let l2 = s.byListener.get(l);
        if (!l2) s.byListener.set(l, (l2 = []));
        l2.push(p);
      }
    }
    const routes: RouteIntent[] = [];
    for (const s of slots.values()) {
      const bySignature = new Map<string, { listeners: Listener[]; rules: { p: PlacedRule; lrc?: string }[] }>();
      for (const [l, placed] of s.byListener) {
        const rules = placed.flatMap((p) => (ruleUsable(run, p.rule) ? [{ p, lrc: lrcFor(run, p.rule as AuthRule, l) }] : []));
        if (rules.length === 0) continue;
        const sig = rules.map((r) => `${r.p.rule.seq}:${JSON.stringify(r.p.matches)}:${r.lrc ?? ''}`).join('|');
        let g = bySignature.get(sig);
        if (!g) bySignature.set(sig, (g = { listeners: [], rules }));
        g.listeners.push(l);
      }
      const onlyDefault = s.hosts.length === 0 && [...s.byListener.values()].every((ps) => ps.every((p) => p.rule.isDefault));
      const base = onlyDefault ? `${m.name}-default-backend` : slots.size <= 1 ? m.name : `${m.name}-${s.hosts.length ? s.hosts.map(hostSlug).join('-') : hostSlug('')}`;
      for (const g of bySignature.values()) {
        const name = bySignature.size <= 1 ? base : `${base}-${g.listeners[0]!.name}`;
        const pairs = g.rules.map((r) => ({ p: r.p, rules: ruleIntents(run, r.p, r.lrc) }));
        const route: RouteIntent = {
          kind: 'HTTPRoute',
          gatewayKey,
          namespace: m.namespace,
          name,
          hostnames: [...s.hosts],
          attach: { http: false, https: false, listeners: g.listeners.map((l) => l.name) },
          rules: pairs.flatMap((x) => x.rules),
          annotations: {},
          provenance: [provenanceOf(m, g.rules[0]!.p.rule.isDefault ? ['spec', 'defaultBackend'] : ['spec', 'rules'])],
        };
        makeGrpc(run, route, pairs);
        if (route.rules.length > 0) routes.push(route);
      }
    }
    run.routesOf.set(m, routes);
    ctx.ir.routes.push(...routes);
  }
  reportGrpcConflicts(run, listeners, members);
}

/** Whether a rule goes into the output; reports the ones that cannot, and the notes of the others. */
function ruleUsable(run: Run, rule: AlbRule): boolean {
  if (!rule.sourceIps || run.lbc) {
    once(run, `notes ${rule.seq}`, () => {
      for (const n of rule.notes) report(run, rule, n);
    });
  }
  if (rule.sourceIps && !run.lbc) {
    once(run, `sourceip ${rule.seq}`, () =>
      report(run, rule, {
        ruleId: 'alb/conditions',
        severity: 'error',
        message: `${rule.label}: only clients from ${rule.sourceIps!.join(', ')} matched this rule (a source-ip condition); standard Gateway API has no source address match, so the rule was left out rather than opened to every client (requests fall through to the other rules)`,
        remediation: 'Restrict the route by client address with your implementation\u2019s policy (or use --target aws-lbc, which keeps the condition).',
        key: `conditions.${rule.backendName}`,
      }),
    );
    return false;
  }
  return true;
}

/** The ListenerRuleConfiguration of a rule on a listener (--target aws-lbc), by name; created once per namespace and spec. */
function lrcFor(run: Run, rule: AuthRule, l: Listener): string | undefined {
  if (!run.lbc) return undefined;
  const actions: Record<string, unknown>[] = [];
  const parts: string[] = [];
  if (rule.auth && l.protocol === 'HTTPS') {
    actions.push(rule.auth);
    parts.push(rule.auth.type === 'jwt-validation' ? 'jwt' : 'auth');
  }
  const a = rule.action;
  if (a.type === 'fixed-response') {
    const cfg: Record<string, unknown> = { statusCode: a.statusCode };
    if (a.contentType) cfg.contentType = a.contentType;
    if (a.messageBody !== undefined) cfg.messageBody = a.messageBody;
    actions.push({ type: 'fixed-response', fixedResponseConfig: cfg });
    parts.push(a.missingAction ? 'missing-action' : 'fixed-response');
  } else if (a.type === 'forward' && a.stickiness && a.stickiness.enabled) {
    actions.push({ type: 'forward', forwardConfig: { targetGroupStickinessConfig: { ...a.stickiness } } });
    parts.push('stickiness');
  } else if (a.type === 'redirect' && a.alb.query !== undefined && a.alb.query !== '#{query}') {
    actions.push({ type: 'redirect', redirectConfig: { query: a.alb.query } });
    parts.push('redirect');
  }
  const spec: Record<string, unknown> = {};
  if (actions.length) spec.actions = actions;
  if (rule.sourceIps) {
    spec.conditions = [{ field: 'source-ip', sourceIPConfig: { values: rule.sourceIps } }];
    parts.push('source-ip');
  }
  if (Object.keys(spec).length === 0) return undefined;
  const tags = stringMap(rule.model.annotations[`${ALB_PREFIX}tags`] ?? '');
  if (tags && tags.size) spec.tags = Object.fromEntries([...tags].sort());
  const m = rule.model;
  const key = `${m.namespace}\u0000${JSON.stringify(spec)}`;
  const known = run.lrcBySpec.get(key);
  if (known) return known;
  const name = run.lrcNames.claim(LRC_KIND, m.namespace, `${m.name}-${parts.join('-')}`);
  run.lrcBySpec.set(key, name);
  const intent: AwsLbcObjectIntent = { target: 'aws-lbc', kind: LRC_KIND, namespace: m.namespace, name, spec, provenance: [provenanceOf(m, rule.at)] };
  run.ctx.ir.policies.push(intent);
  return name;
}

/**
 * A placed rule as route rules: one, or one per match when it rewrites a prefix (Gateway API
 * allows ReplacePrefixMatch only on a rule with one PathPrefix match; the matches keep their
 * precedence as separate rules).
 */
function ruleIntents(run: Run, p: PlacedRule, lrc: string | undefined): RuleIntent[] {
  const rule = ruleIntent(run, p, lrc);
  const prefixRewrite = rule.filters.some((f) => f.type === 'URLRewrite' && (f.urlRewrite as { path?: { type?: string } }).path?.type === 'ReplacePrefixMatch');
  if (!prefixRewrite || rule.matches.length <= 1) return [rule];
  return rule.matches.map((m) => ({ ...structuredClone(rule), matches: [m] }));
}

/** A placed rule as a route rule. */
function ruleIntent(run: Run, p: PlacedRule, lrc: string | undefined): RuleIntent {
  const r = p.rule;
  const out: RuleIntent = { matches: p.matches.map((m) => structuredClone(m)), backends: [], filters: [], provenance: [provenanceOf(r.model, r.at)] };
  const a = r.action;
  if (a.type === 'forward') {
    for (const b of a.backends) {
      if (b.kind === 'service') out.backends.push({ ...b.ref });
      else if (run.lbc) {
        const name = b.name || targetGroupNameOfArn(b.arn);
        if (name && !b.name) {
          once(run, `tgname ${r.seq} ${b.arn}`, () =>
            report(run, r, { ruleId: 'alb/actions', severity: 'info', message: `${r.label}: target group ${b.arn} became a TargetGroupName backendRef "${name}": the controller’s Gateway support names target groups outside the cluster by name`, key: `actions.${r.backendName}` }),
          );
        }
        if (name) {
          const ref: BackendRef = { group: '', kind: 'TargetGroupName', name, namespace: r.model.namespace };
          if (b.weight !== undefined) ref.weight = b.weight;
          out.backends.push(ref);
        } else once(run, `tgarn ${r.seq}`, () => report(run, r, { ruleId: 'alb/actions', severity: 'error', message: `${r.label}: target group ${b.arn} is not an ARN with a target group name; the rule has no backend for it`, key: `actions.${r.backendName}` }));
      }
    }
    const external = a.backends.filter((b) => b.kind === 'target-group');
    if (external.length && !run.lbc) {
      once(run, `tg ${r.seq}`, () =>
        report(run, r, {
          ruleId: 'alb/actions',
          severity: 'warning',
          message: `${r.label}: the ALB forwarded ${external.length === a.backends.length ? '' : 'part of '}the requests to target group${external.length > 1 ? 's' : ''} outside the cluster (${external.map((b) => b.arn || b.name).join(', ')}), which a Gateway API backendRef cannot name; ${external.length === a.backends.length ? 'the rule has no backend and answers 404' : 'only the Services keep their weights'}`,
          remediation: 'Point the route at a Service for those targets (an ExternalName Service or one with Endpoints), or use --target aws-lbc, which names target groups by TargetGroupName backendRefs.',
          key: `actions.${r.backendName}`,
        }),
      );
    }
    if (a.stickiness?.enabled && !run.lbc) {
      once(run, `sticky ${r.seq}`, () => report(run, r, { ruleId: 'alb/actions', severity: 'warning', message: `${r.label}: the ALB kept clients on one target group (stickiness of the forward action); Gateway API weights have no stickiness, so clients may switch between the weighted Services`, key: `actions.${r.backendName}` }));
    }
  } else if (a.type === 'redirect') {
    out.filters.push(structuredClone(a.filter));
  } else if (!run.lbc && !a.missingAction) {
    once(run, `fixed ${r.seq}`, () =>
      report(run, r, {
        ruleId: 'alb/actions',
        severity: a.statusCode === 404 ? 'info' : 'warning',
        message: `${r.label}: the ALB answered ${a.statusCode}${a.messageBody ? ` "${a.messageBody}"` : ''} itself (a fixed response); Gateway API has no fixed responses: the rule has no backend${a.statusCode === 404 ? ', and answers 404 too (without that body)' : ', so it answers 404'}`,
        remediation: 'Serve the response from a small backend, use your implementation\u2019s direct-response feature, or use --target aws-lbc, which keeps the fixed response in a ListenerRuleConfiguration.',
        key: `actions.${r.backendName}`,
      }),
    );
  }
  out.filters.push(...r.rewrites.map((f) => structuredClone(f)));
  if (lrc) out.filters.push({ type: 'ExtensionRef', extensionRef: { group: AWS_LBC_GROUP, kind: LRC_KIND, name: lrc } });
  return out;
}

/**
 * A route whose rules all forward to gRPC target groups (backend-protocol-version GRPC) is a
 * GRPCRoute: gRPC calls are POST /<package.Service>/<Method>, so `/` takes every call,
 * PathPrefix /<package.Service> a service and Exact /<package.Service>/<Method> one method.
 */
function makeGrpc(run: Run, route: RouteIntent, pairs: { p: PlacedRule; rules: RuleIntent[] }[]): void {
  const grpc = (p: PlacedRule) => p.rule.action.type === 'forward' && p.rule.action.backends.length > 0 && p.rule.action.backends.every((b) => b.kind === 'service' && b.protocolVersion === 'GRPC');
  const placed = pairs.map((x) => x.p);
  const some = placed.filter(grpc);
  if (some.length === 0) return;
  if (some.length < placed.length) {
    once(run, `grpcmix ${route.namespace}/${route.name}`, () =>
      report(run, some[0]!.rule, {
        ruleId: 'alb/grpc-route',
        severity: 'warning',
        message: `${some.map((p) => p.rule.label).join('; ')}: the ALB forwarded gRPC (backend-protocol-version GRPC), but the host also has rules that are not gRPC, so it stays an HTTPRoute, whose implementation must speak HTTP/2 to the gRPC Services`,
        remediation: 'Set appProtocol: kubernetes.io/h2c on the Service ports, or move the gRPC paths to an Ingress (host) of their own.',
      }),
    );
    return;
  }
  const rules: RuleIntent[] = [];
  pairs.flatMap((x) => x.rules.map((r) => ({ r, p: x.p }))).forEach(({ r, p }) => {
    const dropped: string[] = [];
    for (const mm of r.matches) {
      const path = mm.path ?? { type: 'PathPrefix', value: '/' };
      const segs = path.value.split('/').filter(Boolean);
      let method: RuleIntent['grpcMethod'] | undefined;
      if (mm.headers?.length || mm.queryParams?.length || mm.method) dropped.push(`${path.value} with header, query or method conditions`);
      else if (path.type === 'PathPrefix' && segs.length === 0) method = {};
      else if (path.type === 'PathPrefix' && segs.length === 1 && GRPC_SERVICE.test(segs[0]!)) method = { service: segs[0]! };
      else if (path.type === 'Exact' && segs.length === 2 && GRPC_SERVICE.test(segs[0]!) && GRPC_METHOD.test(segs[1]!)) method = { service: segs[0]!, method: segs[1]! };
      else dropped.push(`${path.value} (${path.type})`);
      if (method) {
        const g: RuleIntent = { ...r, matches: [mm], grpcMethod: method, filters: r.filters.filter((f) => f.type === 'ExtensionRef') };
        if (!method.service) delete g.grpcMethod;
        rules.push(g);
      }
    }
    if (dropped.length) {
      once(run, `grpcpath ${p.rule.seq}`, () =>
        report(run, p.rule, {
          ruleId: 'alb/grpc-route',
          severity: 'warning',
          message: `${p.rule.label}: with backend-protocol-version GRPC the route is a GRPCRoute, and ${dropped.join(', ')} is not a gRPC service or method path (/package.Service or /package.Service/Method) without other conditions; not translated`,
        }),
      );
    }
    if (r.filters.some((f) => f.type !== 'ExtensionRef')) once(run, `grpcfilter ${p.rule.seq}`, () => report(run, p.rule, { ruleId: 'alb/grpc-route', severity: 'warning', message: `${p.rule.label}: GRPCRoute has no URLRewrite filter; the rewrite was left out` }));
  });
  route.kind = 'GRPCRoute';
  route.rules = rules;
}

/** Gateway API accepts only one of an HTTPRoute and a GRPCRoute with common hostnames on a listener. */
function reportGrpcConflicts(run: Run, listeners: readonly Listener[], members: readonly Member[]): void {
  const routes = members.flatMap((m) => run.routesOf.get(m.model) ?? []);
  for (const l of listeners) {
    const on = routes.filter((r) => r.attach.listeners?.includes(l.name));
    const grpc = on.filter((r) => r.kind === 'GRPCRoute');
    const http = on.filter((r) => r.kind === 'HTTPRoute');
    for (const g of grpc) {
      for (const h of http) {
        const common = g.hostnames.length === 0 || h.hostnames.length === 0 || g.hostnames.some((x) => h.hostnames.some((y) => x === y || (x.startsWith('*.') && y.endsWith(x.slice(1))) || (y.startsWith('*.') && x.endsWith(y.slice(1)))));
        if (!common) continue;
        const owner = members.find((m) => run.routesOf.get(m.model)?.includes(g))!.model;
        once(run, `grpcconflict ${g.namespace}/${g.name} ${h.namespace}/${h.name}`, () =>
          run.ctx.report({
            ruleId: 'alb/grpc-route',
            severity: 'warning',
            message: `GRPCRoute ${g.namespace}/${g.name} and HTTPRoute ${h.namespace}/${h.name} share hostnames on listener ${l.name}; Gateway API accepts only one of them there (the older, then the alphabetically first), while the ALB served both`,
            remediation: 'Give the gRPC Services hostnames of their own, or keep them in the HTTPRoute with appProtocol kubernetes.io/h2c on their ports.',
            doc: owner.doc,
            path: ['spec', 'rules'],
          }),
        );
      }
    }
  }
}

/** One TargetGroupConfiguration per Service: the first Ingress's settings by default, the others per route. */
function targetGroupConfigurations(run: Run): void {
  for (const [key, uses] of [...run.targetGroups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [namespace, service] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const first = uses[0]!;
    const same = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(a) === JSON.stringify(b);
    const intent: AwsLbcObjectIntent = {
      target: 'aws-lbc',
      kind: 'TargetGroupConfiguration',
      namespace,
      name: service,
      spec: { targetReference: { name: service }, defaultConfiguration: first.target.props },
      provenance: [...new Set(uses.map((u) => u.model))].map((m) => provenanceOf(m)),
    };
    const perRoute = new Map<string, { routes: RouteIntent[]; props: Record<string, unknown> }>();
    for (const u of uses) {
      if (same(u.target.props, first.target.props)) continue;
      const routes = (run.routesOf.get(u.model) ?? []).filter((r) => r.rules.some((x) => x.backends.some((b) => b.name === service && (b.kind === undefined || b.kind === 'Service'))));
      const k = JSON.stringify(u.target.props);
      let pr = perRoute.get(k);
      if (!pr) perRoute.set(k, (pr = { routes: [], props: u.target.props }));
      for (const r of routes) if (!pr.routes.includes(r)) pr.routes.push(r);
    }
    if (perRoute.size) intent.routeConfigurations = [...perRoute.values()];
    run.ctx.ir.policies.push(intent);
  }
}

/** IngressClassParams settings that only the controller's configuration objects can hold. */
function reportClassParams(run: Run, members: readonly Member[]): void {
  const HANDLED = new Set(['group', 'certificateArn', 'sslRedirectPort', 'targetType']);
  const LBC_HANDLED = new Set(['scheme', 'ipAddressType', 'loadBalancerName', 'inboundCIDRs', 'sslPolicy', 'tags', 'loadBalancerAttributes', 'prefixListsIDs', 'PrefixListsIDs', 'wafv2AclArn', 'minimumLoadBalancerCapacity', 'ipamConfiguration']);
  for (const mem of members) {
    const params = classParams(mem.model, run.ctx.input);
    if (!params) continue;
    const left = Object.keys(params.spec).filter((k) => !HANDLED.has(k) && !(run.lbc && LBC_HANDLED.has(k)) && !(run.lbc && k === 'subnets' && isObject(params.spec.subnets) && !params.spec.subnets.tags));
    if (left.length === 0) continue;
    once(run, `icp ${params.doc.position.file}:${params.doc.position.line}`, () =>
      run.ctx.report({
        ruleId: 'alb/ingress-class-params',
        severity: 'warning',
        message: `IngressClassParams ${params.doc.object.metadata.name} sets ${left.sort().join(', ')} for the load balancers of its class; ${run.lbc ? 'these have no LoadBalancerConfiguration field gateway-shift fills' : 'standard Gateway API has no field for them'}, so they were not translated`,
        remediation: run.lbc ? 'Set the equivalent fields of the LoadBalancerConfiguration by hand (see the controller\u2019s LoadBalancerConfiguration guide).' : 'Configure them in your Gateway implementation, or use --target aws-lbc.',
        doc: params.doc,
        path: ['spec'],
      }),
    );
  }
}

/**
 * alb.ingress.kubernetes.io/* target group annotations on the Services of ALB Ingresses: the
 * controller read them (before the Ingress's); under standard Gateway API they are reported.
 */
function reportServiceAnnotations(run: Run): void {
  if (run.lbc) return;
  const seen = new Set<SourceDocument>();
  for (const uses of run.targetGroups.values()) {
    for (const u of uses) {
      const svc = u.target.service;
      if (!svc || seen.has(svc)) continue;
      seen.add(svc);
      const ann = isObject(svc.object.metadata.annotations) ? (svc.object.metadata.annotations as Record<string, unknown>) : {};
      for (const k of Object.keys(ann).sort()) {
        if (!k.startsWith(ALB_PREFIX)) continue;
        const suffix = k.slice(ALB_PREFIX.length);
        if (suffix === 'backend-protocol-version') continue;
        const entry = ruleFor(ALB_RULES, k);
        const read = (TARGET_GROUP_KEYS as readonly string[]).includes(suffix) || suffix.startsWith('target-control-port.') || AUTH_KEYS.includes(suffix) || suffix === 'tags';
        run.ctx.report({
          ruleId: entry?.id ?? 'alb/unknown-annotation',
          severity: entry?.protects ? 'error' : 'warning',
          message: read
            ? `${k}="${String(ann[k])}" on Service ${svc.object.metadata.namespace ?? 'default'}/${svc.object.metadata.name} configured the ALB for the Ingresses that use the Service; ${(entry?.gatewayApi ?? 'no Gateway API equivalent').replace(/\.$/, '')}${entry?.targets?.['aws-lbc'] ? `; with --target aws-lbc: ${entry.targets['aws-lbc'].result}` : ''}`
            : `${k} on Service ${svc.object.metadata.namespace ?? 'default'}/${svc.object.metadata.name} is not read from Services by the controller; it had no effect`,
          field: annotationField(k),
          doc: svc,
          path: ['metadata', 'annotations', k],
        });
      }
    }
  }
}

/** Under --target aws-lbc the provider consumes these keys, so it checks their values itself. */
function checkValues(mem: Member, keys: readonly string[]): void {
  for (const k of keys) {
    const v = mem.a.get(k);
    if (v === undefined) continue;
    const bad = ruleFor(ALB_RULES, ALB_PREFIX + k)?.validateValue?.(v);
    if (bad) mem.report(k, { ruleId: 'alb/invalid-value', severity: 'error', message: `${k}="${v}" is not a valid value (${bad}); the controller stops reconciling the group on this; it was not used` });
  }
}

function report(run: Run, rule: AlbRule, f: { ruleId: string; severity: 'error' | 'warning' | 'info'; message: string; remediation?: string; key?: string }): void {
  const finding: Parameters<ProviderContext['report']>[0] = { ruleId: f.ruleId, severity: f.severity, message: f.message, doc: rule.model.doc, path: f.key ? ['metadata', 'annotations', ALB_PREFIX + f.key] : (rule.at as FieldPath) };
  if (f.key) finding.field = annotationField(ALB_PREFIX + f.key);
  if (f.remediation) finding.remediation = f.remediation;
  run.ctx.report(finding);
}

function once(run: Run, key: string, f: () => void): void {
  if (run.said.has(key)) return;
  run.said.add(key);
  f();
}
