import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { toYaml } from '../src/writers/yaml.js';

const yamlLib = (v: unknown) => stringify(v, { lineWidth: 0, aliasDuplicateObjects: false });

describe('toYaml', () => {
  it('writes what the yaml library writes for the shapes the converter emits', () => {
    const obj = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'a', annotations: { 'gateway-shift.io/sources': 'Ingress/a/b, Ingress/c/d', ttl: '60', empty: '' } },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'nginx', sectionName: 'https-wildcard.example.com' }],
        hostnames: ['*.example.com', 'a.example.com'],
        rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api/v1' } }], backendRefs: [{ name: 'x', port: 80, weight: 0 }], filters: [] }],
        nested: [[1, 2], [], {}],
        flags: { enabled: true, disabled: false, nothing: null, half: 0.5 },
      },
    };
    expect(toYaml(obj)).toBe(yamlLib(obj));
  });

  it('quotes what YAML 1.1 readers (kubectl) would not read back as a string', () => {
    for (const s of ['on', 'Off', 'yes', 'N', 'true', 'null', '~', '0x1f', '1_000', '1:20', '010', '1e3', '.inf', '-1', '+1', '']) {
      expect(toYaml({ k: s })).toBe(`k: ${JSON.stringify(s)}\n`);
    }
  });

  it('round-trips any JSON data, and matches the yaml library on plain text', () => {
    const text = fc.stringMatching(/^[a-z][a-z0-9 ./-]{0,12}$/).filter((s) => !s.endsWith(' ') && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(s));
    const plainish = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), tie('list'), tie('map')),
      list: fc.array(tie('value'), { maxLength: 4 }),
      map: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(plainish.map, (v) => {
        expect(toYaml(v)).toBe(yamlLib(v));
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(parse(toYaml(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 500 },
    );
  });
});
