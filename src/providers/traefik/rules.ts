/**
 * The Traefik annotation rule table: one entry for each `traefik.ingress.kubernetes.io/*` key that
 * Traefik v3.7.9 documents and parses (docs/content/reference/routing-configuration/kubernetes/
 * ingress.md; pkg/provider/kubernetes/ingress/annotations.go RouterIng and ServiceIng). `router.*`
 * keys are read from the Ingress; `service.*` keys from the Service the path points to (Traefik
 * ignores them on an Ingress). `status` says what this version of gateway-shift does; see
 * docs/research/traefik.md for the sources.
 */
import { oneOf, ruleEntry, type RuleEntry, type RuleSpec } from '../rules.js';

export const TRAEFIK_PREFIX = 'traefik.ingress.kubernetes.io/';

/** Go strconv.ParseBool, which Traefik's label parser uses for boolean fields. */
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
const isBool = (v: string) => (GO_BOOL.test(v.trim()) ? undefined : 'expected a boolean (true/false)');
const isInt = (v: string) => (/^[+-]?\d+$/.test(v.trim()) ? undefined : 'expected a whole number');

function rule(key: string, s: RuleSpec): RuleEntry {
  return ruleEntry(`traefik/${key.toLowerCase()}`, TRAEFIK_PREFIX + key, s);
}

const ON_SERVICE = 'Read from the Service the path points to (Traefik ignores it on an Ingress).';
const ACME_FIX =
  'Issue the certificate with cert-manager (a Certificate, or the cert-manager.io/cluster-issuer annotation on the Gateway) into a Secret, and reference it from the Ingress spec.tls or the HTTPS listener.';

export const TRAEFIK_RULES: RuleEntry[] = [
  // --- router (on the Ingress) ---------------------------------------------------------------
  rule('router.entrypoints', {
    status: 'translated',
    channel: 'standard',
    does: 'The entry points (listening ports) the routers of the Ingress are attached to; without it, every default entry point (all of them unless some are marked asDefault). A name that is not an entry point is an error for that name.',
    becomes: 'parentRefs with the sectionName of the listener of each entry point: web is the HTTP listener (port 80), websecure the HTTPS listener of the host (port 443), or as defined with --traefik-entrypoint; entry points on other ports are reported.',
    values: 'comma-separated entry point names',
  }),
  rule('router.tls', {
    status: 'translated',
    channel: 'standard',
    does: 'Makes the routers TLS-only ("true"; any other value leaves TLS off): they answer only TLS connections, on every entry point they are attached to, with the certificate of the store that matches the SNI.',
    becomes: 'The routes attach to the HTTPS listener of their host only (certificate from spec.tls); TLS on an HTTP entry point (port 80) cannot be expressed and is reported.',
    values: 'true',
  }),
  rule('router.tls.certresolver', {
    status: 'unsupported',
    does: 'Obtains the certificate from this ACME resolver of the static configuration; also turns TLS on for the routers.',
    becomes: 'No Gateway API equivalent: HTTPS listeners reference Secrets. TLS is on, as in Traefik.',
    fix: ACME_FIX,
  }),
  rule('router.tls.domains.n.main', {
    status: 'unsupported',
    does: 'Main name of the n-th certificate the ACME resolver requests (n = 0, 1, ...); also turns TLS on for the routers.',
    becomes: 'No Gateway API equivalent (listener hostnames are the route hosts).',
    fix: ACME_FIX,
  }),
  rule('router.tls.domains.n.sans', {
    status: 'unsupported',
    does: 'Subject alternative names of the n-th certificate the ACME resolver requests; also turns TLS on for the routers.',
    becomes: 'No Gateway API equivalent.',
    fix: ACME_FIX,
  }),
  rule('router.tls.options', {
    status: 'unsupported',
    channel: 'standard',
    does: 'TLSOption of the routers (`<namespace>-<name>@kubernetescrd` or `<name>@file`): TLS versions, cipher suites, curves, SNI strictness, client certificates (clientAuth); also turns TLS on.',
    becomes: 'clientAuth: Gateway spec.tls.frontend validation (per Gateway or port, not per host); versions and ciphers: listener tls.options, implementation-specific. Not generated; the TLSOption (when in the input) is named in the finding.',
    fix: 'Configure the client certificate validation on the Gateway (spec.tls.frontend) and the TLS versions and ciphers with your implementation (listener tls.options, or a policy such as Envoy Gateway ClientTrafficPolicy).',
  }),
  rule('router.middlewares', {
    status: 'partial',
    channel: 'standard',
    does: 'Middlewares run in order before the service (`<namespace>-<name>@kubernetescrd` for Middleware objects; other providers with @file, @docker...). A reference that does not resolve disables the router.',
    becomes: 'Each Middleware of the input, in order: stripPrefix, addPrefix, replacePath as URLRewrite (one per rule, composed; a prefix that applies to part of a path becomes a rule of its own), redirectScheme and plain redirectRegex as RequestRedirect (on the listeners where they redirect), headers as Request/ResponseHeaderModifier and CORS, chain expanded in order; other kinds (basicAuth, forwardAuth, ipAllowList, rateLimit, retry, ...) are reported, as errors when they protected the paths.',
    values: 'comma-separated middleware references',
    fix: 'Configure what the reported middlewares did with your Gateway API implementation (its policies or filters).',
  }),
  rule('router.priority', {
    status: 'unsupported',
    does: 'Router priority: the router with the highest matching priority answers. Default: the length of the rule (Host + path matcher).',
    becomes: 'No equivalent: Gateway API ranks matches by hostname, then Exact before the longest PathPrefix. Where Traefik (with this or the default priority) chose another rule than Gateway API will, it is reported.',
    check: isInt,
    fix: 'Check the reported paths: make the paths distinct (an Exact match, a longer prefix) so that Gateway API precedence picks the same rule.',
  }),
  rule('router.pathmatcher', {
    status: 'translated',
    channel: 'standard',
    does: 'Matcher for ImplementationSpecific (and empty) pathTypes: PathPrefix (default; a plain string prefix), Path (exact) or PathRegexp (an unanchored Go regular expression); other values make Traefik skip the path. Exact and Prefix pathTypes ignore it.',
    becomes: 'Path: Exact; PathPrefix: PathPrefix (segment-wise, the difference is reported); PathRegexp: RegularExpression, anchored as Traefik searched (implementation-specific).',
    values: 'Path, PathPrefix or PathRegexp',
  }),
  rule('router.rulesyntax', {
    status: 'ignored',
    does: 'Deprecated: parses the generated rule with the v2 syntax; for an Ingress this changes only how a wildcard host is written (HostRegexp with one label, as the Ingress means).',
    becomes: 'Nothing: Gateway API has one match syntax, and wildcard hosts keep their meaning (reported for wildcards).',
    values: 'v2 or v3',
  }),
  rule('router.observability.accesslogs', {
    status: 'unsupported',
    does: 'Turns access logs on or off for the routers.',
    becomes: 'No equivalent (implementation telemetry settings).',
    check: isBool,
  }),
  rule('router.observability.metrics', {
    status: 'unsupported',
    does: 'Turns metrics on or off for the routers.',
    becomes: 'No equivalent (implementation telemetry settings).',
    check: isBool,
  }),
  rule('router.observability.tracing', {
    status: 'unsupported',
    does: 'Turns tracing on or off for the routers.',
    becomes: 'No equivalent (implementation telemetry settings).',
    check: isBool,
  }),
  rule('router.observability.traceVerbosity', {
    status: 'unsupported',
    does: 'Tracing detail of the routers: minimal (default) or detailed.',
    becomes: 'No equivalent (implementation telemetry settings).',
    values: 'minimal or detailed',
  }),

  // --- service (on the Service) --------------------------------------------------------------
  rule('service.middlewares', {
    status: 'partial',
    channel: 'standard',
    does: `${ON_SERVICE} Middlewares run after the router's, for every router that uses the Service.`,
    becomes: 'As router.middlewares, appended after them, on the rules whose backend is the Service.',
  }),
  rule('service.serversscheme', {
    status: 'unsupported',
    channel: 'standard',
    does: `${ON_SERVICE} Scheme to the pods: http, https (TLS, certificate verified against the system CAs) or h2c. Default: https when the Service port is 443 or its name starts with "https", else http.`,
    becomes: 'https: a BackendTLSPolicy for the Service (with the CA and the name to verify); h2c: appProtocol kubernetes.io/h2c on the Service port. Not generated (reported with what to create).',
    values: 'http, https or h2c',
    fix: 'https: create a BackendTLSPolicy for the Service (validation.wellKnownCACertificates: System or the CA Secret, and the hostname in the certificate). h2c: set appProtocol: kubernetes.io/h2c on the Service port.',
  }),
  rule('service.serverstransport', {
    status: 'unsupported',
    channel: 'standard',
    does: `${ON_SERVICE} ServersTransport of the connections to the pods: root CAs, server name, client certificate, insecureSkipVerify, timeouts, HTTP/2 settings.`,
    becomes: 'CAs and server name: BackendTLSPolicy; client certificate: Gateway spec.tls.backend.clientCertificateRef; insecureSkipVerify and timeouts: no standard equivalent. Not generated.',
    fix: 'Read the ServersTransport and create the BackendTLSPolicy (and Gateway backend client certificate) it describes; timeouts need an implementation policy.',
  }),
  rule('service.passhostheader', {
    status: 'partial',
    channel: 'standard',
    does: `${ON_SERVICE} Whether the client Host header is sent to the pods (default true); false sends the pod address instead.`,
    becomes: 'true: nothing to do, Gateway API keeps the Host; false is reported (a URLRewrite hostname can set a fixed Host).',
    check: isBool,
    fix: 'If the backend needs a particular Host, add a URLRewrite filter with that hostname.',
  }),
  rule('service.sticky.cookie', {
    status: 'translated',
    channel: 'experimental',
    does: `${ON_SERVICE} Sticky sessions with a cookie ("true"; any other value leaves them off), named from a hash of the service unless cookie.name is set.`,
    becomes: 'sessionPersistence {type Cookie, sessionName} on every rule to the Service, with --channel experimental; in the standard channel it is reported.',
    values: 'true',
  }),
  rule('service.sticky.cookie.name', {
    status: 'translated',
    channel: 'experimental',
    does: `${ON_SERVICE} Name of the sticky cookie (characters outside the cookie token set become _). Turns stickiness on.`,
    becomes: 'sessionPersistence sessionName.',
  }),
  rule('service.sticky.cookie.maxage', {
    status: 'translated',
    channel: 'experimental',
    does: `${ON_SERVICE} Max-Age of the sticky cookie in seconds (0: a session cookie; negative: expires at once). Turns stickiness on.`,
    becomes: 'sessionPersistence absoluteTimeout with cookieConfig lifetimeType Permanent; 0 is a Session cookie; negative values are reported.',
    check: isInt,
  }),
  rule('service.sticky.cookie.secure', {
    status: 'unsupported',
    does: `${ON_SERVICE} Secure attribute of the sticky cookie. Turns stickiness on.`,
    becomes: 'No equivalent (cookie attributes are left to the implementation).',
    check: isBool,
  }),
  rule('service.sticky.cookie.httponly', {
    status: 'unsupported',
    does: `${ON_SERVICE} HttpOnly attribute of the sticky cookie. Turns stickiness on.`,
    becomes: 'No equivalent (cookie attributes are left to the implementation).',
    check: isBool,
  }),
  rule('service.sticky.cookie.samesite', {
    status: 'unsupported',
    does: `${ON_SERVICE} SameSite attribute of the sticky cookie (none, lax, strict). Turns stickiness on.`,
    becomes: 'No equivalent (cookie attributes are left to the implementation).',
  }),
  rule('service.sticky.cookie.domain', {
    status: 'unsupported',
    does: `${ON_SERVICE} Domain attribute of the sticky cookie. Turns stickiness on.`,
    becomes: 'No equivalent (cookie attributes are left to the implementation).',
  }),
  rule('service.sticky.cookie.path', {
    status: 'unsupported',
    does: `${ON_SERVICE} Path attribute of the sticky cookie (default /). Turns stickiness on.`,
    becomes: 'No equivalent (the implementation chooses the cookie path).',
  }),
  rule('service.nativelb', {
    status: 'unsupported',
    does: `${ON_SERVICE} Sends to the Service cluster IP (kube-proxy balances) instead of the pod endpoints (default false, or the provider\u2019s nativeLBByDefault).`,
    becomes: 'No equivalent: Gateway API implementations balance over the endpoints themselves.',
    check: isBool,
  }),
  rule('service.nodeportlb', {
    status: 'unsupported',
    does: `${ON_SERVICE} For a NodePort Service, sends to the node internal IPs and the node port (Traefik outside the cluster).`,
    becomes: 'No equivalent.',
    check: isBool,
  }),
];

/**
 * The rule-table form of a key: Traefik matches field names case-insensitively (paerser
 * labels_decode.go containsNode / nodes_metadata.go findTypedField use strings.EqualFold) and
 * reads `router.tls.domains.<n>.<field>` as the n-th domain (annotations.go annotationsRegex).
 */
function canonicalKey(key: string): string | undefined {
  if (!key.startsWith(TRAEFIK_PREFIX)) return undefined;
  return TRAEFIK_PREFIX + key.slice(TRAEFIK_PREFIX.length).toLowerCase().replace(/^router\.tls\.domains\.\d+\./, 'router.tls.domains.n.');
}

const BY_CANONICAL = new Map(TRAEFIK_RULES.map((r) => [canonicalKey(r.key)!, r] as const));

export function findTraefikRule(key: string): RuleEntry | undefined {
  const c = canonicalKey(key);
  return c === undefined ? undefined : BY_CANONICAL.get(c);
}
