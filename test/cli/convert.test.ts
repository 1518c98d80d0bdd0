import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { ingressYaml, run, repoRoot } from './helpers.js';

const basic = 'fixtures/basic-paths/input.yaml';
const tmp = () => mkdtempSync(join(tmpdir(), 'gs-cli-'));

const INGRESS = ingressYaml;

describe('gateway-shift CLI', () => {
  it('prints its version', () => {
    const r = run(['--version']);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('converts a file: YAML on stdout, a report on stderr, exit 0', () => {
    const r = run(['convert', basic]);
    expect(r.status).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string });
    expect(docs.map((d) => d.kind)).toEqual(['Gateway', 'HTTPRoute']);
    expect(r.stderr).toContain('[core/gateway-class-defaulted]');
    expect(r.stderr).toContain('1 Ingress from 1 file -> 2 Gateway API objects');
  });

  it('writes a JSON List with -o json', () => {
    const r = run(['convert', '-o', 'json', basic]);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: { kind: string }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.kind)).toEqual(['Gateway', 'HTTPRoute']);
  });

  it('reads stdin with - and when no path is given', () => {
    const input = readFileSync(join(repoRoot, basic), 'utf8');
    const a = run(['convert', '-'], { input });
    const b = run(['convert'], { input });
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(run(['convert', basic]).stdout);
    expect(b.stdout).toBe(a.stdout);
  });

  it('writes a JSON report that follows schemas/report.schema.json, to a file when asked', () => {
    const dir = tmp();
    const file = join(dir, 'report.json');
    const r = run(['convert', '--report', 'json', '--report-file', file, 'fixtures/shared-host-tls/input.yaml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { findings: { ruleId: string; position?: { line: number } }[]; summary: { ingresses: number } };
    const ajv = new Ajv({ strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report.schema.json'), 'utf8')) as object);
    expect(validate(report)).toBe(true);
    expect(report.summary.ingresses).toBe(2);
    expect(report.findings.find((f) => f.ruleId === 'ingress-nginx/https-redirect')?.position?.line).toBe(8);
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('exits 1 when findings reach --fail-on, 0 with never', () => {
    const dir = tmp();
    const f = join(dir, 'in.yaml');
    writeFileSync(f, INGRESS('a', '  annotations:\n    nginx.ingress.kubernetes.io/made-up: "x"\n'));
    expect(run(['convert', f]).status).toBe(0);
    expect(run(['convert', '--fail-on', 'warning', f]).status).toBe(1);
    expect(run(['convert', '--fail-on', 'info', f]).status).toBe(1);
    expect(run(['convert', '--fail-on', 'never', f]).status).toBe(0);
    const r = run(['convert', f]);
    expect(r.stderr).toMatch(/nginx\.ingress\.kubernetes\.io\/made-up .*\[ingress-nginx\/unknown-annotation\]/);
    expect(r.stderr).toContain('in.yaml:7:5');
  });

  it('exits 1 on an error finding by default', () => {
    const dir = tmp();
    const f = join(dir, 'named.yaml');
    writeFileSync(f, INGRESS('a').replace('number: 80', 'name: http'));
    const r = run(['convert', f]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('[core/named-port-unresolved]');
  });

  it('names file:line of malformed YAML, still converts the other files, and exits 2', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a-good.yaml'), INGRESS('good'));
    writeFileSync(join(dir, 'b-bad.yaml'), 'apiVersion: v1\nkind: Ingress\nmetadata: {name: x\n  broken: [\n');
    writeFileSync(join(dir, 'c-good.yaml'), INGRESS('other'));
    const r = run(['convert', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/b-bad\.yaml:\d+:\d+/);
    expect(r.stderr).toContain('[input/yaml-syntax]');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const routes = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } }).filter((d) => d.kind === 'HTTPRoute');
    expect(routes.map((d) => d.metadata.name)).toEqual(['good', 'other']);
  });

  it('exits 2 for a missing path but converts the rest', () => {
    const r = run(['convert', 'does/not/exist.yaml', basic]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('does/not/exist.yaml');
    expect(r.stderr).toContain('[input/unreadable]');
    expect(r.stdout).toContain('kind: HTTPRoute');
  });

  it('reports usage errors in one line with exit 2 and no stack trace', () => {
    for (const args of [
      ['convert', '--gateway-mode', 'nope', basic],
      ['convert', '--parent-ref', 'NotValid', basic],
      ['convert', '--providers', 'nosuch', basic],
      ['convert', '--gateway-controller', 'x.io/y', basic],
      ['convert', '--traefik-entrypoint', 'web=TCP:80', basic],
      ['convert', '--traefik-entrypoint', 'web', basic],
      ['convert', '--traefik-entrypoint', 'web=HTTP:80:redirect=nowhere', basic],
      ['frobnicate'],
    ]) {
      const r = run(args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('takes Traefik entry points from repeated --traefik-entrypoint options', () => {
    const r = run(['convert', '--traefik-entrypoint', 'http=HTTP:80', '--traefik-entrypoint', 'https=HTTPS:443', 'fixtures/traefik-entrypoints/input.yaml']);
    expect(r.status).toBe(1); // the Ingress whose only entry point does not exist is an error
    // `web` and `websecure` are no longer defined: the routers that name them are reported.
    expect(r.stderr).toContain('entry point "websecure" is not defined (http=HTTP:80, https=HTTPS:443)');
    const routes = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } }).filter((d) => d.kind === 'HTTPRoute');
    expect(routes.map((d) => d.metadata.name)).toEqual(['login', 'shop']);
  });

  it('attaches routes to an existing Gateway with --parent-ref and emits no Gateway', () => {
    const r = run(['convert', '--parent-ref', 'infra/edge/http', basic]);
    expect(r.status).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; spec: { parentRefs: unknown[] } });
    expect(docs.map((d) => d.kind)).toEqual(['HTTPRoute']);
    expect(docs[0]!.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: 'infra', sectionName: 'http' }]);
  });

  it('with --parent-ref, leaves HTTPS and its redirect to the existing Gateway and says so', () => {
    const r = run(['convert', '--parent-ref', 'infra/edge', 'fixtures/shared-host-tls/input.yaml']);
    expect(r.status).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    // No redirect twins: on the same parent they would match the same requests as the routes.
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['HTTPRoute/api', 'HTTPRoute/shop']);
    expect(r.stderr).toContain('[core/parent-ref-tls]');
    expect(r.stderr).toContain('shop/shop-tls');
  });

  it('emits a GatewayClass for a known --gateway-class', () => {
    const r = run(['convert', '--gateway-class', 'eg', basic]);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; spec: Record<string, unknown> });
    expect(docs[0]).toMatchObject({ kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } });
    expect(docs[1]).toMatchObject({ kind: 'Gateway', spec: { gatewayClassName: 'eg' } });
    expect(r.stderr).not.toContain('gateway-class-defaulted');
  });

  it('gives byte-identical output whatever the order of the input files', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'one.yaml'), INGRESS('one'));
    writeFileSync(join(dir, 'two.yaml'), INGRESS('two'));
    const a = run(['convert', join(dir, 'one.yaml'), join(dir, 'two.yaml')]);
    const b = run(['convert', join(dir, 'two.yaml'), join(dir, 'one.yaml')]);
    expect(a.stdout).not.toBe('');
    expect(b.stdout).toBe(a.stdout);
  });

  it('is idempotent: converting its own output changes nothing and adds no objects', () => {
    const first = run(['convert', basic]).stdout;
    const dir = tmp();
    writeFileSync(join(dir, 'out.yaml'), first);
    const again = run(['convert', join(dir, 'out.yaml')]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('');
    expect(existsSync(join(dir, 'out.yaml'))).toBe(true);
    expect(parse(first.split('---\n')[0]!)).toMatchObject({ kind: 'Gateway' });
  });

  it('generates the AWS Load Balancer Controller\u2019s objects with --target aws-lbc', () => {
    const r = run(['convert', '--target', 'aws-lbc', 'fixtures/lbc-rules/input.yaml']);
    expect(r.status).toBe(0);
    const kinds = parseAllDocuments(r.stdout).map((d) => (d.toJS() as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['GatewayClass', 'ListenerRuleConfiguration', 'TargetGroupConfiguration', 'HTTPRoute']));
    expect(run(['convert', '--target', 'nope', basic]).status).toBe(2);
  });

  it('prints the ALB rule table, families with their pattern', () => {
    const r = run(['rules', '--provider', 'alb', '-o', 'json']);
    expect(r.status).toBe(0);
    const [table] = JSON.parse(r.stdout) as { provider: string; rules: { key: string; pattern?: string }[] }[];
    expect(table!.provider).toBe('alb');
    expect(table!.rules).toHaveLength(72);
    expect(table!.rules.find((x) => x.key === 'alb.ingress.kubernetes.io/actions.<name>')?.pattern).toBeDefined();
  });
});
