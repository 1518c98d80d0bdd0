/**
 * Writing converted objects to files (`convert --output-dir`, `--in-place`): which input file an
 * output belongs to, and safe writes. Everything is checked before anything is written; each
 * file is written whole (a temporary file, then a rename) and only when its content changes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { InputSet } from '../inputs/read.js';
import { STDIN_NAME } from '../inputs/read.js';
import { isGenerated, type PlannedFile } from '../writers/output-tree.js';

/** Writes a whole file or nothing: a temporary file beside it, then a rename. */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(path).mode & 0o7777; // an existing file keeps its permissions
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(tmp, content, mode === undefined ? {} : { mode });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** A path given on the command line. */
export interface InputRoot {
  abs: string;
  isDir: boolean;
}

export function inputRoots(paths: readonly string[], cwd: string): InputRoot[] {
  const roots: InputRoot[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    const abs = resolve(cwd, p);
    try {
      roots.push({ abs, isDir: statSync(abs).isDirectory() });
    } catch {
      // Unreadable: readInputs reports it.
    }
  }
  return roots;
}

/**
 * The path of an input file relative to the command-line path it was found under (POSIX): the
 * first directory given that holds it, or its name when it was given itself; stdin is
 * `stdin.yaml`. Undefined for a file under none of them.
 */
export function relativeToRoots(name: string, cwd: string, roots: readonly InputRoot[]): string | undefined {
  if (name === STDIN_NAME) return 'stdin.yaml';
  const abs = resolve(cwd, name);
  for (const r of roots) {
    if (r.isDir) {
      const rel = relative(r.abs, abs);
      if (rel && !rel.startsWith('..') && !rel.startsWith(sep)) return toPosix(rel);
    } else if (r.abs === abs) {
      return basename(abs);
    }
  }
  return undefined;
}

/** The input set without the files `skip` names (by their name in positions). */
export function withoutFiles(input: InputSet, skip: (name: string) => boolean): InputSet {
  if (!input.files.some(skip)) return input;
  return {
    documents: input.documents.filter((d) => !skip(d.position.file)),
    findings: input.findings.filter((f) => !f.position || !skip(f.position.file)),
    files: input.files.filter((f) => !skip(f)),
  };
}

/** An output name for an input file: the same, with .json turned into .yaml (the output is YAML). */
export function yamlName(rel: string): string {
  return extname(rel).toLowerCase() === '.json' ? rel.slice(0, -5) + '.yaml' : rel;
}

export type WriteAction = 'create' | 'update' | 'overwrite' | 'unchanged';

export interface FileWrite {
  file: PlannedFile;
  abs: string;
  action: WriteAction;
}

/** Why files cannot be written (nothing was), or the writes to make. */
export type WritePlan = { problems: string[] } | { writes: FileWrite[] };

/**
 * Decides what to do with each planned file under `dir`: files gateway-shift did not write are
 * only replaced with `force`, input files never.
 */
export function checkWrites(dir: string, files: readonly PlannedFile[], opts: { force: boolean; inputs: ReadonlySet<string> }): WritePlan {
  const problems: string[] = [];
  const writes: FileWrite[] = [];
  for (const file of files) {
    const abs = join(dir, ...file.path.split('/'));
    if (opts.inputs.has(abs)) {
      problems.push(`${abs} is one of the input files; choose another --output-dir (or use --in-place)`);
      continue;
    }
    // A file where a folder is needed (or the reverse) cannot be fixed by --force.
    const blocked = parentsOf(dir, file.path).find((p) => existsSync(p) && !statSync(p).isDirectory());
    if (blocked) {
      problems.push(`${abs}: ${blocked} is a file, not a folder`);
      continue;
    }
    if (!existsSync(abs)) {
      writes.push({ file, abs, action: 'create' });
      continue;
    }
    if (statSync(abs).isDirectory()) {
      problems.push(`${abs} is a folder`);
      continue;
    }
    const old = readFileSync(abs, 'utf8');
    if (old === file.content) writes.push({ file, abs, action: 'unchanged' });
    else if (isGenerated(old)) writes.push({ file, abs, action: 'update' });
    else if (opts.force) writes.push({ file, abs, action: 'overwrite' });
    else problems.push(`${abs} exists and was not written by gateway-shift; pass --force to replace it`);
  }
  return problems.length ? { problems } : { writes };
}

function parentsOf(dir: string, rel: string): string[] {
  const out: string[] = [];
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) out.push(join(dir, ...parts.slice(0, i)));
  return out;
}

/** Makes the writes (skipping unchanged files). */
export function applyWrites(writes: readonly FileWrite[]): void {
  for (const w of writes) {
    if (w.action === 'unchanged') continue;
    mkdirSync(dirname(w.abs), { recursive: true });
    writeFileAtomic(w.abs, w.file.content);
  }
}

/** Files under `dir` that gateway-shift wrote earlier and that this run did not produce. */
export function staleFiles(dir: string, produced: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) walk(abs);
      } else if (e.isFile() && /\.ya?ml$/i.test(e.name) && !produced.has(abs)) {
        try {
          const head = readFileSync(abs, 'utf8').slice(0, 64);
          if (isGenerated(head)) out.push(abs);
        } catch {
          // unreadable: not ours to judge
        }
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** The summary printed after writing, with paths as given (relative to the working directory). */
export function writeSummary(writes: readonly FileWrite[], stale: readonly string[], cwd: string): string {
  const show = (abs: string) => {
    const rel = relative(cwd, abs);
    return toPosix(rel && !rel.startsWith('..') ? rel : abs);
  };
  const count = (a: WriteAction) => writes.filter((w) => w.action === a).length;
  const lines: string[] = [];
  for (const w of writes) {
    if (w.action === 'unchanged') continue;
    const what = w.file.objects ? `${w.file.objects} object${w.file.objects === 1 ? '' : 's'}` : 'kustomization';
    lines.push(`${w.action === 'create' ? 'created    ' : w.action === 'update' ? 'updated    ' : 'overwritten'} ${show(w.abs)} (${what})`);
  }
  for (const s of stale) lines.push(`stale       ${show(s)} (written by an earlier run, not produced now: delete it if its source is gone)`);
  lines.push(
    `${writes.length} file${writes.length === 1 ? '' : 's'}: ${count('create')} created, ${count('update')} updated, ${count('overwrite')} overwritten, ${count('unchanged')} unchanged` +
      (stale.length ? `; ${stale.length} stale` : ''),
  );
  return lines.join('\n') + '\n';
}
