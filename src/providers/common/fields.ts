/**
 * Field accounting for resource providers, in the spirit of annotation accounting: every field of
 * an object's spec is consumed by the provider (its effect is in the output, or a finding of the
 * provider explains it) or reported from the provider's rule table, and a field the table does not
 * know is reported as unknown. Nothing is dropped silently.
 *
 * Rule entry keys name fields as `<Kind>.<path>`, list items written `[]`:
 * `VirtualService.spec.http[].corsPolicy`. The accounting walks the spec: a consumed node is done;
 * a node with an entry that was not consumed is reported from the entry; any other map or list is
 * walked into; any other value is an unknown field.
 */
import type { FieldPath, SourceDocument } from '../../inputs/document.js';
import type { RuleEntry } from '../rules.js';
import type { ResourceContext } from '../types.js';
import { fieldText } from './translate.js';

/** `spec.http[0].match[1].uri` -> `spec.http[].match[].uri`. */
export function fieldPattern(path: FieldPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? '[]' : s === '' ? p : `.${p}`;
  return s;
}

/** The fields of one object a provider consumed, by field path text. */
export class FieldUse {
  private readonly used = new Set<string>();
  readonly keys = new Set<string>();
  constructor(
    readonly doc: SourceDocument,
    readonly kind: string,
  ) {}

  consume(path: FieldPath): void {
    this.used.add(fieldText(path));
    this.keys.add(`${this.kind}.${fieldPattern(path)}`);
  }

  has(path: FieldPath): boolean {
    return this.used.has(fieldText(path));
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as shown in a one-line message: JSON, at most 60 characters. */
export function shortJson(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  const one = s.replace(/\s*\n\s*/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** The finding message for a field whose entry was not consumed. */
export function fieldMessage(field: string, value: unknown, entry: RuleEntry, target: ResourceContext['target']): string {
  const kv = `${field}: ${shortJson(value)}`;
  const viaTarget = target === 'standard' ? undefined : entry.targets?.[target];
  if (viaTarget) return `${kv} was not translated for ${target} here (${viaTarget.result})`;
  switch (entry.status) {
    case 'ignored':
      return `${kv} is ignored: ${entry.gatewayApi}`;
    case 'target-specific':
      return `${kv} needs an implementation policy, which this target does not generate: ${entry.gatewayApi}`;
    case 'unsupported':
      return entry.channel === 'none'
        ? `${kv} has no Gateway API equivalent and was not translated: ${entry.gatewayApi}`
        : `${kv} was not translated (gateway-shift does not translate it yet); in Gateway API (${entry.channel} channel): ${entry.gatewayApi}`;
    default:
      return `${kv} was not applied to the output (gateway-shift could not use it here)`;
  }
}

/**
 * Reports every field of `root` (a path into the object, usually ['spec']) that was neither
 * consumed nor has been skipped; returns the keys of the entries reported, one per field.
 */
export function accountFields(ctx: ResourceContext, providerId: string, rules: ReadonlyMap<string, RuleEntry>, use: FieldUse, root: FieldPath = ['spec']): string[] {
  const reported: string[] = [];
  const walk = (node: unknown, path: FieldPath): void => {
    if (path.length > root.length && use.has(path)) return;
    const key = `${use.kind}.${fieldPattern(path)}`;
    const entry = path.length > root.length ? rules.get(key) : undefined;
    if (entry) {
      const f: Parameters<ResourceContext['report']>[0] = {
        ruleId: entry.id,
        severity: entry.status === 'ignored' ? 'info' : entry.protects ? 'error' : 'warning',
        message: fieldMessage(fieldText(path), node, entry, ctx.target) + (entry.protects && entry.status !== 'ignored' ? '; what it protected is now reachable without it' : ''),
        field: fieldText(path),
        doc: use.doc,
        path,
      };
      if (entry.remediation) f.remediation = entry.remediation;
      ctx.report(f);
      reported.push(entry.key);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    if (isRecord(node)) {
      for (const k of Object.keys(node)) walk(node[k], [...path, k]);
      return;
    }
    if (path.length <= root.length) return;
    ctx.report({
      ruleId: `${providerId}/unknown-field`,
      severity: 'warning',
      message: `${fieldText(path)} is not a field gateway-shift knows in ${use.kind}; it was not translated`,
      remediation: `Check the spelling against the ${use.kind} reference: the API server drops fields its schema does not have (or refuses the object), so it probably had no effect.`,
      field: fieldText(path),
      doc: use.doc,
      path,
    });
  };
  let node: unknown = use.doc.object;
  for (const p of root) node = isRecord(node) ? node[p as string] : undefined;
  if (node !== undefined) walk(node, root);
  return reported;
}
