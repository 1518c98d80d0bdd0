/**
 * The ingress-nginx annotation rule table: one entry for each of the 138 annotation keys that
 * controller-v1.15.1 parses (136 keys and 2 legacy aliases), with what the controller did and
 * what gateway-shift makes of it. `status` says what this version of gateway-shift does:
 * `translated` entries are consumed by the provider; every other key present on an Ingress
 * becomes a finding built from its entry (see accountAnnotations in src/convert.ts).
 *
 * Sources: internal/ingress/annotations/** and docs/user-guide/nginx-configuration/annotations.md
 * at controller-v1.15.1; Gateway API v1.6.1; Envoy Gateway v1.9.0 for the policy names.
 */
import { oneOf, ruleEntry, type RuleEntry, type RuleSpec } from '../rules.js';

export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

const BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
const INT = /^-?\d+$/;
const SIZE = /^\d+[bkmgBKMG]?$/;

const isBool = (v: string) => (BOOL.test(v) ? undefined : 'expected a boolean (true/false)');
const isInt = (v: string) => (INT.test(v) ? undefined : 'expected a whole number without unit');
const isSize = (v: string) => (SIZE.test(v) ? undefined : 'expected a size such as 8k, 1m or 0');

interface Spec extends RuleSpec {
  /** With --target envoy-gateway. */
  eg?: { status: 'translated' | 'partial'; becomes: string };
}

function rule(key: string, s: Spec): RuleEntry {
  return ruleEntry(`ingress-nginx/${key}`, NGINX_PREFIX + key, s, s.eg ? { 'envoy-gateway': { status: s.eg.status, result: s.eg.becomes } } : undefined);
}

const EG = 'Envoy Gateway';
const SNIPPET_FIX =
  'Read the snippet and list each nginx directive it sets; most have a Gateway API filter or an implementation policy equivalent (headers, redirects, timeouts), the rest needs the implementation\u2019s extension mechanism (Envoy Gateway EnvoyExtensionPolicy or EnvoyPatchPolicy). Since v1.12 ingress-nginx refused Ingresses with snippets unless annotations-risk-level was Critical, so check whether it was served at all.';

export const INGRESS_NGINX_RULES: RuleEntry[] = [
  // --- redirects and rewrites -------------------------------------------------------------
  rule('rewrite-target', { status: 'partial', channel: 'standard', does: 'Rewrites the whole request path with the given target (capture groups $1..$9 of the path regex) and turns every path of the host into a case-insensitive regex location.', becomes: 'URLRewrite ReplaceFullPath for a target without $n; PathPrefix + ReplacePrefixMatch for `/prefix(/|$)(.*)` with `<x>$2` and `/prefix/(.*)` with `<x>$1`; other capture uses are reported as errors with the regex.', fix: 'For a pattern that cannot be expressed, rewrite the path as a prefix, or use an implementation-specific regex rewrite.' }),
  rule('use-regex', { status: 'partial', channel: 'standard', does: 'Matches the paths as case-insensitive regexes anchored at the start, for every path of the host.', becomes: 'PathPrefix (or Exact for a `$`-terminated literal) where the regex is a plain prefix, with a finding about letter case and segment boundaries; otherwise a RegularExpression match `(?i)<path>.*` (implementation-specific).', check: isBool, fix: 'Rewrite each regex path as PathPrefix/Exact where possible, otherwise a RegularExpression match your implementation supports.' }),
  rule('app-root', { status: 'translated', channel: 'standard', does: 'Redirects requests for exactly `/` of the host to the given path with 302.', becomes: 'A rule with an Exact `/` match and RequestRedirect ReplaceFullPath, statusCode 302.', values: 'absolute path' }),
  rule('ssl-redirect', { status: 'translated', channel: 'standard', does: 'Default true (ConfigMap): redirects HTTP to HTTPS with 308 when the host has a certificate.', becomes: 'A route on the HTTP listener with RequestRedirect scheme https, statusCode 308.', check: isBool }),
  rule('force-ssl-redirect', { status: 'translated', channel: 'standard', does: 'Redirects this Ingress\u2019s paths to HTTPS even when the host has no certificate.', becomes: 'A route on the HTTP listener with RequestRedirect scheme https, statusCode 308.', check: isBool }),
  rule('preserve-trailing-slash', { status: 'partial', channel: 'standard', does: 'Keeps the trailing slash in the HTTPS redirect location (by default nginx strips it).', becomes: 'Gateway API redirects keep the path: "true" is the native behaviour; with "false" (the default) the stripped slash cannot be reproduced and is reported.', check: isBool }),
  rule('permanent-redirect', { status: 'translated', channel: 'standard', does: 'Answers every request of the paths with a redirect (301) to the fixed URL, without appending the path or query.', becomes: 'Each rule of the Ingress becomes a RequestRedirect with scheme, hostname, port and ReplaceFullPath from the URL, on HTTP and HTTPS; the request query is kept (reported), a query in the URL cannot be set (reported).', values: 'URL' }),
  rule('permanent-redirect-code', { status: 'translated', channel: 'standard', does: 'Status of permanent-redirect (default 301; outside 300-308 falls back to 301).', becomes: 'RequestRedirect statusCode (only 301, 302, 303, 307, 308).', check: isInt }),
  rule('temporal-redirect', { status: 'translated', channel: 'standard', does: 'Redirects with 302 to the fixed URL; wins over permanent-redirect.', becomes: 'RequestRedirect with statusCode 302.', values: 'URL' }),
  rule('temporal-redirect-code', { status: 'translated', channel: 'standard', does: 'Status of temporal-redirect (default 302; outside 300-307 falls back to 302).', becomes: 'RequestRedirect statusCode.', check: isInt }),
  rule('from-to-www-redirect', { status: 'translated', channel: 'standard', does: 'Adds a server for the www/non-www twin of the host that redirects (308) to the host.', becomes: 'An HTTPRoute for the twin hostname with RequestRedirect hostname, statusCode 308.', check: isBool }),
  rule('relative-redirects', { status: 'unsupported', channel: 'none', does: 'Makes nginx-generated redirects use a relative Location (absolute_redirect off).', becomes: 'No equivalent; Gateway API redirects are absolute.', check: isBool }),
  rule('use-port-in-redirects', { status: 'unsupported', channel: 'none', does: 'Puts the port in nginx-generated redirects.', becomes: 'No equivalent (RequestRedirect port is static).', check: isBool }),
  rule('x-forwarded-prefix', { status: 'translated', channel: 'standard', does: 'Sets X-Forwarded-Prefix on the upstream request, only together with a rewrite-target.', becomes: 'RequestHeaderModifier set X-Forwarded-Prefix on the rewritten paths; values with capture groups are reported.' }),
  rule('upstream-vhost', { status: 'translated', channel: 'standard', does: 'Sends this Host header to the backend instead of the client\u2019s.', becomes: 'URLRewrite hostname on every rule of the Ingress; values with nginx variables are reported.' }),
  rule('connection-proxy-header', { status: 'unsupported', does: 'Overrides the Connection header sent upstream.', becomes: 'No equivalent: Connection is hop-by-hop and managed by the implementation.', check: oneOf('close', 'keep-alive') }),
  rule('custom-headers', { status: 'translated', channel: 'standard', does: 'Sets the entries of a ConfigMap (namespace/name) as response headers on every path (more_set_headers); each header must be listed in the controller\u2019s global-allowed-response-headers, else 503.', becomes: 'ResponseHeaderModifier set with the ConfigMap\u2019s entries (at most 16), when the ConfigMap is in the input.', fix: 'Add the ConfigMap to the input, or copy its entries into a ResponseHeaderModifier filter.' }),

  // --- canary ------------------------------------------------------------------------------
  rule('canary', { status: 'translated', channel: 'standard', does: 'Marks the Ingress as the canary of the Ingress with the same host and path; it gets no route of its own.', becomes: 'Weighted backendRefs and header-matched rules in the primary\u2019s rule for the same host, path and pathType; the canary\u2019s other annotations are reported as ignored.', check: isBool }),
  rule('canary-by-header', { status: 'translated', channel: 'standard', does: 'Header value "always" sends to the canary, "never" to the primary.', becomes: 'A rule with a header match sending to the canary (always) or primary (never).' }),
  rule('canary-by-header-value', { status: 'translated', channel: 'standard', does: 'Exact header value that sends to the canary.', becomes: 'A rule with an Exact header match.' }),
  rule('canary-by-header-pattern', { status: 'translated', channel: 'standard', does: 'PCRE (unanchored) on the header that sends to the canary.', becomes: 'A RegularExpression header match written `.*(?:<pattern>).*`, which keeps nginx\u2019s unanchored meaning under full-match (Envoy) and search semantics (implementation-specific).' }),
  rule('canary-by-cookie', { status: 'translated', channel: 'standard', does: 'Cookie value "always" sends to the canary, "never" to the primary (checked after the header, before the weight).', becomes: 'Two rules with a RegularExpression match on the Cookie header for `<name>=always` / `<name>=never` as a whole cookie, after the header rules (Gateway API has no cookie match; regex support is implementation-specific).' }),
  rule('canary-weight', { status: 'translated', channel: 'standard', does: 'Share of requests (out of canary-weight-total) sent to the canary.', becomes: 'backendRefs weights.', check: isInt }),
  rule('canary-weight-total', { status: 'translated', channel: 'standard', does: 'Total of the weights (default 100; values below 100 are ignored).', becomes: 'backendRefs weights.', check: isInt }),

  // --- session affinity ----------------------------------------------------------------------
  rule('affinity', { status: 'translated', channel: 'experimental', does: 'Cookie-based session affinity (only "cookie"), per Service.', becomes: 'Rule sessionPersistence type Cookie (experimental channel: needs --channel experimental, reported otherwise); the cookie\u2019s path, domain and flags are separate annotations without an equivalent.', check: oneOf('cookie'), eg: { status: 'translated', becomes: 'BackendTrafficPolicy loadBalancer ConsistentHash on the cookie, generated by Envoy when absent: pins clients and rebalances about 1/N of them when endpoints change, like the default balanced mode (no experimental channel needed).' } }),
  rule('affinity-mode', { status: 'unsupported', does: 'balanced or persistent stickiness.', becomes: 'No equivalent.', check: oneOf('balanced', 'persistent'), eg: { status: 'partial', becomes: 'balanced is what the cookie hash does; persistent (never moving clients) is reported.' } }),
  rule('affinity-canary-behavior', { status: 'unsupported', does: 'Whether the canary keeps the primary\u2019s affinity.', becomes: 'No equivalent.', check: oneOf('sticky', 'legacy') }),
  rule('session-cookie-name', { status: 'translated', channel: 'experimental', does: 'Name of the affinity cookie (default INGRESSCOOKIE).', becomes: 'sessionPersistence.sessionName.', eg: { status: 'translated', becomes: 'consistentHash.cookie.name.' } }),
  rule('session-cookie-expires', { status: 'translated', channel: 'experimental', does: 'Expires of the affinity cookie, in seconds.', becomes: 'sessionPersistence.absoluteTimeout with a permanent cookie.', check: isInt, eg: { status: 'translated', becomes: 'consistentHash.cookie.ttl (Max-Age; max-age wins when both are set).' } }),
  rule('session-cookie-max-age', { status: 'translated', channel: 'experimental', does: 'Max-Age of the affinity cookie, in seconds.', becomes: 'sessionPersistence.absoluteTimeout with a permanent cookie.', check: isInt, eg: { status: 'translated', becomes: 'consistentHash.cookie.ttl (Max-Age).' } }),
  rule('session-cookie-path', { status: 'unsupported', does: 'Path attribute of the affinity cookie (default: the Ingress path).', becomes: 'No equivalent.', eg: { status: 'translated', becomes: 'consistentHash.cookie.attributes Path (nginx\u2019s default, the Ingress path, when the Ingress has one path).' } }),
  rule('session-cookie-domain', { status: 'unsupported', does: 'Domain attribute of the affinity cookie.', becomes: 'No equivalent.', eg: { status: 'translated', becomes: 'consistentHash.cookie.attributes Domain.' } }),
  rule('session-cookie-samesite', { status: 'unsupported', does: 'SameSite attribute of the affinity cookie.', becomes: 'No equivalent.', check: (v) => oneOf('none', 'lax', 'strict')(v.toLowerCase()), eg: { status: 'translated', becomes: 'consistentHash.cookie.attributes SameSite.' } }),
  rule('session-cookie-conditional-samesite-none', { status: 'unsupported', does: 'Omits SameSite=None for user agents that mishandle it.', becomes: 'No equivalent.', check: isBool }),
  rule('session-cookie-secure', { status: 'unsupported', does: 'Always sets Secure on the affinity cookie (default: only on HTTPS).', becomes: 'No equivalent.', check: isBool, eg: { status: 'translated', becomes: 'consistentHash.cookie.attributes Secure (nginx\u2019s Secure-on-HTTPS-only default cannot be reproduced: reported).' } }),
  rule('session-cookie-change-on-failure', { status: 'unsupported', does: 'Picks a new backend and rewrites the cookie when the pinned one fails.', becomes: 'No equivalent.', check: isBool }),

  // --- load balancing ----------------------------------------------------------------------
  rule('upstream-hash-by', { status: 'target-specific', does: 'Consistent hashing of requests on an nginx variable expression; ignored with affinity=cookie.', becomes: 'No standard equivalent.', eg: { status: 'translated', becomes: 'BackendTrafficPolicy loadBalancer ConsistentHash: $remote_addr/$binary_remote_addr -> SourceIP, $http_x -> Header, $cookie_x -> Cookie, $arg_x -> QueryParams; other expressions are reported.' } }),
  rule('upstream-hash-by-subset', { status: 'unsupported', does: 'Hashes to a subset of endpoints, then picks randomly.', becomes: 'No equivalent.', check: isBool }),
  rule('upstream-hash-by-subset-size', { status: 'unsupported', does: 'Size of the hash subsets (default 3).', becomes: 'No equivalent.', check: isInt }),
  rule('load-balance', { status: 'target-specific', does: 'Load-balancing algorithm (round_robin, ewma, chash...); ignored with upstream-hash-by or affinity.', becomes: 'No standard equivalent.', check: oneOf('round_robin', 'chash', 'chashsubset', 'sticky_balanced', 'sticky_persistent', 'ewma'), eg: { status: 'translated', becomes: 'BackendTrafficPolicy loadBalancer.type: round_robin -> RoundRobin, ewma -> LeastRequest (closest, reported); the others need upstream-hash-by or affinity.' } }),
  rule('service-upstream', { status: 'target-specific', does: 'Proxies to the Service ClusterIP instead of the endpoints.', becomes: 'No standard equivalent.', check: isBool, eg: { status: 'translated', becomes: 'BackendTrafficPolicy routingType Service.' } }),
  rule('backend-protocol', { status: 'partial', channel: 'standard', does: 'Protocol to the backend: HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP or FCGI; TLS to the backend is not verified by default.', becomes: 'GRPC/GRPCS: GRPCRoute with service/method matches from the paths; HTTPS/GRPCS: a BackendTLSPolicy when proxy-ssl-verify is on, otherwise a finding (BackendTLSPolicy always verifies; nginx did not by default); AUTO_HTTP, FCGI: reported.', check: (v) => oneOf('HTTP', 'HTTPS', 'GRPC', 'GRPCS', 'AUTO_HTTP', 'FCGI')(v.toUpperCase()) }),

  // --- proxy settings ------------------------------------------------------------------------
  rule('proxy-connect-timeout', { status: 'target-specific', does: 'Timeout to connect to the backend, in seconds (default 5).', becomes: 'No standard equivalent.', check: isInt, eg: { status: 'translated', becomes: 'BackendTrafficPolicy timeout.tcp.connectTimeout.' } }),
  rule('proxy-send-timeout', { status: 'partial', channel: 'standard', does: 'Maximum time between two writes to the backend, in seconds (default 60); no limit on the whole request.', becomes: 'Rule timeouts.request = the larger of the read and send timeouts: a total, where nginx timed idle gaps, so longer streams are cut (reported); not on GRPCRoute.', check: isInt, eg: { status: 'translated', becomes: 'BackendTrafficPolicy timeout.http.streamIdleTimeout (the larger of the read and send timeouts; Envoy has one idle timer for both directions) and requestTimeout 0s (Envoy\u2019s 15s default total timeout off, as nginx had none).' } }),
  rule('proxy-read-timeout', { status: 'partial', channel: 'standard', does: 'Maximum time between two reads from the backend, in seconds (default 60); no limit on the whole request.', becomes: 'Rule timeouts.request = the larger of the read and send timeouts: a total, where nginx timed idle gaps, so longer streams are cut (reported); not on GRPCRoute.', check: isInt, eg: { status: 'translated', becomes: 'BackendTrafficPolicy timeout.http.streamIdleTimeout and requestTimeout 0s (Envoy\u2019s 15s default total timeout off, as nginx had none).' } }),
  rule('proxy-next-upstream', { status: 'target-specific', does: 'When to retry on another endpoint (default: error timeout; POST, LOCK and PATCH only with non_idempotent).', becomes: 'Rule retry (experimental channel) has codes but no connection-error trigger.', eg: { status: 'translated', becomes: 'BackendTrafficPolicy retry.retryOn: error/timeout -> connect-failure, reset; http_5xx/403/404/429 -> retriable-status-codes; off -> numRetries 0. Envoy retries every method (reported).' } }),
  rule('proxy-next-upstream-timeout', { status: 'unsupported', does: 'Time limit for retries in seconds (0 = none).', becomes: 'No exact equivalent.', check: isInt }),
  rule('proxy-next-upstream-tries', { status: 'target-specific', does: 'Total tries including the first (default 3; 0 = unlimited).', becomes: 'retry.attempts = tries - 1 (experimental channel).', check: isInt, eg: { status: 'translated', becomes: 'BackendTrafficPolicy retry.numRetries = tries - 1.' } }),
  rule('proxy-request-buffering', { status: 'target-specific', does: 'Buffers the whole request body before proxying (default on).', becomes: 'No standard equivalent.', check: oneOf('on', 'off'), eg: { status: 'translated', becomes: 'off: Envoy streams request bodies by default; on: BackendTrafficPolicy requestBuffer together with proxy-body-size (reported when there is no size).' } }),
  rule('proxy-body-size', { status: 'target-specific', does: 'Maximum request body size (default 1m; 413 above it; 0 = unlimited).', becomes: 'No standard equivalent.', check: isSize, eg: { status: 'translated', becomes: 'BackendTrafficPolicy requestBuffer.limit (413 above it; the body is buffered, as nginx did); not for gRPC routes, where buffering breaks streaming (reported).' } }),
  rule('client-body-buffer-size', { status: 'unsupported', does: 'Buffer size for request bodies.', becomes: 'No equivalent.', check: isSize }),
  rule('proxy-buffering', { status: 'unsupported', does: 'Buffers backend responses (default off).', becomes: 'No equivalent.', check: oneOf('on', 'off') }),
  rule('proxy-buffers-number', { status: 'unsupported', does: 'Number of response buffers.', becomes: 'No equivalent.', check: isInt }),
  rule('proxy-buffer-size', { status: 'unsupported', does: 'Size of the response header buffer.', becomes: 'No equivalent.', check: isSize }),
  rule('proxy-busy-buffers-size', { status: 'unsupported', does: 'Limit of buffers busy sending to the client.', becomes: 'No equivalent.', check: isSize }),
  rule('proxy-max-temp-file-size', { status: 'unsupported', does: 'Maximum size of response temp files.', becomes: 'No equivalent.', check: isSize }),
  rule('proxy-http-version', { status: 'translated', channel: 'standard', does: 'HTTP version to the backend: 1.1 (default) or 1.0 (no keep-alive, no chunked bodies).', becomes: '1.1 is what implementations use for HTTP backends (nothing to write); 1.0 has no equivalent and is reported.', check: oneOf('1.0', '1.1') }),
  rule('proxy-cookie-domain', { status: 'unsupported', does: 'Rewrites the Domain of Set-Cookie headers from the backend.', becomes: 'No equivalent.' }),
  rule('proxy-cookie-path', { status: 'unsupported', does: 'Rewrites the Path of Set-Cookie headers from the backend.', becomes: 'No equivalent.' }),
  rule('proxy-redirect-from', { status: 'unsupported', does: 'Rewrites Location headers from the backend (with proxy-redirect-to).', becomes: 'No equivalent.' }),
  rule('proxy-redirect-to', { status: 'unsupported', does: 'Replacement for proxy-redirect-from.', becomes: 'No equivalent.' }),

  // --- TLS to the backend -------------------------------------------------------------------
  rule('proxy-ssl-secret', { status: 'partial', channel: 'standard', does: 'Secret (namespace/name, same namespace) with the CA (ca.crt) and optionally a client certificate for TLS to the backend; the other proxy-ssl-* keys are read only when it is set.', becomes: 'BackendTLSPolicy validation.caCertificateRefs naming the Secret (implementation-specific kind; core is a ConfigMap) when proxy-ssl-verify is on; the client certificate would be the Gateway\u2019s spec.tls.backend.clientCertificateRef (reported).' }),
  rule('proxy-ssl-verify', { status: 'translated', channel: 'standard', does: 'Verifies the backend certificate against proxy-ssl-name (default off: TLS without verification).', becomes: 'on: a BackendTLSPolicy for each Service of the Ingress (with backend-protocol HTTPS/GRPCS); off cannot be expressed (BackendTLSPolicy always verifies) and is reported with backend-protocol.', check: oneOf('on', 'off') }),
  rule('proxy-ssl-verify-depth', { status: 'unsupported', does: 'Certificate chain depth (default 1).', becomes: 'No equivalent.', check: isInt }),
  rule('proxy-ssl-ciphers', { status: 'unsupported', does: 'Ciphers for TLS to the backend.', becomes: 'BackendTLSPolicy options (implementation-specific).' }),
  rule('proxy-ssl-protocols', { status: 'unsupported', does: 'TLS versions to the backend.', becomes: 'BackendTLSPolicy options (implementation-specific).' }),
  rule('proxy-ssl-name', { status: 'translated', channel: 'standard', does: 'Name verified in the backend certificate (and SNI with proxy-ssl-server-name on); without it verification fails (the internal upstream name).', becomes: 'BackendTLSPolicy validation.hostname.' }),
  rule('proxy-ssl-server-name', { status: 'translated', channel: 'standard', does: 'Sends proxy-ssl-name as SNI to the backend (default off).', becomes: 'BackendTLSPolicy always sends the hostname as SNI (off is reported).', check: oneOf('on', 'off') }),

  // --- client certificates --------------------------------------------------------------------
  rule('auth-tls-secret', { protects: true, status: 'target-specific', channel: 'standard', does: 'CA Secret (namespace/name) to verify client certificates for the host; the first Ingress of the host wins.', becomes: 'Gateway spec.tls.frontend validation (per Gateway or port, not per host).', eg: { status: 'translated', becomes: 'ClientTrafficPolicy tls.clientValidation.caCertificateRefs on the host\u2019s HTTPS listener (+ ReferenceGrant); nginx\u2019s 400 page and depth limit are reported.' } }),
  rule('auth-tls-verify-client', { status: 'target-specific', channel: 'standard', does: 'on, off, optional or optional_no_ca (default on).', becomes: 'frontend validation mode AllowValidOnly / AllowInsecureFallback (per port).', check: oneOf('on', 'off', 'optional', 'optional_no_ca'), eg: { status: 'translated', becomes: 'clientValidation.mode: on -> RequireAndVerify, optional -> VerifyIfGiven, optional_no_ca -> Request, off -> no validation.' } }),
  rule('auth-tls-verify-depth', { status: 'unsupported', does: 'Client certificate chain depth.', becomes: 'No equivalent.', check: isInt }),
  rule('auth-tls-error-page', { status: 'unsupported', does: 'Page shown when client certificate verification fails.', becomes: 'No equivalent.' }),
  rule('auth-tls-pass-certificate-to-upstream', { status: 'target-specific', does: 'Passes the client certificate to the backend in the ssl-client-cert header.', becomes: 'No standard equivalent.', check: isBool, eg: { status: 'partial', becomes: 'ClientTrafficPolicy headers.xForwardedClientCert SanitizeSet with Cert: another header and format (reported).' } }),
  rule('auth-tls-match-cn', { protects: true, status: 'unsupported', does: 'Requires the client certificate subject to match a regex.', becomes: 'No equivalent.' }),

  // --- authentication -----------------------------------------------------------------------
  rule('auth-type', { protects: true, status: 'target-specific', does: 'basic or digest authentication with the users of auth-secret.', becomes: 'No standard equivalent.', check: oneOf('basic', 'digest'), eg: { status: 'translated', becomes: 'basic: SecurityPolicy basicAuth; digest has no equivalent.' } }),
  rule('auth-secret', { status: 'target-specific', does: 'Secret (name or namespace/name, same namespace) holding the htpasswd users; missing or invalid -> 503.', becomes: 'No standard equivalent.', eg: { status: 'translated', becomes: 'SecurityPolicy basicAuth.users naming the same Secret, which needs a .htpasswd key with {SHA} hashes (reported with the command).' } }),
  rule('auth-secret-type', { status: 'target-specific', does: 'auth-file (key "auth") or auth-map (a key per user).', becomes: 'No standard equivalent.', check: oneOf('auth-file', 'auth-map'), eg: { status: 'translated', becomes: 'Either way the Secret needs the .htpasswd key Envoy Gateway reads (reported).' } }),
  rule('auth-realm', { status: 'unsupported', does: 'Realm shown in the basic auth challenge.', becomes: 'No equivalent.', eg: { status: 'partial', becomes: 'Envoy Gateway\u2019s challenge has no configurable realm (reported).' } }),
  rule('auth-url', { protects: true, status: 'unsupported', channel: 'experimental', does: 'External authentication: a subrequest to the URL decides (2xx allow, 401/403 deny).', becomes: `ExternalAuth filter (experimental channel); ${EG} SecurityPolicy extAuth.`, eg: { status: 'partial', becomes: 'SecurityPolicy extAuth.http to the in-cluster Service with pathOverride (the same auth path); Envoy allows only 200 (nginx any 2xx) and sends fewer headers (reported); other URLs are reported.' } }),
  rule('auth-method', { status: 'unsupported', does: 'HTTP method of the auth subrequest.', becomes: 'No equivalent.' }),
  rule('auth-signin', { status: 'unsupported', does: 'Redirects 401s to this sign-in URL with the original URL in a query parameter.', becomes: `No equivalent; ${EG} SecurityPolicy oidc replaces an oauth2-proxy sign-in flow.` }),
  rule('auth-signin-redirect-param', { status: 'unsupported', does: 'Name of the return-URL parameter (default rd).', becomes: 'No equivalent.' }),
  rule('auth-response-headers', { status: 'unsupported', channel: 'experimental', does: 'Headers copied from the auth response to the upstream request.', becomes: 'ExternalAuth allowedResponseHeaders (experimental channel).', eg: { status: 'translated', becomes: 'SecurityPolicy extAuth.http.headersToBackend.' } }),
  rule('auth-proxy-set-headers', { status: 'unsupported', does: 'ConfigMap of headers added to the auth subrequest.', becomes: 'No equivalent.' }),
  rule('auth-request-redirect', { status: 'unsupported', does: 'Value of X-Auth-Request-Redirect sent to the auth service.', becomes: 'No equivalent.' }),
  rule('auth-cache-key', { status: 'unsupported', does: 'Caches auth responses under this key.', becomes: 'No equivalent.' }),
  rule('auth-cache-duration', { status: 'unsupported', does: 'How long auth responses are cached.', becomes: 'No equivalent.' }),
  rule('auth-keepalive', { status: 'unsupported', does: 'Keepalive connections to the auth service.', becomes: 'No equivalent.', check: isInt }),
  rule('auth-keepalive-share-vars', { status: 'unsupported', does: 'Shares nginx variables with the auth subrequest.', becomes: 'No equivalent.', check: isBool }),
  rule('auth-keepalive-requests', { status: 'unsupported', does: 'Requests per keepalive connection to the auth service.', becomes: 'No equivalent.', check: isInt }),
  rule('auth-keepalive-timeout', { status: 'unsupported', does: 'Keepalive timeout to the auth service.', becomes: 'No equivalent.', check: isInt }),
  rule('auth-always-set-cookie', { status: 'unsupported', does: 'Sets the auth service\u2019s cookie on every response, errors included.', becomes: 'No equivalent.', check: isBool }),
  rule('auth-snippet', { status: 'unsupported', does: 'Raw nginx configuration for the auth location.', becomes: 'No equivalent.', fix: SNIPPET_FIX }),
  rule('enable-global-auth', { status: 'unsupported', does: 'Opts out of the ConfigMap global-auth-url (default true).', becomes: 'No equivalent (add or omit the auth per route).', check: isBool }),
  rule('satisfy', { status: 'unsupported', does: '"any": the allowlist or the auth is enough.', becomes: 'No equivalent.', check: oneOf('any', 'all') }),

  // --- IP allow/deny and rate limits ----------------------------------------------------------
  rule('allowlist-source-range', { protects: true, status: 'target-specific', does: 'Only these client CIDRs may connect (403 otherwise); an invalid list makes every path answer 503.', becomes: 'No standard equivalent.', eg: { status: 'translated', becomes: 'SecurityPolicy authorization: an Allow rule with the clientCIDRs, defaultAction Deny (Deny for everything when the list is invalid).' } }),
  rule('whitelist-source-range', { protects: true, status: 'target-specific', does: 'Older name of allowlist-source-range, read only when that is empty.', becomes: 'No standard equivalent.', eg: { status: 'translated', becomes: 'SecurityPolicy authorization, as allowlist-source-range.' } }),
  rule('denylist-source-range', { protects: true, status: 'target-specific', does: 'These client CIDRs get 403; checked before the allowlist.', becomes: 'No standard equivalent.', eg: { status: 'translated', becomes: 'SecurityPolicy authorization: a Deny rule with the clientCIDRs, before the allowlist rule.' } }),
  rule('limit-rps', { status: 'target-specific', does: 'Requests per second per client IP and controller replica (one zone per Ingress), burst = rate x limit-burst-multiplier, 503 above it.', becomes: 'No standard equivalent.', check: isInt, eg: { status: 'translated', becomes: 'BackendTrafficPolicy rateLimit Local, a Distinct sourceCIDR rule per address family: per client IP and Envoy replica; no extra burst, 429 instead of 503 (reported).' } }),
  rule('limit-rpm', { status: 'target-specific', does: 'Requests per minute per client IP and controller replica, 503 above it.', becomes: 'No standard equivalent.', check: isInt, eg: { status: 'translated', becomes: 'BackendTrafficPolicy rateLimit Local with unit Minute, as limit-rps.' } }),
  rule('limit-connections', { status: 'unsupported', does: 'Concurrent connections per client IP.', becomes: 'No per-client equivalent.', check: isInt }),
  rule('limit-burst-multiplier', { status: 'unsupported', does: 'Burst size as a multiple of the rate (default 5).', becomes: 'No equivalent.', check: isInt }),
  rule('limit-rate', { status: 'target-specific', does: 'Response bandwidth limit in KB/s.', becomes: `${EG} BackendTrafficPolicy bandwidthLimit (approximate).`, check: isInt }),
  rule('limit-rate-after', { status: 'unsupported', does: 'KB sent before limit-rate applies.', becomes: 'No equivalent.', check: isInt }),
  rule('limit-allowlist', { status: 'unsupported', does: 'Client CIDRs exempt from the rate limits.', becomes: 'No equivalent.' }),
  rule('limit-whitelist', { status: 'unsupported', does: 'Older name of limit-allowlist.', becomes: 'No equivalent.' }),

  // --- CORS -----------------------------------------------------------------------------------
  rule('enable-cors', { status: 'translated', channel: 'standard', does: 'Answers CORS preflights (204) and adds CORS headers; credentials true and max-age 1728000 by default.', becomes: 'CORS filter (standard since v1.5) on every rule of the Ingress, with nginx\u2019s defaults written out (credentials true, max-age 1728000); credentials are dropped with origin * (browsers refused that pair).', check: isBool }),
  rule('cors-allow-origin', { status: 'translated', channel: 'standard', does: 'Allowed origins (default *).', becomes: 'CORS allowOrigins.' }),
  rule('cors-allow-methods', { status: 'translated', channel: 'standard', does: 'Allowed methods (default GET, PUT, POST, DELETE, PATCH, OPTIONS).', becomes: 'CORS allowMethods.' }),
  rule('cors-allow-headers', { status: 'translated', channel: 'standard', does: 'Allowed request headers.', becomes: 'CORS allowHeaders.' }),
  rule('cors-expose-headers', { status: 'translated', channel: 'standard', does: 'Headers exposed to the browser.', becomes: 'CORS exposeHeaders.' }),
  rule('cors-allow-credentials', { status: 'translated', channel: 'standard', does: 'Access-Control-Allow-Credentials (default true).', becomes: 'CORS allowCredentials.', check: isBool }),
  rule('cors-max-age', { status: 'translated', channel: 'standard', does: 'Preflight cache time in seconds (default 1728000).', becomes: 'CORS maxAge.', check: isInt }),

  // --- errors and default backend -------------------------------------------------------------
  rule('custom-http-errors', { status: 'unsupported', does: 'For these statuses (backend answers intercepted), nginx serves the page of the default-backend Service (or its own 404 server) with X-Code, X-Original-URI and other headers.', becomes: 'No equivalent: Gateway API cannot send an error response to another Service.', fix: 'Serve the error pages from the backend, or with an implementation feature that returns a fixed body for a status (Envoy Gateway BackendTrafficPolicy responseOverride, with the page in a ConfigMap).' }),
  rule('default-backend', { status: 'unsupported', does: 'Service used when the path\u2019s Service has no ready endpoints (and for custom-http-errors); not a catch-all.', becomes: 'No equivalent (Gateway API has no fallback backend).', fix: 'Keep the Service from scaling to zero, or use an implementation failover feature (Envoy Gateway Backend fallback with health checks).' }),
  rule('disable-proxy-intercept-errors', { status: 'unsupported', does: 'With custom-http-errors, lets backend error pages through.', becomes: 'No equivalent.', check: isBool }),

  // --- server level ------------------------------------------------------------------------------
  rule('server-alias', { status: 'translated', channel: 'standard', does: 'Extra server names for the host, sharing its locations and certificate lookup; the first Ingress of the host wins; names that are hosts themselves are dropped.', becomes: 'The names are added to the hostnames of every route of the host (and HTTPS listeners with the host\u2019s certificate); nginx regex names (~...) and trailing wildcards are reported.' }),
  rule('ssl-ciphers', { status: 'target-specific', does: 'TLS 1.2 ciphers of the host (OpenSSL cipher string); the first Ingress of the host wins.', becomes: 'Listener tls.options (implementation-specific).', eg: { status: 'translated', becomes: 'ClientTrafficPolicy tls.ciphers on the host\u2019s HTTPS listener, for explicit cipher lists; OpenSSL rules (HIGH, !aNULL...) are reported.' } }),
  rule('ssl-prefer-server-ciphers', { status: 'unsupported', does: 'Prefers server ciphers.', becomes: 'No equivalent.', check: isBool }),
  rule('ssl-passthrough', { status: 'translated', channel: 'standard', does: 'With --enable-ssl-passthrough, TLS connections whose SNI is the host go undecrypted to the Service of the host\u2019s / path; port 80 is still nginx.', becomes: 'A TLS listener (Passthrough) for the host and a TLSRoute to the / Service, instead of the HTTPS listener; wildcard hosts (never an exact SNI) and hosts without a / Service are reported.', check: isBool }),
  rule('server-snippet', { status: 'unsupported', does: 'Raw nginx configuration for the host\u2019s server block.', becomes: 'No equivalent.', fix: SNIPPET_FIX }),
  rule('configuration-snippet', { status: 'unsupported', does: 'Raw nginx configuration for each path\u2019s location block.', becomes: 'No equivalent.', fix: SNIPPET_FIX }),
  rule('stream-snippet', { status: 'unsupported', does: 'Raw nginx stream (TCP/UDP) configuration.', becomes: 'No equivalent; plain TCP/UDP proxies become TCPRoute/UDPRoute by hand.', fix: SNIPPET_FIX }),

  // --- logging, tracing, WAF, mirroring, FastCGI ---------------------------------------------------
  rule('enable-access-log', { status: 'unsupported', does: 'Turns access logging off for the paths.', becomes: 'No equivalent (implementation telemetry settings).', check: isBool }),
  rule('enable-rewrite-log', { status: 'unsupported', does: 'Logs rewrites (debugging).', becomes: 'No equivalent.', check: isBool }),
  rule('enable-opentelemetry', { status: 'unsupported', does: 'Turns OpenTelemetry tracing on or off.', becomes: 'No equivalent (implementation telemetry settings).', check: isBool }),
  rule('opentelemetry-trust-incoming-span', { status: 'unsupported', does: 'Continues incoming traces.', becomes: 'No equivalent.', check: isBool }),
  rule('opentelemetry-operation-name', { status: 'unsupported', does: 'Span name for the paths.', becomes: 'No equivalent.' }),
  rule('enable-modsecurity', { status: 'unsupported', does: 'Enables the ModSecurity WAF.', becomes: 'No equivalent (a WAF extension of the implementation).', check: isBool }),
  rule('enable-owasp-core-rules', { status: 'unsupported', does: 'Loads the OWASP core rule set.', becomes: 'No equivalent.', check: isBool }),
  rule('modsecurity-transaction-id', { status: 'unsupported', does: 'ModSecurity transaction id.', becomes: 'No equivalent.' }),
  rule('modsecurity-snippet', { status: 'unsupported', does: 'Raw ModSecurity rules.', becomes: 'No equivalent.', fix: SNIPPET_FIX }),
  rule('mirror-target', { status: 'partial', channel: 'standard', does: 'Copies each request to this URL and ignores the answer.', becomes: 'RequestMirror to a Service backendRef when the URL is http://<Service of the same namespace>[:port]$request_uri; other URLs are reported.' }),
  rule('mirror-request-body', { status: 'unsupported', does: 'Whether mirrored requests carry the body (default on).', becomes: 'No equivalent.', check: oneOf('on', 'off') }),
  rule('mirror-host', { status: 'unsupported', does: 'Host header of mirrored requests.', becomes: 'No equivalent.' }),
  rule('fastcgi-index', { status: 'unsupported', does: 'FastCGI index file.', becomes: 'No equivalent.' }),
  rule('fastcgi-params-configmap', { status: 'unsupported', does: 'FastCGI parameters from a ConfigMap.', becomes: 'No equivalent.' }),
  rule('http2-push-preload', { status: 'ignored', does: 'HTTP/2 server push; ignored by the nginx bundled since 1.25.1.', becomes: 'Nothing: it had no effect.', check: isBool }),
];
