/**
 * The AWS Load Balancer Controller annotation rule table: one entry for each of the 69
 * `alb.ingress.kubernetes.io/` suffixes its Ingress support parses (pkg/annotations/constants.go
 * at v3.5.0; `listener-attributes` and `target-control-port` are families of keys) and for the
 * three families the enhanced backend builder reads per backend (actions.<name>,
 * conditions.<name>, transforms.<name>): 72 entries. `status` says what gateway-shift does with
 * standard Gateway API, `targets['aws-lbc']` what it does with `--target aws-lbc` (the
 * controller's own gateway.k8s.aws/v1 objects). Facts and line references: docs/research/alb.md.
 */
import type { GatewayApiChannel, RuleEntry, RuleStatus } from '../rules.js';

export const ALB_PREFIX = 'alb.ingress.kubernetes.io/';

/** Go's strconv.ParseBool, which the controller's annotation parser uses. */
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
const isBool = (v: string) => (GO_BOOL.test(v) ? undefined : 'expected a boolean (true/false)');
const isInt32 = (v: string) => (/^[+-]?\d+$/.test(v) && Math.abs(Number(v)) <= 2147483647 ? undefined : 'expected a whole number');
const oneOf =
  (...values: string[]) =>
  (v: string) =>
    values.includes(v) ? undefined : `expected one of ${values.join(', ')}`;

interface Spec {
  status: RuleStatus;
  channel?: GatewayApiChannel;
  does: string;
  becomes: string;
  fix?: string;
  values?: string;
  check?: (v: string) => string | undefined;
  protects?: boolean;
  /** With --target aws-lbc. */
  lbc?: { status: 'translated' | 'partial'; becomes: string };
}

/** `key` is the suffix; a family shows its variable part in angle brackets and gets a pattern. */
function rule(key: string, s: Spec): RuleEntry {
  const family = key.indexOf('<');
  const e: RuleEntry = {
    id: `alb/${family < 0 ? key : key.slice(0, family).replace(/[.]$/, '')}`,
    key: ALB_PREFIX + key,
    status: s.status,
    behaviour: s.does,
    gatewayApi: s.becomes,
    channel: s.channel ?? 'none',
  };
  if (family >= 0) {
    const literal = (t: string) => t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    e.pattern = new RegExp(`^${literal(ALB_PREFIX)}${key.split(/<[^>]+>/).map(literal).join('.+')}$`);
  }
  if (s.values) e.values = s.values;
  if (s.fix) e.remediation = s.fix;
  if (s.check) e.validateValue = s.check;
  if (s.protects) e.protects = true;
  if (s.lbc) e.targets = { 'aws-lbc': { status: s.lbc.status, result: s.lbc.becomes } };
  return e;
}

const LBC = 'with --target aws-lbc';
const LB_CONFIG = 'LoadBalancerConfiguration';
const TG_CONFIG = 'TargetGroupConfiguration';
const NO_STD = 'No standard equivalent: load balancer settings are the Gateway implementation\u2019s configuration.';
const TG_STD = 'No standard equivalent: target group settings are the Gateway implementation\u2019s configuration.';
const FRONTEND_NLB_FIX = 'Put an NLB Gateway (gateway.k8s.aws/nlb) in front of the ALB Gateway by hand, as the controller\u2019s Gateway chaining guide shows.';
const AUTH_FIX = `Keep the controller (${LBC}), or put an OIDC login in front of the backends (an oauth2-proxy, or your implementation\u2019s OIDC policy).`;

export const ALB_RULES: RuleEntry[] = [
  // --- IngressGroups, listeners, TLS -----------------------------------------------------------
  rule('group.name', { status: 'translated', channel: 'standard', does: 'Ingresses with the same group name, in any namespace, are one ALB (an IngressGroup); an Ingress without one is an ALB of its own. The group of the IngressClassParams of the Ingress\u2019s class wins over it. An invalid name (not lower-case alphanumerics, - and ., at most 63 characters) makes the controller skip the Ingress.', becomes: 'One Gateway per group, named after the group (after the Ingress without one), whose listeners admit exactly the namespaces of the routes attached to them.', values: 'lower-case DNS name, at most 63 characters' }),
  rule('group.order', { status: 'translated', channel: 'standard', does: 'Orders the Ingresses of a group (-1000 to 1000, default 0, then by namespace/name); their rules get listener priorities in that order and the first matching rule wins. A value out of range stops the whole group.', becomes: 'Gateway API decides by specificity, not order: rules that earlier rules shadowed completely are left out (they never matched), and wherever the order made a different rule win than Gateway API\u2019s precedence will, a finding names both rules.', check: isInt32 }),
  rule('listen-ports', { status: 'translated', channel: 'standard', does: 'JSON list of {"HTTP"|"HTTPS": port}: the ALB listeners that carry the Ingress\u2019s rules (default HTTP 80, or HTTPS 443 when certificates are given). Listeners are shared by the group; two Ingresses with one port and different protocols stop the group.', becomes: 'A Gateway listener per port (`http`, `https`, `http-<port>`, `https-<port>`); the Ingress\u2019s routes attach to the listeners of its ports.', values: 'JSON, e.g. [{"HTTP": 80}, {"HTTPS": 443}]' }),
  rule('ssl-redirect', { status: 'translated', channel: 'standard', does: 'An HTTPS port of the group: every HTTP listener of the ALB then answers every request with a 301 to https on that port (host, path and query kept) and carries no other rule. One value per group.', becomes: 'An HTTPRoute on each HTTP listener with a RequestRedirect (scheme https, the port when it is not 443, statusCode 301); the Ingresses\u2019 routes attach to the HTTPS listeners only.', check: isInt32 }),
  rule('certificate-arn', { status: 'partial', channel: 'standard', does: 'ACM certificates of the HTTPS listeners (comma-separated ARNs; the first is the default certificate, the others are chosen by SNI); without it the controller discovers ACM certificates for the Ingress\u2019s hosts. Makes HTTPS 443 the default listen-ports.', becomes: 'HTTPS listeners; Gateway API takes certificates from Secrets only, so each listener names a Secret per certificate to create from it (reported).', fix: 'Create the Secrets the HTTPS listeners name (kubernetes.io/tls) with the certificates and keys, e.g. issued by cert-manager, or exported from ACM for exportable certificates.', lbc: { status: 'translated', becomes: `${LB_CONFIG} \`listenerConfigurations[HTTPS:<port>]\` defaultCertificate and certificates; the listener has no tls block and the controller takes the certificates from ACM.` } }),
  rule('ssl-policy', { status: 'target-specific', does: 'Security policy (TLS versions and ciphers) of the HTTPS listeners (default ELBSecurityPolicy-2016-08). One value per port.', becomes: 'Listener tls.options (implementation-specific).', lbc: { status: 'translated', becomes: `${LB_CONFIG} \`listenerConfigurations[HTTPS:<port>]\` sslPolicy.` } }),
  rule('mutual-authentication', { protects: true, status: 'target-specific', does: 'Mutual TLS per HTTPS port: JSON list of {port, mode off|passthrough|verify, trustStore, ignoreClientCertificateExpiry, advertiseTrustStoreCaNames}; verify checks client certificates against an ELB trust store.', becomes: 'Gateway frontend client-certificate validation takes CA certificates from ConfigMaps or Secrets, not an ELB trust store.', lbc: { status: 'translated', becomes: `${LB_CONFIG} \`listenerConfigurations[HTTPS:<port>]\` mutualAuthentication.` } }),
  rule('listener-attributes.<Protocol>-<Port>', { status: 'target-specific', does: 'Attributes (key=value list) of the listener with that protocol and port, e.g. routing.http.response headers.', becomes: 'No standard equivalent.', lbc: { status: 'translated', becomes: `${LB_CONFIG} \`listenerConfigurations[<Protocol>:<Port>]\` listenerAttributes.` } }),

  // --- the load balancer -----------------------------------------------------------------------
  rule('load-balancer-name', { status: 'target-specific', does: 'Name of the ALB (at most 32 characters); one value per group.', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} loadBalancerName.` } }),
  rule('scheme', { status: 'target-specific', does: 'internal (the controller\u2019s default) or internet-facing; one value per group.', becomes: NO_STD, check: oneOf('internal', 'internet-facing'), lbc: { status: 'translated', becomes: `${LB_CONFIG} scheme.` } }),
  rule('ip-address-type', { status: 'target-specific', does: 'ipv4 (default), dualstack or dualstack-without-public-ipv4; one value per group.', becomes: NO_STD, check: oneOf('ipv4', 'dualstack', 'dualstack-without-public-ipv4'), lbc: { status: 'translated', becomes: `${LB_CONFIG} ipAddressType.` } }),
  rule('subnets', { status: 'target-specific', does: 'Subnet IDs or Name tags of the ALB (comma-separated; otherwise discovered by their role tags).', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} loadBalancerSubnets[].identifier.` } }),
  rule('security-groups', { protects: true, status: 'target-specific', does: 'Security group IDs or names of the ALB, instead of the one the controller manages (which opens the listener ports to inbound-cidrs).', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} securityGroups.` } }),
  rule('manage-backend-security-group-rules', { status: 'target-specific', does: 'With security-groups: whether the controller still adds the rules that let the ALB reach the targets.', becomes: NO_STD, check: isBool, lbc: { status: 'translated', becomes: `${LB_CONFIG} manageBackendSecurityGroupRules.` } }),
  rule('inbound-cidrs', { protects: true, status: 'target-specific', does: 'Client CIDRs the managed security group lets in on the Ingress\u2019s listener ports (default 0.0.0.0/0 and ::/0); ignored with security-groups.', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} sourceRanges (for every listener of the load balancer).` } }),
  rule('security-group-prefix-lists', { protects: true, status: 'target-specific', does: 'Managed prefix lists let in on the Ingress\u2019s listener ports instead of inbound-cidrs.', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} securityGroupPrefixes.` } }),
  rule('customer-owned-ipv4-pool', { status: 'target-specific', does: 'Customer-owned IPv4 pool of an ALB on Outposts.', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} customerOwnedIpv4Pool.` } }),
  rule('ipam-ipv4-pool-id', { status: 'target-specific', does: 'IPAM pool the ALB\u2019s IPv4 addresses come from.', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} ipv4IPAMPoolId.` } }),
  rule('load-balancer-attributes', { status: 'target-specific', does: 'ALB attributes (key=value list): access logs, idle timeout, deletion protection, HTTP/2, header handling...', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} loadBalancerAttributes.` } }),
  rule('minimum-load-balancer-capacity', { status: 'target-specific', does: 'Reserved capacity of the ALB (capacityUnits=N).', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} minimumLoadBalancerCapacity.capacityUnits.` } }),
  rule('tags', { status: 'target-specific', does: 'AWS tags (key=value list) of the ALB and its listeners (every Ingress of the group), its rules (this Ingress), and its target groups (merged with the Service\u2019s).', becomes: NO_STD, lbc: { status: 'partial', becomes: `${LB_CONFIG} tags (load balancer, listeners) and ${TG_CONFIG} tags (target groups); rules get them only where a ListenerRuleConfiguration exists.` } }),
  rule('wafv2-acl-arn', { protects: true, status: 'target-specific', does: 'AWS WAFv2 web ACL associated with the ALB.', becomes: NO_STD, lbc: { status: 'translated', becomes: `${LB_CONFIG} wafV2.webACL.` } }),
  rule('wafv2-acl-name', { protects: true, status: 'target-specific', does: 'AWS WAFv2 web ACL by name (the controller looks up its ARN); wins over wafv2-acl-arn.', becomes: NO_STD, lbc: { status: 'partial', becomes: `${LB_CONFIG} wafV2.webACL takes the ARN, which only AWS knows: reported with the name to look up.` } }),
  rule('waf-acl-id', { protects: true, status: 'unsupported', does: 'AWS WAF Classic web ACL of the ALB.', becomes: 'No equivalent (the controller\u2019s Gateway support has WAFv2 only).', fix: 'Migrate the web ACL to WAFv2, then associate it with the new load balancer.' }),
  rule('web-acl-id', { protects: true, status: 'unsupported', does: 'Older name of waf-acl-id, read when waf-acl-id is absent.', becomes: 'No equivalent (the controller\u2019s Gateway support has WAFv2 only).', fix: 'Migrate the web ACL to WAFv2, then associate it with the new load balancer.' }),
  rule('shield-advanced-protection', { status: 'target-specific', does: 'Turns AWS Shield Advanced protection of the ALB on or off.', becomes: NO_STD, check: isBool, lbc: { status: 'translated', becomes: `${LB_CONFIG} shieldConfiguration.enabled.` } }),

  // --- target groups ---------------------------------------------------------------------------
  rule('target-type', { status: 'target-specific', does: 'instance (the controller\u2019s default: node ports of a NodePort Service) or ip (pod IPs). Read from the Service first, then the Ingress.', becomes: 'No standard equivalent; Gateway implementations route to the endpoints, as ip did.', check: oneOf('instance', 'ip'), lbc: { status: 'translated', becomes: `${TG_CONFIG} targetType.` } }),
  rule('backend-protocol', { status: 'target-specific', does: 'HTTP (default) or HTTPS to the targets; the ALB does not verify the targets\u2019 certificates.', becomes: 'BackendTLSPolicy, which always verifies the certificate (a CA or the system CAs): not generated, since the ALB did not.', check: oneOf('HTTP', 'HTTPS'), lbc: { status: 'translated', becomes: `${TG_CONFIG} protocol.` } }),
  rule('backend-protocol-version', { status: 'partial', channel: 'standard', does: 'HTTP1 (default), HTTP2 or GRPC to the targets.', becomes: 'GRPC: the Ingress\u2019s hosts become GRPCRoutes (gRPC service and method from the paths); HTTP2 needs the Service port\u2019s appProtocol (reported).', check: oneOf('HTTP1', 'HTTP2', 'GRPC'), lbc: { status: 'translated', becomes: `GRPCRoutes for GRPC, and ${TG_CONFIG} protocolVersion.` } }),
  rule('healthcheck-port', { status: 'target-specific', does: 'Port of the health checks: traffic-port (default), a number or a Service port name.', becomes: TG_STD, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.healthCheckPort.` } }),
  rule('healthcheck-protocol', { status: 'target-specific', does: 'HTTP or HTTPS health checks (default: the backend protocol).', becomes: TG_STD, check: oneOf('HTTP', 'HTTPS'), lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.healthCheckProtocol.` } }),
  rule('healthcheck-path', { status: 'target-specific', does: 'Path of the health checks (default /, for gRPC /AWS.ALB/healthcheck).', becomes: TG_STD, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.healthCheckPath.` } }),
  rule('healthcheck-interval-seconds', { status: 'target-specific', does: 'Seconds between health checks (default 15).', becomes: TG_STD, check: isInt32, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.healthCheckInterval.` } }),
  rule('healthcheck-timeout-seconds', { status: 'target-specific', does: 'Health check timeout in seconds (default 5).', becomes: TG_STD, check: isInt32, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.healthCheckTimeout.` } }),
  rule('healthy-threshold-count', { status: 'target-specific', does: 'Consecutive successes before a target is healthy (default 2).', becomes: TG_STD, check: isInt32, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.healthyThresholdCount (2 is written out: the Gateway default is 3).` } }),
  rule('unhealthy-threshold-count', { status: 'target-specific', does: 'Consecutive failures before a target is unhealthy (default 2).', becomes: TG_STD, check: isInt32, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.unhealthyThresholdCount (2 is written out: the Gateway default is 3).` } }),
  rule('success-codes', { status: 'target-specific', does: 'Status codes of a healthy target (default 200; gRPC codes, default 12, with GRPC).', becomes: TG_STD, lbc: { status: 'translated', becomes: `${TG_CONFIG} healthCheckConfig.matcher.httpCode or grpcCode (200 is written out: the Gateway default is 200-399).` } }),
  rule('target-group-attributes', { status: 'target-specific', does: 'Target group attributes (key=value list): stickiness, deregistration delay, slow start, load balancing algorithm...', becomes: TG_STD, lbc: { status: 'translated', becomes: `${TG_CONFIG} targetGroupAttributes.` } }),
  rule('target-node-labels', { status: 'target-specific', does: 'Node labels (key=value list) of the nodes registered as instance targets.', becomes: TG_STD, lbc: { status: 'translated', becomes: `${TG_CONFIG} nodeSelector.matchLabels.` } }),
  rule('multi-cluster-target-group', { status: 'target-specific', does: 'Lets targets of other clusters join the target groups.', becomes: TG_STD, check: isBool, lbc: { status: 'translated', becomes: `${TG_CONFIG} enableMultiCluster.` } }),
  rule('target-control-port.<service>.<port>', { status: 'target-specific', does: 'Port of a control agent on the ip targets of that Service port\u2019s target group.', becomes: TG_STD, check: isInt32, lbc: { status: 'translated', becomes: `${TG_CONFIG} targetControlPort.` } }),

  // --- per-backend actions, conditions, transforms -----------------------------------------------
  rule('actions.<name>', { status: 'partial', channel: 'standard', does: 'For paths whose backend is Service `<name>` with port use-annotation: the rule\u2019s action, as JSON: forward (target groups of Services, or ARNs or names of target groups outside the cluster, with weights and stickiness), redirect (protocol, host, port, path, query, HTTP_301 or HTTP_302) or fixed-response. A missing action answers 503.', becomes: 'forward: weighted backendRefs; redirect: RequestRedirect (scheme, hostname, port, path; 301/302). Fixed responses, stickiness, a changed query and target groups outside the cluster are reported (the rule keeps its matches without a backend, answered with 404).', values: 'JSON', lbc: { status: 'translated', becomes: 'fixed-response, stickiness and the redirect query in a ListenerRuleConfiguration; target group names and ARNs as TargetGroupName backendRefs.' } }),
  rule('conditions.<name>', { status: 'partial', channel: 'standard', does: 'For every path whose backend is named `<name>`: more conditions of the rule, as JSON: host-header and path-pattern (ORed with the rule\u2019s host and path), http-header, http-request-method, query-string (values ORed, wildcards * and ?, case-insensitive but for methods), source-ip.', becomes: 'Hostnames and matches (header, query and method matches; ORed values as several matches; wildcards as regular expressions). source-ip is reported and its rule left out rather than opened to everyone.', values: 'JSON', lbc: { status: 'translated', becomes: 'source-ip as a ListenerRuleConfiguration condition.' } }),
  rule('transforms.<name>', { status: 'partial', channel: 'standard', does: 'For every path whose backend is named `<name>`: regex rewrites of the host header (host-header-rewrite) or the URL path (url-rewrite) before forwarding.', becomes: 'URLRewrite: hostname for a whole-host rewrite to a fixed name, ReplaceFullPath for a whole-path rewrite to a fixed path, ReplacePrefixMatch for `^<prefix>(.*)$` to `<new>$1` on that prefix; other rewrites are reported.', values: 'JSON' }),
  rule('use-regex-path-match', { status: 'partial', channel: 'standard', does: 'ImplementationSpecific paths of the Ingress are regular expressions (the path without its leading /).', becomes: 'RegularExpression path matches, which are implementation-specific (reported).', check: isBool }),

  // --- authentication --------------------------------------------------------------------------
  rule('auth-type', { protects: true, status: 'unsupported', does: 'none (default), cognito or oidc: the HTTPS listener rules log users in (Amazon Cognito or an OIDC provider) before forwarding. Read from the Service first when the path forwards to one Service.', becomes: 'No equivalent: Gateway API has no OIDC login.', fix: AUTH_FIX, check: oneOf('none', 'cognito', 'oidc'), lbc: { status: 'translated', becomes: 'A ListenerRuleConfiguration authenticate-cognito or authenticate-oidc action on the rules of the HTTPS listeners.' } }),
  rule('auth-idp-cognito', { status: 'unsupported', does: 'JSON {userPoolARN, userPoolClientID, userPoolDomain, authenticationRequestExtraParams} of auth-type cognito.', becomes: 'No equivalent.', fix: AUTH_FIX, lbc: { status: 'translated', becomes: 'ListenerRuleConfiguration authenticateCognitoConfig.' } }),
  rule('auth-idp-oidc', { status: 'unsupported', does: 'JSON {issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, secretName, authenticationRequestExtraParams} of auth-type oidc; the Secret holds clientID and clientSecret.', becomes: 'No equivalent.', fix: AUTH_FIX, lbc: { status: 'translated', becomes: 'ListenerRuleConfiguration authenticateOIDCConfig, naming the same Secret.' } }),
  rule('auth-on-unauthenticated-request', { status: 'unsupported', does: 'authenticate (default), allow or deny for requests without a session.', becomes: 'No equivalent.', check: oneOf('authenticate', 'allow', 'deny'), lbc: { status: 'translated', becomes: 'onUnauthenticatedRequest of the ListenerRuleConfiguration action.' } }),
  rule('auth-scope', { status: 'unsupported', does: 'Scopes requested from the identity provider (default openid).', becomes: 'No equivalent.', lbc: { status: 'translated', becomes: 'scope of the ListenerRuleConfiguration action.' } }),
  rule('auth-session-cookie', { status: 'unsupported', does: 'Name of the session cookie (default AWSELBAuthSessionCookie).', becomes: 'No equivalent.', lbc: { status: 'translated', becomes: 'sessionCookieName of the ListenerRuleConfiguration action.' } }),
  rule('auth-session-timeout', { status: 'unsupported', does: 'Session lifetime in seconds (default 604800).', becomes: 'No equivalent.', check: isInt32, lbc: { status: 'translated', becomes: 'sessionTimeout of the ListenerRuleConfiguration action.' } }),
  rule('jwt-validation', { protects: true, status: 'unsupported', does: 'JSON {jwksEndpoint, issuer, additionalClaims}: the HTTPS listener rules accept only requests with a valid JWT; not together with auth-type.', becomes: 'No standard equivalent.', fix: `Keep the controller (${LBC}), or validate the tokens with your implementation\u2019s JWT policy.`, lbc: { status: 'translated', becomes: 'A ListenerRuleConfiguration jwt-validation action on the rules of the HTTPS listeners.' } }),

  // --- certificates the controller creates -------------------------------------------------------
  rule('create-acm-cert', { status: 'unsupported', does: 'With the controller\u2019s ACM feature on: requests an ACM certificate for the Ingress\u2019s hosts when no certificate-arn is given.', becomes: 'No equivalent.', fix: 'Issue the certificates with cert-manager (its Gateway support) or request them in ACM.', check: isBool }),
  rule('acm-pca-arn', { status: 'unsupported', does: 'Private CA that signs the create-acm-cert certificates.', becomes: 'No equivalent.', fix: 'Issue the certificates from the private CA with cert-manager\u2019s AWS PCA issuer.' }),

  // --- an NLB in front of the ALB -----------------------------------------------------------------
  rule('enable-frontend-nlb', { status: 'unsupported', does: 'Creates an NLB in front of the ALB that forwards its listener ports to it (static addresses, PrivateLink).', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX, check: isBool }),
  rule('frontend-nlb-scheme', { status: 'unsupported', does: 'Scheme of the frontend NLB.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-subnets', { status: 'unsupported', does: 'Subnets of the frontend NLB.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-security-groups', { status: 'unsupported', does: 'Security groups of the frontend NLB.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-listener-port-mapping', { status: 'unsupported', does: 'NLB port to ALB port mapping (key=value list).', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-eip-allocations', { status: 'unsupported', does: 'Elastic IPs of the internet-facing frontend NLB.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-healthcheck-port', { status: 'unsupported', does: 'Health check port of the NLB\u2019s target group (the ALB).', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-healthcheck-protocol', { status: 'unsupported', does: 'Health check protocol of the NLB\u2019s target group.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-healthcheck-path', { status: 'unsupported', does: 'Health check path of the NLB\u2019s target group.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-healthcheck-interval-seconds', { status: 'unsupported', does: 'Health check interval of the NLB\u2019s target group.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX, check: isInt32 }),
  rule('frontend-nlb-healthcheck-timeout-seconds', { status: 'unsupported', does: 'Health check timeout of the NLB\u2019s target group.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX, check: isInt32 }),
  rule('frontend-nlb-healthcheck-healthy-threshold-count', { status: 'unsupported', does: 'Healthy threshold of the NLB\u2019s target group.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX, check: isInt32 }),
  rule('frontend-nlb-healthcheck-unhealthy-threshold-count', { status: 'unsupported', does: 'Unhealthy threshold of the NLB\u2019s target group.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX, check: isInt32 }),
  rule('frontend-nlb-healthcheck-success-codes', { status: 'unsupported', does: 'Success codes of the NLB\u2019s health checks.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-attributes', { status: 'unsupported', does: 'Attributes of the frontend NLB (key=value list).', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),
  rule('frontend-nlb-tags', { status: 'unsupported', does: 'AWS tags of the frontend NLB.', becomes: 'No equivalent on one Gateway.', fix: FRONTEND_NLB_FIX }),

  // --- written by the controller ------------------------------------------------------------------
  rule('dry-run-plan', { status: 'ignored', does: 'Written by the controller in dry-run mode: the load balancer it would build, as JSON, for its migration console.', becomes: 'Nothing to translate: it is the controller\u2019s output, not configuration.' }),
];
