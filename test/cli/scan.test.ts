import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { PROVIDERS, RESOURCE_PROVIDERS } from '../../src/providers/registry.js';
import { ruleAnchor, rulesDocsDir } from '../../src/reporters/docs-links.js';
import { ingressYaml, repoRoot, run } from './helpers.js';
import { sarifValidator } from './sarif.js';

const shared = join(repoRoot, '..', 'shared');
const corpus = join(shared, 'corpus');
const scanData = 'test/cli/data/scan';
const tmp = () => mkdtempSync(join(tmpdir(), 'gs-scan-'));

interface JsonReport {
  summary: { ingresses: number; files: number; findings: Record<string, number> };
  findings: { ruleId: string; severity: string; message: string; status?: string; field?: string; position?: { file: string; line: number; column: number } }[];
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  baselineState?: string;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  properties?: { status?: string };
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; help: { text: string }; helpUri?: string; defaultConfiguration: { level: string } }[] } };
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: SarifResult[];
  }[];
}

function reportValidator() {
  const ajv = new Ajv({ strict: true });
  return ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'schemas', 'report.schema.json'), 'utf8')) as object);
}

const INGRESS = (name: string, annotations = '') => ingressYaml(name, annotations ? `  annotations:\n${annotations}` : '');

describe('gateway-shift scan on the shared corpus', () => {
  const dir = tmp();
  // One run writes every format; the corpus holds unparseable files, so the exit code is 2.
  const r = run(['scan', corpus, '--repo-root', shared, '--format', 'sarif=' + join(dir, 'scan.sarif'), '--format', 'json', '--output-file', join(dir, 'scan.json'), '--format', `markdown=${join(dir, 'scan.md')}`, '--format', 'text']);
  const sarif = JSON.parse(readFileSync(join(dir, 'scan.sarif'), 'utf8')) as SarifLog;
  const json = JSON.parse(readFileSync(join(dir, 'scan.json'), 'utf8')) as JsonReport;
  const markdown = readFileSync(join(dir, 'scan.md'), 'utf8');

  it('writes every report, prints the text one, and exits 2 for the files that are not YAML', () => {
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('[input/yaml-syntax]');
    expect(r.stdout).toMatch(/\d+ Ingresses and \d+ Istio objects from \d+ files -> \d+ Gateway API objects; \d+ errors/);
    expect(r.stdout).not.toContain('kind: HTTPRoute'); // no Gateway API YAML
    expect(r.stderr).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['scan.json', 'scan.md', 'scan.sarif']); // no temporary files left
  });

  it('writes SARIF 2.1.0 that validates against the OASIS schema', () => {
    const validate = sarifValidator();
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0]!.tool.driver.name).toBe('gateway-shift');
  });

  it('has one SARIF rule per rule-table entry, with its description, remediation and a link to its row in the docs', () => {
    const rules = sarif.runs[0]!.tool.driver.rules;
    const ids = rules.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of [...PROVIDERS, ...RESOURCE_PROVIDERS]) {
      const dir = rulesDocsDir(p.id);
      const page = readFileSync(join(repoRoot, 'docs', dir, `${p.id}.md`), 'utf8');
      for (const entry of p.rules) {
        const rule = rules.find((x) => x.id === entry.id);
        expect(rule).toBeDefined();
        expect(rule!.shortDescription.text).toContain(entry.key);
        if (entry.remediation) expect(rule!.help.text).toContain(entry.remediation);
        expect(rule!.helpUri).toMatch(new RegExp(`/docs/${dir}/${p.id}\\.md#${ruleAnchor(entry).replace(/\./g, '\\.')}$`));
        expect(page).toContain(`<a id="${ruleAnchor(entry)}"></a>`);
      }
    }
  });

  it('gives every result a physical location relative to the repository root, and a rule', () => {
    const run0 = sarif.runs[0]!;
    expect(run0.originalUriBaseIds?.['%SRCROOT%']?.uri).toBe(`file://${shared}/`);
    expect(run0.results.length).toBe(json.findings.length);
    for (const res of run0.results) {
      expect(run0.tool.driver.rules[res.ruleIndex]?.id).toBe(res.ruleId);
      expect(res.locations).toHaveLength(1);
      const loc = res.locations[0]!.physicalLocation;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).toMatch(/^corpus\//);
      expect(existsSync(join(shared, decodeURIComponent(loc.artifactLocation.uri)))).toBe(true);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.startColumn).toBeGreaterThanOrEqual(1);
    }
    const fps = run0.results.map((x) => x.partialFingerprints['gatewayShiftFinding/v1']);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it('writes a JSON report that follows schemas/report.schema.json, with the annotations\u2019 statuses', () => {
    const validate = reportValidator();
    expect(validate(json)).toBe(true);
    const statuses = new Set(json.findings.map((f) => f.status).filter(Boolean));
    expect([...statuses].sort()).toEqual(['ignored', 'partial', 'target-specific', 'translated', 'unknown', 'unsupported']);
    expect(json.findings.filter((f) => f.ruleId === 'scan/ingress')).toHaveLength(json.summary.ingresses);
    expect(json.findings.some((f) => f.ruleId === 'scan/virtual-service')).toBe(true);
    // Every finding but those about the whole input has a position.
    expect(json.findings.filter((f) => !f.position).every((f) => f.ruleId.startsWith('core/gateway-'))).toBe(true);
  });

  it('writes Markdown for a pull request: a table per controller and severity, then details, under GitHub\u2019s comment limit', () => {
    expect(markdown).toMatch(/^## gateway-shift scan\n/);
    expect(markdown).toContain('| Controller | Objects | Errors | Warnings | Info |');
    expect(markdown).toMatch(/\| ingress-nginx \| \d+ \| \d+ \| \d+ \| \d+ \|/);
    expect(markdown).toMatch(/\| Istio \| \d+ \| \d+ \| \d+ \| \d+ \|/);
    expect(markdown).toContain('### Annotations');
    expect(markdown).toContain(`### Errors (${json.summary.findings.error})`);
    expect(markdown).toMatch(/\| `corpus\/ingress-nginx\/[^`]+\.yaml:\d+:\d+` \|/);
    expect(markdown.length).toBeLessThan(65536);
  });
});

describe('gateway-shift scan', () => {
  it('says what happens to each annotation, with file, line and column', () => {
    const r = run(['scan', scanData, '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    const byField = (key: string) => report.findings.filter((f) => f.field === `metadata.annotations[${key}]`).map((f) => [f.ruleId, f.status, f.severity, `${f.position?.file}:${f.position?.line}:${f.position?.column}`]);
    const at = (line: number) => `${scanData}/shop.yaml:${line}:5`;
    expect(byField('nginx.ingress.kubernetes.io/enable-cors')).toEqual([['ingress-nginx/enable-cors', 'translated', 'info', at(8)]]);
    expect(byField('nginx.ingress.kubernetes.io/preserve-trailing-slash')).toEqual([['ingress-nginx/preserve-trailing-slash', 'partial', 'info', at(9)]]);
    expect(byField('nginx.ingress.kubernetes.io/proxy-body-size')).toEqual([['ingress-nginx/proxy-body-size', 'target-specific', 'warning', at(10)]]);
    expect(byField('nginx.ingress.kubernetes.io/proxy-buffering')).toEqual([['ingress-nginx/proxy-buffering', 'unsupported', 'warning', at(11)]]);
    expect(byField('nginx.ingress.kubernetes.io/http2-push-preload')).toEqual([['ingress-nginx/http2-push-preload', 'ignored', 'info', at(12)]]);
    expect(byField('nginx.ingress.kubernetes.io/made-up')).toEqual([['ingress-nginx/unknown-annotation', 'unknown', 'warning', at(13)]]);
    expect(byField('traefik.ingress.kubernetes.io/router.priority')).toEqual([['core/foreign-annotation', 'ignored', 'info', at(14)]]);
    expect(byField('argocd.argoproj.io/sync-wave')).toEqual([]);
    const inventory = report.findings.filter((f) => f.ruleId.startsWith('scan/'));
    expect(inventory.map((f) => [f.ruleId, f.severity, `${f.position?.file}:${f.position?.line}`])).toEqual([
      ['scan/virtual-service', 'info', `${scanData}/mesh.yaml:2`],
      ['scan/ingress', 'info', `${scanData}/shop.yaml:2`],
    ]);
    expect(inventory[1]!.message).toContain(
      '7 controller annotations: 1 translated, 1 partly translated, 1 need an implementation policy, 1 cannot be translated, 1 unknown, 2 ignored',
    );
    // hosts, http[].route[].destination.host and .port: each kind of field counted once.
    expect(inventory[0]!.message).toBe('VirtualService bookinfo/reviews (Istio) is still here; 3 kinds of fields: 3 translated');
  });

  it('counts what an implementation target translates (--target)', () => {
    const r = run(['scan', scanData, '--format', 'json', '--target', 'envoy-gateway']);
    const report = JSON.parse(r.stdout) as JsonReport;
    const f = report.findings.find((x) => x.field === 'metadata.annotations[nginx.ingress.kubernetes.io/proxy-body-size]');
    // The provider's own finding about the translation (Envoy's requestBuffer differs from
    // nginx in memory use and WebSockets) carries the status; without one, scan's would.
    expect(f).toMatchObject({ status: 'translated' });
    expect(f!.message).toContain('Envoy Gateway requestBuffer');
  });

  it('exits 0 when clean, 1 at or above --fail-on, and documents nothing on stdout but the report', () => {
    const d = tmp();
    writeFileSync(join(d, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n');
    const clean = run(['scan', d, '--fail-on', 'info']);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('0 Ingresses from 1 file -> 0 Gateway API objects; 0 errors, 0 warnings, 0 info');
    expect(run(['scan', scanData]).status).toBe(0); // warnings and info only
    expect(run(['scan', scanData, '--fail-on', 'warning']).status).toBe(1);
    expect(run(['scan', scanData, '--fail-on', 'info']).status).toBe(1);
    expect(run(['scan', scanData, '--fail-on', 'never']).status).toBe(0);
    writeFileSync(join(d, 'named.yaml'), INGRESS('a').replace('number: 80', 'name: http'));
    expect(run(['scan', d]).status).toBe(1); // an error finding, default --fail-on error
  });

  it('exits 2 for unreadable input (after writing the reports) and for usage errors, without a stack trace', () => {
    const d = tmp();
    const missing = run(['scan', 'does/not/exist', scanData, '--format', `json=${join(d, 'r.json')}`]);
    expect(missing.status).toBe(2);
    expect(JSON.parse(readFileSync(join(d, 'r.json'), 'utf8'))).toMatchObject({ summary: { ingresses: 1 } });
    writeFileSync(join(d, 'bad.json'), '{"findings": 3}');
    for (const args of [
      ['scan', '--format', 'pdf', scanData],
      ['scan', '--format', 'json', '--format', 'sarif', scanData],
      ['scan', '--output-file', join(d, 'x'), scanData],
      ['scan', '--format', 'json=a', '--output-file', 'b', scanData],
      ['scan', '--format', 'json=', scanData],
      ['scan', '--fail-on', 'sometimes', scanData],
      ['scan', '--baseline', join(d, 'nope.json'), scanData],
      ['scan', '--baseline', join(d, 'bad.json'), scanData],
      ['scan', '--repo-root', join(d, 'nope'), scanData],
    ]) {
      const r = run(args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });

  it('reads stdin', () => {
    const r = run(['scan', '--format', 'json'], { input: INGRESS('a') });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as JsonReport).findings.find((f) => f.ruleId === 'scan/ingress')?.position?.file).toBe('<stdin>');
  });

  it('with --baseline, fails only on findings that are new, wherever the old ones moved', () => {
    const d = tmp();
    const f = join(d, 'apps.yaml');
    writeFileSync(f, INGRESS('a', '    nginx.ingress.kubernetes.io/proxy-buffering: "on"\n'));
    const baseline = join(d, 'baseline.json');
    expect(run(['scan', f, '--format', `json=${baseline}`, '--fail-on', 'never'], { cwd: d }).status).toBe(0);
    expect(run(['scan', f, '--fail-on', 'warning'], { cwd: d }).status).toBe(1);
    // Accepted: the same findings, even after lines moved.
    writeFileSync(f, '# a comment\n# and another\n' + INGRESS('a', '    nginx.ingress.kubernetes.io/proxy-buffering: "on"\n'));
    const same = run(['scan', f, '--fail-on', 'info', '--baseline', baseline], { cwd: d });
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('0 new,');
    // A new annotation and a new Ingress are new findings; only they are listed.
    writeFileSync(f, INGRESS('a', '    nginx.ingress.kubernetes.io/proxy-buffering: "on"\n    nginx.ingress.kubernetes.io/limit-rate: "10"\n') + '---\n' + INGRESS('b'));
    const grown = run(['scan', f, '--fail-on', 'warning', '--baseline', baseline, '--format', 'text', '--format', `sarif=${join(d, 'r.sarif')}`], { cwd: d });
    expect(grown.status).toBe(1);
    expect(grown.stdout).toContain('[ingress-nginx/limit-rate]');
    expect(grown.stdout).toContain('Ingress team/b is still here');
    expect(grown.stdout).not.toContain('[ingress-nginx/proxy-buffering]');
    const sarif = JSON.parse(readFileSync(join(d, 'r.sarif'), 'utf8')) as SarifLog;
    const states = sarif.runs[0]!.results.map((x) => `${x.ruleId} ${x.baselineState}`);
    expect(states).toContain('ingress-nginx/proxy-buffering unchanged');
    expect(states).toContain('ingress-nginx/limit-rate new');
    expect(sarifValidator()(sarif)).toBe(true);
    // Only warnings and above count with --fail-on warning; the new Ingress (info) alone passes.
    writeFileSync(f, INGRESS('a', '    nginx.ingress.kubernetes.io/proxy-buffering: "on"\n') + '---\n' + INGRESS('b'));
    expect(run(['scan', f, '--fail-on', 'warning', '--baseline', baseline], { cwd: d }).status).toBe(0);
    expect(run(['scan', f, '--fail-on', 'info', '--baseline', baseline], { cwd: d }).status).toBe(1);
  });

  it('does not read its baseline or its reports as manifests when they lie in a scanned folder', () => {
    const d = tmp();
    writeFileSync(join(d, 'apps.yaml'), INGRESS('a'));
    expect(run(['scan', '.', '--format', 'json=.baseline.json', '--fail-on', 'never'], { cwd: d }).status).toBe(0);
    const r = run(['scan', '.', '--baseline', '.baseline.json', '--format', 'text', '--format', 'json=report.json', '--fail-on', 'info'], { cwd: d });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 Ingress from 1 file ->');
    expect(r.stdout).not.toContain('input/missing-kind');
  });

  it('names SARIF files relative to the git work tree, even from a subdirectory, or to --repo-root', () => {
    const repo = tmp();
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'deploy', 'my apps'), { recursive: true });
    writeFileSync(join(repo, 'deploy', 'my apps', 'in.yaml'), INGRESS('a'));
    const sub = join(repo, 'deploy');
    const uris = (r: { stdout: string }) => (JSON.parse(r.stdout) as SarifLog).runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    const fromSub = run(['scan', 'my apps', '--format', 'sarif'], { cwd: sub });
    expect(fromSub.status).toBe(0);
    expect(new Set(uris(fromSub))).toEqual(new Set(['deploy/my%20apps/in.yaml']));
    const rooted = run(['scan', 'my apps', '--format', 'sarif', '--repo-root', sub], { cwd: sub });
    expect(new Set(uris(rooted))).toEqual(new Set(['my%20apps/in.yaml']));
  });

  it('creates the folders of --output-file', () => {
    const d = tmp();
    const r = run(['scan', scanData, '--format', `sarif=${join(d, 'reports', 'ci', 'scan.sarif')}`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(join(d, 'reports', 'ci', 'scan.sarif'))).toBe(true);
  });
});
