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

/**
 * The hosts this Ingress puts into regex mode: those where one of its nginx locations has
 * use-regex, or a rewrite-target that differs from the location's path as nginx writes it
 * (template.go enforceRegexModifier / needsRewrite). A Prefix path is written `<path>/` plus an
 * Exact `<path>` when it needs no rewrite itself (location.go updateServerLocations), so a target
 * equal to the Ingress path still differs from `<path>/`. The root location `/` of the hosts the
 * Ingress owns (`owns`) carries its annotations too (controller.go createServers).
 */
export function regexModeHosts(m: IngressModel, s: RegexSettings, owns: (host: string) => boolean): string[] {
  const out = new Set<string>();
  const target = s.rewriteTarget;
  const needs = (path: string) => target !== undefined && target !== path;
  for (const r of m.rules) {
    // The catch-all server's root is never an Ingress's with rules (createServers: "server
    // already configured"), and a rules-less one loses its rewrite settings there.
    if (r.host !== '' && owns(r.host) && (s.useRegex || needs('/'))) out.add(r.host);
    for (const p of r.paths) {
      if (s.useRegex) out.add(r.host);
      const path = p.path === '' ? '/' : p.path;
      if (needs(path)) out.add(r.host);
      else if (p.pathType !== 'Exact' && path !== '/' && needs(path.endsWith('/') ? path : `${path}/`)) out.add(r.host);
    }
  }
  return [...out];
}

/** The capture groups `$1`..`$9` of a path without groups are empty strings in nginx's rewrite. */
export function withoutGroups(target: string): string {
  const t = target.replace(/\$\d/g, '');
  return t === '' ? '/' : t;
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
  const path = p.path;
  // needsRewrite compares the target with the location's path; location.go first writes a
  // Prefix path that needs no rewrite (and no use-regex) as `<path>/`, which then does differ
  // from a target equal to the Ingress path (its Exact copy `<path>` keeps no rewrite, but the
  // target is that path anyway).
  const normalised = p.pathType !== 'Exact' && path !== '/' && path !== '' && !path.endsWith('/') && !own.useRegex ? `${path}/` : path;
  const target = own.rewriteTarget !== undefined && own.rewriteTarget !== path ? own.rewriteTarget : own.rewriteTarget !== undefined && own.rewriteTarget !== normalised ? own.rewriteTarget : undefined;
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
    // nginx's rewrite replaces $n of a group the path does not have with nothing.
    const filters: MappedPath['filters'] = [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: withoutGroups(target) } } }, ...headerFilters()];
    // Rewritten only in its `<path>/` location: the Exact copy `<path>` is the target already,
    // and gets no X-Forwarded-Prefix (template.go buildProxyPass sets it with the rewrite only).
    if (normalised !== path && own.rewriteTarget === path && own.xForwardedPrefix !== undefined) {
      return { match, filters, bare: { match: { type: 'Exact', value: path }, filters: [] } };
    }
    return { match, filters };
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
    message: `${key} on this Ingress made ingress-nginx match every path of ${host || 'the default server'}, from every Ingress, as a case-insensitive regex anchored at the start (/api also matched /API and /apiary, /api/ did not match /api), tried longest path first; plain paths became case-sensitive, segment-wise PathPrefix matches, and Exact paths of the host, which nginx had turned into prefixes, stay prefixes`,
    remediation: 'If clients rely on other letter cases or on longer segment names, add those paths explicitly.',
    field: annotationField(NGINX_PREFIX + key),
    doc: trigger.doc,
    path: ['metadata', 'annotations', NGINX_PREFIX + key],
  });
}
