/**
 * A rule-table entry: the single source of truth for one annotation (or field) of a controller.
 * The `rules` command, the generated docs, SARIF rule metadata and the tests all read it.
 */
export type RuleStatus = 'translated' | 'partial' | 'target-specific' | 'unsupported' | 'ignored';

export type GatewayApiChannel = 'standard' | 'experimental' | 'none';

export interface RuleExample {
  /** Annotation value used in the example. */
  value: string;
  /** What the example shows, in a few words. */
  title: string;
}

import type { PolicyTarget } from '../ir/types.js';

/** How an implementation target (`--target`) translates an entry the standard output cannot. */
export interface TargetTranslation {
  /** translated: the controller's behaviour is reproduced (differences are reported as info); partial: only some of it. */
  status: 'translated' | 'partial';
  /** The policy object and field it becomes. */
  result: string;
}

export interface RuleEntry {
  /** Stable finding id: `<provider>/<name>`. */
  id: string;
  /**
   * The annotation key, e.g. `nginx.ingress.kubernetes.io/rewrite-target`. An entry for a family
   * of keys (AWS's `alb.ingress.kubernetes.io/actions.<name>`) shows the variable part in angle
   * brackets and matches keys with `pattern`.
   */
  key: string;
  /** For a family of keys: the keys the entry stands for. */
  pattern?: RegExp;
  status: RuleStatus;
  /** What the controller really does with it. */
  behaviour: string;
  /** What it becomes in Gateway API, or why nothing. */
  gatewayApi: string;
  channel: GatewayApiChannel;
  /** Accepted values: a short schema description checked by `validateValue`. */
  values?: string;
  /** What to do by hand when it is not (fully) translated. */
  remediation?: string;
  examples?: RuleExample[];
  /**
   * The annotation protects the paths (authentication, IP lists, client certificates): leaving it
   * untranslated makes them public, so the finding is an error, not a warning.
   */
  protects?: boolean;
  /** Translations by implementation target (e.g. envoy-gateway), for entries standard Gateway API cannot express. */
  targets?: Partial<Record<PolicyTarget, TargetTranslation>>;
  /** Returns an error message for a bad value, undefined when the value is acceptable. */
  validateValue?: (value: string) => string | undefined;
}

/** Whether an entry is translated, in standard Gateway API or with some --target. */
export function isTranslated(r: RuleEntry): boolean {
  return r.status === 'translated' || Object.values(r.targets ?? {}).some((t) => t?.status === 'translated');
}

/** The implementation targets, in the order the docs list them. */
export const POLICY_TARGETS: readonly PolicyTarget[] = ['envoy-gateway', 'aws-lbc'];

/** Whether the entry stands for this annotation key. */
export function matchesKey(r: RuleEntry, key: string): boolean {
  return r.pattern ? r.pattern.test(key) : r.key === key;
}

/** The entry of a rule table for an annotation key (exact keys first, then families). */
export function ruleFor(rules: readonly RuleEntry[], key: string): RuleEntry | undefined {
  return rules.find((r) => !r.pattern && r.key === key) ?? rules.find((r) => r.pattern?.test(key));
}

/** What a provider's rule table says of one key; `ruleEntry` turns it into a RuleEntry. */
export interface RuleSpec {
  status: RuleStatus;
  channel?: GatewayApiChannel;
  /** What the controller does. */
  does: string;
  /** What it becomes in Gateway API. */
  becomes: string;
  fix?: string;
  values?: string;
  check?: (v: string) => string | undefined;
  protects?: boolean;
}

/** A rule entry from its id, full key and spec; `targets` as the provider's table gives them. */
export function ruleEntry(id: string, key: string, s: RuleSpec, targets?: RuleEntry['targets']): RuleEntry {
  const e: RuleEntry = { id, key, status: s.status, behaviour: s.does, gatewayApi: s.becomes, channel: s.channel ?? 'none' };
  if (s.values) e.values = s.values;
  if (s.fix) e.remediation = s.fix;
  if (s.check) e.validateValue = s.check;
  if (s.protects) e.protects = true;
  if (targets) e.targets = targets;
  return e;
}

/** Value checks shared by the rule tables. */
const GO_BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;
export const isGoBool = (v: string): string | undefined => (GO_BOOL.test(v.trim()) ? undefined : 'expected a boolean (true/false)');
export const oneOf =
  (...values: string[]) =>
  (v: string): string | undefined =>
    values.includes(v) ? undefined : `expected one of ${values.join(', ')}`;
