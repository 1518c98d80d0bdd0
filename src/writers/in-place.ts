/**
 * `convert --in-place`: edits a YAML stream through the yaml library's concrete syntax tree,
 * which covers every byte of the source. Documents are added after a given document and removed
 * whole; every other byte (comments, blank lines, formatting, document order) stays as it was,
 * since nothing is re-serialised. Pure: text in, text out.
 */
import { CST, Parser } from 'yaml';
import type { KubeObject } from '../inputs/document.js';
import { toYaml } from './yaml.js';

/** A document of the stream: [start, end) offsets, with a `...` end marker after it included. */
export interface DocRange {
  start: number;
  end: number;
}

/** The documents of a YAML stream, in order. */
export function documentRanges(text: string): DocRange[] {
  const out: DocRange[] = [];
  for (const token of new Parser().parse(text)) {
    const end = token.offset + CST.stringify(token).length;
    if (token.type === 'document') out.push({ start: token.offset, end });
    else if (token.type === 'doc-end' && out.length > 0 && out[out.length - 1]!.end === token.offset) out[out.length - 1]!.end = end;
  }
  return out;
}

export interface StreamEdit {
  /** Objects to add after the document holding `at` (an offset), in this order. */
  inserts: readonly { at: number; objects: readonly KubeObject[] }[];
  /** Offsets inside documents to remove (the whole document, its `---` and comments included). */
  removals: readonly number[];
}

/** The YAML of objects as documents to add: each starts with `---`, in the stream's line ending. */
export function documentsText(objects: readonly KubeObject[], crlf: boolean): string {
  const text = objects.map((o) => `---\n${toYaml(o)}`).join('');
  return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
}

/** Applies the edit; offsets outside every document are an error (the caller's bug). */
export function applyStreamEdit(text: string, edit: StreamEdit): string {
  const docs = documentRanges(text);
  const docAt = (offset: number): number => {
    const i = docs.findIndex((d) => d.start <= offset && offset < d.end);
    if (i < 0) throw new Error(`no YAML document at offset ${offset}`);
    return i;
  };
  const removed = new Set(edit.removals.map(docAt));
  const added = new Map<number, KubeObject[]>();
  for (const ins of edit.inserts) {
    const i = docAt(ins.at);
    const list = added.get(i) ?? [];
    list.push(...ins.objects);
    added.set(i, list);
  }
  const crlf = text.includes('\r\n');
  const nl = crlf ? '\r\n' : '\n';
  let out = '';
  let pos = 0;
  docs.forEach((d, i) => {
    out += text.slice(pos, d.start);
    if (!removed.has(i)) out += text.slice(d.start, d.end);
    pos = d.end;
    const objs = added.get(i);
    if (objs && objs.length) {
      // A document must end its last line before the next one starts.
      if (out.length > 0 && !out.endsWith('\n')) out += nl;
      out += documentsText(objs, crlf);
    }
  });
  return out + text.slice(pos);
}
