/**
 * Typed, accounted reads of an Istio object: each read checks the value's type (reporting a value
 * of the wrong type, which Istio's CRD schema refuses) and marks the field consumed. Null values
 * are absent (the API server drops them).
 */
import type { ObjectRef } from '../../findings/finding.js';
import type { FieldPath, SourceDocument } from '../../inputs/document.js';
import type { Provenance } from '../../ir/types.js';
import { FieldUse } from '../common/fields.js';
import { fieldText } from '../common/translate.js';
import type { ResourceContext } from '../types.js';
import { refOf } from '../types.js';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type Severity = 'error' | 'warning' | 'info';

export class ObjReader {
  readonly use: FieldUse;
  readonly ref: ObjectRef;
  readonly namespace: string;
  readonly name: string;

  constructor(
    readonly ctx: ResourceContext,
    readonly doc: SourceDocument,
  ) {
    this.use = new FieldUse(doc, doc.object.kind);
    this.ref = refOf(doc);
    this.namespace = doc.object.metadata.namespace ?? 'default';
    this.name = doc.object.metadata.name ?? '';
  }

  /** The raw value at a path (not consumed). */
  get(path: FieldPath): unknown {
    let node: unknown = this.doc.object;
    for (const p of path) {
      if (typeof p === 'number') node = Array.isArray(node) ? node[p] : undefined;
      else node = isRecord(node) ? node[p] : undefined;
      if (node === undefined || node === null) return undefined;
    }
    return node;
  }

  has(path: FieldPath): boolean {
    return this.get(path) !== undefined;
  }

  consume(path: FieldPath): void {
    this.use.consume(path);
  }

  /** Reports a finding about a field and consumes it (the finding accounts for it). */
  report(path: FieldPath, ruleId: string, severity: Severity, message: string, remediation?: string): void {
    const f: Parameters<ResourceContext['report']>[0] = { ruleId, severity, message, field: fieldText(path), doc: this.doc, path };
    if (remediation) f.remediation = remediation;
    this.ctx.report(f);
    if (path.length > 0) this.consume(path);
  }

  /** Reports a finding about a field without consuming it (its parts are accounted for separately). */
  note(path: FieldPath, ruleId: string, severity: Severity, message: string, remediation?: string): void {
    const f: Parameters<ResourceContext['report']>[0] = { ruleId, severity, message, field: fieldText(path), doc: this.doc, path };
    if (remediation) f.remediation = remediation;
    this.ctx.report(f);
  }

  /** A finding about the whole object. */
  reportObject(ruleId: string, severity: Severity, message: string, remediation?: string): void {
    const f: Parameters<ResourceContext['report']>[0] = { ruleId, severity, message, doc: this.doc, path: [] };
    if (remediation) f.remediation = remediation;
    this.ctx.report(f);
  }

  private typed<T>(path: FieldPath, ok: (v: unknown) => v is T, what: string): T | undefined {
    const raw = this.rawOrNull(path);
    if (raw === undefined) return undefined;
    this.consume(path);
    if (raw === null) return undefined;
    if (ok(raw)) return raw;
    this.report(path, 'istio/invalid-field', 'warning', `${fieldText(path)} is ${describe(raw)}, not ${what}; Istio's schema refuses it, and it was not translated`, 'Fix the value.');
    return undefined;
  }

  /** Like get, but null when the field is present with a null value. */
  private rawOrNull(path: FieldPath): unknown {
    let node: unknown = this.doc.object;
    for (let i = 0; i < path.length; i++) {
      const p = path[i]!;
      if (typeof p === 'number') node = Array.isArray(node) ? node[p] : undefined;
      else node = isRecord(node) ? node[p] : undefined;
      if (node === undefined) return undefined;
      if (node === null) return i === path.length - 1 ? null : undefined;
    }
    return node;
  }

  str(path: FieldPath): string | undefined {
    return this.typed(path, (v): v is string => typeof v === 'string', 'a string');
  }

  int(path: FieldPath): number | undefined {
    // Integers may arrive as strings of digits from some generators; Kubernetes would refuse them.
    return this.typed(path, (v): v is number => typeof v === 'number' && Number.isInteger(v), 'an integer');
  }

  num(path: FieldPath): number | undefined {
    return this.typed(path, (v): v is number => typeof v === 'number' && Number.isFinite(v), 'a number');
  }

  bool(path: FieldPath): boolean | undefined {
    return this.typed(path, (v): v is boolean => typeof v === 'boolean', 'a boolean');
  }

  /** A list (its items are read separately); [] when absent. */
  list(path: FieldPath): unknown[] {
    const raw = this.rawOrNull(path);
    if (raw === undefined || raw === null) {
      if (raw === null) this.consume(path);
      return [];
    }
    if (Array.isArray(raw)) return raw;
    this.report(path, 'istio/invalid-field', 'warning', `${fieldText(path)} is ${describe(raw)}, not a list; Istio's schema refuses it, and it was not translated`, 'Fix the value.');
    return [];
  }

  /** A list of strings, consumed whole; non-strings are reported and left out. */
  strings(path: FieldPath): string[] {
    const items = this.list(path);
    if (items.length === 0) return [];
    this.consume(path);
    const out: string[] = [];
    items.forEach((v, i) => {
      if (typeof v === 'string') out.push(v);
      else this.report([...path, i], 'istio/invalid-field', 'warning', `${fieldText([...path, i])} is ${describe(v)}, not a string; it was left out`);
    });
    return out;
  }

  /** A map (not consumed: its entries are read separately). */
  map(path: FieldPath): Record<string, unknown> | undefined {
    const raw = this.rawOrNull(path);
    if (raw === undefined) return undefined;
    if (raw === null) {
      this.consume(path);
      return undefined;
    }
    if (isRecord(raw)) return raw;
    this.report(path, 'istio/invalid-field', 'warning', `${fieldText(path)} is ${describe(raw)}, not a map; Istio's schema refuses it, and it was not translated`, 'Fix the value.');
    return undefined;
  }

  /** A map of strings to strings, consumed whole. */
  stringMap(path: FieldPath): Record<string, string> | undefined {
    const m = this.map(path);
    if (!m) return undefined;
    this.consume(path);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else this.report([...path, k], 'istio/invalid-field', 'warning', `${fieldText([...path, k])} is ${describe(v)}, not a string; it was left out`);
    }
    return out;
  }

  provenance(path: FieldPath = []): Provenance {
    const field = fieldText(path);
    const doc = this.doc;
    let position: Provenance['position'];
    const p: Provenance = {
      object: this.ref,
      get position() {
        return (position ??= doc.locate(path));
      },
    };
    if (field) p.field = field;
    return p;
  }
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}
