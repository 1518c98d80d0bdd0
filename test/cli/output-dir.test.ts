/** `convert --output-dir` on a GitOps-like fixture repository (test/cli/data/gitops). */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { repoRoot, run } from './helpers.js';

const fixture = join(repoRoot, 'test', 'cli', 'data', 'gitops');
const tmp = () => mkdtempSync(join(tmpdir(), 'gs-out-'));

/** A copy of the fixture repository to run in. */
function repo(): string {
  const d = tmp();
  cpSync(fixture, d, { recursive: true });
  return d;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

type Obj = { kind: string; metadata: { name: string; namespace?: string } };
const objectsIn = (file: string): string[] =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((d) => {
    const o = d.toJS() as Obj;
    return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  });
const snapshot = (dir: string) => Object.fromEntries(files(dir).map((f) => [f, { text: readFileSync(join(dir, f), 'utf8'), mtime: statSync(join(dir, f)).mtimeMs }]));

describe('convert --output-dir, mirror layout (the default)', () => {
  const cwd = repo();
  const first = run(['convert', 'apps', 'infra', '--output-dir', 'out'], { cwd });
  const stdout = run(['convert', 'apps', 'infra'], { cwd }).stdout;

  it('writes a file at the same relative path for every input that held convertible objects, and nothing on stdout', () => {
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('');
    expect(files(join(cwd, 'out'))).toEqual([
      'api/ingress.yaml',
      'blog/ingress.yaml', // from blog/ingress.json: the output is YAML
      'gateway-shift-shared.yaml',
      'kustomization.yaml', // apps/ had one
      'shop/ingress.yaml',
      'shop/kustomization.yaml',
    ]);
    // infra/ and shop/service.yaml held nothing to convert.
    expect(objectsIn(join(cwd, 'out', 'shop', 'ingress.yaml'))).toEqual(['HTTPRoute/shop/shop', 'HTTPRoute/shop/shop-https-redirect']);
    expect(objectsIn(join(cwd, 'out', 'api', 'ingress.yaml'))).toEqual(['HTTPRoute/api/api-v1', 'HTTPRoute/api/api-v1-https-redirect', 'HTTPRoute/api/api-v2', 'HTTPRoute/api/api-v2-https-redirect']);
    expect(objectsIn(join(cwd, 'out', 'blog', 'ingress.yaml'))).toEqual(['HTTPRoute/blog/blog']);
  });

  it('puts the objects shared by several files (Gateway, ReferenceGrants) in gateway-shift-shared.yaml', () => {
    expect(objectsIn(join(cwd, 'out', 'gateway-shift-shared.yaml'))).toEqual([
      'Gateway/gateway-system/nginx',
      'ReferenceGrant/api/gateway-shift-secrets-from-gateway-system',
      'ReferenceGrant/shop/gateway-shift-secrets-from-gateway-system',
    ]);
  });

  it('writes exactly the objects convert prints', () => {
    const all = files(join(cwd, 'out'))
      .filter((f) => !f.endsWith('kustomization.yaml'))
      .flatMap((f) => parseAllDocuments(readFileSync(join(cwd, 'out', f), 'utf8')).map((d) => JSON.stringify(d.toJS())));
    const printed = parseAllDocuments(stdout).map((d) => JSON.stringify(d.toJS()));
    expect(all.sort()).toEqual(printed.sort());
  });

  it('writes a kustomization where the input folder had one, listing the new files and kustomized folders', () => {
    expect(parse(readFileSync(join(cwd, 'out', 'kustomization.yaml'), 'utf8'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['api/ingress.yaml', 'blog/ingress.yaml', 'gateway-shift-shared.yaml', 'shop'],
    });
    expect(parse(readFileSync(join(cwd, 'out', 'shop', 'kustomization.yaml'), 'utf8'))).toMatchObject({ resources: ['ingress.yaml'] });
  });

  it('says what it wrote', () => {
    expect(first.stderr).toContain('created     out/shop/ingress.yaml (2 objects)');
    expect(first.stderr).toContain('created     out/kustomization.yaml (kustomization)');
    expect(first.stderr).toContain('6 files: 6 created, 0 updated, 0 overwritten, 0 unchanged');
  });

  it('changes no byte (and touches no file) when run again', () => {
    const before = snapshot(join(cwd, 'out'));
    const again = run(['convert', 'apps', 'infra', '--output-dir', 'out'], { cwd });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('6 files: 0 created, 0 updated, 0 overwritten, 6 unchanged');
    expect(snapshot(join(cwd, 'out'))).toEqual(before);
  });
});

describe('convert --output-dir', () => {
  it('mirrors the whole tree, with kustomizations at every level that had one, and does not read its own output', () => {
    const cwd = repo();
    const r = run(['convert', '.', '--output-dir', 'out'], { cwd });
    expect(r.status).toBe(0);
    expect(files(join(cwd, 'out'))).toEqual([
      'apps/api/ingress.yaml',
      'apps/blog/ingress.yaml',
      'apps/kustomization.yaml',
      'apps/shop/ingress.yaml',
      'apps/shop/kustomization.yaml',
      'gateway-shift-shared.yaml',
      'kustomization.yaml',
    ]);
    expect((parse(readFileSync(join(cwd, 'out', 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources).toEqual(['apps', 'gateway-shift-shared.yaml']);
    expect((parse(readFileSync(join(cwd, 'out', 'apps', 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources).toEqual(['api/ingress.yaml', 'blog/ingress.yaml', 'shop']);
    // out/ lies inside the converted folder: a second run must not read it.
    const before = snapshot(join(cwd, 'out'));
    const again = run(['convert', '.', '--output-dir', 'out'], { cwd });
    expect(again.stderr).toContain('4 Ingresses from 8 files');
    expect(snapshot(join(cwd, 'out'))).toEqual(before);
  });

  it('names output files relative to a file given on the command line', () => {
    const cwd = repo();
    expect(run(['convert', 'apps/shop/ingress.yaml', 'apps/shop/service.yaml', '--output-dir', 'out'], { cwd }).status).toBe(0);
    expect(files(join(cwd, 'out'))).toEqual(['gateway-shift-shared.yaml', 'ingress.yaml']);
  });

  it('lays out a folder per namespace, or per kind', () => {
    const cwd = repo();
    expect(run(['convert', '.', '--output-dir', 'by-ns', '--layout', 'namespace', '--gateway-class', 'eg'], { cwd }).status).toBe(0);
    expect(files(join(cwd, 'by-ns'))).toEqual([
      '_cluster/gatewayclass.yaml',
      'api/httproute.yaml',
      'api/referencegrant.yaml',
      'blog/httproute.yaml',
      'gateway-system/gateway.yaml',
      'kustomization.yaml',
      'shop/httproute.yaml',
      'shop/referencegrant.yaml',
    ]);
    expect(run(['convert', '.', '--output-dir', 'by-kind', '--layout', 'kind'], { cwd }).status).toBe(0);
    expect(files(join(cwd, 'by-kind'))).toEqual(['gateway/gateway-system.yaml', 'httproute/api.yaml', 'httproute/blog.yaml', 'httproute/shop.yaml', 'kustomization.yaml', 'referencegrant/api.yaml', 'referencegrant/shop.yaml']);
    expect(objectsIn(join(cwd, 'by-kind', 'httproute', 'shop.yaml'))).toEqual(['HTTPRoute/shop/shop', 'HTTPRoute/shop/shop-https-redirect']);
  });

  it('replaces files it wrote, but not others unless --force, and then writes nothing at all', () => {
    const cwd = repo();
    expect(run(['convert', 'apps', '--output-dir', 'out'], { cwd }).status).toBe(0);
    // An earlier run's file is updated when its content changes.
    writeFileSync(join(cwd, 'out', 'blog', 'ingress.yaml'), readFileSync(join(cwd, 'out', 'blog', 'ingress.yaml'), 'utf8').replace('8080', '9090'));
    const updated = run(['convert', 'apps', '--output-dir', 'out'], { cwd });
    expect(updated.stderr).toContain('updated     out/blog/ingress.yaml (1 object)');
    // A file written by someone else is kept, and nothing else is written either.
    writeFileSync(join(cwd, 'out', 'blog', 'ingress.yaml'), 'mine\n');
    writeFileSync(join(cwd, 'apps', 'shop', 'ingress.yaml'), readFileSync(join(cwd, 'apps', 'shop', 'ingress.yaml'), 'utf8').replace('path: /\n', 'path: /shop\n'));
    const refused = run(['convert', 'apps', '--output-dir', 'out'], { cwd });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('out/blog/ingress.yaml exists and was not written by gateway-shift; pass --force to replace it');
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(cwd, 'out', 'blog', 'ingress.yaml'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(cwd, 'out', 'shop', 'ingress.yaml'), 'utf8')).not.toContain('value: /shop\n');
    const forced = run(['convert', 'apps', '--output-dir', 'out', '--force'], { cwd });
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain('overwritten out/blog/ingress.yaml (1 object)');
    expect(readFileSync(join(cwd, 'out', 'shop', 'ingress.yaml'), 'utf8')).toContain('value: /shop\n');
  });

  it('reports files an earlier run wrote that this one did not produce', () => {
    const cwd = repo();
    expect(run(['convert', 'apps', '--output-dir', 'out'], { cwd }).status).toBe(0);
    const r = run(['convert', 'apps/shop', '--output-dir', 'out'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/stale {7}out\/api\/ingress\.yaml/);
    expect(existsSync(join(cwd, 'out', 'api', 'ingress.yaml'))).toBe(true);
  });

  it('never writes into an input folder, even with --force', () => {
    const cwd = repo();
    for (const out of ['apps', '.']) {
      const r = run(['convert', 'apps', '--output-dir', out, '--force'], { cwd });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--output-dir ${out} holds the input apps`);
    }
    expect(readFileSync(join(cwd, 'apps', 'shop', 'ingress.yaml'), 'utf8')).toBe(readFileSync(join(fixture, 'apps', 'shop', 'ingress.yaml'), 'utf8'));
  });

  it('refuses two inputs that would land in the same output file', () => {
    const cwd = repo();
    mkdirSync(join(cwd, 'other', 'shop'), { recursive: true });
    cpSync(join(cwd, 'apps', 'blog', 'ingress.json'), join(cwd, 'other', 'shop', 'ingress.yaml'));
    const r = run(['convert', 'apps', 'other', '--output-dir', 'out'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/apps\/shop\/ingress\.yaml and other\/shop\/ingress\.yaml would both be written to shop\/ingress\.yaml/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('writes stdin to stdin.yaml', () => {
    const d = tmp();
    const r = run(['convert', '--output-dir', 'out'], { cwd: d, input: readFileSync(join(fixture, 'apps', 'blog', 'ingress.json'), 'utf8') });
    expect(r.status).toBe(0);
    expect(files(join(d, 'out'))).toEqual(['gateway-shift-shared.yaml', 'stdin.yaml']);
  });

  it('rejects option combinations that make no sense, with exit 2', () => {
    for (const args of [
      ['--layout', 'kind'],
      ['--output-dir', 'out', '-o', 'json'],
      ['--output-dir', 'out', '--layout', 'tree'],
      ['--force'],
    ]) {
      const r = run(['convert', ...args, fixture]);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
