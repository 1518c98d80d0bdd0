/**
 * ingress-nginx server-level (per host) settings that change the names a host answers to and
 * who terminates its TLS: server-alias and ssl-passthrough. Semantics from controller-v1.15.1:
 * internal/ingress/controller/controller.go (createServers L1269-1529, getConfiguration
 * L635-682), nginx.go (generateTemplate L459-496, configureCertificates L1005-1035),
 * pkg/tcpproxy/tcp.go, rootfs/etc/nginx/template/nginx.tmpl L639, lua/certificate.lua.
 *
 * ingress-nginx builds one nginx server per host of the Ingresses it serves (one controller =
 * one ingress class), so "the host" below is a host within an ingress class, whichever
 * Gateway its routes end up on.
 */
import type { BackendRef, Provenance, RouteIntent, TlsIntent } from '../../ir/types.js';
import { tlsHostFor } from '../../emitters/gateway-api.js';
import { hostSlug } from '../../emitters/names.js';
import type { IngressModel, IngressPath, ServiceBackend } from '../common/ingress-model.js';
import { invalidHost } from '../common/ingress-model.js';
import type { TranslatedIngress } from '../common/ingress-translator.js';
import { provenanceOf, resolveBackend } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { reporterFor } from './annotations.js';
import { NGINX_PREFIX } from './rules.js';

/** Gateway API allows 16 hostnames per HTTPRoute/GRPCRoute: the host and 15 aliases. */
const MAX_ALIASES = 15;

const ALIAS = NGINX_PREFIX + 'server-alias';
const PASSTHROUGH = NGINX_PREFIX + 'ssl-passthrough';

/** The nginx server (controller) a host belongs to. */
function serverKey(m: IngressModel, host: string): string {
  return `${m.className ?? ''} ${host}`;
}

function distinctHosts(m: IngressModel): string[] {
  return [...new Set(m.rules.map((r) => r.host))];
}

/** Reports at one of the Ingress's annotations, given by its full key. */
function reportAt(ctx: ProviderContext, m: IngressModel, key: string, f: Parameters<ReturnType<typeof reporterFor>>[1]): void {
  reporterFor(ctx, m)(key.slice(NGINX_PREFIX.length), f);
}

function list(names: readonly string[], max = 5): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Routes of one host of one controller, from every Ingress of that host. */
function routesOfHost(translated: readonly TranslatedIngress[], key: string): RouteIntent[] {
  return translated.flatMap((t) => t.routes.filter((r) => r.hostnames.length > 0 && serverKey(t.model, r.hostnames[0]!) === key));
}

function tlsIndex(tls: readonly TlsIntent[], gatewayKey: string): Map<string, TlsIntent> {
  const out = new Map<string, TlsIntent>();
  for (const t of tls) if (t.gatewayKey === gatewayKey && !out.has(t.hostname)) out.set(t.hostname, t);
  return out;
}

interface AliasClaim {
  key: string;
  host: string;
  owner: IngressModel;
  /** Names as the annotation gave them (ingress-nginx's parse). */
  raw: string[];
  /** Gateway API hostnames kept, after the checks below. */
  names: string[];
}

/**
 * server-alias. nginx writes the aliases as extra `server_name` values of the host's server
 * block, so they share everything the host has: its locations (every Ingress of the host, not
 * only the one carrying the annotation) and its certificate. Here they become extra hostnames of
 * every route of the host (HTTPS-redirect twins included) and, when the host has a certificate,
 * HTTPS listeners with that certificate.
 *
 * - The first Ingress of the host (controller order) with a non-empty value gives the aliases;
 *   later ones are ignored (createServers L1416-1423). Canary Ingresses never count.
 * - An alias that is itself a host of some Ingress of the controller is dropped (L1506-1529);
 *   so is one equal to a from-to-www-redirect twin, whose redirect server block comes first in
 *   nginx.conf, and one already claimed by a host whose server block comes earlier (servers are
 *   written sorted by host name; nginx keeps the first `server_name` and warns "conflicting
 *   server name").
 * - Regex names (`~...`) and trailing wildcards (`www.example.*`) have no Gateway API form.
 *   `.example.com` is nginx's short form for `example.com` plus `*.example.com`.
 * - Wildcards: ingress-nginx rewrites a wildcard *host* into a one-label regex (buildServerName),
 *   but writes aliases as they are (nginx.tmpl L639), and a plain nginx `*.example.com` matches
 *   any number of labels (a.example.com, a.b.example.com). A Gateway API `*.example.com`
 *   hostname also matches any number of labels, so a wildcard alias keeps its meaning.
 * - Certificate: ingress-nginx serves an alias with the host's certificate only if the
 *   certificate names it (configureCertificates: ssl.IsValidHostname against the certificate's
 *   names); otherwise the alias gets the default certificate and, having no certificate of its
 *   own, no HTTPS redirect either. The certificate's names are not in the manifests, so the
 *   translation assumes it does, and says so.
 */
export function applyServerAliases(
  ctx: ProviderContext,
  primaries: readonly IngressModel[],
  aliasesOf: (m: IngressModel) => readonly string[] | undefined,
  fromToWww: (m: IngressModel) => boolean,
  translated: readonly TranslatedIngress[],
): void {
  // Every host with a server block of its own, and which Ingress first has it.
  const hostOwner = new Map<string, IngressModel>();
  for (const m of primaries) for (const h of distinctHosts(m)) if (!hostOwner.has(serverKey(m, h))) hostOwner.set(serverKey(m, h), m);
  // The from-to-www-redirect server blocks (pkg/util/ingress BuildRedirects).
  const wwwTwins = new Map<string, string>();
  for (const m of primaries) {
    if (!fromToWww(m)) continue;
    for (const h of distinctHosts(m)) {
      if (h === '' || h.startsWith('*.')) continue;
      const twin = h.startsWith('www.') ? h.slice(4) : `www.${h}`;
      if (!hostOwner.has(serverKey(m, twin)) && !wwwTwins.has(serverKey(m, twin))) wwwTwins.set(serverKey(m, twin), h);
    }
  }

  const claims = new Map<string, AliasClaim>();
  for (const m of primaries) {
    const raw = aliasesOf(m);
    if (!raw || raw.length === 0) continue;
    for (const host of distinctHosts(m)) {
      const key = serverKey(m, host);
      const first = claims.get(key);
      if (first) {
        reportAt(ctx, m, ALIAS, {
          severity: 'info',
          message: `${host || 'the catch-all server'} already has the aliases of Ingress ${first.owner.namespace}/${first.owner.name}, which ingress-nginx processes first; these were ignored, as they were by ingress-nginx`,
        });
        continue;
      }
      claims.set(key, { key, host, owner: m, raw: [...raw], names: [] });
    }
  }

  // Server blocks in nginx.conf order (by host name; no host = "_"); an alias goes to the first.
  const ordered = [...claims.values()].sort((a, b) => {
    const x = a.host || '_';
    const y = b.host || '_';
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const taken = new Map<string, AliasClaim>();
  for (const c of ordered) {
    const report = (severity: 'warning' | 'info', message: string, remediation?: string) =>
      reportAt(ctx, c.owner, ALIAS, remediation ? { severity, message, remediation } : { severity, message });
    const scope = c.key.slice(0, c.key.length - c.host.length);
    for (const raw of c.raw) {
      if (raw.startsWith('~')) {
        report('warning', `alias "${raw}" is an nginx regular expression; Gateway API hostnames cannot be patterns, so it was not translated`, 'List the names the expression stands for in server-alias, or add them to the routes by hand (a wildcard *.domain covers any number of leading labels).');
        continue;
      }
      const lower = raw.toLowerCase(); // nginx compares server names case-insensitively
      for (const name of lower.startsWith('.') ? [lower.slice(1), `*${lower}`] : [lower]) {
        const bad = name.endsWith('.*') ? 'a trailing wildcard, which Gateway API hostnames cannot have' : invalidHost(name);
        if (bad) {
          report('warning', `alias "${raw}" cannot be a Gateway API hostname: ${bad}; it was not translated`);
          continue;
        }
        if (name === c.host) continue; // nginx skips an alias equal to its own host
        const owner = hostOwner.get(scope + name);
        if (owner) {
          report('info', `alias ${name} is a host of Ingress ${owner.namespace}/${owner.name}, which has its own server block; ingress-nginx dropped the alias, and so does the translation`);
          continue;
        }
        const twinOf = wwwTwins.get(scope + name);
        if (twinOf !== undefined) {
          report('info', `alias ${name} is also the from-to-www-redirect name of ${twinOf}, whose redirect server block comes first in nginx.conf and answers it; the alias was not translated`);
          continue;
        }
        const other = taken.get(scope + name);
        if (other) {
          if (other !== c) report('warning', `alias ${name} is also an alias of ${other.host || 'the catch-all server'} (Ingress ${other.owner.namespace}/${other.owner.name}), whose server block comes first in nginx.conf; nginx ignored it here ("conflicting server name"), and so does the translation`);
          continue;
        }
        taken.set(scope + name, c);
        c.names.push(name);
      }
    }
  }

  for (const c of ordered) {
    if (c.names.length === 0) continue;
    if (c.host === '') {
      reportAt(ctx, c.owner, ALIAS, {
        severity: 'info',
        message: `aliases of rules without host (${list(c.names)}) are names of ingress-nginx's catch-all server, which answers every name anyway; they had no effect and were not translated`,
      });
      continue;
    }
    let names = c.names;
    if (names.length > MAX_ALIASES) {
      reportAt(ctx, c.owner, ALIAS, {
        severity: 'warning',
        message: `${c.host} has ${names.length} aliases; a Gateway API route takes 16 hostnames, so ${list(names.slice(MAX_ALIASES))} were not translated`,
        remediation: 'Put the remaining names on a copy of the routes by hand.',
      });
      names = names.slice(0, MAX_ALIASES);
    }
    const routes = routesOfHost(translated, c.key);
    const prov: Provenance = provenanceOf(c.owner, ['metadata', 'annotations', ALIAS]);
    for (const r of routes) {
      // New arrays per route: routes split from one another share theirs.
      r.hostnames = [...r.hostnames, ...names];
      if (!r.provenance.some((p) => p.object === c.owner.ref)) r.provenance = [...r.provenance, prov];
    }
    // HTTPS: the alias is served from the host's server block, with the host's certificate.
    const certs: string[] = [];
    const others: string[] = [];
    for (const gw of [...new Set(routes.filter((r) => r.attach.https).map((r) => r.gatewayKey))].sort()) {
      const tls = tlsIndex(ctx.ir.tls, gw);
      const hostTls = tls.get(tlsHostFor(c.host, tls) ?? '');
      if (!hostTls) continue;
      certs.push(`${hostTls.secret.namespace}/${hostTls.secret.name}`);
      for (const name of names) {
        const own = tls.get(name);
        if (!own) ctx.ir.tls.push({ gatewayKey: gw, hostname: name, secret: { ...hostTls.secret }, provenance: [prov] });
        else if (own.secret.namespace !== hostTls.secret.namespace || own.secret.name !== hostTls.secret.name) others.push(`${name} (${own.secret.namespace}/${own.secret.name})`);
      }
    }
    const many = names.length > 1;
    const them = many ? 'them' : 'it';
    const ingresses = [...new Set(routes.map((r) => `${r.namespace}/${r.provenance[0]?.object.name ?? r.name}`))].sort();
    const cert = [...new Set(certs)].join(', ');
    reportAt(ctx, c.owner, ALIAS, {
      severity: 'info',
      message:
        `${list(names)} ${many ? 'were' : 'was'} added to the hostnames of every route of ${c.host} (Ingress${ingresses.length > 1 ? 'es' : ''} ${list(ingresses)}), as nginx served ${them} from the host's server block` +
        (cert
          ? `; ${many ? 'they are' : 'it is'} served over HTTPS with the host's certificate ${cert}, which must cover ${them}: ingress-nginx used it for an alias only when it named the alias (otherwise the alias got the default certificate and no HTTPS redirect)`
          : '') +
        (others.length ? `; ${list(others)} already had a certificate of ${others.length > 1 ? 'their' : 'its'} own from a tls section, which the listener keeps` : ''),
      ...(cert ? { remediation: `Check that the certificate in Secret ${cert} lists ${list(names)} (for a cert-manager Certificate, in dnsNames).` } : {}),
    });
  }
}

/** The path that gets a host's passed-through connections: its `/` Prefix location. */
function rootPath(primaries: readonly IngressModel[], key: string): { model: IngressModel; path: IngressPath & { backend: ServiceBackend } } | undefined {
  for (const m of primaries) {
    for (const r of m.rules) {
      if (serverKey(m, r.host) !== key) continue;
      for (const p of r.paths) {
        // ImplementationSpecific is Prefix in ingress-nginx (SetDefaultNGINXPathType); a
        // non-Service backend leaves the location to the default backend.
        if (p.path === '/' && p.pathType !== 'Exact' && p.backend.kind === 'service') return { model: m, path: p as IngressPath & { backend: ServiceBackend } };
      }
    }
  }
  return undefined;
}

/**
 * ssl-passthrough (only with the controller flag --enable-ssl-passthrough; without it the
 * annotation does nothing). True for a host when any of its Ingresses sets it. A Go TCP proxy
 * in front of nginx reads the SNI of each TLS connection on port 443 and, when it equals a
 * passthrough host exactly (tcpproxy Get: `==`, so never a wildcard host, never an alias),
 * forwards the raw connection to the Service of the host's `/` location, the first Ingress
 * (controller order) with a Prefix path `/` and a Service backend; other paths are ignored
 * (getConfiguration L666-682). Without such a path the `/` location is the default backend,
 * whose empty Service gives an address nothing listens on: the connections fail. Every other
 * SNI goes to nginx, and plain HTTP on port 80 is still served by nginx with the host's
 * locations and annotations (including the HTTPS redirect when the host has a certificate).
 *
 * Gateway API: a TLS listener in Passthrough mode for the host and a TLSRoute to that Service;
 * the host gets no HTTPS listener (the certificate of its tls section is no longer used for it),
 * and its routes stay on the HTTP listener (and on the HTTPS listeners of its aliases).
 */
export function applySslPassthrough(
  ctx: ProviderContext,
  primaries: readonly IngressModel[],
  passthroughOf: (m: IngressModel) => boolean,
  translated: readonly TranslatedIngress[],
): void {
  const setters = new Map<string, { host: string; models: IngressModel[] }>();
  for (const m of primaries) {
    if (!passthroughOf(m)) continue;
    for (const host of distinctHosts(m)) {
      const key = serverKey(m, host);
      const s = setters.get(key);
      if (s) s.models.push(m);
      else setters.set(key, { host, models: [m] });
    }
  }
  const removed = new Set<RouteIntent>();
  for (const [key, { host, models }] of setters) {
    const each = (f: { severity: 'warning' | 'info'; message: string; remediation?: string }) => {
      for (const m of models) reportAt(ctx, m, PASSTHROUGH, f);
    };
    if (host === '' || host.startsWith('*.')) {
      each({
        severity: 'info',
        message: `ingress-nginx passes through only connections whose SNI equals a host name exactly, which ${host === '' ? 'rules without host' : `the wildcard host ${host}`} never ${host === '' ? 'have' : 'is'}; it had no effect there and was not translated (nginx terminated TLS as usual)`,
      });
      continue;
    }
    const root = rootPath(primaries, key);
    if (!root) {
      each({
        severity: 'warning',
        message: `no Ingress gives ${host} a path "/" (Prefix) with a Service, so ingress-nginx had no backend for its passed-through connections and they failed; ssl-passthrough was not translated, and TLS for ${host} is handled as if the annotation were absent`,
        remediation: `Add the path "/" with the Service that terminates TLS for ${host}, or remove the annotation.`,
      });
      continue;
    }
    const backend: BackendRef | undefined = resolveBackend(ctx, root.model, root.path.backend);
    if (!backend) {
      each({ severity: 'warning', message: `the backend of ${host} "/" could not be resolved (see the other findings), so ssl-passthrough was not translated` });
      continue;
    }
    const gw = ctx.gatewayKeyFor(root.model);
    const hostRoutes = routesOfHost(translated, key);
    const gateways = new Set([gw, ...hostRoutes.map((r) => r.gatewayKey)]);
    // The host's certificate is no longer used for it (its aliases keep theirs).
    const certs: string[] = [];
    removeWhere(ctx.ir.tls, (t) => {
      if (t.hostname !== host || !gateways.has(t.gatewayKey)) return false;
      certs.push(`${t.secret.namespace}/${t.secret.name}`);
      return true;
    });
    let redirected = false;
    for (const r of hostRoutes) {
      if (r.httpsRedirectFor !== undefined) redirected = true;
      if (!r.attach.https) continue;
      const tls = tlsIndex(ctx.ir.tls, r.gatewayKey);
      const aliasesOnHttps = r.hostnames.slice(1).some((n) => tlsHostFor(n, tls) !== undefined);
      if (aliasesOnHttps) continue; // the emitter keeps the host itself off the HTTPS listeners
      r.attach = { ...r.attach, https: false };
      if (!r.attach.http) removed.add(r);
    }
    const hostsOfRoot = distinctHosts(root.model).length + (root.model.defaultBackend !== undefined && root.model.rules.length === 0 ? 1 : 0);
    const tlsRoute: RouteIntent = {
      kind: 'TLSRoute',
      gatewayKey: gw,
      namespace: root.model.namespace,
      name: hostsOfRoot <= 1 ? root.model.name : `${root.model.name}-${hostSlug(host)}`,
      hostnames: [host],
      attach: { http: false, https: false, passthrough: true },
      rules: [{ matches: [], backends: [backend], filters: [], provenance: [provenanceOf(root.model, root.path.at)] }],
      annotations: {},
      provenance: [provenanceOf(root.model, root.path.at), ...models.filter((m) => m !== root.model).map((m) => provenanceOf(m, ['metadata', 'annotations', PASSTHROUGH]))],
    };
    ctx.ir.routes.push(tlsRoute);
    const otherPaths = [
      ...new Set(
        primaries.flatMap((m) => m.rules.filter((r) => serverKey(m, r.host) === key).flatMap((r) => r.paths.filter((p) => p !== root.path).map((p) => `${p.path} (${p.pathType})`))),
      ),
    ];
    const aliases = hostRoutes[0]?.hostnames.slice(1) ?? [];
    each({
      severity: 'info',
      message:
        `TLS connections for ${host} are passed through unterminated to ${backend.name}:${backend.port} (the "/" path of Ingress ${root.model.namespace}/${root.model.name}): a TLS listener in Passthrough mode and a TLSRoute. ` +
        `This is what ingress-nginx did when it ran with --enable-ssl-passthrough; without that flag it ignored the annotation and terminated TLS itself. ` +
        `Nothing at the HTTP level applies to these connections: ${otherPaths.length ? `the other paths (${list(otherPaths)}) and ` : ''}the annotations only act on plain HTTP on port 80${redirected ? ', which is redirected to HTTPS' : ''}` +
        `${certs.length ? `; the certificate ${[...new Set(certs)].join(', ')} is no longer used for ${host}` : ''}` +
        `${aliases.length ? `; its aliases (${list(aliases)}) are not passed through (exact SNI only) and keep their HTTPS listeners` : ''}`,
      remediation: 'If the controller ran without --enable-ssl-passthrough, remove the annotation before converting: nginx terminated TLS for this host.',
    });
  }
  if (removed.size > 0) {
    removeWhere(ctx.ir.routes, (r) => removed.has(r));
    for (const t of translated) removeWhere(t.routes, (r) => removed.has(r));
  }
}

/** Removes the matching items in place (other holders of the array see the change). */
function removeWhere<T>(items: T[], drop: (t: T) => boolean): void {
  let j = 0;
  for (const item of items) if (!drop(item)) items[j++] = item;
  items.length = j;
}
