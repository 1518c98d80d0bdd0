/**
 * Name rules of Kubernetes and Gateway API that several layers check (inputs, providers,
 * validation, CLI options): one definition each.
 */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/** RFC 1123 label: a namespace name, for example. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: object names, host names without a wildcard. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A host name, optionally behind a leading `*.` (Ingress hosts, Gateway API hostnames). */
export const WILDCARD_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An HTTP header name (RFC 7230 token), as Gateway API header matches and CORS accept. */
export const HTTP_HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
