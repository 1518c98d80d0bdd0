/** The rule tables: complete, self-consistent, and the generated docs are current. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadSchemas } from '../src/cli/load-schemas.js';
import { convert } from '../src/convert.js';
import { parseSource } from '../src/inputs/parse.js';
import { INGRESS_NGINX_RULES, NGINX_PREFIX } from '../src/providers/ingress-nginx/rules.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { findTraefikRule, TRAEFIK_PREFIX, TRAEFIK_RULES } from '../src/providers/traefik/rules.js';
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

  it('has a fixture for every translated annotation of every provider, run with a target (and channel) that translates it', () => {
    const fixtures = readdirSync(join(root, 'fixtures')).map((name) => {
      const dir = join(root, 'fixtures', name);
      const opts = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as { target?: string; channel?: string }) : {};
      return { input: readFileSync(join(dir, 'input.yaml'), 'utf8'), target: opts.target ?? 'standard', channel: opts.channel ?? 'standard' };
    });
    const missing: string[] = [];
    for (const p of PROVIDERS) {
      for (const r of p.rules) {
        const used = (target?: string, channel?: string) => fixtures.some((f) => (target === undefined || f.target === target) && (channel === undefined || f.channel === channel) && f.input.includes(`${r.key}:`));
        if (r.status === 'translated' && !used(undefined, r.channel === 'experimental' ? 'experimental' : undefined)) missing.push(r.key);
        else if (r.status !== 'translated' && r.targets?.['envoy-gateway']?.status === 'translated' && !used('envoy-gateway')) missing.push(`${r.key} (envoy-gateway)`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has one entry for each traefik.ingress.kubernetes.io/ key Traefik v3.7.9 documents, found case-insensitively', () => {
    expect(TRAEFIK_RULES).toHaveLength(28);
    expect(new Set(TRAEFIK_RULES.map((r) => r.key.toLowerCase())).size).toBe(28);
    for (const r of TRAEFIK_RULES) {
      expect(r.key.startsWith(TRAEFIK_PREFIX)).toBe(true);
      expect(r.id).toBe(`traefik/${r.key.slice(TRAEFIK_PREFIX.length).toLowerCase()}`);
      expect(r.behaviour.length).toBeGreaterThan(10);
      if (r.status === 'translated' || r.status === 'partial') expect(r.channel).not.toBe('none');
      expect(findTraefikRule(r.key)).toBe(r);
    }
    expect(findTraefikRule(`${TRAEFIK_PREFIX}router.pathMatcher`)?.key).toBe(`${TRAEFIK_PREFIX}router.pathmatcher`);
    expect(findTraefikRule(`${TRAEFIK_PREFIX}router.tls.domains.3.sans`)?.key).toBe(`${TRAEFIK_PREFIX}router.tls.domains.n.sans`);
    expect(findTraefikRule(`${TRAEFIK_PREFIX}router.foo`)).toBeUndefined();
  });

  it('checks values where the controller does', () => {
    const byKey = (k: string) => INGRESS_NGINX_RULES.find((r) => r.key === NGINX_PREFIX + k)!;
    expect(byKey('ssl-redirect').validateValue?.('true')).toBeUndefined();
    expect(byKey('ssl-redirect').validateValue?.('yes')).toMatch(/boolean/);
    expect(byKey('proxy-read-timeout').validateValue?.('30s')).toMatch(/whole number/);
    expect(byKey('proxy-body-size').validateValue?.('8m')).toBeUndefined();
    expect(byKey('load-balance').validateValue?.('random')).toMatch(/one of/);
  });

  it.each([
    ['ingress-nginx', 'nginx'],
    ['traefik', 'traefik'],
  ])('accounts for every %s annotation of the table on a real Ingress: consumed, or named in a finding', (id, cls) => {
    const provider = PROVIDERS.find((p) => p.id === id)!;
    for (const value of ['x', 'true']) {
      const annotations: Record<string, string> = {};
      for (const r of provider.rules) annotations[r.key.replace('.n.', '.0.')] = value;
      const ingress = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'all', namespace: 'a', annotations },
        spec: { ingressClassName: cls, rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] },
      };
      const { documents } = parseSource(stringify(ingress), 'all.yaml');
      const result = convert(documents, { toolVersion: 't', gatewayMode: 'shared' }, createValidator(loadSchemas(), 'standard'));
      const named = new Set(result.findings.map((f) => f.field));
      // translated and partial entries are consumed (their effect is in the output, or a finding says what is missing)
      const silent = provider.rules.filter((r) => !named.has(`metadata.annotations[${r.key.replace('.n.', '.0.')}]`) && r.status !== 'translated' && r.status !== 'partial').map((r) => r.key);
      expect(silent).toEqual([]);
      expect(result.stats.invalidObjects).toBe(0);
    }
  });
});
