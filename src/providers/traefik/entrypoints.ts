/**
 * Traefik entry points and the Gateway listeners they stand for.
 *
 * A router is attached to the entry points of router.entrypoints, or, without it, to every default
 * entry point: all of them unless some are marked asDefault (cmd/traefik/traefik.go
 * getDefaultsEntrypoints L409-441; pkg/server/aggregator.go L50-59). A name that is no entry point
 * is an error for that name only (pkg/config/runtime/runtime_http.go L29-35); a router left with
 * none is not served (L47-51). An entry point with `http.tls` makes every router on it a TLS router
 * (pkg/server/aggregator.go applyModel L330-340), and a TLS router answers only TLS connections
 * (runtime_http.go L22-24). The Traefik Helm chart (v41.3.0 values.yaml) defines `web` (exposed on
 * port 80) and `websecure` (exposed on 443, http.tls enabled): those are the defaults here.
 */
import type { EntryPointOption } from '../types.js';

export const DEFAULT_ENTRY_POINTS: readonly EntryPointOption[] = [
  { name: 'web', protocol: 'HTTP', port: 80 },
  { name: 'websecure', protocol: 'HTTPS', port: 443 },
];

/**
 * Parses `--traefik-entrypoint name=PROTOCOL:PORT[:redirect=TARGET]` values (each may hold several,
 * comma-separated). `redirect=TARGET` is the entry point's http.redirections.entryPoint.to.
 * Throws an Error with a message for the user on a bad value.
 */
export function parseEntryPoints(values: readonly string[]): EntryPointOption[] {
  const out: EntryPointOption[] = [];
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    const m = /^([^=\s:]+)=(HTTP|HTTPS):(\d{1,5})(?::redirect=([^=\s:]+))?$/i.exec(v);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port < 1 || port > 65535) {
      throw new Error(`--traefik-entrypoint "${v}" must be name=PROTOCOL:PORT[:redirect=ENTRYPOINT] with PROTOCOL HTTP or HTTPS (HTTPS: the entry point terminates TLS), e.g. websecure=HTTPS:443 or web=HTTP:80:redirect=websecure`);
    }
    const name = m[1]!;
    if (out.some((e) => e.name === name)) throw new Error(`--traefik-entrypoint: entry point "${name}" is defined twice`);
    const ep: EntryPointOption = { name, protocol: m[2]!.toUpperCase() as 'HTTP' | 'HTTPS', port };
    if (m[4]) ep.redirectTo = m[4];
    out.push(ep);
  }
  for (const ep of out) {
    if (ep.redirectTo === undefined) continue;
    const target = out.find((e) => e.name === ep.redirectTo);
    if (!target || target.protocol !== 'HTTPS' || ep.protocol !== 'HTTP') {
      throw new Error(`--traefik-entrypoint ${ep.name}: redirect=${ep.redirectTo} must name an HTTPS entry point defined with --traefik-entrypoint, from an HTTP one`);
    }
  }
  return out;
}

/** Where a router is served, in Gateway listener terms, and what could not be expressed. */
export interface ListenerChoice {
  /** Served in plain HTTP on port 80: the Gateway's `http` listener. */
  http: boolean;
  /** Served with TLS on port 443: the HTTPS listener of the host. */
  https: boolean;
  /** Entry points the annotation names that do not exist. */
  unknown: string[];
  /** Entry points on other ports than 80 (HTTP) and 443 (HTTPS), which have no listener here. */
  otherPorts: EntryPointOption[];
  /** TLS router on an HTTP entry point: TLS on a port that is plain HTTP in Gateway API. */
  tlsOnHttp: EntryPointOption[];
  /**
   * The HTTP entry point redirects every request to an HTTPS one (its redirect router has
   * priority MaxInt-1, pkg/provider/traefik/internal.go redirection L149-200): the HTTP listener
   * answers with that redirect; the port is the target's.
   */
  httpRedirect?: { entryPoint: string; to: EntryPointOption };
}

export function chooseListeners(defined: readonly EntryPointOption[], named: readonly string[] | undefined, tlsRouter: boolean): ListenerChoice {
  const choice: ListenerChoice = { http: false, https: false, unknown: [], otherPorts: [], tlsOnHttp: [] };
  const eps: EntryPointOption[] = [];
  if (named && named.length > 0) {
    for (const n of named) {
      const ep = defined.find((e) => e.name === n);
      if (!ep) {
        if (!choice.unknown.includes(n)) choice.unknown.push(n);
      } else if (!eps.includes(ep)) eps.push(ep);
    }
  } else eps.push(...defined);
  for (const ep of eps) {
    const tls = tlsRouter || ep.protocol === 'HTTPS';
    if (tls && ep.protocol === 'HTTP') {
      choice.tlsOnHttp.push(ep);
      continue;
    }
    if (!tls && ep.port === 80) {
      choice.http = true;
      const to = ep.redirectTo !== undefined ? defined.find((e) => e.name === ep.redirectTo) : undefined;
      if (to) choice.httpRedirect = { entryPoint: ep.name, to };
    }
    else if (tls && ep.port === 443) choice.https = true;
    else choice.otherPorts.push(ep);
  }
  return choice;
}
