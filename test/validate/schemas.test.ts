import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { createValidator } from '../../src/validate/validator.js';
import { schemaSet } from './fixtures.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const script = path.join(repoRoot, 'scripts', 'gen-schemas.mjs');
const committed = path.join(repoRoot, 'schemas', 'gateway-api');

interface GenModule {
  translateRe2(src: string): string;
  generate(crdRoot: string): { files: Map<string, string> };
}
const loadGen = async (): Promise<GenModule> => (await import(pathToFileURL(script).href)) as GenModule;

function listFiles(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))]))
    .sort();
}

describe('generated schemas', () => {
  it('are up to date with scripts/gen-schemas.mjs and the CRDs in ../shared (run `npm run schemas`)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-schemas-'));
    try {
      execFileSync(process.execPath, [script, '--out', tmp], { stdio: 'pipe' });
      const fresh = path.join(tmp, 'gateway-api');
      const names = listFiles(fresh);
      expect(listFiles(committed)).toEqual(names);
      const stale = names.filter((n) => !fs.readFileSync(path.join(fresh, n)).equals(fs.readFileSync(path.join(committed, n))));
      expect(stale).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('cover every served version of both channels and include the CEL checklist', () => {
    const set = schemaSet();
    expect(Object.keys(set.standard)).toEqual(
      expect.arrayContaining(['gateway.networking.k8s.io/v1/HTTPRoute', 'gateway.networking.k8s.io/v1beta1/HTTPRoute', 'gateway.networking.k8s.io/v1/Gateway']),
    );
    expect(set.standard['gateway.networking.k8s.io/v1alpha2/TLSRoute']).toBeUndefined(); // not served in standard
    expect(set.experimental['gateway.networking.k8s.io/v1alpha2/TLSRoute']).toBeDefined();
    expect(set.experimental['gateway.networking.x-k8s.io/v1alpha1/XBackend']).toBeDefined();
    const rules = fs.readFileSync(path.join(committed, 'cel-rules.txt'), 'utf8');
    expect(rules).toContain('gateway.networking.k8s.io/HTTPRoute spec.rules[*].timeouts\n');
    expect(rules).toContain('  message: backendRequest timeout cannot be longer than request timeout\n');
  });

  it('have a top level with apiVersion/kind consts and a metadata object, and no dropped keywords', () => {
    const s = schemaSet().standard['gateway.networking.k8s.io/v1/HTTPRoute'] as Record<string, unknown>;
    expect(s).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: expect.arrayContaining(['apiVersion', 'kind', 'metadata', 'spec']) as unknown,
      properties: {
        apiVersion: { const: 'gateway.networking.k8s.io/v1' },
        kind: { const: 'HTTPRoute' },
        metadata: { type: 'object', required: ['name'], properties: { labels: { additionalProperties: { type: 'string' } } } },
      },
    });
    const text = fs.readFileSync(path.join(committed, 'standard', 'gateway.networking.k8s.io_v1_HTTPRoute.json'), 'utf8');
    for (const dropped of ['"description"', '"default"', '"x-kubernetes-', '"format": "int32"', '"format": "int64"']) expect(text).not.toContain(dropped);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('all compile with ajv in strict mode and validate through createValidator', () => {
    // The validator's ajv registers the listMapKeys keyword and the kept formats; a plain strict
    // ajv with the same additions must accept every schema too.
    const ajv = new Ajv({ strict: true, allErrors: true, formats: { ipv4: true, ipv6: true, 'date-time': true }, keywords: ['listMapKeys'], code: { optimize: false } });
    for (const channel of ['standard', 'experimental'] as const) {
      const v = createValidator(schemaSet(), channel);
      for (const [key, schema] of Object.entries(schemaSet()[channel])) {
        expect(() => ajv.compile(schema)).not.toThrow();
        const [group, version, kind] = key.split('/');
        const issues = v.validate({ apiVersion: `${group}/${version}`, kind, metadata: { name: 'x' }, spec: {} });
        expect(issues.every((i) => i.rule === 'schema' || i.rule === 'cel')).toBe(true);
      }
    }
  });

  it('are generated deterministically', async () => {
    const gen = await loadGen();
    const crds = path.resolve(repoRoot, '..', 'shared', 'gateway-api', 'v1.6.1');
    const a = gen.generate(crds).files;
    const b = gen.generate(crds).files;
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(b.get(k)).toBe(v);
  });
});

describe('RE2 to JavaScript pattern translation', () => {
  it('keeps patterns that mean the same in both dialects', async () => {
    const { translateRe2 } = await loadGen();
    for (const p of [
      '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
      "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$",
      '^([0-9]{1,5}(h|m|s|ms)){1,4}$',
      "^[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$",
    ]) {
      expect(translateRe2(p)).toBe(p);
    }
  });

  it('translates the constructs that differ', async () => {
    const { translateRe2 } = await loadGen();
    const re = (p: string) => new RegExp(translateRe2(p), 'u');
    expect(translateRe2('(?i)ab')).toBe('[aA][bB]');
    expect(re('^(?i)\\.?[a-z_][a-z_0-9]*$').test('.Foo_Bar9')).toBe(true);
    expect(re('^(?i:a)b$').test('Ab')).toBe(true);
    expect(re('^(?i:a)b$').test('AB')).toBe(false);
    expect(translateRe2('\\Aabc\\z')).toBe('^abc$');
    expect(translateRe2('(?P<host>[a-z]+)')).toBe('(?<host>[a-z]+)');
    expect(re('^[[:alpha:][:digit:]]+$').test('abc123')).toBe(true);
    expect(re('^\\pL+$').test('Ωmega')).toBe(true);
    expect(translateRe2('\\x{41}')).toBe('\\u{41}');
    expect(re('^\\Q*.+\\E$').test('*.+')).toBe(true);
    expect(re('^a{,2}$').test('a{,2}')).toBe(true); // not a repetition in RE2: literal braces
    expect(re('^\\#\\@$').test('#@')).toBe(true); // escaped punctuation that u-mode rejects
    expect(re('^\\s$').test('\u00a0')).toBe(false); // RE2 \s is ASCII-only
    expect(re('^\\s$').test('\t')).toBe(true);
  });

  it('fails loudly on what it cannot translate', async () => {
    const { translateRe2 } = await loadGen();
    for (const p of ['(?s).', '(a)\\1', '\\C', '(a', 'a)', '[a-', '(?=a)', '[[:foo:]]']) expect(() => translateRe2(p)).toThrow(/cannot translate|does not compile/);
  });
});
