/** The Istio field rule table: complete against Istio's schema, self-consistent, documented, and every field accounted for. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { join } from 'node:path';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { parseSource } from '../src/inputs/parse.js';
import { fieldPattern } from '../src/providers/common/fields.js';
import { ISTIO_RULES, istioRuleId } from '../src/providers/istio/rules.js';
import { RESOURCE_PROVIDERS } from '../src/providers/registry.js';
import { renderRules } from '../src/reporters/rules.js';
import { createValidator } from '../src/validate/validator.js';
import { unaccountedFields } from './field-accounting.js';

const root = join(import.meta.dirname, '..');
const keys = ISTIO_RULES.map((r) => r.key);

describe('Istio field rule table', () => {
  it.each(RESOURCE_PROVIDERS.map((p) => [p.id, p] as const))('docs/fields/%s.md is generated from the table (run `gateway-shift rules --provider <id> -o markdown`)', (id, p) => {
    expect(readFileSync(join(root, 'docs', 'fields', `${id}.md`), 'utf8')).toBe(renderRules([p], 'markdown'));
  });

  it('has one entry per field, with a stable lowercase id and the texts the docs need', () => {
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ISTIO_RULES.map((r) => r.id)).size).toBe(keys.length);
    for (const r of ISTIO_RULES) {
      expect(r.id).toBe(istioRuleId(r.key));
      expect(r.id).toMatch(/^istio\/[a-z0-9.-]+$/);
      expect(r.key).toMatch(/^(VirtualService|Gateway)\.spec\./);
      expect(r.behaviour.length).toBeGreaterThan(10);
      expect(r.gatewayApi.length).toBeGreaterThan(5);
      if (r.status === 'translated' || r.status === 'partial') expect(r.channel).not.toBe('none');
    }
  });

  it("covers every field of Istio's VirtualService and Gateway schemas (an entry at the field or at a parent handled whole)", () => {
    const fields = readFileSync(join(root, 'test', 'data', 'istio-crd-fields.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(fields.length).toBeGreaterThan(100);
    const uncovered = fields.filter((f) => !keys.some((k) => f === k || f.startsWith(`${k}.`) || f.startsWith(`${k}[]`)));
    expect(uncovered).toEqual([]);
  });

  it('has a fixture for every translated field', () => {
    const used = new Set<string>();
    for (const name of readdirSync(join(root, 'fixtures'))) {
      const file = join(root, 'fixtures', name, 'input.yaml');
      if (!existsSync(file)) continue;
      for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const o = d.toJS() as { apiVersion?: string; kind?: string; spec?: unknown } | null;
        if (!o?.apiVersion?.startsWith('networking.istio.io/') || !o.kind) continue;
        const walk = (node: unknown, path: (string | number)[]) => {
          used.add(`${o.kind}.${fieldPattern(path)}`);
          if (Array.isArray(node)) node.forEach((x, i) => walk(x, [...path, i]));
          else if (typeof node === 'object' && node !== null) for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
        };
        walk(o.spec, ['spec']);
      }
    }
    const missing = ISTIO_RULES.filter((r) => r.status === 'translated' && !used.has(r.key)).map((r) => r.key);
    expect(missing).toEqual([]);
  });

  it('accounts for every field of a VirtualService and a Gateway that set them all: consumed, or named in a finding', () => {
    const text = readFileSync(join(root, 'test', 'data', 'istio-all-fields.yaml'), 'utf8');
    const { documents } = parseSource(text, 'all.yaml');
    const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared', channel: 'experimental' }, createValidator(loadSchemas(), 'experimental'));
    expect(result.stats.invalidObjects).toBe(0);
    expect(result.findings.filter((f) => f.ruleId === 'istio/unknown-field')).toEqual([]);
    expect(unaccountedFields(result)).toEqual([]);
  });

  it('gives the same output whatever the order of the Istio objects in the input', () => {
    // The Istio fixtures together, without the objects two fixtures define (the first definition wins, by design).
    const seen = new Set<string>();
    const docs = readdirSync(join(root, 'fixtures'))
      .filter((d) => d.startsWith('istio-'))
      .flatMap((d) => readFileSync(join(root, 'fixtures', d, 'input.yaml'), 'utf8').split(/^---$/m))
      .filter((text) => {
        const o = parseAllDocuments(text)[0]?.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | undefined;
        const k = `${o?.kind}/${o?.metadata?.namespace}/${o?.metadata?.name}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    const once = (list: string[]) => {
      const { documents } = parseSource(list.join('\n---\n'), 'all.yaml');
      const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared' }, createValidator(loadSchemas(), 'standard'));
      expect(result.stats.invalidObjects).toBe(0);
      return { objects: JSON.stringify(result.objects), findings: result.findings.map((f) => `${f.ruleId} ${f.message}`).sort() };
    };
    const forward = once(docs);
    expect(once([...docs].reverse())).toEqual(forward);
  });
});
