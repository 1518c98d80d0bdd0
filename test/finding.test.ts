import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { compareFindings, formatPosition, normalizeFindings, type Finding } from '../src/findings/finding.js';
import { convert } from '../src/convert.js';
import { ClusterDocument, clusterPosition } from '../src/inputs/cluster/document.js';
import { renderText } from '../src/reporters/text.js';
import { buildJsonReport } from '../src/reporters/json.js';
import { PLAIN } from '../src/reporters/types.js';

describe('findings', () => {
  it('sorts by position then rule id and removes exact duplicates', () => {
    const a: Finding = { ruleId: 'b', severity: 'info', message: 'm', position: { file: 'x.yaml', line: 2, column: 1 } };
    const b: Finding = { ruleId: 'a', severity: 'info', message: 'm', position: { file: 'x.yaml', line: 2, column: 1 } };
    const c: Finding = { ruleId: 'a', severity: 'info', message: 'm', position: { file: 'a.yaml', line: 9, column: 1 } };
    expect(normalizeFindings([a, b, c, a]).map((f) => f.ruleId + f.position?.file)).toEqual(['aa.yaml', 'ax.yaml', 'bx.yaml']);
    expect(compareFindings(a, a)).toBe(0);
  });
});

describe('findings about objects read from a cluster', () => {
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'shop', resourceVersion: '4711' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] },
  };

  it('carry the cluster as position, the object identity with its resourceVersion, and the field path', () => {
    const doc = new ClusterDocument(structuredClone(ingress), clusterPosition('prod'));
    const result = convert([doc], { toolVersion: 't', gatewayMode: 'shared' });
    const f = result.findings.find((x) => x.ruleId === 'core/named-port-unresolved')!;
    expect(f.position).toEqual({ file: 'cluster/prod' });
    expect(f.object).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'shop', name: 'web', resourceVersion: '4711' });
    expect(f.field).toBe('spec.rules[0].http.paths[0].backend.service.port');
  });

  it('render without a line in text, and follow the report schema in JSON', () => {
    const f: Finding = { ruleId: 'core/x', severity: 'warning', message: 'm', position: { file: 'cluster/prod' }, object: { kind: 'Ingress', namespace: 'shop', name: 'web', resourceVersion: '4711' }, field: 'spec' };
    expect(formatPosition(f.position!)).toBe('cluster/prod');
    expect(formatPosition({ file: 'a.yaml', line: 3, column: 5 })).toBe('a.yaml:3:5');
    const input = { toolVersion: 't', findings: [f], summary: { ingresses: 1, objects: 0, files: 0 } };
    expect(renderText(input, PLAIN)).toContain('        cluster/prod  Ingress shop/web (resourceVersion 4711)  spec\n');
    const ajv = new Ajv({ strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'schemas', 'report.schema.json'), 'utf8')) as object);
    expect(validate(buildJsonReport(input))).toBe(true);
  });
});
