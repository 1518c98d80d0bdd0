/** `convert --in-place [--remove-source]` on copies of the fixture repository (test/cli/data/gitops). */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { documentRanges } from '../../src/writers/in-place.js';
import { repoRoot, run } from './helpers.js';

const fixture = join(repoRoot, 'test', 'cli', 'data', 'gitops');
const GENERATED = 'gateway-shift.io/generated-by';

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** A copy of the fixture repository, committed to a fresh git repository. */
function repo(): string {
  const d = mkdtempSync(join(tmpdir(), 'gs-inplace-'));
  cpSync(fixture, d, { recursive: true });
  git(d, 'init', '-q');
  git(d, 'add', '.');
  git(d, 'commit', '-q', '-m', 'fixture');
  return d;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
const read = (dir: string, f: string) => readFileSync(join(dir, ...f.split('/')), 'utf8');
const snapshot = (dir: string) => Object.fromEntries(files(dir).map((f) => [f, read(dir, f)]));

/** The text with the documents gateway-shift added taken out again, byte for byte. */
function withoutGenerated(text: string): string {
  let out = '';
  let pos = 0;
  for (const d of documentRanges(text)) {
    const doc = parseDocument(text.slice(d.start, d.end));
    out += text.slice(pos, d.start);
    if (!doc.getIn(['metadata', 'annotations', GENERATED])) out += text.slice(d.start, d.end);
    pos = d.end;
  }
  return out + text.slice(pos);
}

const kinds = (text: string) =>
  parseAllDocuments(text).map((d) => {
    const o = d.toJS() as { kind: string; metadata?: { name: string } };
    return `${o.kind}/${o.metadata?.name}`;
  });

describe('convert --in-place', () => {
  const cwd = repo();
  const before = snapshot(cwd);
  const r = run(['convert', '--in-place', '.'], { cwd });
  const after = snapshot(cwd);

  it('adds the objects after the Ingress documents they came from, and prints nothing on stdout', () => {
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(kinds(after['apps/api/ingress.yaml']!)).toEqual([
      'Ingress/api-v1',
      'HTTPRoute/api-v1',
      'HTTPRoute/api-v1-https-redirect',
      'Ingress/api-v2',
      'HTTPRoute/api-v2',
      'HTTPRoute/api-v2-https-redirect',
    ]);
    expect(kinds(after['apps/shop/ingress.yaml']!)).toEqual(['ConfigMap/shop-settings', 'Ingress/shop', 'HTTPRoute/shop', 'HTTPRoute/shop-https-redirect']);
    expect(r.stderr).toContain('edited      apps/api/ingress.yaml (+4 objects)');
  });

  it('keeps every other byte of the edited files: text, comments and document order', () => {
    for (const f of ['apps/api/ingress.yaml', 'apps/shop/ingress.yaml']) {
      expect(after[f]).not.toBe(before[f]);
      expect(withoutGenerated(after[f]!)).toBe(before[f]);
    }
    expect(after['apps/shop/ingress.yaml']).toContain('  greeting: "hello"   # a trailing comment\n---\n# The Ingress itself.\n');
  });

  it('leaves the files with nothing to convert, and JSON files, as they were; shared objects go beside the first path', () => {
    expect(files(cwd)).toEqual([...Object.keys(before), 'gateway-shift-shared.yaml'].sort());
    for (const f of Object.keys(before)) if (!['apps/api/ingress.yaml', 'apps/shop/ingress.yaml'].includes(f)) expect({ f, text: after[f] }).toEqual({ f, text: before[f] });
    expect(kinds(after['gateway-shift-shared.yaml']!)).toEqual([
      'Gateway/nginx',
      'ReferenceGrant/gateway-shift-secrets-from-gateway-system',
      'ReferenceGrant/gateway-shift-secrets-from-gateway-system',
      'HTTPRoute/blog', // from the JSON file
    ]);
    expect(r.stderr).toContain('apps/blog/ingress.json is JSON, which cannot hold more documents');
  });

  it('writes the objects convert prints, no more, no less', () => {
    const printed = parseAllDocuments(run(['convert', '.'], { cwd: mkdtempCopy() }).stdout).map((d) => JSON.stringify(d.toJS()));
    const added = Object.values(after).flatMap((t) =>
      parseAllDocuments(t)
        .map((d) => d.toJS() as { metadata?: { annotations?: Record<string, string> } } | null)
        .filter((o) => o?.metadata?.annotations?.[GENERATED])
        .map((o) => JSON.stringify(o)),
    );
    expect(added.sort()).toEqual(printed.sort());
  });

  it('does not warn in a clean git work tree, and changes no byte when run again', () => {
    expect(r.stderr).not.toContain('warning: ');
    const again = run(['convert', '--in-place', '.'], { cwd });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('3 files: 0 changed, 3 unchanged');
    expect(snapshot(cwd)).toEqual(after);
  });
});

/** A plain copy of the fixture (no git). */
function mkdtempCopy(): string {
  const d = mkdtempSync(join(tmpdir(), 'gs-plain-'));
  cpSync(fixture, d, { recursive: true });
  return d;
}

describe('convert --in-place --remove-source', () => {
  it('drops the converted Ingress documents and nothing else, and a second run changes nothing', () => {
    const cwd = repo();
    const before = snapshot(cwd);
    const r = run(['convert', '--in-place', '--remove-source', '.'], { cwd });
    expect(r.status).toBe(0);
    const after = snapshot(cwd);
    expect(kinds(after['apps/shop/ingress.yaml']!)).toEqual(['ConfigMap/shop-settings', 'HTTPRoute/shop', 'HTTPRoute/shop-https-redirect']);
    expect(kinds(after['apps/api/ingress.yaml']!)).toEqual(['HTTPRoute/api-v1', 'HTTPRoute/api-v1-https-redirect', 'HTTPRoute/api-v2', 'HTTPRoute/api-v2-https-redirect']);
    // The ConfigMap document, with the file's leading comments, is untouched.
    expect(after['apps/shop/ingress.yaml']!.startsWith(before['apps/shop/ingress.yaml']!.slice(0, before['apps/shop/ingress.yaml']!.indexOf('---\n# The Ingress itself.')))).toBe(true);
    expect(r.stderr).toContain('edited      apps/shop/ingress.yaml (+2 objects, -1 Ingress)');
    // The Ingresses are gone: a second run must not rebuild the shared Gateway without them.
    const again = run(['convert', '--in-place', '--remove-source', '.'], { cwd });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('gateway-shift-shared.yaml was kept as it is');
    expect(snapshot(cwd)).toEqual(after);
  });

  it('keeps an Ingress with error findings, and Ingresses inside a List', () => {
    const cwd = repo();
    writeFileSync(join(cwd, 'apps', 'api', 'ingress.yaml'), read(cwd, 'apps/api/ingress.yaml').replace('number: 80\n---', 'name: missing # no such port\n---'));
    writeFileSync(
      join(cwd, 'apps', 'list.yaml'),
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: networking.k8s.io/v1\n    kind: Ingress\n    metadata: {name: listed, namespace: list}\n    spec:\n      ingressClassName: nginx\n      rules: [{host: l.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: l, port: {number: 80}}}}]}}]\n',
    );
    git(cwd, 'add', '.');
    git(cwd, 'commit', '-q', '-m', 'more');
    const r = run(['convert', '--in-place', '--remove-source', '.'], { cwd });
    expect(r.status).toBe(1); // the named port cannot be resolved: an error finding
    expect(r.stderr).toContain('Ingress api/api-v1 (apps/api/ingress.yaml) was kept: it has 1 error finding');
    expect(r.stderr).toContain('Ingress list/listed (apps/list.yaml) was kept: it is an item of a List');
    expect(kinds(read(cwd, 'apps/api/ingress.yaml'))).toEqual(['Ingress/api-v1', 'HTTPRoute/api-v2', 'HTTPRoute/api-v2-https-redirect']);
    expect(kinds(read(cwd, 'apps/list.yaml'))).toEqual(['List/undefined', 'HTTPRoute/listed']);
  });
});

describe('convert --in-place', () => {
  it('warns about uncommitted changes, and outside a git work tree', () => {
    const cwd = repo();
    writeFileSync(join(cwd, 'apps', 'shop', 'service.yaml'), read(cwd, 'apps/shop/service.yaml') + '# edited\n');
    expect(run(['convert', '--in-place', 'apps'], { cwd }).stderr).toContain('gateway-shift: warning: 1 file has uncommitted changes under the inputs');
    const plain = mkdtempCopy();
    expect(run(['convert', '--in-place', 'apps'], { cwd: plain }).stderr).toContain('gateway-shift: warning: the inputs are not in a git work tree');
  });

  it('keeps CRLF line endings in the documents it adds', () => {
    const cwd = mkdtempCopy();
    const crlf = read(cwd, 'apps/api/ingress.yaml').replace(/\n/g, '\r\n');
    writeFileSync(join(cwd, 'apps', 'api', 'ingress.yaml'), crlf);
    expect(run(['convert', '--in-place', 'apps'], { cwd }).status).toBe(0);
    const text = read(cwd, 'apps/api/ingress.yaml');
    expect(text).not.toMatch(/[^\r]\n/);
    expect(withoutGenerated(text)).toBe(crlf);
  });

  it('writes nothing at all when the shared file exists and is not its own, unless --force', () => {
    const cwd = mkdtempCopy();
    const before = snapshot(cwd);
    writeFileSync(join(cwd, 'gateway-shift-shared.yaml'), 'mine\n');
    const r = run(['convert', '--in-place', '.'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('gateway-shift-shared.yaml exists and was not written by gateway-shift; pass --force to replace it');
    expect(snapshot(cwd)).toEqual({ ...before, 'gateway-shift-shared.yaml': 'mine\n' });
    expect(run(['convert', '--in-place', '--force', '.'], { cwd }).status).toBe(0);
    expect(read(cwd, 'gateway-shift-shared.yaml')).toMatch(/^# Generated by gateway-shift/);
  });

  it('refuses stdin and JSON output', () => {
    for (const [args, input] of [
      [['convert', '--in-place'], 'kind: Ingress\n'],
      [['convert', '--in-place', '-'], 'kind: Ingress\n'],
      [['convert', '--in-place', '-o', 'json', fixture], ''],
    ] as const) {
      const r = run([...args], { input });
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(fixture, 'gateway-shift-shared.yaml'))).toBe(false);
  });
});
