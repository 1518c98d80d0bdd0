/**
 * Istio Gateway -> Gateway API Gateway (istio/api networking/v1alpha3/gateway.proto). Each server
 * becomes a listener per host (TCP: one listener), keeping the server's port and protocol; the
 * `namespace/` part of a server host says which namespaces' VirtualServices may bind to it, which
 * becomes the listener's allowedRoutes; tls.httpsRedirect becomes a redirect route on that
 * listener. The Gateway keeps the Istio Gateway's name and namespace.
 */
import type { GatewayIntent, ListenerIntent, Provenance, RouteIntent } from '../../ir/types.js';
import { NameRegistry, hostSlug, toDnsSubdomain } from '../../emitters/names.js';
import { DNS_SUBDOMAIN, WILDCARD_HOST } from '../../ir/k8s-names.js';
import type { ResourceContext } from '../types.js';
import { hostsMatch, isIp } from './hosts.js';
import { ObjReader } from './read.js';
import { fieldRuleId } from './rules.js';

export const DEFAULT_ISTIO_CLASS = 'istio';

/** What a VirtualService of `namespace` with these hosts may bind to on one listener. */
export interface Bind {
  /** '*' any namespace, else a namespace name ('.' resolved to the Gateway's). */
  namespace: string;
  dnsName: string;
}

export interface IstioListener {
  intent: ListenerIntent;
  /** Routes this listener takes: HTTP(S) requests, passed-through TLS, or TCP. */
  family: 'http' | 'tls' | 'tcp';
  binds: Bind[];
  /** tls.httpsRedirect on a plain HTTP server: every request is redirected, no VirtualService binds. */
  redirectOnly: boolean;
  /** The server it came from (spec.servers[i]). */
  server: number;
}

export interface IstioGateway {
  key: string;
  namespace: string;
  name: string;
  reader: ObjReader;
  listeners: IstioListener[];
  intent: GatewayIntent;
}

export function gatewayKey(namespace: string, name: string): string {
  return `istio:${namespace}/${name}`;
}

type Protocol = ListenerIntent['protocol'];

/** Whether a VirtualService of `namespace` with `hosts` binds to the listener (Istio's server host rules). */
export function listenerAdmits(l: IstioListener, namespace: string, hosts: readonly string[]): boolean {
  return l.binds.some((b) => (b.namespace === '*' || b.namespace === namespace) && hosts.some((h) => hostsMatch(b.dnsName, h)));
}

/** The Gateway API name of the Gateway made from an Istio Gateway: the same, made valid. */
export function gatewayName(name: string): string {
  return DNS_SUBDOMAIN.test(name) ? name : toDnsSubdomain(name);
}

export function translateGateway(ctx: ResourceContext, r: ObjReader, routes: RouteIntent[]): IstioGateway | undefined {
  const name = gatewayName(r.name);
  if (name !== r.name) {
    r.reportObject('istio/gateway-name', 'warning', `Gateway name "${r.name}" is not a valid Kubernetes object name; the Gateway API Gateway is named ${name}`, 'Rename the Gateway (Kubernetes refuses this name).');
  }
  const gw: IstioGateway = {
    key: gatewayKey(r.namespace, r.name),
    namespace: r.namespace,
    name,
    reader: r,
    listeners: [],
    intent: {
      key: gatewayKey(r.namespace, r.name),
      namespace: r.namespace,
      name,
      gatewayClassName: ctx.gatewayClass ?? DEFAULT_ISTIO_CLASS,
      ingressClass: DEFAULT_ISTIO_CLASS,
      provider: 'istio',
      annotations: {},
      provenance: [r.provenance()],
      sources: new Set([r.ref]),
      listeners: [],
    },
  };
  const selector = r.stringMap(['spec', 'selector']);
  const className = gw.intent.gatewayClassName;
  r.report(
    ['spec', 'selector'],
    fieldRuleId('Gateway.selector'),
    'info',
    `Gateway ${r.namespace}/${r.name} ${selector && Object.keys(selector).length ? `ran on the proxy pods labelled ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ')}` : 'had no selector (Istio applied it to every gateway workload)'}; the Gateway API Gateway uses gatewayClassName ${className}, whose implementation deploys a proxy of its own for it, with a new address`,
    'Point DNS at the new Gateway address once it serves, or give the Gateway spec.addresses naming the existing proxy Service if your implementation supports it.',
  );

  const names = new NameRegistry();
  const byKey = new Map<string, IstioListener>();
  // The Secrets of the terminating servers, reported once with the first one's position.
  const allSecrets: string[] = [];
  let secretsAt: (string | number)[] | undefined;
  r.list(['spec', 'servers']).forEach((_, i) => {
    const at = ['spec', 'servers', i] as const;
    const port = r.int([...at, 'port', 'number']);
    const protocolRaw = r.str([...at, 'port', 'protocol']);
    const portName = r.str([...at, 'port', 'name']);
    const serverName = r.str([...at, 'name']);
    const hosts = r.strings([...at, 'hosts']);
    const tlsAt = [...at, 'tls'];
    const hasTls = r.map(tlsAt) !== undefined;
    const mode = r.str([...tlsAt, 'mode']) ?? (hasTls ? 'PASSTHROUGH' : undefined);
    const httpsRedirect = r.bool([...tlsAt, 'httpsRedirect']) ?? false;
    if (port === undefined || port < 1 || port > 65535) {
      r.report([...at, 'port'], 'istio/invalid-server', 'error', `server ${i} has no valid port number; it was not translated`, 'Give the server a port number between 1 and 65535.');
      return;
    }
    const protocol = (protocolRaw ?? '').toUpperCase();
    let listenerProtocol: Protocol;
    let family: IstioListener['family'];
    let tlsMode: ListenerIntent['tlsMode'];
    const terminate = mode === 'SIMPLE' || mode === 'MUTUAL';
    const skipMode = (why: string) => {
      r.report([...tlsAt, 'mode'], fieldRuleId('Gateway.servers.tls.mode'), 'warning', `server ${i} (port ${port}) uses TLS mode ${mode}, ${why}; the server was not translated`, 'Serve these connections from another Gateway, or keep the Istio Gateway for them.');
    };
    // Istio serves HTTP, HTTP2, GRPC and GRPC-WEB servers as plain HTTP whatever their TLS
    // settings (pilot gateway IsTLSServer/IsHTTPServer); HTTPS terminates unless PASSTHROUGH.
    switch (protocol) {
      case 'HTTP':
      case 'HTTP2':
      case 'GRPC':
      case 'GRPC-WEB':
        listenerProtocol = 'HTTP';
        family = 'http';
        if (hasTls && (mode !== undefined && r.has([...tlsAt, 'mode'])) || ['credentialName', 'credentialNames', 'serverCertificate', 'privateKey'].some((f) => r.has([...tlsAt, f]))) {
          for (const f of Object.keys(r.map(tlsAt) ?? {})) if (f !== 'httpsRedirect') r.consume([...tlsAt, f]);
          r.report(tlsAt, fieldRuleId('Gateway.servers.tls.mode'), 'info', `server ${i} (port ${port}) is ${protocol}: Istio serves it as plain HTTP and does not use its TLS settings, so the listener is HTTP`, 'Use protocol HTTPS for a server that terminates TLS.');
        }
        break;
      case 'HTTPS':
        if (!hasTls) {
          r.report([...at, 'port', 'protocol'], 'istio/invalid-server', 'error', `server ${i} (port ${port}) is HTTPS without TLS settings, which Istio refuses; it was not translated`, 'Add tls.mode and tls.credentialName.');
          return;
        }
        if (mode === 'PASSTHROUGH') {
          listenerProtocol = 'TLS';
          tlsMode = 'Passthrough';
          family = 'tls';
        } else if (terminate) {
          listenerProtocol = 'HTTPS';
          family = 'http';
        } else {
          skipMode(mode === 'AUTO_PASSTHROUGH' ? 'which routes on destinations encoded in the SNI (multi-network east-west traffic) and has no Gateway API equivalent' : 'which uses the mesh certificates and has no Gateway API equivalent');
          return;
        }
        break;
      case 'TLS':
        if (mode === 'PASSTHROUGH' || !hasTls) {
          listenerProtocol = 'TLS';
          tlsMode = 'Passthrough';
          family = 'tls';
        } else if (terminate) {
          skipMode('which terminates TLS for TCP routes: a Gateway API TLS listener in Terminate mode takes TLSRoutes, not the TCPRoutes the VirtualService tcp routes become');
          return;
        } else {
          skipMode(mode === 'AUTO_PASSTHROUGH' ? 'which routes on destinations encoded in the SNI (multi-network east-west traffic) and has no Gateway API equivalent' : 'which uses the mesh certificates and has no Gateway API equivalent');
          return;
        }
        break;
      case 'TCP':
      case 'MONGO':
        listenerProtocol = 'TCP';
        family = 'tcp';
        break;
      default:
        r.report([...at, 'port', 'protocol'], 'istio/invalid-server', 'error', `server ${i} (port ${port}) has protocol "${protocolRaw ?? ''}", which Istio does not know for a Gateway server; it was not translated`, 'Use HTTP, HTTPS, GRPC, HTTP2, TLS, TCP or MONGO.');
        return;
    }
    if (httpsRedirect && listenerProtocol !== 'HTTP') {
      r.report([...tlsAt, 'httpsRedirect'], fieldRuleId('Gateway.servers.tls.httpsRedirect'), 'info', `tls.httpsRedirect has no effect on server ${i} (port ${port}, ${protocol}): Istio redirects only plain-HTTP servers`);
    }
    // Certificates (only where TLS is terminated: the other servers' TLS fields were handled above).
    const terminates = listenerProtocol === 'HTTPS';
    const secrets: string[] = [];
    if (terminates) {
      const credentialName = r.str([...tlsAt, 'credentialName']);
      if (credentialName) secrets.push(credentialName);
      secrets.push(...r.strings([...tlsAt, 'credentialNames']));
      if (secrets.length > 0) {
        allSecrets.push(...secrets.filter((x) => !allSecrets.includes(x)));
        secretsAt ??= [...tlsAt, credentialName ? 'credentialName' : 'credentialNames'];
      }
      if (mode === 'MUTUAL') {
        r.report(
          [...tlsAt, 'mode'],
          fieldRuleId('Gateway.servers.tls.mode'),
          'error',
          `server ${i} (port ${port}) required client certificates (MUTUAL); the listener terminates TLS without asking for them, so clients without a certificate are now accepted`,
          'Add a frontend TLS validation to the Gateway (spec.tls.frontend.perPort for this port, with the CA certificate in a ConfigMap).',
        );
      }
      if (secrets.length === 0) {
        r.report(
          [...tlsAt, 'mode'],
          'istio/server-without-secret',
          'warning',
          `server ${i} (port ${port}) terminates TLS without credentialName (certificate files mounted in the proxy are not a Gateway API source); the listener has no certificateRefs`,
          'Put the certificate in a kubernetes.io/tls Secret and reference it from the listener.',
        );
      }
    } else if (listenerProtocol === 'TLS') {
      for (const f of ['credentialName', 'credentialNames']) {
        if (r.has([...tlsAt, f])) r.report([...tlsAt, f], fieldRuleId('Gateway.servers.tls.credentialName'), 'info', `the certificate of server ${i} is not used: the server passes TLS through`);
      }
    }
    // Hosts: namespace/dnsName, the namespace `*` (any) when absent, `.` the Gateway's.
    const binds: Bind[] = [];
    hosts.forEach((h, j) => {
      const slash = h.indexOf('/');
      const ns = slash < 0 ? '*' : h.slice(0, slash);
      const dns = (slash < 0 ? h : h.slice(slash + 1)).toLowerCase();
      if (dns !== '*' && (!WILDCARD_HOST.test(dns) || isIp(dns))) {
        r.report([...at, 'hosts', j], 'istio/invalid-server-host', 'warning', `server host "${h}" is not a DNS name Gateway API accepts as a listener hostname; it was left out`, 'Use a DNS name, optionally with a leading *. wildcard.');
        return;
      }
      binds.push({ namespace: ns === '.' ? r.namespace : ns, dnsName: dns });
    });
    if (hosts.length === 0) {
      r.report([...at, 'hosts'], 'istio/invalid-server', 'error', `server ${i} (port ${port}) has no hosts; Istio refuses such a server, and it was not translated`, 'List the hosts the server exposes.');
      return;
    }
    // One listener per DNS name (TCP listeners have no hostname: one for the server).
    const dnsNames = listenerProtocol === 'TCP' ? ['*'] : [...new Set(binds.map((b) => b.dnsName))];
    const base = toDnsSubdomain(serverName ?? portName ?? `${listenerProtocol.toLowerCase()}-${port}`);
    for (const dns of dnsNames) {
      const hostname = dns === '*' || listenerProtocol === 'TCP' ? undefined : dns;
      const key = `${port}/${listenerProtocol}/${hostname ?? ''}`;
      const own = listenerProtocol === 'TCP' ? binds : binds.filter((b) => b.dnsName === dns);
      const existing = byKey.get(key);
      if (existing) {
        // Two servers with the same port, protocol and host are one listener in Gateway API.
        existing.binds.push(...own);
        existing.intent.provenance.push(r.provenance([...at]));
        if (httpsRedirect !== existing.redirectOnly || JSON.stringify(existing.intent.certificateSecrets ?? []) !== JSON.stringify(secrets) || existing.intent.tlsMode !== tlsMode) {
          r.report([...at], 'istio/duplicate-server', 'warning', `server ${i} repeats port ${port}, protocol ${listenerProtocol} and host ${dns} of server ${existing.server} with other TLS settings; Gateway API allows one listener for them, which keeps server ${existing.server}'s settings`, 'Give the servers different hosts or ports.');
        }
        continue;
      }
      const name = names.claim('listener', '', dnsNames.length > 1 ? `${base}-${hostSlug(dns)}` : base);
      const intent: ListenerIntent = { name, port, protocol: listenerProtocol, provenance: [r.provenance([...at])] };
      if (hostname !== undefined) intent.hostname = hostname;
      if (tlsMode) intent.tlsMode = tlsMode;
      if (secrets.length) intent.certificateSecrets = [...secrets];
      const l: IstioListener = { intent, family, binds: [...own], redirectOnly: httpsRedirect && listenerProtocol === 'HTTP', server: i };
      byKey.set(key, l);
      gw.listeners.push(l);
    }
  });
  if (secretsAt) {
    const many = allSecrets.length > 1;
    r.note(
      secretsAt,
      fieldRuleId('Gateway.servers.tls.credentialName'),
      'info',
      `the listeners reference the Secret${many ? 's' : ''} ${allSecrets.join(', ')} in namespace ${r.namespace}, the Gateway's: Istio read credentialName in the namespace of the gateway pods it selected, which may be another (often istio-system)`,
      `Make sure the Secret${many ? 's are' : ' is'} in namespace ${r.namespace} (copy ${many ? 'them' : 'it'}, or let cert-manager issue ${many ? 'them' : 'it'} there).`,
    );
  }
  // allowedRoutes: what the server hosts admit; a redirect-only listener admits its redirect route.
  for (const l of gw.listeners) {
    if (l.redirectOnly) continue;
    const nss = new Set(l.binds.map((b) => b.namespace));
    if (nss.has('*')) l.intent.allowedNamespaces = { from: 'All' };
    else if (nss.size === 1 && nss.has(r.namespace)) l.intent.allowedNamespaces = { from: 'Same' };
    else l.intent.allowedNamespaces = { names: [...nss].sort() };
  }
  gw.intent.listeners = gw.listeners.map((l) => l.intent);
  if (gw.listeners.length === 0) {
    r.reportObject('istio/gateway-without-listeners', 'warning', `Gateway ${r.namespace}/${r.name} has no server gateway-shift could translate, so no Gateway was generated`);
    return undefined;
  }
  // tls.httpsRedirect: a route answering every request of those listeners with a 301 to HTTPS.
  const redirectListeners = gw.listeners.filter((l) => l.redirectOnly);
  if (redirectListeners.length > 0) {
    const prov: Provenance[] = redirectListeners.map((l) => r.provenance(['spec', 'servers', l.server, 'tls', 'httpsRedirect']));
    routes.push({
      kind: 'HTTPRoute',
      gatewayKey: gw.key,
      namespace: r.namespace,
      name: `${name}-https-redirect`,
      hostnames: [],
      attach: { http: false, https: false },
      // A redirect twin: with --parent-ref it is not attached to the existing Gateway (reported).
      httpsRedirectFor: '',
      parents: [{ kind: 'Gateway', gatewayKey: gw.key, listeners: redirectListeners.map((l) => l.intent.name) }],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backends: [],
          filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
          provenance: prov,
        },
      ],
      annotations: {},
      provenance: prov,
    });
  }
  return gw;
}
