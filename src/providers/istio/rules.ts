/**
 * The Istio field rule table: one entry per field of VirtualService and Gateway
 * (networking.istio.io v1, v1beta1 and v1alpha3 share the schema), with the shape of an
 * annotation entry. Behaviour is from istio/api networking/v1alpha3/virtual_service.proto and
 * gateway.proto (the CRD descriptions), and from Istio's validation and route translation where
 * the proto is silent; Gateway API results are for v1.6.1.
 *
 * A field is consumed by the provider when its effect is in the output (or a finding of the
 * provider says why not); any other field of the spec is reported from this table, and a field
 * the table does not know as `istio/unknown-field`.
 */
import type { GatewayApiChannel, RuleEntry, RuleStatus } from '../rules.js';

export const ISTIO_GROUP = 'networking.istio.io';

/** `corsPolicy` -> `cors-policy`; the proto name `mirror_percent` keeps a name of its own. */
function kebab(segment: string): string {
  if (segment === 'mirror_percent') return 'mirror-percent-proto-name';
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The finding id of a field, from its path without `spec` and list markers, in lowercase words:
 * `VirtualService.http.corsPolicy.allowOrigins` -> `istio/virtual-service.http.cors-policy.allow-origins`.
 */
export function fieldRuleId(path: string): string {
  return `istio/${path.split('.').map(kebab).join('.')}`;
}

/** `VirtualService.spec.http[].corsPolicy.allowOrigins` -> `istio/virtual-service.http.cors-policy.allow-origins`. */
export function istioRuleId(key: string): string {
  return fieldRuleId(key.replace('.spec.', '.').replace(/\[\]/g, ''));
}

function e(key: string, status: RuleStatus, channel: GatewayApiChannel, behaviour: string, gatewayApi: string, remediation?: string, extra: Partial<RuleEntry> = {}): RuleEntry {
  const r: RuleEntry = { id: istioRuleId(key), key, status, behaviour, gatewayApi, channel, ...extra };
  if (remediation) r.remediation = remediation;
  return r;
}

const VS = 'VirtualService.spec.';
const HTTP = `${VS}http[].`;
const MATCH = `${HTTP}match[].`;
const GW = 'Gateway.spec.';
const SERVER = `${GW}servers[].`;
const TLS = `${SERVER}tls.`;

const NO_SOURCE_SELECTOR =
  'The match block is left out: its requests follow the other routes. Gateway API routes cannot select clients; a consumer route (an HTTPRoute in the client namespace with the Service as parent) is the closest for a whole namespace.';

/** The fields of a route destination, for http, tls and tcp routes alike. */
function destinationRules(prefix: string, what: string): RuleEntry[] {
  return [
    e(
      `${prefix}destination.host`,
      'translated',
      'standard',
      `The ${what} host: a short name (a Service in the VirtualService's namespace), a Kubernetes Service name (name.namespace.svc.cluster.local), or a host a ServiceEntry declares. Istio takes any name with a dot as fully qualified, so name.namespace names no Service (its traffic is dropped) unless a ServiceEntry declares it.`,
      'backendRef to the Service (namespace set when it is in another namespace, with a ReferenceGrant); name.namespace and name.namespace.svc are read as that Service (reported); hosts of ServiceEntries and unknown hosts are reported and left out.',
      'For an external host, use an implementation backend (Istio: backendRef group networking.istio.io, kind Hostname) or a Service of type ExternalName.',
    ),
    e(
      `${prefix}destination.port`,
      'translated',
      'standard',
      'The port of the destination; optional when the Service has one port (Istio then uses it; with several, the port the request came in on).',
      'backendRef port (required by Gateway API for a Service): the given number, else the one port of the Service when its manifest is in the input; otherwise the destination is reported and left out.',
      'Give destination.port, or add the Service manifest to the input.',
    ),
    e(
      `${prefix}destination.subset`,
      'unsupported',
      'none',
      'A subset of the Service endpoints, defined by the labels of a DestinationRule subset of the same host.',
      'No equivalent: Gateway API sends to whole Services. The backendRef names a Service <service>-<subset>, which you create with the Service selector plus the subset labels (the finding lists them).',
      'Create one Service per subset: the selector of the Service plus the labels of the DestinationRule subset, with the same ports.',
    ),
  ];
}

export const ISTIO_RULES: RuleEntry[] = [
  // VirtualService
  e(
    `${VS}hosts`,
    'translated',
    'standard',
    'The hosts the routes apply to: on a Gateway, matched against the Host header (wildcards allowed); in the mesh, the Services whose traffic they take.',
    'Gateway routes: HTTPRoute hostnames (IPs and * left out: * means every host); mesh routes: a parentRef to each Service (GAMMA), no hostnames.',
  ),
  e(
    `${VS}gateways`,
    'translated',
    'standard',
    'The Istio Gateways (name in the same namespace, or namespace/name) and the reserved mesh (all sidecars) the routes apply to; absent means mesh only.',
    'parentRefs to the Gateway API Gateways made from those Gateways, on the listeners whose server hosts admit the VirtualService (same rules: host match and namespace/ prefix); mesh: parentRefs to the Services of the hosts. A VirtualService bound to both yields a Gateway route and a mesh route.',
  ),
  e(
    `${VS}exportTo`,
    'partial',
    'standard',
    'The namespaces whose sidecars and gateways see the VirtualService (. is its own namespace, * every namespace; default every namespace).',
    '* needs nothing; a mesh VirtualService exported only to its own namespace for a Service of another namespace becomes a consumer route there (GAMMA: it applies to that namespace only); a Gateway outside the exported namespaces does not get the route. Other restrictions have no equivalent and are reported.',
    'A mesh route in the Service namespace (producer route) applies to every client; use consumer routes (one per client namespace) to narrow it.',
  ),
  e(`${HTTP}name`, 'translated', 'standard', 'A name for the route, used in access logs and stats.', 'Rule name (rules[].name) when it is a valid DNS label; otherwise reported and left out.'),
  e(
    `${MATCH}uri`,
    'translated',
    'standard',
    'Path match: exact, prefix (a plain string prefix: /foo matches /foobar) or regex (RE2, whole path). Case-sensitive.',
    'Exact -> Exact, regex -> RegularExpression (implementation-specific), prefix -> PathPrefix, which matches whole path segments: where the two differ (a prefix not ending in /, or ending in / other than /) it is reported with the paths that change.',
    'Where /foobar must still match /foo, add a RegularExpression match `/foo.*` (implementation-specific).',
  ),
  e(`${MATCH}scheme`, 'unsupported', 'none', 'Matches the URI scheme (http or https).', 'No equivalent: routes attach to HTTP or HTTPS listeners instead; the condition is left out (the match is broader).', 'Attach the route only to the listeners of that scheme.'),
  e(`${MATCH}method`, 'partial', 'standard', 'Matches the HTTP method (exact, prefix or regex).', 'method (Extended) for an exact method; a prefix or regex is expanded to the methods it matches among the nine Gateway API knows, one match each; no method matched: reported.'),
  e(
    `${MATCH}authority`,
    'unsupported',
    'none',
    'Matches the Host/authority header (exact, prefix, regex) inside the route.',
    'No per-rule host match: hostnames are per route. The condition is left out (the match is broader).',
    'Move the rule to its own HTTPRoute whose hostnames are that authority.',
  ),
  e(
    `${MATCH}headers`,
    'translated',
    'standard',
    'Header matches: exact, prefix or regex (RE2, whole value); an empty match checks presence. Names are lowercase.',
    'headers: exact -> Exact; regex -> RegularExpression; prefix p -> RegularExpression ^p.* and presence -> .* (implementation-specific); names that are not HTTP header names (such as :authority) are reported.',
  ),
  e(`${MATCH}port`, 'translated', 'standard', 'Limits the match to requests arriving on that port (of the gateway server or of the Service).', 'Gateway routes: only the listeners of that port; mesh routes: parentRef port. Routes are split by port where matches differ.'),
  e(`${MATCH}sourceLabels`, 'unsupported', 'none', 'Applies the match only to client workloads with these labels (mesh only).', `No equivalent. ${NO_SOURCE_SELECTOR}`, 'Route those clients by something in the request (a header), or give them their own Service.'),
  e(`${MATCH}gateways`, 'translated', 'standard', 'Applies the match only on these gateways (or mesh), overriding the VirtualService gateways.', 'The match is kept only in the routes made for those parents.'),
  e(
    `${MATCH}queryParams`,
    'translated',
    'standard',
    'Query parameter matches: exact, prefix or regex (RE2).',
    'queryParams (Extended): exact -> Exact, regex -> RegularExpression, prefix p -> RegularExpression ^p.* (implementation-specific).',
  ),
  e(
    `${MATCH}ignoreUriCase`,
    'unsupported',
    'none',
    'Makes exact and prefix path matches case-insensitive.',
    'No equivalent: Gateway API path matches are case-sensitive. The match is kept case-sensitive.',
    'Use a RegularExpression path match with (?i) if your implementation supports it.',
  ),
  e(
    `${MATCH}withoutHeaders`,
    'unsupported',
    'none',
    'Excludes requests whose headers match (the opposite of headers).',
    'No negative matches in Gateway API: the exclusion is left out, so the match takes requests it excluded.',
    'Put a more specific rule for the excluded requests before it (a header match sending them where the next route did).',
  ),
  e(`${MATCH}sourceNamespace`, 'unsupported', 'none', 'Applies the match only to clients in that namespace (mesh only).', `No equivalent inside a route. ${NO_SOURCE_SELECTOR}`),
  e(`${MATCH}name`, 'ignored', 'none', 'A name for the match, appended to the route name in access logs.', 'No equivalent, and no effect on routing.'),
  e(`${MATCH}statPrefix`, 'ignored', 'none', 'A prefix for the per-route statistics of the proxy.', 'No equivalent, and no effect on routing.'),
  ...destinationRules(`${HTTP}route[].`, 'route'),
  e(
    `${HTTP}route[].weight`,
    'translated',
    'standard',
    'Share of the requests: weight/(sum of weights); a single destination takes every request whatever its weight; 0 sends nothing.',
    'backendRef weight (left out for a single destination, which takes everything).',
  ),
  e(`${HTTP}route[].headers`, 'translated', 'standard', 'Request and response header set/add/remove for this destination only.', 'RequestHeaderModifier and ResponseHeaderModifier filters on the backendRef (Extended).'),
  e(`${HTTP}redirect.uri`, 'translated', 'standard', 'Redirect: replaces the whole path.', 'RequestRedirect path ReplaceFullPath.'),
  e(`${HTTP}redirect.authority`, 'translated', 'standard', 'Redirect: replaces the host (the port stays unless port or derivePort say otherwise).', 'RequestRedirect hostname (a host:port value sets the port too).'),
  e(`${HTTP}redirect.port`, 'translated', 'standard', 'Redirect: replaces the port.', 'RequestRedirect port.'),
  e(
    `${HTTP}redirect.derivePort`,
    'partial',
    'standard',
    'Redirect: FROM_PROTOCOL_DEFAULT uses 80/443 by scheme, FROM_REQUEST_PORT the port of the request.',
    'Gateway API derives the port the same way when no port is set: the scheme’s port when the scheme changes, else the listener port (= the request port); FROM_PROTOCOL_DEFAULT without a scheme on a listener port other than 80/443 is reported.',
  ),
  e(`${HTTP}redirect.scheme`, 'translated', 'standard', 'Redirect: replaces the scheme.', 'RequestRedirect scheme (http or https).'),
  e(`${HTTP}redirect.redirectCode`, 'partial', 'standard', 'Redirect status code (default 301).', 'RequestRedirect statusCode for 301, 302, 303, 307 and 308; other codes are reported and 301 is used.'),
  e(`${HTTP}redirect.prefixRewrite`, 'translated', 'standard', 'Redirect: replaces the matched prefix of the path (prefix matches only).', 'RequestRedirect path ReplacePrefixMatch on the PathPrefix match.'),
  e(
    `${HTTP}directResponse`,
    'unsupported',
    'none',
    'Answers matching requests with a fixed status and body.',
    'No equivalent. The rule keeps its matches without a backend, so its requests get 500 instead of falling to the next rule.',
    'Serve the response from a small backend Service, or use an implementation filter (ExtensionRef).',
  ),
  e(
    `${HTTP}delegate`,
    'unsupported',
    'none',
    'Hands matching requests to the routes of another VirtualService (merged under this match).',
    'No equivalent (route delegation is not in Gateway API v1.6.1). The rule keeps its matches without a backend (500).',
    'Copy the delegate VirtualService routes into this route under the same match, or convert both and give the delegate its own HTTPRoute with the same hostnames and more specific matches.',
  ),
  e(
    `${HTTP}rewrite.uri`,
    'translated',
    'standard',
    'Rewrites the path before forwarding: the matched prefix for a prefix match, the whole path otherwise.',
    'URLRewrite ReplacePrefixMatch for PathPrefix matches, ReplaceFullPath for the others (the rule is split when it has both kinds).',
  ),
  e(`${HTTP}rewrite.authority`, 'translated', 'standard', 'Rewrites the Host/authority header before forwarding.', 'URLRewrite hostname.'),
  e(
    `${HTTP}rewrite.uriRegexRewrite`,
    'unsupported',
    'none',
    'Rewrites the path with a regex and a substitution (capture groups).',
    'No regex rewrite in Gateway API v1.6.1 (only ReplaceFullPath and ReplacePrefixMatch); the path is forwarded unchanged.',
    'Express it as a prefix rewrite when it replaces a prefix, or use an implementation filter.',
  ),
  e(`${HTTP}timeout`, 'translated', 'standard', 'Timeout of the whole request (default: none).', 'timeouts.request (Extended), in Gateway API duration units.'),
  e(`${HTTP}retries.attempts`, 'translated', 'experimental', 'Number of retries (0 disables them; unset: Istio’s default of 2).', 'retry.attempts (experimental channel; reported with --channel standard). 0 becomes no retry stanza (reported: the implementation default then applies).'),
  e(`${HTTP}retries.perTryTimeout`, 'translated', 'standard', 'Timeout of each attempt.', 'timeouts.backendRequest (at most the request timeout).'),
  e(
    `${HTTP}retries.retryOn`,
    'partial',
    'experimental',
    'Conditions to retry on (Envoy policies such as 5xx, gateway-error, connect-failure, reset, and status codes).',
    'retry.codes: status codes, 5xx (500-599), gateway-error (502-504), retriable-4xx (409); connection failures are retried by every implementation that retries; gRPC conditions and others are reported.',
  ),
  e(`${HTTP}retries.backoff`, 'translated', 'experimental', 'Base interval between retries (default 25ms).', 'retry.backoff.'),
  e(`${HTTP}retries.retryRemoteLocalities`, 'unsupported', 'none', 'Whether retries may go to other localities.', 'No equivalent.'),
  e(`${HTTP}retries.retryIgnorePreviousHosts`, 'unsupported', 'none', 'Whether retries avoid the hosts already tried (default true).', 'No equivalent (implementations choose).'),
  e(
    `${HTTP}fault`,
    'unsupported',
    'none',
    'Injects delays and aborts into a share of the requests (testing).',
    'No equivalent: no fault is injected.',
    'Use your implementation’s fault injection (for example an Envoy Gateway BackendTrafficPolicy faultInjection) while testing.',
  ),
  e(`${HTTP}mirror`, 'translated', 'standard', 'Mirrors requests to another destination (responses ignored).', 'RequestMirror filter (Extended).'),
  e(`${HTTP}mirrorPercentage`, 'translated', 'standard', 'Share of the requests mirrored by mirror (default 100).', 'RequestMirror percent, or fraction for a non-integer percentage.'),
  e(`${HTTP}mirrorPercent`, 'translated', 'standard', 'Deprecated integer share of the requests mirrored by mirror.', 'RequestMirror percent.'),
  e(`${HTTP}mirror_percent`, 'translated', 'standard', 'Deprecated integer share of the requests mirrored by mirror (the proto name).', 'RequestMirror percent.'),
  ...destinationRules(`${HTTP}mirrors[].`, 'mirror'),
  e(`${HTTP}mirrors[].percentage`, 'translated', 'standard', 'Share of the requests mirrored to that destination (default 100).', 'RequestMirror percent, or fraction for a non-integer percentage.'),
  e(
    `${HTTP}corsPolicy.allowOrigins`,
    'partial',
    'standard',
    'Origins allowed to make CORS requests: exact, prefix or regex string matches.',
    'CORS filter allowOrigins: exact origins as they are (scheme://host[:port] or *); a prefix or regex that is a single leading-label wildcard (https://*.example.com) becomes that wildcard; others are reported and left out.',
  ),
  e(`${HTTP}corsPolicy.allowOrigin`, 'partial', 'standard', 'Deprecated list of exact allowed origins.', 'CORS filter allowOrigins.'),
  e(`${HTTP}corsPolicy.allowMethods`, 'translated', 'standard', 'Methods allowed in CORS requests.', 'CORS filter allowMethods (methods Gateway API does not know are reported).'),
  e(`${HTTP}corsPolicy.allowHeaders`, 'translated', 'standard', 'Request headers allowed in CORS requests.', 'CORS filter allowHeaders.'),
  e(`${HTTP}corsPolicy.exposeHeaders`, 'translated', 'standard', 'Response headers exposed to the browser.', 'CORS filter exposeHeaders.'),
  e(`${HTTP}corsPolicy.maxAge`, 'translated', 'standard', 'How long preflight results may be cached.', 'CORS filter maxAge, in seconds.'),
  e(`${HTTP}corsPolicy.allowCredentials`, 'translated', 'standard', 'Whether credentials are allowed (Access-Control-Allow-Credentials).', 'CORS filter allowCredentials.'),
  e(
    `${HTTP}corsPolicy.unmatchedPreflights`,
    'partial',
    'standard',
    'Whether preflight requests from origins not allowed are forwarded to the backend (FORWARD, the default) or answered by the proxy (IGNORE).',
    'Gateway API answers preflights at the gateway: IGNORE is the native behaviour; FORWARD (the default) cannot be reproduced and is reported when set.',
  ),
  e(`${HTTP}headers`, 'translated', 'standard', 'Request and response header set/add/remove for every destination of the route.', 'RequestHeaderModifier and ResponseHeaderModifier filters on the rule (Core).'),
  // tls and tcp routes
  e(`${VS}tls[].match[].sniHosts`, 'translated', 'standard', 'SNI host names the TLS route takes (wildcards allowed).', 'TLSRoute hostnames (one TLSRoute per tls route).'),
  e(`${VS}tls[].match[].port`, 'translated', 'standard', 'Limits the route to connections on that port.', 'Listeners of that port (Gateway) or parentRef port (mesh).'),
  e(`${VS}tls[].match[].destinationSubnets`, 'unsupported', 'none', 'Limits the route to connections to these destination IP ranges.', 'No equivalent; the condition is left out.'),
  e(`${VS}tls[].match[].sourceLabels`, 'unsupported', 'none', 'Applies the route only to client workloads with these labels.', 'No equivalent; the match is left out.'),
  e(`${VS}tls[].match[].gateways`, 'translated', 'standard', 'Applies the match only on these gateways (or mesh).', 'The match is kept only for those parents.'),
  e(`${VS}tls[].match[].sourceNamespace`, 'unsupported', 'none', 'Applies the route only to clients in that namespace.', 'No equivalent; the match is left out.'),
  ...destinationRules(`${VS}tls[].route[].`, 'route'),
  e(`${VS}tls[].route[].weight`, 'translated', 'standard', 'Share of the connections (a single destination takes all).', 'backendRef weight.'),
  e(`${VS}tcp[].match[].port`, 'translated', 'standard', 'Limits the route to connections on that port.', 'Listeners of that port (Gateway) or parentRef port (mesh).'),
  e(`${VS}tcp[].match[].destinationSubnets`, 'unsupported', 'none', 'Limits the route to connections to these destination IP ranges.', 'No equivalent; the condition is left out.'),
  e(`${VS}tcp[].match[].sourceSubnet`, 'unsupported', 'none', 'Limits the route to clients in this IP range.', 'No equivalent; the condition is left out.'),
  e(`${VS}tcp[].match[].sourceLabels`, 'unsupported', 'none', 'Applies the route only to client workloads with these labels.', 'No equivalent; the match is left out.'),
  e(`${VS}tcp[].match[].gateways`, 'translated', 'standard', 'Applies the match only on these gateways (or mesh).', 'The match is kept only for those parents.'),
  e(`${VS}tcp[].match[].sourceNamespace`, 'unsupported', 'none', 'Applies the route only to clients in that namespace.', 'No equivalent; the match is left out.'),
  ...destinationRules(`${VS}tcp[].route[].`, 'route'),
  e(`${VS}tcp[].route[].weight`, 'translated', 'standard', 'Share of the connections (a single destination takes all).', 'backendRef weight.'),
  // Gateway
  e(
    `${GW}selector`,
    'partial',
    'standard',
    'Selects the gateway proxy pods (by default in any namespace) that serve the servers.',
    'gatewayClassName (--gateway-class, default istio): the implementation deploys a proxy of its own for the Gateway, with a new address. Reported with the selector.',
    'Move DNS to the new Gateway address, or point the Gateway at the existing proxy Service with spec.addresses if your implementation supports it.',
  ),
  e(`${SERVER}port.number`, 'translated', 'standard', 'The port the proxy listens on.', 'Listener port.'),
  e(
    `${SERVER}port.protocol`,
    'translated',
    'standard',
    'HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP or TLS.',
    'Listener protocol: HTTP, HTTP2, GRPC, GRPC-WEB -> HTTP (HTTPS with TLS settings); HTTPS -> HTTPS (TLS Passthrough in PASSTHROUGH mode); TLS -> TLS; TCP, MONGO -> TCP.',
  ),
  e(`${SERVER}port.name`, 'translated', 'standard', 'A label for the port.', 'Listener name (with the host when the server has several).'),
  e(`${SERVER}port.targetPort`, 'ignored', 'none', 'Deprecated; applies to ServiceEntries only.', 'No effect on a Gateway.'),
  e(`${SERVER}name`, 'translated', 'standard', 'An optional unique name of the server, used in stats.', 'Listener name, in place of the port name.'),
  e(
    `${SERVER}hosts`,
    'translated',
    'standard',
    'Hosts the server exposes, namespace/host: the VirtualServices of that namespace (* any, . the Gateway’s) whose hosts match bind to it.',
    'One listener per host (hostname; * none); the namespace part becomes allowedRoutes (All, Same, or a selector on the namespace name).',
  ),
  e(`${SERVER}bind`, 'unsupported', 'none', 'IP or Unix socket the server binds to (internal servers).', 'No equivalent: listeners bind on the Gateway addresses.', 'Use a separate internal Gateway.'),
  e(`${SERVER}defaultEndpoint`, 'ignored', 'none', 'Not implemented by Istio.', 'No effect.'),
  e(`${TLS}httpsRedirect`, 'translated', 'standard', 'On a plain HTTP server, answers every request with a 301 redirect to HTTPS.', 'An HTTPRoute on the HTTP listener with RequestRedirect scheme https, statusCode 301; the VirtualServices bound to the server do not attach to it. No effect on a TLS server (reported).'),
  e(
    `${TLS}mode`,
    'partial',
    'standard',
    'SIMPLE (terminate), MUTUAL (terminate, client certificate required), PASSTHROUGH (route on SNI), AUTO_PASSTHROUGH (SNI-encoded destinations), ISTIO_MUTUAL and OPTIONAL_MUTUAL (mesh certificates).',
    'SIMPLE -> Terminate; PASSTHROUGH -> TLS listener in Passthrough mode; MUTUAL -> Terminate, client certificates reported (an error: the listener no longer asks for them); AUTO_PASSTHROUGH, ISTIO_MUTUAL, OPTIONAL_MUTUAL have no equivalent (the server is left out).',
    'For MUTUAL, add a frontend validation (spec.tls.frontend) with the CA certificate to the Gateway.',
  ),
  e(`${TLS}credentialName`, 'translated', 'standard', 'The Secret with the server certificate (read in the namespace of the gateway pods).', 'Listener certificateRefs to that Secret in the Gateway’s namespace (reported: copy the Secret there when the pods ran elsewhere).'),
  e(`${TLS}credentialNames`, 'translated', 'standard', 'Several Secrets (RSA and ECDSA certificates).', 'Listener certificateRefs, one per Secret.'),
  e(`${TLS}serverCertificate`, 'unsupported', 'none', 'Path of a certificate file mounted in the proxy.', 'No equivalent: Gateway API certificates are Secrets.', 'Put the certificate in a kubernetes.io/tls Secret and reference it.'),
  e(`${TLS}privateKey`, 'unsupported', 'none', 'Path of the private key file mounted in the proxy.', 'No equivalent: Gateway API certificates are Secrets.', 'Put the key in a kubernetes.io/tls Secret and reference it.'),
  e(`${TLS}tlsCertificates`, 'unsupported', 'none', 'Certificate and key files mounted in the proxy.', 'No equivalent: Gateway API certificates are Secrets.', 'Put them in kubernetes.io/tls Secrets and reference them.'),
  e(`${TLS}caCertificates`, 'unsupported', 'none', 'Path of the CA file used to verify client certificates (MUTUAL).', 'No listener-level equivalent; Gateway spec.tls.frontend validation takes CA references.', 'Add spec.tls.frontend validation with the CA in a ConfigMap.', { protects: true }),
  e(`${TLS}caCrl`, 'unsupported', 'none', 'Revocation list for client certificates.', 'No equivalent.', undefined, { protects: true }),
  e(`${TLS}caCertCredentialName`, 'unsupported', 'none', 'Secret or ConfigMap with the CA for client certificates (MUTUAL).', 'Gateway spec.tls.frontend validation caCertificateRefs (not generated).', 'Add spec.tls.frontend validation referencing it.', { protects: true }),
  e(`${TLS}subjectAltNames`, 'unsupported', 'none', 'Accepted subject alternative names of client certificates.', 'No equivalent.', undefined, { protects: true }),
  e(`${TLS}verifyCertificateSpki`, 'unsupported', 'none', 'Accepted SPKI hashes of client certificates.', 'No equivalent.', undefined, { protects: true }),
  e(`${TLS}verifyCertificateHash`, 'unsupported', 'none', 'Accepted hashes of client certificates.', 'No equivalent.', undefined, { protects: true }),
  e(`${TLS}minProtocolVersion`, 'unsupported', 'none', 'Minimum TLS version (default 1.2).', 'Listener tls.options are implementation-specific; not generated.', 'Set it with your implementation’s TLS options or policy.'),
  e(`${TLS}maxProtocolVersion`, 'unsupported', 'none', 'Maximum TLS version.', 'Listener tls.options are implementation-specific; not generated.', 'Set it with your implementation’s TLS options or policy.'),
  e(`${TLS}cipherSuites`, 'unsupported', 'none', 'Allowed cipher suites.', 'Listener tls.options are implementation-specific; not generated.', 'Set it with your implementation’s TLS options or policy.'),
  e(`${TLS}insecureSkipVerify`, 'unsupported', 'none', 'Accepts client certificates that fail validation (MUTUAL).', 'Gateway spec.tls.frontend validation mode AllowInsecureFallback (not generated).'),
];

/** The entries by key. */
export const ISTIO_RULES_BY_KEY: ReadonlyMap<string, RuleEntry> = new Map(ISTIO_RULES.map((r) => [r.key, r]));
