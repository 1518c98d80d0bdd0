import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_FILE_BYTES, readInputs, type InputSet } from '../../src/inputs/read.js';

const here = dirname(fileURLToPath(import.meta.url));

const obj = (kind: string, name: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;

function write(root: string, rel: string, text: string): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const names = (s: InputSet) => s.documents.map((d) => `${d.position.file}:${d.object.metadata.name}`);

describe('readInputs', () => {
  let root: string;
  let outside: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gs-inputs-'));
    outside = mkdtempSync(join(tmpdir(), 'gs-outside-'));
    write(root, 'manifests/b.yaml', obj('Service', 'b'));
    write(root, 'manifests/B.yaml', obj('Service', 'B'));
    write(root, 'manifests/a/z.yml', obj('Service', 'z'));
    write(root, 'manifests/a/list.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' } }] }, null, 2));
    write(root, 'manifests/a-b.yaml', obj('Service', 'a-b'));
    write(root, 'manifests/UPPER.YAML', obj('Service', 'upper'));
    write(root, 'manifests/notes.txt', obj('Service', 'txt'));
    write(root, 'manifests/.git/config.yaml', obj('Service', 'git'));
    write(root, 'manifests/.hidden/h.yaml', obj('Service', 'hidden'));
    write(root, 'manifests/node_modules/pkg/m.yaml', obj('Service', 'nm'));
    write(root, 'elsewhere/linked-target.yaml', obj('Service', 'linked'));
    write(root, 'elsewhere/dir/in-linked-dir.yaml', obj('Service', 'via-dir-link'));
    symlinkSync(join(root, 'elsewhere/linked-target.yaml'), join(root, 'manifests/link.yaml'));
    symlinkSync(join(root, 'elsewhere/dir'), join(root, 'manifests/dirlink'));
    symlinkSync(join(root, 'manifests'), join(root, 'manifests/a/loop')); // a loop, never followed
    mkdirSync(join(root, 'empty-dir'));
    write(outside, 'out.yaml', obj('Service', 'out'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('recurses into directories in bytewise order, only .yaml/.yml/.json, skipping hidden dirs, node_modules and directory symlinks', async () => {
    const s = await readInputs(['manifests'], { cwd: root });
    expect(s.findings).toEqual([]);
    expect(s.files).toEqual([
      'manifests/B.yaml',
      'manifests/UPPER.YAML',
      'manifests/a-b.yaml', // '-' (0x2d) sorts before '/' (0x2f)
      'manifests/a/list.json',
      'manifests/a/z.yml',
      'manifests/b.yaml',
      'manifests/link.yaml',
    ]);
    expect(names(s)).toEqual([
      'manifests/B.yaml:B',
      'manifests/UPPER.YAML:upper',
      'manifests/a-b.yaml:a-b',
      'manifests/a/list.json:j',
      'manifests/a/z.yml:z',
      'manifests/b.yaml:b',
      'manifests/link.yaml:linked',
    ]);
    expect(s.documents[3]!.position).toEqual({ file: 'manifests/a/list.json', line: 5, column: 5 });
  });

  it('reads a file with any extension when it is named explicitly', async () => {
    const s = await readInputs(['manifests/notes.txt'], { cwd: root });
    expect(s.findings).toEqual([]);
    expect(s.files).toEqual(['manifests/notes.txt']);
    expect(names(s)).toEqual(['manifests/notes.txt:txt']);
  });

  it('gives the same output whatever the order, form or duplication of the paths', async () => {
    const a = await readInputs(['manifests/b.yaml', join(root, 'manifests/a'), 'manifests/notes.txt'], { cwd: root });
    const b = await readInputs(['./manifests/notes.txt', 'manifests/a/', 'manifests/a/z.yml', join(root, 'manifests/b.yaml')], { cwd: root });
    expect(a.files).toEqual(['manifests/a/list.json', 'manifests/a/z.yml', 'manifests/b.yaml', 'manifests/notes.txt']);
    expect(b.files).toEqual(a.files);
    expect(names(b)).toEqual(names(a));
  });

  it('names files outside cwd by absolute path', async () => {
    const s = await readInputs([join(outside, 'out.yaml'), 'manifests/b.yaml'], { cwd: root });
    expect(s.files).toContain(join(outside, 'out.yaml'));
    expect(s.files).toContain('manifests/b.yaml');
    expect(s.documents.find((d) => d.object.metadata.name === 'out')!.position.file).toBe(join(outside, 'out.yaml'));
  });

  it('reads stdin through the injected reader, named <stdin>, after the files', async () => {
    let calls = 0;
    const stdin = async () => {
      calls++;
      return new TextEncoder().encode(`${obj('Service', 'from-stdin')}---\nkind: Nope\n`);
    };
    const s = await readInputs(['-', 'manifests/b.yaml', '-'], { cwd: root, stdin });
    expect(calls).toBe(1);
    expect(s.files).toEqual(['manifests/b.yaml', '<stdin>']);
    expect(names(s)).toEqual(['manifests/b.yaml:b', '<stdin>:from-stdin']);
    expect(s.findings.map((f) => [f.ruleId, f.position])).toEqual([['input/missing-kind', { file: '<stdin>', line: 6, column: 1 }]]);
  });

  it('reports stdin that is unavailable or fails as unreadable', async () => {
    const none = await readInputs(['-'], { cwd: root });
    expect(none.findings.map((f) => [f.ruleId, f.severity, f.position?.file])).toEqual([['input/unreadable', 'error', '<stdin>']]);
    const failing = await readInputs(['-'], {
      cwd: root,
      stdin: async () => {
        throw new Error('EIO');
      },
    });
    expect(failing.findings.map((f) => f.ruleId)).toEqual(['input/unreadable']);
    expect(failing.findings[0]!.message).toMatch(/EIO/);
  });

  it('reports a nonexistent path as unreadable, naming it, and still reads the rest', async () => {
    const s = await readInputs(['missing.yaml', 'manifests/b.yaml'], { cwd: root });
    expect(s.findings.map((f) => [f.ruleId, f.severity, f.position?.file])).toEqual([['input/unreadable', 'error', 'missing.yaml']]);
    expect(s.findings[0]!.message).toMatch(/missing\.yaml.*no such file/);
    expect(names(s)).toEqual(['manifests/b.yaml:b']);
    expect(s.files).toEqual(['manifests/b.yaml']);
  });

  it('reports a broken symlink inside a directory as unreadable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gs-broken-'));
    try {
      symlinkSync(join(dir, 'gone.yaml'), join(dir, 'dangling.yaml'));
      write(dir, 'ok.yaml', obj('Service', 'ok'));
      const s = await readInputs([dir], { cwd: dir });
      expect(s.findings.map((f) => [f.ruleId, f.position?.file])).toEqual([['input/unreadable', 'dangling.yaml']]);
      expect(names(s)).toEqual(['ok.yaml:ok']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a directory without manifests as info', async () => {
    const s = await readInputs(['empty-dir'], { cwd: root });
    expect(s.findings.map((f) => [f.ruleId, f.severity, f.position?.file])).toEqual([['input/empty', 'info', 'empty-dir']]);
    expect(s.documents).toEqual([]);
  });

  it('refuses files larger than 64 MiB', async () => {
    const big = join(root, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, MAX_FILE_BYTES + 1); // sparse: cheap to create
    try {
      const s = await readInputs(['big.yaml', 'manifests/b.yaml'], { cwd: root });
      expect(s.findings.map((f) => [f.ruleId, f.severity, f.position?.file])).toEqual([['input/too-large', 'error', 'big.yaml']]);
      expect(s.files).toEqual(['manifests/b.yaml']);
    } finally {
      rmSync(big);
    }
    const s2 = await readInputs(['-'], { cwd: root, stdin: async () => new Uint8Array(MAX_FILE_BYTES + 1) });
    expect(s2.findings.map((f) => f.ruleId)).toEqual(['input/too-large']);
  });

  it('passes per-file parse findings through with their positions', async () => {
    const s = await readInputs([join(here, 'data')], { cwd: here });
    expect(s.files).toEqual(['data/ingress-list.json', 'data/multi.yaml']);
    expect(s.findings).toEqual([]);
    expect(s.documents).toHaveLength(5);
    const dir = mkdtempSync(join(tmpdir(), 'gs-bad-'));
    try {
      write(dir, 'bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  annotations:\n    a: 1\n');
      writeFileSync(join(dir, 'bin.yaml'), new Uint8Array([0x61, 0, 0x62]));
      const bad = await readInputs(['.'], { cwd: dir });
      expect(bad.findings.map((f) => [f.ruleId, f.position])).toEqual([
        ['input/non-string-annotation', { file: 'bad.yaml', line: 5, column: 5 }],
        ['input/binary', { file: 'bin.yaml', line: 1, column: 2 }],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
