/**
 * Traefik (v3.7.9) as a Kubernetes Ingress controller: its Ingresses, entry points, path matching,
 * router priorities, Middleware objects and service annotations. Sources and line references:
 * docs/research/traefik.md.
 */
import type { SourceDocument } from '../../inputs/document.js';
import type { PathMatch, RouteIntent, RuleIntent } from '../../ir/types.js';
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { inControllerOrder, translateIngresses } from '../common/ingress-translator.js';
import { annotationField, fieldText, provenanceOf } from '../common/translate.js';
import type { ObjectRef } from '../../findings/finding.js';
import { refOf, type Provider, type ProviderContext } from '../types.js';
import { evaluateChain, type Listener, type StepFinding } from './chain.js';
import { chooseListeners, DEFAULT_ENTRY_POINTS, type ListenerChoice } from './entrypoints.js';
import { readRouterSettings, type RouterSettings } from './labels.js';
import { indexMiddlewares, TRAEFIK_CRD_GROUPS, normalizeName, resolveMiddlewares, type Step } from './middlewares.js';
import { defaultPriority, gatewayMatch, matcherFor, priorityDifferences, routerRule, type RouterEntry } from './paths.js';
import { findTraefikRule, TRAEFIK_PREFIX, TRAEFIK_RULES } from './rules.js';
import { implicitHttps, readServiceInfo, type ServiceInfo } from './services.js';

const HTTP: Listener = { scheme: 'http', port: 80 };
const HTTPS: Listener = { scheme: 'https', port: 443 };

/** Traefik's priority of the default-backend router (kubernetes.go L325: math.MinInt32). */
const DEFAULT_ROUTER_PRIORITY = -2147483648;

interface Plan {
  model: IngressModel;
  settings: RouterSettings;
  /** Annotation key of each decoded field (`router.tls`, `router.entrypoints`...). */
  keys: Map<string, string>;
  consumed: Set<string>;
  listeners: ListenerChoice;
  steps: Step[];
}

type Severity = 'error' | 'warning' | 'info';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const traefik: Provider = {
  id: 'traefik',
  displayName: 'Traefik',
  annotationPrefixes: [TRAEFIK_PREFIX],
  controllers: ['traefik.io/ingress-controller'],
  classNames: ['traefik'],
  rules: TRAEFIK_RULES,
  findRule: findTraefikRule,
  inputKinds: [
    { groups: TRAEFIK_CRD_GROUPS, kind: 'Middleware' },
    { groups: TRAEFIK_CRD_GROUPS, kind: 'TLSOption' },
    { groups: TRAEFIK_CRD_GROUPS, kind: 'TLSStore' },
  ],
  untranslatedKinds: [
    { groups: TRAEFIK_CRD_GROUPS, kind: 'IngressRoute', what: 'a Traefik HTTP route' },
    { groups: TRAEFIK_CRD_GROUPS, kind: 'IngressRouteTCP', what: 'a Traefik TCP route' },
    { groups: TRAEFIK_CRD_GROUPS, kind: 'IngressRouteUDP', what: 'a Traefik UDP route' },
    { groups: TRAEFIK_CRD_GROUPS, kind: 'TraefikService', what: 'a Traefik weighted, mirroring or failover service of IngressRoutes' },
  ],
  translate(ctx, ingresses) {
    const entryPoints = ctx.options.traefikEntryPoints?.length ? ctx.options.traefikEntryPoints : DEFAULT_ENTRY_POINTS;
    const middlewares = indexMiddlewares(ctx.objects('Middleware'));
    const consumedOf = new Map<IngressModel, Set<string>>(ingresses.map((m) => [m, new Set<string>()]));
    const plans = new Map<IngressModel, Plan>();

    const atKey = (m: IngressModel, key: string, ruleId: string, severity: Severity, message: string, remediation?: string) => {
      const f: Parameters<ProviderContext['report']>[0] = { ruleId, severity, message, field: annotationField(key), doc: m.doc, path: ['metadata', 'annotations', key] };
      if (remediation) f.remediation = remediation;
      ctx.report(f);
    };
    /**
     * Each path of an Ingress that Traefik did not serve at all gets a finding of its own; its
     * translated keys have nothing to be applied to (the others keep their own findings).
     */
    const notServed = (m: IngressModel, why: string, severity: Severity = 'info') => {
      for (const r of m.rules) for (const p of r.paths) ctx.report({ ruleId: 'traefik/path-not-served', severity, message: `${p.host || '(any host)'} ${p.path} was not translated: ${why}`, doc: m.doc, path: p.at });
      for (const k of Object.keys(m.annotations)) {
        const rule = findTraefikRule(k);
        if (rule && (rule.status === 'translated' || rule.status === 'partial')) consumedOf.get(m)!.add(k);
      }
    };
    const reported = new Set<string>();
    const stepFinding = (sf: StepFinding) => {
      const k = `${sf.step.mw.id}|${sf.ruleId}|${sf.message}`;
      if (reported.has(k)) return;
      reported.add(k);
      const f: Parameters<ProviderContext['report']>[0] = { ruleId: sf.ruleId, severity: sf.severity, message: sf.message, doc: sf.step.mw.doc, path: ['spec', sf.step.kind] };
      if (sf.remediation) f.remediation = sf.remediation;
      ctx.report(f);
    };

    // 1. Each Ingress's router annotations, as Traefik decodes them.
    const defaultBackendOwner = new Map<string, IngressModel>();
    for (const m of inControllerOrder(ingresses)) {
      const consumed = consumedOf.get(m)!;
      for (const key of Object.keys(m.annotations).sort()) {
        if (key.startsWith(TRAEFIK_PREFIX) && /^service\./i.test(key.slice(TRAEFIK_PREFIX.length))) {
          consumed.add(key);
          atKey(m, key, 'traefik/service-annotation-on-ingress', 'warning', `${key} has no effect on an Ingress: Traefik reads service.* annotations from the Service the path points to`, 'Move the annotation to the Service.');
        }
      }
      const { settings, error, keys } = readRouterSettings(m.annotations);
      if (error) {
        atKey(m, error.key, 'traefik/ingress-skipped', 'warning', `Traefik refused the annotations of this Ingress (${error.key}: ${error.message}) and served none of its paths ("Failed to parse annotations"), so it was not translated`, 'Fix or remove the annotation; then convert again.');
        notServed(m, `Traefik refused the annotations of the Ingress (${error.key})`);
        continue;
      }
      const s = settings ?? {};
      if (m.rules.length === 0 && m.defaultBackend) {
        const gw = ctx.gatewayKeyFor(m);
        const owner = defaultBackendOwner.get(gw);
        if (owner) {
          ctx.report({ ruleId: 'traefik/default-backend-conflict', severity: 'warning', message: `Traefik has one global default backend, already defined by Ingress ${owner.namespace}/${owner.name} ("The default backend already exists"); this one was ignored and not translated`, doc: m.doc, path: ['spec', 'defaultBackend'] });
          continue;
        }
        defaultBackendOwner.set(gw, m);
      } else if (m.defaultBackend) {
        ctx.report({ ruleId: 'traefik/default-backend-ignored', severity: 'info', message: 'Traefik uses spec.defaultBackend only on an Ingress without rules; on this one it had no effect and was not translated', doc: m.doc, path: [...m.defaultBackend.path.slice(0, 2)] });
      }
      const listeners = chooseListeners(entryPoints, s.entryPoints, s.tls !== undefined);
      const plan: Plan = { model: m, settings: s, keys, consumed, listeners, steps: [] };
      if (s.middlewares) {
        const key = keys.get('router.middlewares')!;
        consumed.add(key);
        const res = resolveMiddlewares(s.middlewares, middlewares);
        if (res.broken.length) {
          atKey(m, key, 'traefik/middleware-broken', 'error', `Traefik could not build the middlewares of this Ingress's routers (${res.broken.map((b) => b.why).join('; ')}), so it served none of its paths; they were not translated`, 'Fix the middleware references (`<namespace>-<name>@kubernetescrd`).');
          notServed(m, 'Traefik could not build the middlewares of its routers (traefik/middleware-broken)');
          continue;
        }
        for (const ref of [...new Set(res.missing)]) {
          const from = ref.endsWith('@kubernetescrd') ? 'is not in the input' : `comes from Traefik's ${ref.slice(ref.lastIndexOf('@') + 1)} provider, not from the input`;
          atKey(m, key, 'traefik/middleware-missing', 'error', `the middleware ${ref} ${from}, so what it did (authentication? a rewrite? headers?) is not in the output`, 'Add the Middleware object to the input (or configure its effect by hand) and convert again.');
        }
        for (const x of res.crossNamespace) {
          stepFinding({ step: { mw: x.chain, kind: 'chain', config: {} }, ruleId: 'traefik/middleware-cross-namespace', severity: 'info', message: `Middleware ${x.chain.namespace}/${x.chain.name} (chain) refers to ${x.ref} in another namespace, which Traefik allows only with allowCrossNamespace; it was translated as if that was set` });
        }
        plan.steps = res.steps;
      }
      plans.set(m, plan);
      assumeTlsHosts(ctx, m);
      reportRouterSettings(ctx, plan, atKey, entryPoints.map((e) => `${e.name}=${e.protocol}:${e.port}`).join(', '));
      if (!listeners.http && !listeners.https) notServed(m, listeners.otherPorts.length || listeners.tlsOnHttp.length ? 'its routers were served only on entry points that have no listener here (see the router.entrypoints findings)' : 'none of its entry points exists');
    }

    // 2. Services (on first use): their annotations and middlewares.
    const services = new Map<string, ServiceInfo>();
    const serviceOf = (ns: string, name: string): ServiceInfo => {
      const k = `${ns}/${name}`;
      let s = services.get(k);
      if (!s) services.set(k, (s = readServiceInfo(ctx, ns, name, middlewares)));
      return s;
    };

    // 3. Paths, routes, listeners and middlewares.
    const primaries = [...plans.keys()];
    // The matches the Ingress paths make, per Gateway and host: a rule split off by a middleware
    // (a stripPrefix under a prefix) is left out where another path of the host has that match,
    // since Traefik sent those requests to that path's own (longer) router.
    const matchKey = (gw: string, host: string, mt: PathMatch) => `${gw} ${host} ${mt.type} ${mt.type === 'PathPrefix' ? mt.value.replace(/\/+$/, '') || '/' : mt.value}`;
    const pathMatches = new Set<string>();
    for (const plan of plans.values()) {
      const gw = ctx.gatewayKeyFor(plan.model);
      for (const r of plan.model.rules) {
        for (const p of r.paths) {
          const matcher = matcherFor(p, plan.settings.pathMatcher);
          const gm = typeof matcher === 'string' ? gatewayMatch(matcher, p.path) : undefined;
          // Per listener: a router on another entry point does not take these requests (found by verify).
          if (gm && 'type' in gm) for (const sch of ['http', 'https'] as const) if (plan.listeners[sch]) pathMatches.add(`${sch} ${matchKey(gw, p.host, gm)}`);
        }
      }
    }
    const defaultCert = defaultCertificate(ctx);
    const defaultCertUsed = new Set<string>();
    const noCertReported = new Set<string>();
    const tlsBackendReported = new Set<string>();
    translateIngresses(ctx, primaries, {
      id: 'traefik',
      mapPath: (c, m, p) => mapPath(c, plans.get(m)!, p, serviceOf),
      redirectsToHttps: () => false,
      httpsRedirectCode: 308,
      exemptAcmeChallenge: false,
      hostIsolation: false,
      defaultBackend: 'catch-all-only',
      // A '/' router takes the default router's requests only on the entry points it is on
      // (found by verify: a websecure-only '/' hid the default backend of web).
      defaultBackendShadowedBy: (owner, m) => {
        const a = plans.get(owner)?.listeners;
        const b = plans.get(m)?.listeners;
        return !a || !b || ((a.http || !b.http) && (a.https || !b.https));
      },
      duplicatePaths: 'unordered',
      decorateRoute: (c, m, route, host) => {
        const plan = plans.get(m)!;
        const hostName = route.hostnames[0] ?? '';
        let { http, https } = plan.listeners;
        if (https && hostName === '') {
          https = false;
          if (!noCertReported.has(`${m.namespace}/${m.name} `)) {
            noCertReported.add(`${m.namespace}/${m.name} `);
            for (const pos of http ? [route.provenance[0]?.position] : route.rules.map((r) => r.provenance[0]?.position)) {
              c.report({ ruleId: 'traefik/https-without-host', severity: http ? 'warning' : 'error', message: `Traefik served the host-less paths of this Ingress over HTTPS too (any SNI, with a certificate of its store or its default one); a Gateway API HTTPS listener needs a hostname and a certificate, so they are served ${http ? 'on HTTP only' : 'nowhere'}`, remediation: 'Give the rule a host and a certificate (spec.tls), or add an HTTPS listener for the names it served.', doc: m.doc, ...(pos ? { position: pos } : {}) });
            }
          }
        } else if (https && !host.tls && defaultCert) {
          // Traefik answered names without a certificate of their own with the default store's.
          const gw = ctx.gatewayKeyFor(m);
          if (!defaultCertUsed.has(`${gw} ${hostName}`)) {
            defaultCertUsed.add(`${gw} ${hostName}`);
            ctx.ir.tls.push({ gatewayKey: gw, hostname: hostName, secret: { namespace: defaultCert.namespace, name: defaultCert.secret }, provenance: [{ object: defaultCert.ref }] });
            c.report({
              ruleId: 'traefik/default-certificate',
              severity: 'info',
              message: `no spec.tls Secret covers ${hostName}, so Traefik served it with the default certificate of TLSStore ${defaultCert.namespace}/default; its HTTPS listener uses that Secret (${defaultCert.namespace}/${defaultCert.secret})`,
              doc: m.doc,
              path: ['spec', 'rules'],
            });
          }
        } else if (https && !host.tls) {
          https = false;
          const k = `${m.namespace}/${m.name} ${hostName}`;
          if (!noCertReported.has(k)) {
            noCertReported.add(k);
            const resolver = plan.settings.tls?.certResolver;
            for (const pos of http ? [route.provenance[0]?.position] : route.rules.map((r) => r.provenance[0]?.position)) {
              c.report({
                ruleId: 'traefik/no-certificate',
                severity: http ? 'warning' : 'error',
                message: `Traefik served ${hostName} over HTTPS (entry point ${httpsEntryPoints(plan, entryPoints)}) with ${resolver ? `a certificate from the ACME resolver "${resolver}"` : 'a certificate of its store or its default certificate'}; no Secret in the input's spec.tls covers ${hostName}, so there is no HTTPS listener for it and ${http ? 'its paths are served on HTTP only' : 'this path is served nowhere'}`,
                remediation: `Put the certificate of ${hostName} in a Secret (cert-manager can issue it) and list it in the Ingress spec.tls, or define a TLSStore default certificate, then convert again.`,
                doc: m.doc,
                ...(pos ? { position: pos } : {}),
              });
            }
          }
        }
        route.attach = { http, https };
        const evalFor = (listener: Listener): RuleIntent[] =>
          route.rules.flatMap((rule) => {
            const match = rule.matches[0]?.path;
            if (!match) return [rule];
            const backend = rule.backends[0];
            const svc = backend ? serviceOf(backend.namespace, backend.name) : undefined;
            const steps = [...plan.steps, ...(svc?.steps ?? [])];
            const written = backendOf(m, rule);
            const backendPort = written?.port;
            if (svc && backendPort && implicitHttps(svc, backendPort) && !tlsBackendReported.has(`${svc.namespace}/${svc.name}`)) {
              tlsBackendReported.add(`${svc.namespace}/${svc.name}`);
              c.report({
                ruleId: 'traefik/backend-tls',
                severity: 'warning',
                message: `Traefik connected to Service ${svc.namespace}/${svc.name} with TLS, because its port is 443 or named https*; Gateway API connects in plain HTTP unless a BackendTLSPolicy says otherwise, and none was generated`,
                remediation: `Create a BackendTLSPolicy for Service ${svc.namespace}/${svc.name} (the CA or wellKnownCACertificates: System, and the hostname in its certificate), or serve plain HTTP on another port.`,
                doc: m.doc,
                path: written?.at ?? [],
              });
            }
            const hostKey = route.hostnames[0] ?? '';
            const all = evaluateChain(match, { listener, hosts: route.hostnames, steps, finding: stepFinding });
            // A split whose match another path of the host has is left out, with the rules split
            // off it in turn (found by verify).
            const mk = (m: PathMatch) => `${m.type} ${m.value}`;
            const dropped = new Set<string>();
            for (const e of all) if (e.splitFrom && (dropped.has(mk(e.splitFrom)) || pathMatches.has(`${listener.scheme} ${matchKey(route.gatewayKey, hostKey, e.match)}`))) dropped.add(mk(e.match));
            const evaluated = all.filter((e) => !dropped.has(mk(e.match)) || !e.splitFrom);
            // Reported even where another path of the host has the split's match: that path's
            // router does not take the paths that only start with the prefix as a string either.
            for (const e of all) {
              if (!e.stringPrefix) continue;
              const { step, prefix } = e.stringPrefix;
              stepFinding({ step, ruleId: 'traefik/prefix-match', severity: 'info', message: `Middleware ${step.mw.namespace}/${step.mw.name} (${step.kind}): Traefik stripped ${prefix} from every path that starts with it as a string (${prefix}x... too); the rule split off for it is the Gateway API PathPrefix ${e.match.value}, which matches whole segments, so such paths now reach the rule of ${match.value} unstripped`, remediation: 'If such paths were stripped on purpose, add a rule for them by hand.' });
            }
            return evaluated.map((e): RuleIntent => {
              const r: RuleIntent = { matches: [{ path: e.match }], backends: e.redirect ? [] : rule.backends.map((b) => ({ ...b })), filters: e.filters, provenance: rule.provenance };
              const sp = svc?.sessionPersistence && backendPort && !e.redirect ? svc.sessionPersistence(backendPort) : undefined;
              if (sp) r.sessionPersistence = sp;
              return r;
            });
          });
        if (!http && !https) {
          evalFor(HTTPS); // for the findings about its middlewares, which apply once it is served
          route.rules = [];
          return undefined;
        }
        const redirect = plan.listeners.httpRedirect;
        const httpRules = !http
          ? undefined
          : redirect
            ? route.rules.map((r): RuleIntent => ({
                matches: r.matches,
                backends: [],
                filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', ...(redirect.to.port !== 443 ? { port: redirect.to.port } : {}), statusCode: 308 } }],
                provenance: r.provenance,
              }))
            : evalFor(HTTP);
        const httpsRules = https ? evalFor(HTTPS) : undefined;
        if (httpRules && httpsRules && !sameRules(httpRules, httpsRules)) {
          route.rules = httpsRules;
          route.attach = { http: false, https: true };
          const twin: RouteIntent = { ...route, name: `${route.name}-http`, attach: { http: true, https: false }, rules: httpRules, annotations: { ...route.annotations } };
          // Only redirects to HTTPS: the HTTP side of an HTTPS route (an existing Gateway given
          // with --parent-ref must provide it, as for the other providers' redirects).
          const toHttps = (r: RuleIntent) => r.backends.length === 0 && r.filters.some((f) => f.type === 'RequestRedirect' && (f.requestRedirect as { scheme?: string }).scheme === 'https');
          if (httpRules.every(toHttps)) twin.httpsRedirectFor = route.name;
          return [twin];
        }
        route.rules = httpsRules ?? httpRules ?? [];
        return undefined;
      },
    });

    // 4. Where Traefik's priorities chose another rule than Gateway API's precedence will.
    reportPriorities(ctx, [...plans.values()], atKey);

    // 5. An HTTP entry point that redirects (http.redirections.entryPoint) answers every request
    //    with the redirect, whatever its host and path (its router is HostRegexp(`^.+$`) with
    //    priority MaxInt-1, pkg/provider/traefik/internal.go redirection): a host-less catch-all
    //    redirect on the HTTP listener of each Gateway, behind the routes' own redirect rules.
    addEntryPointRedirects(ctx, entryPoints, [...plans.keys()]);

    // 6. A wildcard router also answered the names it covers whose own routers did not match
    //    (no host isolation in Traefik). Over HTTPS such a name with a certificate of its own has a
    //    listener of its own on the Gateway, which the wildcard route is not attached to.
    reportWildcardsBehindHttpsListeners(ctx, [...plans.keys()].filter((m) => plans.get(m)!.listeners.https));

    return consumedOf;
  },
};

/** `models`: the Ingresses whose routers Traefik served over TLS. */
function reportWildcardsBehindHttpsListeners(ctx: ProviderContext, models: readonly IngressModel[]): void {
  const mine = new Set(models.map((m) => `${m.namespace}/${m.name}`));
  for (const r of ctx.ir.routes) {
    const w = r.hostnames[0];
    if (!w?.startsWith('*.') || r.kind !== 'HTTPRoute') continue;
    const p = r.provenance[0];
    if (!p || !mine.has(`${p.object.namespace}/${p.object.name}`)) continue;
    const covered = [...new Set(ctx.ir.tls.filter((t) => t.gatewayKey === r.gatewayKey && t.hostname !== w && t.hostname.endsWith(w.slice(1)) && !t.hostname.slice(0, -w.length + 1).includes('.')).map((t) => t.hostname))].sort();
    if (covered.length === 0) continue;
    const model = models.find((m) => m.namespace === p.object.namespace && m.name === p.object.name)!;
    ctx.report({
      ruleId: 'traefik/wildcard-https-listener',
      severity: 'warning',
      message: `Traefik's ${w} routers also answered the requests for ${covered.join(', ')} that the routers of ${covered.length > 1 ? 'those hosts' : 'that host'} did not match (found by verify); over HTTPS, ${covered.join(', ')} ${covered.length > 1 ? 'have listeners' : 'has a listener'} of ${covered.length > 1 ? 'their' : 'its'} own on the Gateway, to which the ${w} route is not attached, so those requests now get 404 there`,
      remediation: `Add the ${w} paths that ${covered.join(', ')} must serve to ${covered.length > 1 ? 'their' : 'its'} own Ingress rules, or attach the route to ${covered.length > 1 ? 'their' : 'its'} HTTPS listener by hand.`,
      doc: model.doc,
      ...(p.position ? { position: p.position } : {}),
      ...(p.field ? { field: p.field } : {}),
    });
  }
}

function addEntryPointRedirects(ctx: ProviderContext, entryPoints: readonly { name: string; protocol: string; port: number; redirectTo?: string }[], models: readonly IngressModel[]): void {
  const web = entryPoints.find((e) => e.protocol === 'HTTP' && e.port === 80 && e.redirectTo !== undefined);
  const to = web && entryPoints.find((e) => e.name === web.redirectTo);
  if (!web || !to) return;
  const first = new Map<string, IngressModel>();
  for (const m of inControllerOrder(models)) if (!first.has(ctx.gatewayKeyFor(m))) first.set(ctx.gatewayKeyFor(m), m);
  for (const [gatewayKey, m] of first) {
    const provenance = [provenanceOf(m, ['metadata'])];
    ctx.ir.routes.push({
      kind: 'HTTPRoute',
      gatewayKey,
      namespace: m.namespace,
      name: `traefik-${web.name}-redirect`,
      hostnames: [],
      attach: { http: true, https: false },
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backends: [], filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', ...(to.port !== 443 ? { port: to.port } : {}), statusCode: 308 } }], provenance }],
      annotations: {},
      provenance,
    });
    ctx.report({
      ruleId: 'traefik/entrypoint-redirect',
      severity: 'info',
      message: `entry point ${web.name} redirected every request to ${to.name}, whatever its host and path (https, permanent: 301 for GET, 308 otherwise); the host-less HTTPRoute traefik-${web.name}-redirect in namespace ${m.namespace} does it on the HTTP listener for the requests no route of a host takes (308)`,
      doc: m.doc,
      path: ['metadata'],
    });
  }
}

/**
 * Traefik reads only secretName from spec.tls (ING/kubernetes.go getCertificates L803-835) and
 * picks a certificate by SNI, so a tls entry without hosts still serves the Ingress's hosts when
 * the certificate names them. Gateway API listeners need the hostname: the entry is taken to
 * cover the Ingress's hosts that no other entry lists (an info says so).
 */
function assumeTlsHosts(ctx: ProviderContext, m: IngressModel): void {
  const listed = new Set(m.tls.flatMap((t) => t.hosts));
  const hosts = [...new Set(m.rules.map((r) => r.host).filter((h) => h !== '' && !listed.has(h)))];
  for (const t of m.tls) {
    if (!t.secretName || t.hosts.length > 0 || hosts.length === 0) continue;
    t.hosts = hosts;
    ctx.report({
      ruleId: 'traefik/tls-without-hosts',
      severity: 'info',
      message: `the tls entry with Secret ${t.secretName} lists no hosts; Traefik loaded the certificate and served it to the names it covers, so it was taken to cover ${hosts.join(', ')} (check that it does)`,
      doc: m.doc,
      path: t.at,
    });
    return; // the first such entry; Gateway API gives a hostname one certificate
  }
}

/** The default certificate of the TLSStore named default (pkg/provider/kubernetes/crd/kubernetes.go buildTLSStores L1387-1455). */
function defaultCertificate(ctx: ProviderContext): { namespace: string; secret: string; ref: ObjectRef } | undefined {
  const stores = ctx.objects('TLSStore').filter((d) => d.object.metadata.name === 'default');
  if (stores.length !== 1) return undefined; // more than one: Traefik drops the default store
  const doc = stores[0]!;
  const spec = isRecord(doc.object.spec) ? doc.object.spec : {};
  const dc = isRecord(spec.defaultCertificate) ? spec.defaultCertificate : {};
  if (typeof dc.secretName !== 'string' || dc.secretName === '') return undefined;
  return { namespace: doc.object.metadata.namespace ?? 'default', secret: dc.secretName, ref: refOf(doc) };
}

function httpsEntryPoints(plan: Plan, eps: readonly { name: string; protocol: string; port: number }[]): string {
  const names = plan.settings.entryPoints?.length ? plan.settings.entryPoints : eps.map((e) => e.name);
  return eps.filter((e) => names.includes(e.name) && e.port === 443).map((e) => e.name).join(', ') || '443';
}

/** The Ingress backend a rule was made from, as written (Traefik names services and cookies after its port). */
function backendOf(m: IngressModel, rule: RuleIntent): { port: { number?: number; name?: string }; at: readonly (string | number)[] } | undefined {
  const field = rule.provenance[0]?.field;
  for (const r of m.rules) for (const p of r.paths) if (p.backend.kind === 'service' && field === fieldText(p.at)) return { port: p.backend.port, at: p.at };
  if (m.defaultBackend?.kind === 'service' && field === fieldText(m.defaultBackend.path)) return { port: m.defaultBackend.port, at: m.defaultBackend.path };
  return undefined;
}

function sameRules(a: readonly RuleIntent[], b: readonly RuleIntent[]): boolean {
  const strip = (rs: readonly RuleIntent[]) => JSON.stringify(rs.map((r) => ({ m: r.matches, f: r.filters, b: r.backends, s: r.sessionPersistence })));
  return strip(a) === strip(b);
}

type AtKey = (m: IngressModel, key: string, ruleId: string, severity: Severity, message: string, remediation?: string) => void;

function mapPath(
  ctx: ProviderContext,
  plan: Plan,
  p: IngressPath,
  serviceOf: (ns: string, name: string) => ServiceInfo,
): PathMatch | undefined {
  const m = plan.model;
  if (p.backend.kind === 'service') {
    const svc = serviceOf(m.namespace, p.backend.name);
    if (svc.unusable) {
      ctx.report({ ruleId: 'traefik/path-skipped', severity: 'warning', message: `Traefik did not serve ${p.host || '(any host)'} ${p.path}: Service ${m.namespace}/${p.backend.name} could not be created (${svc.unusable}); it was not translated`, doc: m.doc, path: p.at });
      return undefined;
    }
  }
  const matcher = matcherFor(p, plan.settings.pathMatcher);
  if (typeof matcher !== 'string') {
    const key = plan.keys.get('router.pathmatcher') ?? `${TRAEFIK_PREFIX}router.pathmatcher`;
    ctx.report({ ruleId: 'traefik/router.pathmatcher', severity: 'warning', message: `Traefik skipped ${p.host || '(any host)'} ${p.path} (${matcher.invalid}), so it was not translated`, remediation: 'Use Path, PathPrefix or PathRegexp.', field: annotationField(key), doc: m.doc, path: p.at });
    return undefined;
  }
  const gm = gatewayMatch(matcher, p.path);
  if ('type' in gm === false) {
    ctx.report({ ruleId: 'traefik/path-regex', severity: 'error', message: `the PathRegexp ${JSON.stringify(p.path)} cannot be a Gateway API RegularExpression: ${(gm as { error: string }).error}; the path was not translated`, remediation: 'Rewrite the path as Exact or PathPrefix paths, or as a regular expression in the syntax your implementation accepts.', doc: m.doc, path: [...p.at, 'path'] });
    return undefined;
  }
  const match = gm as PathMatch;
  if (matcher === 'PathRegexp') {
    ctx.report({ ruleId: 'traefik/path-regex', severity: 'warning', message: `Traefik searched the path for the Go regexp ${JSON.stringify(p.path)} anywhere in it; it became the RegularExpression ${JSON.stringify(match.value)} on the whole path, whose syntax and precedence are implementation-specific`, remediation: 'Check that your implementation supports RegularExpression path matches (RE2 syntax for Envoy-based ones).', doc: m.doc, path: [...p.at, 'path'] });
  } else if (matcher === 'PathPrefix' && p.path !== '/') {
    const trailing = p.path.endsWith('/');
    const bare = p.path.replace(/\/+$/, '');
    ctx.report({
      ruleId: 'traefik/prefix-match',
      severity: 'info',
      message: trailing
        ? `Traefik's PathPrefix(${JSON.stringify(p.path)}) is a plain string prefix, so it did not match ${bare} itself; Gateway API PathPrefix ${p.path} matches whole segments and also ${bare}, which now reaches this backend`
        : `Traefik's PathPrefix(${JSON.stringify(p.path)}) is a plain string prefix: it also matched paths such as ${p.path}-x or ${p.path}.html; Gateway API PathPrefix ${p.path} matches only ${p.path} and ${p.path}/..., so those requests now go to another rule or get 404`,
      remediation: trailing ? 'Nothing to do unless the bare path must not reach this backend.' : 'If such paths were served here, add them as paths of their own. If Traefik ran with strictPrefixMatching, nothing changes.',
      doc: m.doc,
      path: [...p.at, 'path'],
    });
  }
  return match;
}

/** Findings about the router annotations of one Ingress that is translated. */
function reportRouterSettings(ctx: ProviderContext, plan: Plan, atKey: AtKey, defined: string): void {
  const { model: m, settings: s, keys, consumed, listeners } = plan;
  const key = (path: string) => keys.get(path);
  const epKey = key('router.entrypoints');
  if (epKey) consumed.add(epKey);
  const at = (k: string | undefined, ruleId: string, severity: Severity, message: string, remediation?: string) => {
    if (k) atKey(m, k, ruleId, severity, message, remediation);
    else ctx.report({ ruleId, severity, message, ...(remediation ? { remediation } : {}), doc: m.doc, path: ['metadata'] });
  };
  for (const name of listeners.unknown) {
    at(epKey, 'traefik/unknown-entrypoint', 'warning', `entry point "${name}" is not defined (${defined}), so Traefik ignored it for these routers`, 'Define it with --traefik-entrypoint name=PROTOCOL:PORT if your Traefik has it.');
  }
  for (const ep of listeners.otherPorts) {
    at(epKey, 'traefik/entrypoint-port', 'warning', `the routers were ${listeners.http || listeners.https ? 'also ' : ''}served on entry point ${ep.name} (${ep.protocol} port ${ep.port}); gateway-shift generates listeners on ports 80 and 443 only so far, so they are not served on port ${ep.port}`, `Add a listener {protocol: ${ep.protocol}, port: ${ep.port}} to the Gateway and attach the routes to it by hand.`);
  }
  for (const ep of listeners.tlsOnHttp) {
    const tlsSource = key('router.tls') ?? [...keys.entries()].find(([p]) => p.startsWith('router.tls'))?.[1];
    at(tlsSource ?? epKey, 'traefik/tls-on-http', listeners.https ? 'info' : 'warning', `as TLS routers, these routers also answered TLS connections on the HTTP entry point ${ep.name} (port ${ep.port}); Gateway API serves one protocol per port, so ${listeners.https ? 'they are served with TLS on port 443 only' : 'they are not served there'}`);
  }
  if (listeners.httpRedirect) {
    const r = listeners.httpRedirect;
    at(epKey, 'traefik/entrypoint-redirect', 'info', `entry point ${r.entryPoint} redirected every request to ${r.to.name} (https, permanent: 301 for GET, 308 otherwise), before any router: on the HTTP listener these paths answer with a RequestRedirect (scheme https${r.to.port !== 443 ? `, port ${r.to.port}` : ''}, 308)`);
  }
  if (!listeners.http && !listeners.https && listeners.otherPorts.length === 0 && listeners.tlsOnHttp.length === 0) {
    at(epKey, 'traefik/no-entrypoint', 'error', 'none of the entry points of these routers exists, so Traefik served none of their paths ("no valid entryPoint for this router"); nothing was generated for them', 'Fix router.entrypoints, or define the entry points with --traefik-entrypoint.');
  }
  const tlsKey = key('router.tls');
  if (tlsKey) {
    consumed.add(tlsKey);
    if (!s.tls) {
      atKey(m, tlsKey, 'traefik/router.tls', 'info', `router.tls "${m.annotations[tlsKey]}" is not "true", so TLS stays off for these routers (on an HTTPS entry point they get the entry point's TLS)`);
      // A disabled router.tls drops its sub-keys too (paerser nodes_metadata.go L84).
      for (const k of Object.keys(m.annotations).sort()) {
        if (k === tlsKey || !/^router\.tls\./i.test(k.slice(TRAEFIK_PREFIX.length)) || !k.startsWith(TRAEFIK_PREFIX)) continue;
        consumed.add(k);
        atKey(m, k, findTraefikRule(k)?.id ?? 'traefik/router.tls', 'info', `${k} had no effect: router.tls "${m.annotations[tlsKey]}" turns TLS and its settings off`);
      }
    }
  }
  const resolverKey = key('router.tls.certresolver');
  if (resolverKey && s.tls) {
    consumed.add(resolverKey);
    const uncovered = m.rules.map((r) => r.host).filter((h) => h !== '' && !m.tls.some((t) => t.secretName && t.hosts.includes(h)));
    atKey(
      m,
      resolverKey,
      'traefik/router.tls.certresolver',
      'warning',
      `Traefik obtained the certificates of these routers from its ACME resolver "${s.tls.certResolver}"; Gateway API listeners take certificates from Secrets${uncovered.length ? `, and no spec.tls Secret of this Ingress covers ${[...new Set(uncovered)].join(', ')}` : ''}`,
      findTraefikRule(resolverKey)?.remediation,
    );
  }
  const optionsKey = key('router.tls.options');
  if (optionsKey && s.tls) {
    consumed.add(optionsKey);
    reportTlsOptions(ctx, plan, optionsKey, s.tls.options ?? '', atKey);
  }
  const matcherKey = key('router.pathmatcher');
  if (matcherKey) {
    consumed.add(matcherKey);
    if (!m.rules.some((r) => r.paths.some((p) => p.pathType === 'ImplementationSpecific'))) {
      atKey(m, matcherKey, 'traefik/router.pathmatcher', 'info', 'router.pathmatcher applies only to ImplementationSpecific paths, and this Ingress has none: it had no effect');
    }
  }
  const prioKey = key('router.priority');
  if (prioKey) consumed.add(prioKey);
}

function reportTlsOptions(ctx: ProviderContext, plan: Plan, key: string, ref: string, atKey: AtKey): void {
  const m = plan.model;
  const fix = findTraefikRule(key)?.remediation;
  let doc: SourceDocument | undefined;
  if (ref.endsWith('@kubernetescrd')) {
    const id = ref.slice(0, -'@kubernetescrd'.length);
    doc = ctx.objects('TLSOption').find((d) => normalizeName(`${d.object.metadata.namespace ?? 'default'}-${d.object.metadata.name ?? ''}`) === id);
  }
  const spec = doc && isRecord(doc.object.spec) ? doc.object.spec : undefined;
  if (!spec) {
    atKey(m, key, 'traefik/router.tls.options', 'warning', `the TLS options "${ref}" (TLS versions, ciphers, client certificates) were not translated${ref.includes('@kubernetescrd') ? ' (the TLSOption is not in the input)' : ''}; if they required client certificates, the paths are now reachable without one`, fix);
    return;
  }
  const clientAuth = isRecord(spec.clientAuth) ? spec.clientAuth : undefined;
  const type = typeof clientAuth?.clientAuthType === 'string' ? clientAuth.clientAuthType : '';
  const fields = Object.keys(spec).sort().join(', ');
  if (['RequireAndVerifyClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven'].includes(type)) {
    atKey(m, key, 'traefik/router.tls.options', 'error', `the TLSOption ${doc!.object.metadata.namespace}/${doc!.object.metadata.name} checks client certificates (${type}) and sets ${fields}; it was not translated, and the paths it protected are now reachable without a client certificate`, fix);
  } else {
    atKey(m, key, 'traefik/router.tls.options', 'warning', `the TLSOption ${doc!.object.metadata.namespace}/${doc!.object.metadata.name} (${fields}) was not translated: Gateway API has TLS versions and ciphers only as implementation-specific listener options`, fix);
  }
}

function reportPriorities(ctx: ProviderContext, plans: readonly Plan[], atKey: AtKey): void {
  interface Ref {
    plan: Plan;
    path?: IngressPath;
  }
  const byGateway = new Map<string, RouterEntry<Ref>[]>();
  const explicit = new Map<Plan, boolean>();
  for (const plan of plans) {
    const m = plan.model;
    const gw = ctx.gatewayKeyFor(m);
    let list = byGateway.get(gw);
    if (!list) byGateway.set(gw, (list = []));
    const { http, https } = plan.listeners;
    if (m.rules.length === 0 && m.defaultBackend) {
      list.push({ host: '', matcher: 'PathPrefix', path: '/', priority: DEFAULT_ROUTER_PRIORITY, http, https, ref: { plan } });
      continue;
    }
    for (const r of m.rules) {
      for (const p of r.paths) {
        const matcher = matcherFor(p, plan.settings.pathMatcher);
        if (typeof matcher !== 'string') continue;
        const priority = plan.settings.priority ? plan.settings.priority : defaultPriority(routerRule(p.host, matcher, p.path, plan.settings.ruleSyntax));
        list.push({ host: p.host, matcher, path: p.path, priority, http, https, ref: { plan, path: p } });
      }
    }
    if (plan.settings.priority) explicit.set(plan, false);
  }
  for (const entries of byGateway.values()) {
    // Two routers of one Ingress to one Service with the same priority answer alike.
    const target = (r: Ref) => (r.path?.backend.kind === 'service' ? `${r.path.backend.name}:${JSON.stringify(r.path.backend.port)}` : undefined);
    const sameAnswer = (a: Ref, b: Ref) => a.plan === b.plan && target(a) !== undefined && target(a) === target(b);
    for (const d of priorityDifferences(entries, sameAnswer)) {
      const g = d.gateway.ref;
      const t = d.traefik.ref;
      const why =
        d.gateway.host !== d.traefik.host
          ? `Gateway API ranks the route for the host ${d.gateway.host} first`
          : d.gateway.matcher === 'Path' && d.traefik.matcher !== 'Path'
            ? 'Gateway API ranks an Exact match before any PathPrefix'
            : 'Gateway API ranks the longest PathPrefix first';
      const tDesc = `${t.plan.model.namespace}/${t.plan.model.name} ${d.traefik.host || '(any host)'} ${d.traefik.path}${t.path ? '' : ' (default backend)'}`;
      const message = `requests for ${d.host || '(any host)'}${d.path} went to Ingress ${tDesc} in Traefik (router priority ${d.traefik.priority}${d.traefik.ref.plan.settings.priority ? ', set by router.priority' : ', the length of its rule'}, against ${d.gateway.priority} for this path); ${why} and sends them to this path`;
      if (g.path) ctx.report({ ruleId: 'traefik/priority', severity: 'warning', message, remediation: 'Check that this path should answer these requests; otherwise make the paths distinct.', doc: g.plan.model.doc, path: g.path.at });
      for (const p of [g.plan, t.plan]) if (explicit.has(p)) explicit.set(p, true);
    }
  }
  for (const [plan, changed] of explicit) {
    const key = plan.keys.get('router.priority')!;
    atKey(
      plan.model,
      key,
      'traefik/router.priority',
      changed ? 'warning' : 'info',
      changed
        ? `router.priority ${plan.settings.priority} cannot be expressed: Gateway API ranks matches by hostname and path; the requests that now reach another rule are reported (traefik/priority)`
        : `router.priority ${plan.settings.priority} cannot be expressed, but Gateway API's precedence (hostname, then Exact, then the longest PathPrefix) picks the same rules as Traefik did for the paths of the input`,
      findTraefikRule(key)?.remediation,
    );
  }
}
