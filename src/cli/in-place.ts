/**
 * `convert --in-place [--remove-source]`: the generated objects go into the input files, after
 * the Ingress documents they came from; objects made from several files (and Gateways,
 * ReferenceGrants...) go to gateway-shift-shared.yaml beside the first path given. Documents an
 * earlier run added for the same objects are replaced, so a second run changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { parseDocument } from 'yaml';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { ConvertResult, IngressOrigin } from '../convert.js';
import { ANNOTATION_GENERATED_BY } from '../emitters/gateway-api.js';
import type { Finding } from '../findings/finding.js';
import type { KubeObject, SourceDocument } from '../inputs/document.js';
import type { InputSet } from '../inputs/read.js';
import { applyStreamEdit, documentRanges } from '../writers/in-place.js';
import { SHARED_FILE, mirrorPath, objectsFile, sourcesOf, type IngressPlace, type PlannedFile } from '../writers/output-tree.js';
import { EXIT_OK, EXIT_USAGE } from './errors.js';
import { applyWrites, checkWrites, staleFiles, toPosix, type FileWrite } from './output-files.js';

/** Where the shared objects go: beside the first path given that exists (in it, for a folder). */
export function sharedFileFor(paths: readonly string[], cwd: string): string | undefined {
  for (const p of paths) {
    if (p === '-') continue;
    const abs = resolve(cwd, p);
    try {
      return join(statSync(abs).isDirectory() ? abs : dirname(abs), SHARED_FILE);
    } catch {
      // unreadable: readInputs reports it; try the next path
    }
  }
  return undefined;
}

/** A warning when the files are not safely in git: uncommitted changes, or no git work tree. */
export function gitWarning(paths: readonly string[], cwd: string): string | undefined {
  const r = spawnSync('git', ['status', '--porcelain', '--', ...paths.filter((p) => p !== '-')], { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    return 'gateway-shift: warning: the inputs are not in a git work tree (or git is not installed), so the in-place edit cannot be reviewed or undone with git\n';
  }
  if (r.stdout.trim() === '') return undefined;
  const n = r.stdout.trim().split('\n').length;
  return `gateway-shift: warning: ${n} file${n === 1 ? ' has' : 's have'} uncommitted changes under the inputs; commit or stash them first to review the in-place edit with git diff\n`;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetOf(starts: readonly number[], pos: { line: number; column: number }): number {
  return (starts[pos.line - 1] ?? 0) + pos.column - 1;
}

const objectKey = (o: { kind: string; metadata: { namespace?: unknown; name?: unknown } }) => `${o.kind}/${String(o.metadata.namespace ?? '')}/${String(o.metadata.name ?? '')}`;

interface FileEdit {
  inserts: { at: number; objects: KubeObject[] }[];
  removals: number[];
  addedObjects: number;
  removedIngresses: number;
  replaced: number;
}

export function writeInPlace(
  paths: readonly string[],
  input: InputSet,
  result: Pick<ConvertResult, 'objects' | 'ingresses'> & Partial<Pick<ConvertResult, 'resources'>>,
  findings: readonly Finding[],
  opts: { force: boolean; removeSource: boolean; cwd: string; sharedFile: string },
): { code: number; text: string } {
  const notes: string[] = [];
  const abs = (name: string) => resolve(opts.cwd, name);
  const isJson = (name: string) => extname(name).toLowerCase() === '.json';

  // Which file each Ingress is in; JSON files cannot hold added YAML documents.
  const places = new Map<string, IngressPlace>();
  const originByKey = new Map<string, IngressOrigin>();
  for (const i of result.ingresses) {
    const key = `Ingress/${i.ref.namespace ?? ''}/${i.ref.name ?? ''}`;
    originByKey.set(key, i);
    if (!isJson(i.doc.position.file)) places.set(key, { file: i.doc.position.file, namespace: i.namespace });
  }
  // Istio Gateways and VirtualServices get their objects after them too (they are never removed).
  const resourceDocs = new Map<string, SourceDocument>();
  for (const r of result.resources ?? []) {
    const key = `${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name ?? ''}`;
    resourceDocs.set(key, r.doc);
    if (!isJson(r.doc.position.file)) places.set(key, { file: r.doc.position.file, namespace: r.ref.namespace ?? 'default' });
  }
  const jsonWithIngress = [...new Set(result.ingresses.map((i) => i.doc.position.file).filter(isJson))];
  for (const f of jsonWithIngress) notes.push(`${f} is JSON, which cannot hold more documents: its objects went to the shared file and it was not edited`);

  // The mirror layout says where each object goes: an input file, or the shared file.
  const edits = new Map<string, FileEdit>();
  const editOf = (file: string): FileEdit => {
    let e = edits.get(file);
    if (!e) edits.set(file, (e = { inserts: [], removals: [], addedObjects: 0, removedIngresses: 0, replaced: 0 }));
    return e;
  };
  const shared: KubeObject[] = [];
  const emitted = new Set(result.objects.map(objectKey));
  const byFileAndAnchor = new Map<string, Map<number, KubeObject[]>>();
  const texts = new Map<string, string>();
  const startsOf = new Map<string, number[]>();
  const textOf = (file: string): string => {
    let t = texts.get(file);
    if (t === undefined) {
      t = readFileSync(abs(file), 'utf8');
      texts.set(file, t);
      startsOf.set(file, lineStarts(t));
    }
    return t;
  };
  const offset = (doc: SourceDocument): number => {
    textOf(doc.position.file);
    return offsetOf(startsOf.get(doc.position.file)!, { line: doc.position.line ?? 1, column: doc.position.column ?? 1 });
  };

  for (const o of result.objects) {
    const file = mirrorPath(o, places);
    if (file === SHARED_FILE) {
      shared.push(o);
      continue;
    }
    // After the last (in the file) of the Ingresses it came from.
    const sources = sourcesOf(o) ?? [];
    const anchor = Math.max(...sources.map((s) => offset((originByKey.get(s)?.doc ?? resourceDocs.get(s))!)));
    let m = byFileAndAnchor.get(file);
    if (!m) byFileAndAnchor.set(file, (m = new Map()));
    m.set(anchor, [...(m.get(anchor) ?? []), o]);
  }
  for (const [file, m] of byFileAndAnchor) {
    const e = editOf(file);
    for (const [at, objects] of [...m.entries()].sort((a, b) => a[0] - b[0])) {
      e.inserts.push({ at, objects });
      e.addedObjects += objects.length;
    }
  }

  // Documents an earlier run added for objects made again now are replaced (wherever they are).
  for (const doc of input.documents) {
    if (!doc.object.metadata.annotations?.[ANNOTATION_GENERATED_BY] || !emitted.has(objectKey(doc.object)) || isJson(doc.position.file)) continue;
    const e = editOf(doc.position.file);
    e.removals.push(offset(doc));
    e.replaced++;
  }

  // --remove-source: the converted Ingresses, unless they have errors or sit inside a List.
  if (opts.removeSource) {
    for (const i of result.ingresses) {
      const file = i.doc.position.file;
      if (isJson(file)) continue;
      const name = `Ingress ${i.namespace}/${i.ref.name}`;
      const errors = findings.filter((f) => f.severity === 'error' && f.object?.kind === 'Ingress' && f.object.name === i.ref.name && f.object.namespace === i.ref.namespace && f.position?.file === file);
      if (errors.length) {
        notes.push(`${name} (${file}) was kept: it has ${errors.length} error finding${errors.length === 1 ? '' : 's'}, so the routes do not do all it did`);
        continue;
      }
      const at = offset(i.doc);
      const text = textOf(file);
      const range = documentRanges(text).find((d) => d.start <= at && at < d.end);
      if (!range || parseDocument(text.slice(range.start, range.end)).get('kind') !== 'Ingress') {
        notes.push(`${name} (${file}) was kept: it is an item of a List, which is not edited`);
        continue;
      }
      const e = editOf(file);
      e.removals.push(at);
      e.removedIngresses++;
    }
  }

  // The files to write: edited inputs, and the shared file.
  const planned: PlannedFile[] = [];
  const summaries = new Map<string, string>();
  for (const [file, e] of [...edits.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const content = applyStreamEdit(textOf(file), { inserts: e.inserts, removals: e.removals });
    planned.push({ path: file, content, objects: e.addedObjects });
    const what = [`+${e.addedObjects} object${e.addedObjects === 1 ? '' : 's'}`];
    if (e.replaced) what.push(`${e.replaced} replaced`);
    if (e.removedIngresses) what.push(`-${e.removedIngresses} Ingress${e.removedIngresses === 1 ? '' : 'es'}`);
    summaries.set(abs(file), what.join(', '));
  }
  const writes: FileWrite[] = planned.map((file) => {
    const p = abs(file.path);
    return { file, abs: p, action: textOf(file.path) === file.content ? 'unchanged' : 'update' };
  });
  // Objects an earlier run added whose Ingresses are gone (removed with --remove-source, or by
  // hand) still need the shared Gateway as it was: rewriting it from fewer Ingresses would drop
  // their listeners. The shared file is kept then.
  const orphans = input.documents.filter((d) => d.object.metadata.annotations?.[ANNOTATION_GENERATED_BY] && !emitted.has(objectKey(d.object)));
  let keepShared = false;
  if (shared.length && orphans.length) {
    let old: string | undefined;
    try {
      old = readFileSync(opts.sharedFile, 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== undefined && old !== objectsFile(shared)) {
      keepShared = true;
      const o = orphans[0]!.object;
      notes.push(
        `${SHARED_FILE} was kept as it is: ${orphans.length} object${orphans.length === 1 ? '' : 's'} added by an earlier run (such as ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}, ${orphans[0]!.position.file}) ${orphans.length === 1 ? 'has' : 'have'} no Ingress in the input any more, and the shared objects made without ${orphans.length === 1 ? 'it' : 'them'} would not serve ${orphans.length === 1 ? 'it' : 'them'}`,
      );
    }
  }
  if (shared.length && !keepShared) {
    const content = objectsFile(shared);
    const check = checkWrites(dirname(opts.sharedFile), [{ path: SHARED_FILE, content, objects: shared.length }], { force: opts.force, inputs: new Set() });
    if ('problems' in check) return { code: EXIT_USAGE, text: `gateway-shift: nothing was written:\n${check.problems.map((p) => `  ${p}`).join('\n')}\n` };
    writes.push(...check.writes);
  }
  applyWrites(writes);

  const lines: string[] = [];
  const show = (p: string) => toPosix(p.startsWith(opts.cwd + '/') ? p.slice(opts.cwd.length + 1) : p);
  for (const w of writes) {
    if (w.action === 'unchanged') continue;
    const detail = summaries.get(w.abs) ?? `${w.file.objects} object${w.file.objects === 1 ? '' : 's'}`;
    lines.push(`${w.action === 'create' ? 'created    ' : w.action === 'overwrite' ? 'overwritten' : 'edited     '} ${show(w.abs)} (${detail})`);
  }
  if (!shared.length) for (const s of staleFiles(dirname(opts.sharedFile), new Set()).filter((f) => f === opts.sharedFile)) lines.push(`stale       ${show(s)} (written by an earlier run; nothing is shared now)`);
  for (const n of notes) lines.push(`note        ${n}`);
  const changed = writes.filter((w) => w.action !== 'unchanged').length;
  if (writes.length) lines.push(`${writes.length} file${writes.length === 1 ? '' : 's'}: ${changed} changed, ${writes.length - changed} unchanged`);
  else lines.push(keepShared ? 'nothing was written' : 'nothing to write: no input held objects to convert');
  return { code: EXIT_OK, text: lines.join('\n') + '\n' };
}
