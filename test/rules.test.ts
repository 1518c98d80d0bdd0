/** The rule tables: complete, self-consistent, and the generated docs are current. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { parseSource } from '../src/inputs/parse.js';
import { INGRESS_NGINX_RULES, NGINX_PREFIX } from '../src/providers/ingress-nginx/rules.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { matchesKey, POLICY_TARGETS, ruleFor } from '../src/providers/rules.js';
import { ALB_PREFIX, ALB_RULES } from '../src/providers/alb/rules.js';
import { renderRules } from '../src/reporters/rules.js';
import { createValidator } from '../src/validate/validator.js';

const root = join(import.meta.dirname, '..');

describe('rule tables', () => {
  it.each(PROVIDERS.map((p) => [p.id, p] as const))('docs/annotations/%s.md is generated from the table (run `gateway-shift rules --provider <id> -o markdown`)', (id, p) => {
    expect(readFileSync(join(root, 'docs', 'annotations', `${id}.md`), 'utf8')).toBe(renderRules([p], 'markdown'));
  });

  it('has one entry for each of the 138 annotation keys ingress-nginx v1.15.1 parses', () => {
    expect(INGRESS_NGINX_RULES).toHaveLength(138);
    const keys = INGRESS_NGINX_RULES.map((r) => r.key);
    expect(new Set(keys).size).toBe(138);
    for (const r of INGRESS_NGINX_RULES) {
      expect(r.key.startsWith(NGINX_PREFIX)).toBe(true);
      expect(r.id).toBe(`ingress-nginx/${r.key.slice(NGINX_PREFIX.length)}`);
      expect(r.behaviour.length).toBeGreaterThan(10);
      expect(r.gatewayApi.length).toBeGreaterThan(5);
      if (r.status === 'translated' || r.status === 'partial') expect(r.channel).not.toBe('none');
    }
  });

  /** Annotation keys of every object of each fixture's input, with the target it runs with. */
  const fixtures = readdirSync(join(root, 'fixtures')).map((name) => {
    const dir = join(root, 'fixtures', name);
    const opts = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as { target?: string }) : {};
    const keys = new Set<string>();
    for (const d of parseAllDocuments(readFileSync(join(dir, 'input.yaml'), 'utf8'))) {
      const o = d.toJS() as { metadata?: { annotations?: Record<string, unknown> } } | null;
      for (const k of Object.keys(o?.metadata?.annotations ?? {})) keys.add(k);
    }
    return { keys, target: opts.target ?? 'standard' };
  });

  it.each(PROVIDERS.map((p) => [p.id, p] as const))('%s: has a fixture for every translated annotation, run with a target that translates it', (_id, p) => {
    const missing: string[] = [];
    for (const r of p.rules) {
      const used = (target?: string) => fixtures.some((f) => (target === undefined || f.target === target) && [...f.keys].some((k) => matchesKey(r, k)));
      if (r.status === 'translated' && !used()) missing.push(r.key);
      for (const t of POLICY_TARGETS) {
        if (r.status !== 'translated' && r.targets?.[t]?.status === 'translated' && !used(t)) missing.push(`${r.key} (${t})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('checks values where the controller does', () => {
    const byKey = (k: string) => INGRESS_NGINX_RULES.find((r) => r.key === NGINX_PREFIX + k)!;
    expect(byKey('ssl-redirect').validateValue?.('true')).toBeUndefined();
    expect(byKey('ssl-redirect').validateValue?.('yes')).toMatch(/boolean/);
    expect(byKey('proxy-read-timeout').validateValue?.('30s')).toMatch(/whole number/);
    expect(byKey('proxy-body-size').validateValue?.('8m')).toBeUndefined();
    expect(byKey('load-balance').validateValue?.('random')).toMatch(/one of/);
  });

  it('accounts for every annotation of the table on a real Ingress: consumed, or named in a finding', () => {
    const annotations: Record<string, string> = {};
    for (const r of INGRESS_NGINX_RULES) annotations[r.key] = 'x';
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'all', namespace: 'a', annotations },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
    };
    const { documents } = parseSource(stringify(ingress), 'all.yaml');
    const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared' }, createValidator(loadSchemas(), 'standard'));
    const named = new Set(result.findings.map((f) => f.field));
    // translated and partial entries are consumed (their effect is in the output, or a finding says what is missing)
    const silent = INGRESS_NGINX_RULES.filter((r) => !named.has(`metadata.annotations[${r.key}]`) && r.status !== 'translated' && r.status !== 'partial').map((r) => r.key);
    expect(silent).toEqual([]);
    expect(result.stats.invalidObjects).toBe(0);
  });

  it('has one entry for each of the 69 alb.ingress.kubernetes.io suffixes of the AWS Load Balancer Controller v3.5.0 and its 3 per-backend families', () => {
    expect(ALB_RULES).toHaveLength(72);
    expect(new Set(ALB_RULES.map((r) => r.key)).size).toBe(72);
    expect(new Set(ALB_RULES.map((r) => r.id)).size).toBe(72);
    for (const r of ALB_RULES) {
      expect(r.key.startsWith(ALB_PREFIX)).toBe(true);
      expect(r.id.startsWith('alb/')).toBe(true);
      expect(r.behaviour.length).toBeGreaterThan(10);
      if (r.status === 'translated' || r.status === 'partial') expect(r.channel).not.toBe('none');
      expect(r.pattern !== undefined).toBe(r.key.includes('<'));
    }
    // Families match their keys, and exact keys win over families.
    expect(ruleFor(ALB_RULES, `${ALB_PREFIX}actions.ssl-redirect`)?.id).toBe('alb/actions');
    expect(ruleFor(ALB_RULES, `${ALB_PREFIX}listener-attributes.HTTPS-443`)?.id).toBe('alb/listener-attributes');
    expect(ruleFor(ALB_RULES, `${ALB_PREFIX}target-control-port.web.80`)?.id).toBe('alb/target-control-port');
    expect(ruleFor(ALB_RULES, `${ALB_PREFIX}listen-ports`)?.id).toBe('alb/listen-ports');
    expect(ruleFor(ALB_RULES, `${ALB_PREFIX}actions`)).toBeUndefined();
  });

  it.each(['standard', 'aws-lbc'] as const)('accounts for every ALB annotation on a real Ingress with --target %s: consumed, or named in a finding', (target) => {
    const annotations: Record<string, string> = {};
    const keyOf = (k: string) => k.replace('<name>', 'web').replace('<Protocol>-<Port>', 'HTTP-80').replace('<service>.<port>', 'web.80');
    for (const r of ALB_RULES) annotations[keyOf(r.key)] = 'x';
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'all', namespace: 'a', annotations },
      spec: { ingressClassName: 'alb', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
    };
    const { documents } = parseSource(stringify(ingress), 'all.yaml');
    const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared', ...(target === 'standard' ? {} : { target }) }, createValidator(loadSchemas(), 'standard'));
    const named = new Set(result.findings.map((f) => f.field));
    const silent = ALB_RULES.filter((r) => !named.has(`metadata.annotations[${keyOf(r.key)}]`) && r.status !== 'translated' && r.status !== 'partial' && !(target !== 'standard' && r.targets?.[target])).map((r) => r.key);
    expect(silent).toEqual([]);
    expect(result.stats.invalidObjects).toBe(0);
  });
});
