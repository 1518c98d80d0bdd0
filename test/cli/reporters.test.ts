/** The scan reporters as pure functions: Markdown, SARIF paths, baselines, --format parsing. */
import type { Finding } from '../../src/findings/finding.js';
import { findingIdentity, newFindings, parseBaseline } from '../../src/reporters/baseline.js';
import { MAX_CHARS, mdCell, renderMarkdown } from '../../src/reporters/markdown.js';
import { artifactLocation, buildSarif } from '../../src/reporters/sarif.js';
import { annotationStatus } from '../../src/reporters/scan.js';
import type { ReportFinding, ReportInput } from '../../src/reporters/types.js';
import { INGRESS_NGINX_RULES } from '../../src/providers/ingress-nginx/rules.js';
import { parseFormat, reportTargets } from '../../src/cli/report-targets.js';
import { sarifValidator } from './sarif.js';

const finding = (over: Partial<ReportFinding> = {}): ReportFinding => ({
  ruleId: 'ingress-nginx/proxy-buffering',
  severity: 'warning',
  message: 'm',
  object: { kind: 'Ingress', namespace: 'a', name: 'x' },
  field: 'metadata.annotations[nginx.ingress.kubernetes.io/proxy-buffering]',
  position: { file: 'apps/x.yaml', line: 7, column: 5 },
  controller: 'ingress-nginx',
  ...over,
});
const input = (findings: ReportFinding[], extra: Partial<ReportInput> = {}): ReportInput => ({
  toolVersion: '1.2.3',
  findings,
  summary: { ingresses: 1, objects: 2, files: 1 },
  ...extra,
});

describe('Markdown report', () => {
  it('escapes what Markdown or HTML would interpret in a table cell', () => {
    expect(mdCell('a|b <x>$2 *y* `z` [l](u)\nnext & more')).toBe('a\\|b &lt;x&gt;$2 \\*y\\* \\`z\\` \\[l\\](u)<br>next &amp; more');
  });

  it('summarises per controller and severity, then lists the findings, new ones only with a baseline', () => {
    const a = finding();
    const b = finding({ ruleId: 'scan/ingress', severity: 'info', field: undefined, message: 'Ingress a/x is still here' });
    const c = finding({ ruleId: 'core/gateway-class-defaulted', severity: 'info', controller: 'general', object: undefined, position: undefined, field: undefined });
    const md = renderMarkdown(input([a, b, c], { newFindings: new Set([a]) }));
    expect(md).toContain('| ingress-nginx | 1 | 0 | 1 | 1 | 1 |');
    expect(md).toContain('| Inputs and topology | 0 | 0 | 0 | 1 | 0 |');
    expect(md).toContain('**1 new** since the baseline; 2 accepted there and not listed.');
    expect(md).toContain('### Warnings (1 new)');
    expect(md).toContain('| `apps/x.yaml:7:5` | Ingress a/x | `ingress-nginx/proxy-buffering` | m |');
    expect(md).not.toContain('<summary>Info');
  });

  it('stays under GitHub\u2019s comment limit however many findings there are', () => {
    const many = Array.from({ length: 5000 }, (_, i) => finding({ message: 'x'.repeat(300), position: { file: `f${i}.yaml`, line: 1, column: 1 } }));
    const md = renderMarkdown(input(many));
    expect(md.length).toBeLessThanOrEqual(MAX_CHARS);
    expect(md).toMatch(/\d+ more warning findings are in the SARIF and JSON reports\./);
  });
});

describe('SARIF report', () => {
  const paths = { cwd: '/repo/deploy', root: '/repo' };

  it('names files relative to the repository root, percent-encoded, and others by file URI', () => {
    expect(artifactLocation('apps/a b#1.yaml', paths)).toEqual({ uri: 'deploy/apps/a%20b%231.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/elsewhere/x.yaml', paths)).toEqual({ uri: 'file:///elsewhere/x.yaml' });
    expect(artifactLocation('../../up.yaml', paths)).toEqual({ uri: 'file:///up.yaml' });
  });

  it('places findings about the whole input at the anchor, and stays valid SARIF', () => {
    const log = buildSarif(input([finding({ position: undefined, object: undefined, field: undefined, ruleId: 'core/gateway-namespace-defaulted', severity: 'info' })], { paths, anchor: { file: 'apps/x.yaml', line: 1, column: 1 } }));
    const results = (log.runs as { results: { message: { text: string }; locations: unknown[] }[] }[])[0]!.results;
    expect(results[0]!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'deploy/apps/x.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 1 } } }]);
    expect(results[0]!.message.text).toContain('(about the whole input)');
    expect(sarifValidator()(log)).toBe(true);
  });

  it('makes a path-protecting annotation a security rule, an error by default', () => {
    const log = buildSarif(input([]));
    const rules = (log.runs as { tool: { driver: { rules: { id: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }[] } } }[])[0]!.tool.driver.rules;
    const auth = rules.find((r) => r.id === 'ingress-nginx/auth-url')!;
    expect(auth.defaultConfiguration.level).toBe('error');
    expect(auth.properties['security-severity']).toBe('7.5');
    expect(rules.find((r) => r.id === 'ingress-nginx/app-root')!.defaultConfiguration.level).toBe('note');
  });
});

describe('annotation status', () => {
  const entry = (key: string) => INGRESS_NGINX_RULES.find((r) => r.key === `nginx.ingress.kubernetes.io/${key}`)!;
  it('follows the table, the target and whether the provider used the annotation', () => {
    expect(annotationStatus(entry('app-root'), true, 'standard')).toBe('translated');
    expect(annotationStatus(entry('app-root'), false, 'standard')).toBe('unsupported'); // not applied here
    expect(annotationStatus(entry('proxy-body-size'), false, 'standard')).toBe('target-specific');
    expect(annotationStatus(entry('proxy-body-size'), true, 'envoy-gateway')).toBe('translated');
    expect(annotationStatus(entry('http2-push-preload'), false, 'standard')).toBe('ignored');
    expect(annotationStatus(undefined, false, 'standard')).toBe('unknown');
  });
});

describe('baseline', () => {
  it('identifies a finding by rule, file, object and field, not by line or wording', () => {
    const a = finding();
    expect(findingIdentity(a)).toBe(findingIdentity(finding({ message: 'other words', position: { file: 'apps/x.yaml', line: 70, column: 1 } })));
    expect(findingIdentity(a)).not.toBe(findingIdentity(finding({ position: { file: 'apps/y.yaml', line: 7, column: 5 } })));
  });

  it('counts equal identities: the second identical finding is new', () => {
    const parsed = parseBaseline(JSON.stringify({ findings: [finding()] }));
    if ('error' in parsed) throw new Error(parsed.error);
    const two: Finding[] = [finding(), finding()];
    expect([...newFindings(two, parsed.baseline)]).toEqual([two[1]]);
  });

  it('says what is wrong with a file that is not a JSON report', () => {
    expect(parseBaseline('nope')).toMatchObject({ error: expect.stringMatching(/^not JSON/) as unknown });
    expect(parseBaseline('{"findings": [{}]}')).toEqual({ error: 'findings[0] has no ruleId' });
  });
});

describe('--format and --output-file', () => {
  it('reads format=path and allows one report on stdout', () => {
    expect(parseFormat('sarif=out/a.sarif')).toEqual({ format: 'sarif', file: 'out/a.sarif' });
    expect(parseFormat('markdown')).toEqual({ format: 'markdown' });
    expect(() => parseFormat('html')).toThrow(/must be one of/);
    expect(reportTargets(undefined, '/w')).toEqual([{ format: 'text' }]);
    expect(() => reportTargets([{ format: 'json' }, { format: 'text' }], '/w')).toThrow(/only one report can go to stdout/);
    expect(() => reportTargets([{ format: 'json', file: 'a' }, { format: 'sarif', file: './a' }], '/w')).toThrow(/two reports would be written to \/w\/a/);
  });
});
