/** The Istio translation through the CLI: summary, --providers, rules, and output placement. */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { run } from './helpers.js';

const input = 'fixtures/istio-gateway/input.yaml';
const kinds = (yaml: string) => parseAllDocuments(yaml).map((d) => (d.toJS() as { kind: string }).kind);

describe('gateway-shift with Istio objects', () => {
  it('translates them and counts them in the summary', () => {
    const r = run(['convert', input]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('0 Ingresses and 7 Istio objects from 1 file -> 9 Gateway API objects; 0 errors, 0 warnings, 2 info');
    expect(kinds(r.stdout)).toEqual(['Gateway', 'ReferenceGrant', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'TLSRoute', 'TCPRoute']);
  });

  it('leaves them alone when --providers names only Ingress providers, and accepts --providers istio', () => {
    const nginxOnly = run(['convert', input, '--providers', 'ingress-nginx']);
    expect(nginxOnly.status).toBe(0);
    expect(nginxOnly.stdout).toBe('');
    expect(run(['convert', input, '--providers', 'istio']).stdout).toContain('kind: TLSRoute');
  });

  it('uses --gateway-class for the Gateways made from Istio Gateways', () => {
    const r = run(['convert', input, '--gateway-class', 'eg']);
    expect(r.stdout).toContain('gatewayClassName: eg');
    expect(kinds(r.stdout)[0]).toBe('GatewayClass');
  });

  it('prints the Istio field table', () => {
    const r = run(['rules', '--provider', 'istio', '-o', 'json']);
    expect(r.status).toBe(0);
    const [table] = JSON.parse(r.stdout) as { provider: string; rules: { key: string }[] }[];
    expect(table!.provider).toBe('istio');
    expect(table!.rules.map((x) => x.key)).toContain('VirtualService.spec.http[].corsPolicy.allowOrigins');
  });

  it('--output-dir puts the routes of a VirtualService beside it, and Gateways and grants in the shared file', () => {
    const out = mkdtempSync(join(tmpdir(), 'gs-istio-'));
    const r = run(['convert', 'fixtures/istio-gateway', '--output-dir', out]);
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['gateway-shift-shared.yaml', 'input.yaml']);
    expect(kinds(readFileSync(join(out, 'gateway-shift-shared.yaml'), 'utf8').replace(/^#.*\n/, ''))).toEqual(['Gateway', 'ReferenceGrant']);
    expect(kinds(readFileSync(join(out, 'input.yaml'), 'utf8').replace(/^#.*\n/, ''))).toEqual(['HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'HTTPRoute', 'TLSRoute', 'TCPRoute']);
  });
});
