/**
 * The regular expressions the ingress-nginx provider writes for canary matching must mean what
 * nginx's Lua meant, both where an implementation matches the whole header value (Envoy's RE2
 * full match) and where it searches (nginx-based implementations).
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

interface HeaderMatch {
  name: string;
  type: string;
  value: string;
}

function headerMatches(file: string): HeaderMatch[] {
  const out: HeaderMatch[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const o = doc.toJS() as { kind?: string; spec?: { rules?: { matches?: { headers?: HeaderMatch[] }[] }[] } };
    if (o.kind !== 'HTTPRoute') continue;
    for (const r of o.spec?.rules ?? []) for (const m of r.matches ?? []) out.push(...(m.headers ?? []));
  }
  return out;
}

const fullMatch = (re: string, s: string) => new RegExp(`^(?:${re})$`).test(s);
const search = (re: string, s: string) => new RegExp(re).test(s);

describe('canary matching regexes (fixtures/nginx-canary-match)', () => {
  const matches = headerMatches('fixtures/nginx-canary-match/expected.yaml');
  const cookie = (v: string) => matches.find((m) => m.name === 'Cookie' && m.value.includes(`=${v}`))!.value;
  const pattern = matches.find((m) => m.name === 'X-Version')!.value;

  it.each([fullMatch, search])('takes the cookie only as a whole cookie of the header (%p)', (test) => {
    for (const header of ['exp.group=always', 'a=1; exp.group=always', 'exp.group=always; b=2', 'a=1;exp.group=always;b=2']) {
      expect(test(cookie('always'), header)).toBe(true);
      expect(test(cookie('never'), header)).toBe(false);
    }
    for (const header of ['xexp.group=always', 'exp.group=alwaysx', 'expxgroup=always', 'a=exp.group=always', 'exp.group=never']) {
      expect(test(cookie('always'), header)).toBe(false);
    }
    expect(test(cookie('never'), 'a=1; exp.group=never')).toBe(true);
  });

  it.each([fullMatch, search])('matches the header pattern anywhere in the value, like ngx.re.match (%p)', (test) => {
    // nginx: ngx.re.match(value, "^v2") is unanchored at the end and anchored at the start only by ^.
    expect(test(pattern, 'v2')).toBe(true);
    expect(test(pattern, 'v2-beta')).toBe(true);
    expect(test(pattern, 'xv2')).toBe(false);
  });
});
