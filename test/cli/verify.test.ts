/** `gateway-shift verify` as a user runs it: reports, exit codes, --gateway-api. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseAllDocuments, stringify } from 'yaml';
import { run, repoRoot } from './helpers.js';

const fixture = (name: string, file = 'input.yaml') => join('fixtures', name, file);
const tmp = () => mkdtempSync(join(tmpdir(), 'gs-verify-'));

describe('gateway-shift verify', () => {
  it('exits 0 and prints the explained differences and a summary when every difference is explained', () => {
    const r = run(['verify', fixture('shared-host-tls')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('explained   GET http://shop.example.com/docs/');
    expect(r.stdout).toContain('[ingress-nginx/https-redirect]');
    expect(r.stdout).toMatch(/ingress-nginx \(load balancer nginx\): 2 Ingresses, \d+ requests/);
    expect(r.stdout).toMatch(/\d+ requests from 1 file: \d+ compared, 3 differences \(3 explained by findings, 0 unexplained\)/);
  });

  it('writes a JSON report that follows schemas/verify-report.schema.json', () => {
    const dir = tmp();
    const file = join(dir, 'verify.json');
    const r = run(['verify', fixture('nginx-canary'), '--report', 'json', '--report-file', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { summary: { unexplained: number; probes: number }; models: { sources: { assumptions: string[] }[] } };
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'verify-report.schema.json'), 'utf8')) as object);
    const valid = validate(report);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(report.summary.unexplained).toBe(0);
    expect(report.summary.probes).toBeGreaterThan(0);
    expect(report.models.sources[0]!.assumptions.length).toBeGreaterThan(0);
  });

  it('checks a hand-edited Gateway API output with --gateway-api and exits 1 on an unexplained difference', () => {
    const dir = tmp();
    const docs = parseAllDocuments(readFileSync(join(repoRoot, fixture('shared-host-tls', 'expected.yaml')), 'utf8')).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    const edited = docs.filter((d) => !(d.kind === 'HTTPRoute' && d.metadata.name === 'shop-https-redirect'));
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, edited.map((d) => stringify(d)).join('---\n'));
    const same = join(dir, 'same.yaml');
    writeFileSync(same, docs.map((d) => stringify(d)).join('---\n'));
    expect(run(['verify', fixture('shared-host-tls'), '--gateway-api', same]).status).toBe(0);
    const r = run(['verify', fixture('shared-host-tls'), '--gateway-api', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('unexplained GET http://shop.example.com/');
    expect(r.stdout).toContain('ingress-nginx: redirect 308 to https://shop.example.com/');
    expect(r.stdout).toContain('Gateway API: 404 from the proxy');
  });

  it('exits 2 on an input it cannot read', () => {
    const r = run(['verify', 'fixtures/does-not-exist.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('does-not-exist');
  });

  it('reports a document it cannot parse with its file and line, verifies the rest, and exits 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'broken.yaml'), 'kind: Ingress\nmetadata: {name: [\n');
    const r = run(['verify', fixture('shared-host-tls'), join(dir, 'broken.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[input\/yaml-syntax\]\n {8}\S*broken\.yaml:\d+:\d+/);
    // The readable file is verified all the same: its report is the one of the first test.
    expect(r.stdout).toMatch(/ingress-nginx \(load balancer nginx\): 2 Ingresses, \d+ requests/);
    expect(r.stdout).toMatch(/\d+ requests from 2 files: \d+ compared, 3 differences \(3 explained by findings, 0 unexplained\)/);
  });

  it('stops when a --gateway-api file cannot be read: comparing without its objects would be meaningless', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'edited.yaml'), 'kind: HTTPRoute\nspec: {rules: [\n');
    const r = run(['verify', fixture('shared-host-tls'), '--gateway-api', join(dir, 'edited.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('edited.yaml');
    expect(r.stdout).toBe('');
  });

  it('verifies the Ingresses of every controller it has a model of (class-detection: ingress-nginx and Traefik)', () => {
    const r = run(['verify', fixture('class-detection')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/traefik \(load balancer edge\): 1 Ingress, \d+ requests/);
    expect(r.stdout).not.toContain('not verified');
  });

  it('says which Ingresses it could not verify', () => {
    const dir = tmp();
    const file = join(dir, 'other.yaml');
    writeFileSync(
      file,
      stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'other' }, spec: { controller: 'example.com/other-controller' } }) +
        '---\n' +
        stringify({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x', namespace: 'app' }, spec: { ingressClassName: 'other', rules: [{ host: 'x.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'x', port: { number: 80 } } } }] } }] } }),
    );
    const r = run(['verify', file]);
    expect(r.stdout).toMatch(/not verified Ingress app\/x: its class other belongs to controller example\.com\/other-controller/);
  });
});
