/**
 * Test helper: the fields of translated resources (Istio) that are neither consumed by the
 * provider nor named in a finding about that object. Empty when nothing was dropped silently.
 */
import type { ConvertResult } from '../src/convert.js';
import { fieldPattern } from '../src/providers/common/fields.js';
import { fieldText } from '../src/providers/common/translate.js';

export function unaccountedFields(result: Pick<ConvertResult, 'findings' | 'resources'>): string[] {
  const missing: string[] = [];
  for (const origin of result.resources) {
    const ref = origin.ref;
    const named = result.findings
      .filter((f) => f.field && f.object && f.object.kind === ref.kind && f.object.namespace === ref.namespace && f.object.name === ref.name)
      .map((f) => f.field!);
    const walk = (node: unknown, path: (string | number)[]) => {
      const text = fieldText(path);
      if (named.some((n) => text === n || text.startsWith(`${n}.`) || text.startsWith(`${n}[`))) return;
      const key = `${origin.doc.object.kind}.${fieldPattern(path)}`;
      if (origin.translated.some((k) => key === k || key.startsWith(`${k}.`) || key.startsWith(`${k}[]`))) return;
      if (Array.isArray(node)) return node.forEach((x, i) => walk(x, [...path, i]));
      if (typeof node === 'object' && node !== null) return Object.entries(node).forEach(([k, v]) => walk(v, [...path, k]));
      missing.push(`${origin.doc.position.file}:${origin.doc.position.line} ${ref.kind} ${ref.namespace ?? ''}/${ref.name ?? ''} ${text}`);
    };
    walk(origin.doc.object.spec, ['spec']);
  }
  return missing;
}
