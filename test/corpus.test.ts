/**
 * The shared corpus of real manifests (../shared/corpus): every folder converts without a crash,
 * with every target, every emitted object is valid (Gateway API v1.6.1, and the targets' own
 * kinds), every annotation with the prefix of a provider is accounted for: translated (its
 * effect is in the output, see the fixtures) or named in a finding, and every field of the Istio
 * Gateways and VirtualServices is consumed or named in a finding. Nothing is dropped silently.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { readInputs } from '../src/inputs/read.js';
import type { PolicyTarget } from '../src/ir/types.js';
import { isIngress } from '../src/providers/common/ingress-model.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { POLICY_TARGETS, ruleFor } from '../src/providers/rules.js';
import { createValidator } from '../src/validate/validator.js';
import { unaccountedFields } from './field-accounting.js';

const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const validator = createValidator(loadSchemas(), 'standard');

/** Whether the provider consumes the key with this target (its entry is translated or partial there). */
function translated(key: string, target: 'standard' | PolicyTarget): boolean | undefined {
  const p = PROVIDERS.find((x) => x.annotationPrefixes.some((prefix) => key.startsWith(prefix)));
  if (!p) return undefined;
  const r = p.findRule ? p.findRule(key) : ruleFor(p.rules, key);
  if (!r) return false;
  return r.status === 'translated' || r.status === 'partial' || (target !== 'standard' && r.targets?.[target] !== undefined);
}

const cases = ['ingress-nginx', 'alb', 'traefik', 'istio'].flatMap((folder) => (['standard', ...POLICY_TARGETS] as const).map((target) => [folder, target] as const));

describe.each(cases)('corpus/%s, --target %s', (folder, target) => {
  it('converts without a crash into valid output, accounting for every annotation of a provider (translated or in a finding)', async () => {
    expect(existsSync(join(corpus, folder))).toBe(true);
    const input = await readInputs([join(corpus, folder)], { cwd: corpus });
    expect(input.files.length).toBeGreaterThan(0);
    const result = convert(input.documents, { toolVersion: 'test', gatewayMode: 'shared', ...(target === 'standard' ? {} : { target }) }, validator);
    expect(result.findings.filter((f) => f.ruleId === 'core/invalid-output')).toEqual([]);
    expect(result.stats.invalidObjects).toBe(0);

    const at = (p?: { file: string; line?: number }) => `${p?.file}:${p?.line}`;
    const accounted = new Set(result.findings.map((f) => at(f.position)));
    // Ingresses skipped as a whole (a duplicate, no valid name) are reported once, not per annotation.
    const skipped = new Set(result.findings.filter((f) => f.ruleId === 'input/duplicate-object' || f.ruleId === 'ingress/missing-name' || f.ruleId === 'ingress/invalid-name').map((f) => f.object?.name ?? ''));
    const missing: string[] = [];
    for (const doc of input.documents) {
      if (!isIngress(doc.object)) continue;
      if (!doc.object.metadata.name) continue; // reported once (ingress/missing-name)
      if (accounted.has(at(doc.position)) && skipped.has(doc.object.metadata.name ?? '')) continue;
      for (const key of Object.keys(doc.object.metadata.annotations ?? {})) {
        if (translated(key, target) !== false) continue;
        const p = doc.locate(['metadata', 'annotations', key]);
        if (!accounted.has(at(p))) missing.push(`${at(p)} ${key}`);
      }
    }
    // Traefik reads service.* annotations from the Services the paths use: those are accounted for too.
    const used = new Set<string>();
    for (const o of result.objects) {
      if (o.kind !== 'HTTPRoute' || !o.spec || typeof o.spec !== 'object') continue;
      for (const r of (o.spec as { rules?: { backendRefs?: { name: string; namespace?: string }[] }[] }).rules ?? []) {
        for (const b of r.backendRefs ?? []) used.add(`${b.namespace ?? o.metadata.namespace}/${b.name}`);
      }
    }
    // A Service defined several times (the corpus repeats test fixtures) may not be the copy that was read.
    const serviceCount = new Map<string, number>();
    for (const { object: o } of input.documents) if (o.kind === 'Service') serviceCount.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, (serviceCount.get(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`) ?? 0) + 1);
    for (const doc of input.documents) {
      const o = doc.object;
      const k = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
      if (o.kind !== 'Service' || !used.has(k) || serviceCount.get(k) !== 1) continue;
      for (const key of Object.keys(o.metadata.annotations ?? {})) {
        if (!key.startsWith('traefik.ingress.kubernetes.io/')) continue;
        const p = doc.locate(['metadata', 'annotations', key]);
        if (!accounted.has(at(p))) missing.push(`${at(p)} ${key} (Service)`);
      }
    }
    expect(missing).toEqual([]);
    // Istio Gateways and VirtualServices: every field of their spec consumed or named in a finding.
    if (folder === 'istio') {
      expect(result.resources.length).toBeGreaterThan(50);
      expect(unaccountedFields(result)).toEqual([]);
    }
  });
});
