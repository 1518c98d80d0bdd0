/**
 * The nginx configuration ingress-nginx controller-v1.15.1 builds from a set of Ingresses:
 * upstreams (createUpstreams), servers with their root location, aliases, passthrough and
 * certificate (createServers), locations (getBackendServers), canaries (mergeAlternativeBackends),
 * location order and the Prefix split (getBackendServers sort, location.go
 * updateServerLocations), the per-server regex mode (template.go enforceRegexModifier), the
 * from/to-www redirect servers (pkg/util/ingress BuildRedirects) and the certificate table Lua
 * looks up per request (nginx.go configureCertificates, certificate.lua).
 * Reference: internal/ingress/controller/controller.go and docs/research/ingress-nginx-*.md.
 */
import type { FieldPath } from '../../../inputs/document.js';
import type { Annotations, Backend, Canary, NginxIngress } from './ingresses.js';
import { PREFIX } from './ingresses.js';

export const DEFAULT_SERVER = '_';

export interface Upstream {
  /** `namespace-service-port`, the port as written in the Ingress. */
  name: string;
  namespace: string;
  backend: Backend;
  /** The Ingress that created it (its first user in controller order). */
  ingress: NginxIngress;
  /** Created by a canary Ingress: it has no location of its own. */
  noServer: boolean;
  shaping?: Canary;
  /** Canary upstreams merged into this one; only the first one is used (balancer.lua). */
  alternatives: Upstream[];
  /** For a canary upstream: the locations it was merged into, and the canary field that did it. */
  mergedAt: { loc: Location; by: FieldPath; ingress: NginxIngress; server: string }[];
}

export interface Location {
  /** The path as nginx writes it (Prefix paths end in '/', plus their Exact copy). */
  path: string;
  /** The Ingress path it came from. */
  ingressPath: string;
  pathType: 'Exact' | 'Prefix';
  isDefBackend: boolean;
  /** undefined: the controller's default backend, which answers 404. */
  upstream?: Upstream;
  /** Whose annotations apply (undefined: none, nginx's zero values). */
  ingress?: NginxIngress;
  ann?: Annotations;
  /** Ingress path entry (or defaultBackend, or the host rule for a root location). */
  at?: FieldPath;
  /** Whether it is the Exact copy of a Prefix path. */
  copy?: boolean;
}

export interface Cert {
  /** `ns/name`; undefined for the controller's default (self-signed) certificate. */
  secret?: string;
  ingress: NginxIngress;
  at: FieldPath;
  /** Names the certificate is assumed to cover: the tls hosts listed with that Secret. */
  names: string[];
}

export interface Server {
  hostname: string;
  owner?: NginxIngress;
  ownerAt?: FieldPath;
  locations: Location[];
  aliases: string[];
  aliasBy?: NginxIngress;
  sslPassthrough: boolean;
  passthroughBy: NginxIngress[];
  cert?: Cert;
  redirectFromToWww: boolean;
  wwwBy?: NginxIngress;
  /** The path of the location that asked for it. */
  wwwAt?: FieldPath;
  /** Every location is a case-insensitive regex (use-regex or a rewrite somewhere on the server). */
  regex: boolean;
  /** Paths that got no location because their upstream belongs to a canary (createUpstreams). */
  dropped: { ingress: NginxIngress; at: FieldPath; path: string }[];
  /** Every Ingress (and its annotation) whose location puts the server in regex mode. */
  regexTriggers: { ingress: NginxIngress; key: string; at?: FieldPath }[];
}

export interface RedirectServer {
  from: string;
  to: string;
  server: Server;
  cert?: Cert;
}

export interface NginxConfig {
  servers: Map<string, Server>;
  /** Servers in nginx.conf order (by host name). */
  ordered: Server[];
  redirects: RedirectServer[];
  /** What certificate.lua finds per name (removed names are absent). */
  certificates: Map<string, Cert>;
  upstreams: Map<string, Upstream>;
  /** Ingresses in controller order (oldest first; equal timestamps by namespace/name descending). */
  ingresses: NginxIngress[];
  /** Ingresses the controller refused to load. */
  rejected: NginxIngress[];
}

/** store.go sortIngressSlice. */
export function controllerOrder(ings: readonly NginxIngress[]): NginxIngress[] {
  return [...ings].sort((a, b) => {
    if (a.created !== b.created) return a.created < b.created ? -1 : 1;
    const x = `${a.namespace}/${a.name}`;
    const y = `${b.namespace}/${b.name}`;
    return x > y ? -1 : x < y ? 1 : 0;
  });
}

export function upstreamName(namespace: string, b: Backend): string {
  return `${namespace}-${b.service}-${b.port}`;
}

/** One-label wildcard coverage, as Go's VerifyHostname and certificate.lua apply it. */
export function nameCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot) === pattern.slice(1);
}

function needsRewrite(l: Location): boolean {
  const t = l.ann?.rewriteTarget ?? '';
  return t !== '' && t !== l.path;
}

/**
 * The configuration nginx runs. An Ingress that would give nginx two identical prefix locations
 * (Prefix `/foo` and `/foo/` on one host both become `location /foo/`) makes `nginx -t` fail with
 * "duplicate location": the admission webhook (on in the Helm chart) refuses it, so the
 * configuration is that of the Ingresses accepted before it, in creation order.
 */
export function buildConfig(all: readonly NginxIngress[]): NginxConfig {
  const rejected = all.filter((i) => i.rejected);
  const loaded = controllerOrder(all.filter((i) => !i.rejected));
  const cfg = assemble(loaded);
  if (!duplicateLocation(cfg)) return { ...cfg, rejected };
  const accepted: NginxIngress[] = [];
  for (const i of loaded) {
    const dup = duplicateLocation(assemble([...accepted, i]));
    if (!dup) {
      accepted.push(i);
      continue;
    }
    // The path that brought the second location: i's, the later one in i when both are.
    const [a, b] = dup;
    const mine = a.ingress !== i ? b : b.ingress !== i ? a : laterPath(a, b);
    const other = mine === a ? b : a;
    const why = `Prefix ${mine.ingressPath} and ${other.ingress === i ? '' : `${other.ingress?.namespace}/${other.ingress?.name}'s `}Prefix ${other.ingressPath} are both location ${mine.path}: nginx refuses a duplicate location`;
    rejected.push({ ...i, rejected: { why, ...(mine.at ? { at: mine.at } : {}) } });
  }
  return { ...assemble(accepted), rejected };
}

function laterPath(a: Location, b: Location): Location {
  const x = a.at ?? [];
  const y = b.at ?? [];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    if (x[k] === y[k]) continue;
    return typeof x[k] === 'number' && typeof y[k] === 'number' ? ((x[k] as number) > (y[k] as number) ? a : b) : String(x[k]) > String(y[k]) ? a : b;
  }
  return b;
}

/** Two prefix locations with the same path in a server that is not in regex mode. */
function duplicateLocation(cfg: Omit<NginxConfig, 'rejected'>): [Location, Location] | undefined {
  for (const s of cfg.ordered) {
    if (s.regex) continue;
    const seen = new Map<string, Location>();
    for (const l of s.locations) {
      if (l.pathType === 'Exact') continue;
      const first = seen.get(l.path);
      if (first) return [first, l];
      seen.set(l.path, l);
    }
  }
  return undefined;
}

function assemble(ingresses: NginxIngress[]): Omit<NginxConfig, 'rejected'> {
  const isCanary = (i: NginxIngress) => i.ann.canary !== undefined;

  // Certificate names: the hosts an Ingress lists with a Secret are assumed to be the names of
  // that Secret's certificate (as the translation assumes); nothing else says what it covers.
  const certNames = new Map<string, Set<string>>();
  for (const i of ingresses) {
    for (const t of i.tls) {
      if (!t.secretName) continue;
      const k = `${i.namespace}/${i.name}|${i.namespace}/${t.secretName}`;
      let s = certNames.get(k);
      if (!s) certNames.set(k, (s = new Set()));
      for (const h of t.hosts) s.add(h);
    }
  }

  // createUpstreams
  const upstreams = new Map<string, Upstream>();
  const newUpstream = (i: NginxIngress, b: Backend): Upstream => {
    const u: Upstream = { name: upstreamName(i.namespace, b), namespace: i.namespace, backend: b, ingress: i, noServer: isCanary(i), alternatives: [], mergedAt: [] };
    if (i.ann.canary) u.shaping = i.ann.canary;
    return u;
  };
  for (const i of ingresses) {
    if (i.defaultBackend) upstreams.set(upstreamName(i.namespace, i.defaultBackend), newUpstream(i, i.defaultBackend));
    for (const r of i.rules) {
      if (!r.http) continue;
      for (const p of r.paths) {
        if (!p.backend) continue;
        const n = upstreamName(i.namespace, p.backend);
        if (!upstreams.has(n)) upstreams.set(n, newUpstream(i, p.backend));
      }
    }
  }

  // createServers: the catch-all server, then one server per host with its root location.
  const servers = new Map<string, Server>();
  const server = (hostname: string): Server => ({ hostname, locations: [], aliases: [], sslPassthrough: false, passthroughBy: [], redirectFromToWww: false, regex: false, dropped: [], regexTriggers: [] });
  const def = server(DEFAULT_SERVER);
  def.locations.push({ path: '/', ingressPath: '/', pathType: 'Prefix', isDefBackend: true });
  servers.set(DEFAULT_SERVER, def);
  for (const i of ingresses) {
    if (isCanary(i)) continue;
    let un: Upstream | undefined;
    if (i.defaultBackend) {
      un = upstreams.get(upstreamName(i.namespace, i.defaultBackend));
      const root = def.locations[0]!;
      if (un && root.isDefBackend && i.rules.length === 0) {
        // The catch-all takes the backend and the annotations, except redirect and rewrite ones.
        root.isDefBackend = false;
        root.upstream = un;
        root.ingress = i;
        root.at = i.defaultBackend.at;
        root.ann = { ...i.ann, sslRedirect: false, forceSslRedirect: false, preserveTrailingSlash: false, useRegex: false, rewriteTarget: '', appRoot: '', fromToWww: false };
        delete root.ann.redirect;
      }
    }
    for (const r of i.rules) {
      const host = r.host || DEFAULT_SERVER;
      if (servers.has(host)) continue;
      const s = server(host);
      s.owner = i;
      s.ownerAt = r.at;
      const root: Location = { path: '/', ingressPath: '/', pathType: 'Prefix', isDefBackend: true, ingress: i, ann: i.ann, at: i.defaultBackend && un ? i.defaultBackend.at : r.at };
      if (un) root.upstream = un;
      s.locations.push(root);
      s.sslPassthrough = i.ann.sslPassthrough;
      if (i.ann.sslPassthrough) s.passthroughBy.push(i);
      servers.set(host, s);
    }
  }
  const allAliases = new Map<string, { names: string[]; by: NginxIngress }>();
  for (const i of ingresses) {
    if (isCanary(i)) continue;
    for (const r of i.rules) {
      const host = r.host || DEFAULT_SERVER;
      const s = servers.get(host)!;
      if (s.aliases.length === 0 && i.ann.aliases.length > 0) {
        s.aliases = i.ann.aliases;
        s.aliasBy = i;
        if (!allAliases.get(host)?.names.length) allAliases.set(host, { names: i.ann.aliases, by: i });
      }
      if (i.ann.sslPassthrough && !s.passthroughBy.includes(i)) {
        s.sslPassthrough = true;
        s.passthroughBy.push(i);
      }
      if (s.cert || host === DEFAULT_SERVER || i.tls.length === 0) continue;
      s.cert = extractCert(host, i, certNames);
    }
  }
  for (const [host, { names, by }] of allAliases) {
    const s = servers.get(host)!;
    s.aliases = [...new Set(names.filter((a) => a !== host && !servers.has(a)))].sort();
    s.aliasBy = by;
  }

  // getBackendServers: the locations.
  const canaries: NginxIngress[] = [];
  for (const i of ingresses) {
    for (const r of i.rules) {
      const host = r.host || DEFAULT_SERVER;
      const s = servers.get(host) ?? def;
      if (!r.http) continue;
      for (const p of r.paths) {
        if (!p.backend) continue; // resource backends are skipped
        const ups = upstreams.get(upstreamName(i.namespace, p.backend));
        if (!ups) continue;
        if (ups.noServer) {
          if (!isCanary(i)) s.dropped.push({ ingress: i, at: p.at, path: p.path });
          continue;
        }
        let add = true;
        for (const loc of s.locations) {
          if (loc.path !== p.path) continue;
          if (loc.pathType !== p.pathType) break;
          add = false;
          if (!loc.isDefBackend) break;
          loc.upstream = ups;
          loc.isDefBackend = false;
          loc.ingress = i;
          loc.ann = i.ann;
          loc.at = p.at;
          if (i.ann.fromToWww) {
            s.redirectFromToWww = true;
            s.wwwBy ??= i;
            s.wwwAt ??= p.at;
          }
          break;
        }
        if (add) {
          s.locations.push({ path: p.path, ingressPath: p.path, pathType: p.pathType, isDefBackend: false, upstream: ups, ingress: i, ann: i.ann, at: p.at });
          if (i.ann.fromToWww) {
            s.redirectFromToWww = true;
            s.wwwBy ??= i;
            s.wwwAt ??= p.at;
          }
        }
      }
    }
    if (isCanary(i)) canaries.push(i);
  }
  if (ingresses.length > canaries.length) for (const c of canaries) mergeCanary(c, upstreams, servers);

  // Location order, then the Prefix split, then the regex mode.
  for (const s of servers.values()) {
    s.locations.sort((a, b) => (a.path.length !== b.path.length ? b.path.length - a.path.length : a.path > b.path ? -1 : a.path < b.path ? 1 : 0));
    s.locations = updateServerLocations(s.locations);
    for (const l of s.locations) {
      if (!l.ann || !(needsRewrite(l) || l.ann.useRegex)) continue;
      s.regex = true;
      const key = l.ann.useRegex ? 'use-regex' : 'rewrite-target';
      if (l.ingress && !s.regexTriggers.some((t) => t.ingress === l.ingress && t.key === key)) s.regexTriggers.push({ ingress: l.ingress, key, ...(l.at ? { at: l.at } : {}) });
    }
  }
  const ordered = [...servers.values()].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));

  // BuildRedirects
  const redirects: RedirectServer[] = [];
  const tos = new Set<string>();
  for (const s of ordered) {
    if (!s.redirectFromToWww || s.hostname === DEFAULT_SERVER || s.hostname.startsWith('*.')) continue;
    const to = s.hostname;
    const from = to.startsWith('www.') ? to.slice(4) : `www.${to}`;
    if (tos.has(to) || ordered.some((x) => x.hostname === from)) continue;
    const r: RedirectServer = { from, to, server: s };
    if (s.cert?.secret && s.cert.names.some((n) => nameCovers(n, from))) r.cert = s.cert;
    redirects.push(r);
    tos.add(to);
  }

  // configureCertificates: name -> certificate (names without one are removed in Lua).
  const certificates = new Map<string, Cert>();
  const configure = (name: string, cert: Cert | undefined) => {
    if (cert) certificates.set(name, cert);
    else certificates.delete(name);
  };
  for (const s of ordered) {
    configure(s.hostname, s.hostname === DEFAULT_SERVER ? undefined : s.cert);
    for (const a of s.aliases) configure(a, s.cert?.secret && s.cert.names.some((n) => nameCovers(n, a)) ? s.cert : undefined);
  }
  for (const r of redirects) configure(r.from, r.cert);

  return { servers, ordered, redirects, certificates, upstreams, ingresses };
}

/** controller.go extractTLSSecretName + the SSLCert choice of createServers. */
function extractCert(host: string, i: NginxIngress, certNames: Map<string, Set<string>>): Cert {
  for (const t of i.tls) {
    if (!t.hosts.includes(host)) continue;
    if (!t.secretName) return { ingress: i, at: t.at, names: [] };
    const k = `${i.namespace}/${t.secretName}`;
    return { secret: k, ingress: i, at: t.at, names: [...(certNames.get(`${i.namespace}/${i.name}|${k}`) ?? [])] };
  }
  for (const t of i.tls) {
    if (!t.secretName) continue;
    const k = `${i.namespace}/${t.secretName}`;
    const names = [...(certNames.get(`${i.namespace}/${i.name}|${k}`) ?? [])];
    if (names.some((n) => nameCovers(n, host))) return { secret: k, ingress: i, at: t.at, names };
  }
  // A tls section that does not name the host: the default certificate.
  return { ingress: i, at: i.tls[0]!.at, names: [] };
}

/** controller.go mergeAlternativeBackends. */
function mergeCanary(c: NginxIngress, upstreams: Map<string, Upstream>, servers: Map<string, Server>): void {
  const canMerge = (pri: Upstream | undefined, alt: Upstream): pri is Upstream => pri !== undefined && pri.name !== alt.name && !pri.noServer;
  const merge = (pri: Upstream, alt: Upstream, loc: Location, by: FieldPath, server: string) => {
    if (!pri.alternatives.includes(alt)) pri.alternatives.push(alt);
    if (!alt.mergedAt.some((m) => m.loc === loc)) alt.mergedAt.push({ loc, by, ingress: c, server });
  };
  const def = servers.get(DEFAULT_SERVER)!;
  if (c.defaultBackend) {
    const alt = upstreams.get(upstreamName(c.namespace, c.defaultBackend));
    if (alt) {
      let merged = false;
      let same = false;
      for (const loc of def.locations) {
        if (loc.upstream === alt) {
          same = true;
          break;
        }
        if (canMerge(loc.upstream, alt)) {
          merge(loc.upstream, alt, loc, c.defaultBackend.at, DEFAULT_SERVER);
          merged = true;
        }
      }
      if (!same && !merged) upstreams.delete(alt.name);
    }
  }
  for (const r of c.rules) {
    const s = servers.get(r.host || DEFAULT_SERVER);
    for (const p of r.paths) {
      if (!p.backend) continue;
      const alt = upstreams.get(upstreamName(c.namespace, p.backend));
      if (!alt || !s) continue;
      let merged = false;
      let same = false;
      for (const loc of s.locations) {
        if (loc.upstream === alt) {
          same = true;
          break;
        }
        if (canMerge(loc.upstream, alt) && loc.path === p.path && loc.pathType === p.pathType) {
          merge(loc.upstream, alt, loc, p.at, s.hostname);
          merged = true;
        }
      }
      if (!same && !merged) upstreams.delete(alt.name);
    }
  }
}

/** location.go updateServerLocations: Prefix `/foo` becomes `/foo/` plus an Exact `/foo` copy. */
function updateServerLocations(locations: Location[]): Location[] {
  const exact = new Set(locations.filter((l) => l.pathType === 'Exact').map((l) => l.path));
  const out: Location[] = [];
  for (const l of locations) {
    if (l.path === '/' || l.pathType !== 'Prefix' || needsRewrite(l) || l.ann?.useRegex) {
      out.push(l);
      continue;
    }
    const original = l.path;
    l.path = original.endsWith('/') ? original : `${original}/`;
    out.push(l);
    if (exact.has(original)) continue;
    out.push({ ...l, path: original, pathType: 'Exact', copy: true });
  }
  return out;
}

/** The annotation key as a field path. */
export function annotationPath(key: string): FieldPath {
  return ['metadata', 'annotations', PREFIX + key];
}
