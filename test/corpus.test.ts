/**
 * The shared corpus of real manifests (../shared/corpus): every folder converts without a crash,
 * every emitted object is valid Gateway API v1.6.1, and every annotation with the prefix of the
 * provider serving the Ingress is accounted for in a finding (nothing dropped silently).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { readInputs } from '../src/inputs/read.js';
import { isIngress } from '../src/providers/common/ingress-model.js';
import { INGRESS_NGINX_RULES } from '../src/providers/ingress-nginx/rules.js';
import { createValidator } from '../src/validate/validator.js';

const corpus = join(import.meta.dirname, '..', '..', 'shared', 'corpus');
const validator = createValidator(loadSchemas(), 'standard');
/** Keys the ingress-nginx provider consumes: their effect is in the output (see the fixtures). */
const TRANSLATED = {
  standard: new Set(INGRESS_NGINX_RULES.filter((r) => r.status === 'translated' || r.status === 'partial').map((r) => r.key)),
  'envoy-gateway': new Set(INGRESS_NGINX_RULES.filter((r) => r.status === 'translated' || r.status === 'partial' || r.targets?.['envoy-gateway']).map((r) => r.key)),
};

const cases = ['ingress-nginx', 'alb', 'traefik', 'istio'].flatMap((folder) => (['standard', 'envoy-gateway'] as const).map((target) => [folder, target] as const));

describe.each(cases)('corpus/%s, --target %s', (folder, target) => {
  it('converts without a crash into valid output, accounting for every ingress-nginx annotation (translated or in a finding)', async () => {
    expect(existsSync(join(corpus, folder))).toBe(true);
    const input = await readInputs([join(corpus, folder)], { cwd: corpus });
    expect(input.files.length).toBeGreaterThan(0);
    const result = convert(input.documents, { toolVersion: 'test', gatewayMode: 'shared', ...(target === 'standard' ? {} : { target }) }, validator);
    expect(result.findings.filter((f) => f.ruleId === 'core/invalid-output')).toEqual([]);
    expect(result.stats.invalidObjects).toBe(0);

    const at = (p?: { file: string; line?: number }) => `${p?.file}:${p?.line}`;
    const accounted = new Set(result.findings.map((f) => at(f.position)));
    // Ingresses skipped as a whole (a duplicate, no name) are reported once, not per annotation.
    const skipped = new Set(result.findings.filter((f) => f.ruleId === 'input/duplicate-object' || f.ruleId === 'ingress/missing-name').map((f) => f.object?.name ?? ''));
    const missing: string[] = [];
    for (const doc of input.documents) {
      if (!isIngress(doc.object)) continue;
      if (accounted.has(at(doc.position)) && skipped.has(doc.object.metadata.name ?? '')) continue;
      for (const key of Object.keys(doc.object.metadata.annotations ?? {})) {
        if (!key.startsWith('nginx.ingress.kubernetes.io/') || TRANSLATED[target].has(key)) continue;
        const p = doc.locate(['metadata', 'annotations', key]);
        if (!accounted.has(at(p))) missing.push(`${at(p)} ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
