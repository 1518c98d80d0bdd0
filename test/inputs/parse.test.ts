import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSource } from '../../src/inputs/parse.js';
import type { Finding } from '../../src/findings/finding.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = (name: string): string => readFileSync(join(here, 'data', name), 'utf8');

const at = (line: number, column: number, file = 'f.yaml') => ({ file, line, column });
const rules = (fs: Finding[]) => fs.map((f) => f.ruleId);

describe('parseSource: documents', () => {
  it('parses a multi-document YAML stream, skipping the trailing null document', () => {
    const r = parseSource(data('multi.yaml'), 'multi.yaml');
    expect(r.findings).toEqual([]);
    expect(r.documents.map((d) => `${d.object.kind}/${d.object.metadata.name}`)).toEqual(['Ingress/web', 'Service/api', 'Ingress/admin']);
    expect(r.documents.map((d) => d.position)).toEqual([at(2, 1, 'multi.yaml'), at(31, 1, 'multi.yaml'), at(40, 1, 'multi.yaml')]);
    expect(r.documents[0]!.object.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/rewrite-target': '/$2',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
    });
  });

  it('returns plain JS objects, not yaml nodes, and hides its internals from JSON', () => {
    const [doc] = parseSource('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n', 'f.yaml').documents;
    expect(Object.getPrototypeOf(doc!.object)).toBe(Object.prototype);
    expect(doc!.object).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    expect(JSON.parse(JSON.stringify(doc))).toEqual({ object: doc!.object, position: at(1, 1) });
  });

  it('parses JSON as one document', () => {
    const r = parseSource('{"apiVersion": "v1", "kind": "Service",\n "metadata": {"name": "s", "labels": {"a": "b"}}}', 'svc.json');
    expect(r.findings).toEqual([]);
    expect(r.documents).toHaveLength(1);
    expect(r.documents[0]!.object.metadata).toEqual({ name: 's', labels: { a: 'b' } });
    expect(r.documents[0]!.locate(['metadata', 'labels', 'a'])).toEqual(at(2, 39, 'svc.json'));
  });

  it('gives a document without metadata an empty metadata object', () => {
    const r = parseSource('apiVersion: v1\nkind: Namespace\n', 'f.yaml');
    expect(r.findings).toEqual([]);
    expect(r.documents[0]!.object.metadata).toEqual({});
    const r2 = parseSource('apiVersion: v1\nkind: Namespace\nmetadata:\n', 'f.yaml');
    expect(r2.findings).toEqual([]);
    expect(r2.documents[0]!.object.metadata).toEqual({});
  });

  it('accepts bytes and strips a UTF-8 byte order mark', () => {
    const bytes = new TextEncoder().encode('\uFEFFapiVersion: v1\nkind: Service\nmetadata: {name: é}\n');
    const r = parseSource(bytes, 'bom.yaml');
    expect(r.findings).toEqual([]);
    expect(r.documents[0]!.object.metadata.name).toBe('é');
    expect(r.documents[0]!.position).toEqual(at(1, 1, 'bom.yaml'));
    expect(r.documents[0]!.locate(['kind'])).toEqual(at(2, 1, 'bom.yaml'));
  });
});

describe('parseSource: Lists', () => {
  it('unwraps a JSON List with per-item positions and locate', () => {
    const r = parseSource(data('ingress-list.json'), 'list.json');
    expect(r.findings).toEqual([]);
    expect(r.documents.map((d) => d.object.metadata.name)).toEqual(['one', 'two']);
    expect(r.documents.map((d) => d.position)).toEqual([at(5, 5, 'list.json'), at(22, 5, 'list.json')]);
    const [one, two] = r.documents;
    expect(one!.locate(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/rewrite-target'])).toEqual(at(11, 11, 'list.json'));
    expect(one!.locate(['spec', 'rules', 0, 'host'])).toEqual(at(17, 13, 'list.json'));
    expect(two!.locate(['spec', 'rules', 1, 'host'])).toEqual(at(34, 13, 'list.json'));
    expect(two!.locate(['spec', 'rules', 1])).toEqual(at(33, 11, 'list.json'));
  });

  it('unwraps YAML Lists and typed *List kinds, filling kind and apiVersion of typed items', () => {
    const text = [
      'apiVersion: v1', //            1
      'kind: List', //                2
      'items:', //                    3
      '- apiVersion: v1', //          4
      '  kind: Service', //           5
      '  metadata:', //               6
      '    name: a', //               7
      '- apiVersion: v1', //          8
      '  kind: List', //              9  (nested List)
      '  items:', //                  10
      '  - apiVersion: v1', //        11
      '    kind: ConfigMap', //       12
      '    metadata: {name: b}', //   13
      '---', //                       14
      'apiVersion: networking.k8s.io/v1', // 15
      'kind: IngressList', //         16
      'metadata: {resourceVersion: "1"}', // 17
      'items:', //                    18
      '- metadata:', //               19
      '    name: c', //               20
      '  spec:', //                   21
      '    rules:', //                22
      '    - host: c.example.com', // 23
      '- metadata: {name: d}', //     24
      '---', //                       25
      'apiVersion: v1', //            26
      'kind: List', //                27
      'items: []', //                 28
      '---', //                       29
      'apiVersion: v1', //            30
      'kind: List', //                31
      'items:', //                    32
    ].join('\n');
    const r = parseSource(text, 'f.yaml');
    expect(r.findings).toEqual([]);
    expect(r.documents.map((d) => [d.object.apiVersion, d.object.kind, d.object.metadata.name, d.position.line, d.position.column])).toEqual([
      ['v1', 'Service', 'a', 4, 3],
      ['v1', 'ConfigMap', 'b', 11, 5],
      ['networking.k8s.io/v1', 'Ingress', 'c', 19, 3],
      ['networking.k8s.io/v1', 'Ingress', 'd', 24, 3],
    ]);
    const [a, b, c, d] = r.documents;
    expect(a!.locate(['metadata', 'name'])).toEqual(at(7, 5));
    expect(b!.locate(['metadata', 'name'])).toEqual(at(13, 16));
    expect(c!.locate(['spec', 'rules', 0, 'host'])).toEqual(at(23, 7));
    expect(d!.locate(['metadata', 'name'])).toEqual(at(24, 14));
    expect(d!.locate(['spec'])).toEqual(at(24, 3));
  });

  it('locates items of a List that use aliases across items (falls back to the whole document)', () => {
    const text = [
      'apiVersion: v1', //           1
      'kind: List', //               2
      'items:', //                   3
      '- apiVersion: v1', //         4
      '  kind: Service', //          5
      '  metadata:', //              6
      '    name: a', //              7
      '    labels: &l {app: x}', //  8
      '- apiVersion: v1', //         9
      '  kind: Service', //          10
      '  metadata:', //              11
      '    name: b', //              12
      '    labels: *l', //           13
    ].join('\n');
    const r = parseSource(text, 'f.yaml');
    expect(r.findings).toEqual([]);
    const b = r.documents[1]!;
    expect(b.object.metadata.labels).toEqual({ app: 'x' });
    expect(b.locate(['metadata', 'name'])).toEqual(at(12, 5));
    // through the alias to its anchor
    expect(b.locate(['metadata', 'labels', 'app'])).toEqual(at(8, 17));
  });

  it('reports List items that are not objects or have no kind at the item', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- just a string\n- metadata: {name: x}\n- apiVersion: v1\n  kind: Service\n';
    const r = parseSource(text, 'f.yaml');
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([
      ['input/not-an-object', 'warning', at(4, 3)],
      ['input/missing-kind', 'warning', at(5, 3)],
    ]);
    expect(r.documents.map((d) => d.object.kind)).toEqual(['Service']);
  });
});

describe('SourceDocument.locate', () => {
  const r = parseSource(data('multi.yaml'), 'multi.yaml');
  const [web, svc, admin] = r.documents;
  const m = (line: number, column: number) => at(line, column, 'multi.yaml');

  it('finds annotation keys', () => {
    expect(web!.locate(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/rewrite-target'])).toEqual(m(8, 5));
    expect(web!.locate(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/ssl-redirect'])).toEqual(m(9, 5));
  });

  it('finds nested spec paths and array elements by index', () => {
    expect(web!.locate(['spec', 'ingressClassName'])).toEqual(m(11, 3));
    expect(web!.locate(['spec', 'rules', 0])).toEqual(m(13, 5));
    expect(web!.locate(['spec', 'rules', 0, 'http', 'paths', 1, 'path'])).toEqual(m(23, 9));
    expect(web!.locate(['spec', 'rules', 0, 'http', 'paths', 0, 'backend', 'service', 'port', 'number'])).toEqual(m(22, 15));
    expect(svc!.locate(['spec', 'ports', 0, 'port'])).toEqual(m(38, 5));
    expect(admin!.locate(['spec', 'defaultBackend', 'service', 'port', 'number'])).toEqual(m(49, 9));
  });

  it('falls back to the nearest existing ancestor, then to the object, and never throws', () => {
    expect(web!.locate(['metadata', 'annotations', 'nginx.ingress.kubernetes.io/missing'])).toEqual(m(7, 3));
    expect(web!.locate(['spec', 'rules', 5, 'host'])).toEqual(m(12, 3));
    expect(web!.locate(['spec', 'rules', 0, 'host', 'deeper', 3])).toEqual(m(13, 5));
    expect(web!.locate(['spec', 'rules', 'x'])).toEqual(m(12, 3));
    expect(web!.locate(['nothing'])).toEqual(m(2, 1));
    expect(web!.locate([])).toEqual(m(2, 1));
    expect(svc!.locate(['spec', 'ports', -1])).toEqual(m(37, 3));
  });

  it('is stable across repeated calls (cached re-parse)', () => {
    const p = ['spec', 'rules', 0, 'http', 'paths', 1, 'path'];
    expect(web!.locate(p)).toEqual(web!.locate(p));
  });

  it('follows merge keys', () => {
    const text = 'base: &b\n  team: x\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels:\n    <<: *b\n    app: y\n';
    const [doc] = parseSource(text, 'f.yaml').documents;
    expect(doc!.object.metadata.labels).toEqual({ team: 'x', app: 'y' });
    expect(doc!.locate(['metadata', 'labels', 'team'])).toEqual(at(2, 3));
    expect(doc!.locate(['metadata', 'labels', 'app'])).toEqual(at(9, 5));
  });

  it('works in files with %TAG directives', () => {
    const text = '%TAG !k! tag:k8s.io,2024:\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: !k!x b\n';
    const r = parseSource(text, 'f.yaml');
    expect(r.documents).toHaveLength(1);
    expect(r.documents[0]!.locate(['data', 'a'])).toEqual(at(7, 3));
  });
});

describe('parseSource: bad input', () => {
  it('input/yaml-syntax: reports the broken document with its position and keeps the others', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n   bad: indent\n---\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n';
    const r = parseSource(text, 'f.yaml');
    expect(r.documents.map((d) => d.object.metadata.name)).toEqual(['a', 'c']);
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.ruleId).toBe('input/yaml-syntax');
    expect(f.severity).toBe('error');
    expect(f.position).toEqual(at(8, 9));
    expect(f.message).toMatch(/^Invalid YAML at line 8, column 9: Nested mappings are not allowed/);
  });

  it('input/yaml-syntax: duplicate keys and unclosed flow collections', () => {
    const dup = parseSource('apiVersion: v1\nkind: Service\nkind: Pod\n', 'f.yaml');
    expect(dup.documents).toEqual([]);
    expect(dup.findings.map((f) => [f.ruleId, f.position])).toEqual([['input/yaml-syntax', at(3, 1)]]);
    expect(dup.findings[0]!.message).toMatch(/unique/);
    const flow = parseSource('a: {b: 1\n---\napiVersion: v1\nkind: Service\n', 'f.yaml');
    expect(rules(flow.findings)).toEqual(['input/yaml-syntax']);
    expect(flow.documents.map((d) => d.object.kind)).toEqual(['Service']);
  });

  it('input/alias-limit: refuses a billion-laughs bomb quickly', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < 9; i++) {
      const prev = names[i - 1]!;
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n${lines.map((l) => '  ' + l).join('\n')}\n---\napiVersion: v1\nkind: Service\n`;
    const t0 = performance.now();
    const r = parseSource(bomb, 'bomb.yaml');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([['input/alias-limit', 'error', at(1, 1, 'bomb.yaml')]]);
    expect(r.documents.map((d) => d.object.kind)).toEqual(['Service']);
  });

  it('input/binary: NUL bytes or invalid UTF-8 give one finding and no documents', () => {
    const nul = parseSource(new Uint8Array([0x61, 0x3a, 0x0a, 0x62, 0x00, 0x63]), 'nul.yaml');
    expect(nul.documents).toEqual([]);
    expect(nul.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([['input/binary', 'error', at(2, 2, 'nul.yaml')]]);
    const bad = parseSource(new Uint8Array([0x6b, 0x3a, 0x20, 0xc3, 0xa9, 0x0a, 0x76, 0x3a, 0x20, 0xff, 0xfe]), 'bad.yaml');
    expect(bad.documents).toEqual([]);
    expect(bad.findings.map((f) => [f.ruleId, f.position])).toEqual([['input/binary', at(2, 4, 'bad.yaml')]]);
    // overlong encoding and a lone surrogate are not valid UTF-8 either
    expect(rules(parseSource(new Uint8Array([0xc0, 0xaf]), 'x').findings)).toEqual(['input/binary']);
    expect(rules(parseSource(new Uint8Array([0xed, 0xa0, 0x80]), 'x').findings)).toEqual(['input/binary']);
    expect(rules(parseSource(new Uint8Array([0xe2, 0x82]), 'x').findings)).toEqual(['input/binary']);
    expect(rules(parseSource('a: b\0', 'x').findings)).toEqual(['input/binary']);
  });

  it('input/empty: empty files and files with only comments or separators are info', () => {
    for (const text of ['', '   \n', '# just a comment\n', '---\n', '# c\n---\n---\n...\n']) {
      const r = parseSource(text, 'e.yaml');
      expect(r.documents).toEqual([]);
      expect(r.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([['input/empty', 'info', at(1, 1, 'e.yaml')]]);
    }
    expect(rules(parseSource(new Uint8Array(0), 'e.yaml').findings)).toEqual(['input/empty']);
  });

  it('input/not-an-object: scalar and sequence documents are warnings', () => {
    const r = parseSource('just text\n---\n- a\n- b\n---\napiVersion: v1\nkind: Service\n', 'f.yaml');
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([
      ['input/not-an-object', 'warning', at(1, 1)],
      ['input/not-an-object', 'warning', at(3, 1)],
    ]);
    expect(r.documents).toHaveLength(1);
  });

  it('input/missing-kind: maps without apiVersion or kind are skipped with a warning', () => {
    const r = parseSource('kind: Service\n---\napiVersion: v1\n---\nfoo: bar\n---\napiVersion: v1\nkind: 3\n', 'f.yaml');
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([
      ['input/missing-kind', 'warning', at(1, 1)],
      ['input/missing-kind', 'warning', at(3, 1)],
      ['input/missing-kind', 'warning', at(5, 1)],
      ['input/missing-kind', 'warning', at(7, 1)],
    ]);
    expect(r.findings[0]!.message).toMatch(/apiVersion/);
    expect(r.documents).toEqual([]);
  });

  it('null documents are skipped silently', () => {
    const r = parseSource('---\napiVersion: v1\nkind: Service\n---\n---\n~\n---\n', 'f.yaml');
    expect(r.findings).toEqual([]);
    expect(r.documents).toHaveLength(1);
  });

  it('never throws on deeply nested input', () => {
    const r = parseSource('a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n---\napiVersion: v1\nkind: Service\n', 'deep.yaml');
    expect(rules(r.findings)).toEqual(['input/yaml-syntax']);
    expect(r.documents.map((d) => d.object.kind)).toEqual(['Service']);
  });
});

describe('parseSource: normalisation', () => {
  it('input/non-string-annotation: converts non-string annotation and label values to strings', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1', // 1
      'kind: Ingress', //                    2
      'metadata:', //                        3
      '  name: web', //                      4
      '  namespace: shop', //                5
      '  annotations:', //                   6
      '    nginx.ingress.kubernetes.io/ssl-redirect: true', // 7
      '    nginx.ingress.kubernetes.io/proxy-read-timeout: 60', // 8
      '    ok: "yes"', //                    9
      '    empty:', //                       10
      '  labels:', //                        11
      '    version: 1.5', //                 12
    ].join('\n');
    const r = parseSource(text, 'f.yaml');
    expect(r.documents[0]!.object.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      'nginx.ingress.kubernetes.io/proxy-read-timeout': '60',
      ok: 'yes',
      empty: '',
    });
    expect(r.documents[0]!.object.metadata.labels).toEqual({ version: '1.5' });
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.field, f.position])).toEqual([
      ['input/non-string-annotation', 'warning', 'metadata.annotations[nginx.ingress.kubernetes.io/ssl-redirect]', at(7, 5)],
      ['input/non-string-annotation', 'warning', 'metadata.annotations[nginx.ingress.kubernetes.io/proxy-read-timeout]', at(8, 5)],
      ['input/non-string-annotation', 'warning', 'metadata.annotations[empty]', at(10, 5)],
      ['input/non-string-annotation', 'warning', 'metadata.labels[version]', at(12, 5)],
    ]);
    expect(r.findings[0]!.object).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', namespace: 'shop', name: 'web' });
    expect(r.findings[0]!.message).toMatch(/"true"/);
  });

  it('keeps metadata an object when it is not a map', () => {
    const r = parseSource('apiVersion: v1\nkind: Service\nmetadata: [a]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: 7\n  annotations:\n', 'f.yaml');
    expect(r.documents.map((d) => d.object.metadata)).toEqual([{}, { name: '7' }]);
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.position])).toEqual([
      ['input/invalid-metadata', 'warning', at(3, 1)],
      ['input/invalid-metadata', 'warning', at(8, 3)],
    ]);
  });
});
