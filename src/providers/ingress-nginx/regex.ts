/**
 * ingress-nginx's regex mode (use-regex, rewrite-target), controller-v1.15.1:
 * - if any Ingress of a host sets use-regex or a rewrite-target that differs from its path,
 *   EVERY path of that host, from every Ingress, becomes `location ~* "^<path>"`: a
 *   case-insensitive regex anchored at the start only (template.go enforceRegexModifier);
 * - rewrite-target emits `rewrite "(?i)<path>" <target> break;`: the target replaces the whole
 *   path, `$n` being the path regex's capture groups (template.go buildProxyPass).
 * This module maps such paths to the closest Gateway API form and says what differs.
 */
import type { MappedPath } from '../common/ingress-translator.js';
import type { IngressModel, IngressPath } from '../common/ingress-model.js';
import { annotationField } from '../common/translate.js';
import type { ProviderContext } from '../types.js';
import { NGINX_PREFIX } from './rules.js';

/** A path with no regex syntax, as far as nginx is concerned ('.' aside, read literally). */
const LITERAL = /^\/[-A-Za-z0-9._~!&'+,;=:@%/]*$/;

export interface RegexSettings {
  useRegex: boolean;
  rewriteTarget?: string;
  xForwardedPrefix?: string;
}

/** Whether this Ingress puts its hosts into regex mode. */
export function triggersRegexMode(m: IngressModel, s: RegexSettings): boolean {
  if (s.useRegex) return true;
  if (s.rewriteTarget === undefined) return false;
  return m.rules.some((r) => r.paths.some((p) => p.path !== s.rewriteTarget));
}

function literalPrefix(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * Maps one path of a host in regex mode. `own` is this Ingress's regex settings (its
 * rewrite-target applies to its own paths only). Returns undefined after reporting when the
 * path cannot be expressed.
 */
export function mapRegexPath(ctx: ProviderContext, m: IngressModel, p: IngressPath, own: RegexSettings): MappedPath | undefined {
  const target = own.rewriteTarget !== undefined && own.rewriteTarget !== p.path ? own.rewriteTarget : undefined;
  const path = p.path;
  const fail = (why: string): undefined => {
    ctx.report({
      ruleId: 'ingress-nginx/regex-not-expressible',
      severity: 'error',
      message: `path "${path}"${target !== undefined ? ` with rewrite-target "${target}"` : ''} is an nginx regex (~* "^${path}") that Gateway API cannot express: ${why}; this path was not translated`,
      remediation: 'Rewrite it as a prefix (PathPrefix + ReplacePrefixMatch) or an exact path, or add a RegularExpression match and an implementation-specific rewrite by hand.',
      doc: m.doc,
      path: [...p.at, 'path'],
    });
    return undefined;
  };
  const headerFilters = (): MappedPath['filters'] =>
    own.xForwardedPrefix !== undefined && target !== undefined
      ? [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Forwarded-Prefix', value: own.xForwardedPrefix }] } }]
      : [];

  // 1. A literal path: `^/api` is a (case-insensitive, not segment-bounded) prefix.
  const exactLiteral = path.endsWith('$') && LITERAL.test(path.slice(0, -1)) ? path.slice(0, -1) : undefined;
  if (LITERAL.test(path) || exactLiteral !== undefined) {
    const match = exactLiteral !== undefined ? { type: 'Exact' as const, value: exactLiteral } : { type: 'PathPrefix' as const, value: path };
    if (target === undefined) return { match, filters: [] };
    if (target.includes('$')) return fail(`the target "${target}" refers to capture groups, but the path has none`);
    return { match, filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: target } } }, ...headerFilters()] };
  }

  // 2. `/prefix(/|$)(.*)` with `<x>$2`: everything after the prefix, kept.
  const a = /^(\/[-A-Za-z0-9._~!&'+,;=:@%/]*?)\(\/\|\$\)\(\.\*\)$/.exec(path);
  // 3. `/prefix/(.*)` (or `/prefix(.*)` when the prefix ends in /) with `<x>$1`.
  const b = /^(\/[-A-Za-z0-9._~!&'+,;=:@%/]*\/)\(\.\*\)$/.exec(path);
  const prefix = a?.[1] ?? b?.[1];
  const group = a ? '$2' : b ? '$1' : undefined;
  if (prefix !== undefined && group !== undefined) {
    const match = { type: 'PathPrefix' as const, value: literalPrefix(prefix) || '/' };
    if (target === undefined) return { match, filters: [] };
    const rest = target.endsWith(group) ? target.slice(0, -group.length) : undefined;
    if (rest === undefined || rest.includes('$') || !rest.startsWith('/')) {
      return fail(`the target "${target}" does not end in ${group} after a plain path`);
    }
    const replace = rest.length > 1 && rest.endsWith('/') ? rest.slice(0, -1) : rest;
    if (b) {
      ctx.report({
        ruleId: 'ingress-nginx/regex-prefix-bare',
        severity: 'info',
        message: `"${path}" needed a "/" after ${literalPrefix(prefix)}; the PathPrefix ${match.value} also matches ${match.value} itself (rewritten to ${replace})`,
        doc: m.doc,
        path: [...p.at, 'path'],
      });
    }
    return { match, filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: replace } } }, ...headerFilters()] };
  }

  // 4. Anything else: a RegularExpression match, if there is no capture rewrite to carry.
  if (target !== undefined && target.includes('$')) return fail(`the target "${target}" uses capture groups of a regex that is not a plain prefix`);
  ctx.report({
    ruleId: 'ingress-nginx/regex-path',
    severity: 'warning',
    message: `path "${path}" is a regex; it became a RegularExpression match "(?i)${path}.*", whose syntax and precedence are implementation-specific (nginx used PCRE, tried longest paths first)`,
    remediation: 'Check the regex against your implementation (Envoy Gateway and Istio use RE2, which has no lookarounds or backreferences).',
    doc: m.doc,
    path: [...p.at, 'path'],
  });
  const filters: MappedPath['filters'] = target !== undefined ? [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: target } } }, ...headerFilters()] : [];
  return { match: { type: 'RegularExpression', value: `(?i)${path}.*` }, filters };
}

/** One finding per host in regex mode, on the Ingress that caused it. */
export function reportRegexHost(ctx: ProviderContext, trigger: IngressModel, host: string, s: RegexSettings): void {
  const key = s.useRegex ? 'use-regex' : 'rewrite-target';
  ctx.report({
    ruleId: 'ingress-nginx/regex-host',
    severity: 'warning',
    message: `${key} on this Ingress made ingress-nginx match every path of ${host || 'the default server'}, from every Ingress, as a case-insensitive regex anchored at the start (/api also matched /API and /apiary); plain paths became case-sensitive, segment-wise PathPrefix matches, and Exact paths of the host, which nginx had turned into prefixes, stay prefixes`,
    remediation: 'If clients rely on other letter cases or on longer segment names, add those paths explicitly.',
    field: annotationField(NGINX_PREFIX + key),
    doc: trigger.doc,
    path: ['metadata', 'annotations', NGINX_PREFIX + key],
  });
}
