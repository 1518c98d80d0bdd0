/**
 * Parses one input file (YAML stream or JSON) into Kubernetes objects with source positions.
 * Pure: no fs, no process. Bad input never throws; it becomes `input/*` findings.
 *
 * Memory: the yaml AST of a document is NOT kept. Each SourceDocument keeps only the offsets of
 * its node in the (shared) source text; `locate` re-parses that slice on first call and caches
 * the result. Plain objects + positions cost about the same as `parseAllDocuments().toJS()`.
 */
import {
  Composer,
  Document,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type ToJSOptions,
} from 'yaml';
import type { Finding, ObjectRef, SourcePosition } from '../findings/finding.js';
import type { FieldPath, KubeMetadata, KubeObject, SourceDocument } from './document.js';

export interface ParseResult {
  documents: SourceDocument[];
  findings: Finding[];
}

/** Aliases expanded beyond this count are refused (yaml's own default is 100). */
export const MAX_ALIAS_COUNT = 100;

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  prettyErrors: false,
  keepSourceTokens: false,
  // kubectl (go-yaml) honours `<<` merge keys.
  merge: true,
};
const TOJS_OPTIONS: ToJSOptions = { maxAliasCount: MAX_ALIAS_COUNT };

/** Shared by all documents of one file. */
interface FileSource {
  readonly file: string;
  readonly text: string;
  /** Offsets where lines start, the first being 0. */
  readonly lineStarts: Int32Array;
}

/** A re-parsed node (the root of one object) and the offset to add to its ranges. */
interface Located {
  doc: Document.Parsed;
  root: unknown;
  /** original offset = reparsed offset + shift */
  shift: number;
}

/**
 * Where a top-level document lives, for re-parsing when an item slice cannot be re-parsed on its
 * own (e.g. an alias to an anchor in another item). Shared by the items of one List.
 */
interface DocSlice {
  start: number;
  end: number;
  cache?: Located | null;
}

// ---------------------------------------------------------------------------------------------
// positions

/** 1-based line holding `offset`: the number of line starts <= offset. */
function lineOf(starts: Int32Array, offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid]! <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

function lineStartOf(src: FileSource, offset: number): number {
  const line = lineOf(src.lineStarts, offset);
  return line === 0 ? 0 : src.lineStarts[line - 1]!;
}

function positionAt(src: FileSource, offset: number): SourcePosition {
  const o = Math.max(0, Math.min(offset, src.text.length));
  const line = Math.max(1, lineOf(src.lineStarts, o));
  return { file: src.file, line, column: o - lineStartOf(src, o) + 1 };
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: unknown }).range;
    if (Array.isArray(r) && typeof r[0] === 'number') return r[0];
  }
  return undefined;
}

function rangeEnd(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as { range?: unknown }).range;
    if (Array.isArray(r) && typeof r[2] === 'number') return r[2];
  }
  return undefined;
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

function deref(node: unknown, doc: Document.Parsed): unknown {
  // Aliases point at their anchor; an alias to an alias is impossible in YAML, but be safe.
  for (let i = 0; i < 8 && isAlias(node); i++) {
    try {
      node = node.resolve(doc);
    } catch {
      return undefined;
    }
  }
  return node;
}

/** The pair of `map` whose key is `seg`, looking through `<<` merge keys. */
function findPair(map: unknown, seg: string, doc: Document.Parsed, depth = 0): { key: unknown; value: unknown } | undefined {
  if (!isMap(map) || depth > 8) return undefined;
  const merges: unknown[] = [];
  for (const pair of map.items) {
    const key = pair.key;
    if (isScalar(key)) {
      if (isMergeKey(key)) merges.push(pair.value);
      else if (key.value !== null && String(key.value) === seg) return pair;
    }
  }
  for (const m of merges) {
    const v = deref(m, doc);
    const sources = isSeq(v) ? v.items.map((i) => deref(i, doc)) : [v];
    for (const s of sources) {
      const found = findPair(s, seg, doc, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Offset of the field at `path` below `root` (key of a map entry, else the value), or its nearest ancestor. */
function locateOffset(root: unknown, path: FieldPath, doc: Document.Parsed): number | undefined {
  let best = rangeStart(root);
  let node = root;
  for (const seg of path) {
    node = deref(node, doc);
    if (isMap(node)) {
      const pair = findPair(node, String(seg), doc);
      if (!pair) break;
      best = rangeStart(pair.key) ?? best;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = typeof seg === 'number' ? seg : /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : -1;
      const item = i >= 0 ? node.items[i] : undefined;
      if (item === undefined || item === null) break;
      if (isPair(item)) {
        // `[a: 1]` in a flow sequence: a single-pair map
        best = rangeStart(item.key) ?? best;
      } else {
        best = rangeStart(item) ?? best;
      }
      node = item;
    } else {
      break;
    }
  }
  return best;
}

/** Kinds whose field positions are indexed at parse time (findings point into them often). */
const INDEXED_KINDS = new Set(['Ingress', 'VirtualService', 'Gateway']);

type Json = unknown;

/** Number of keys and items below `v` (its pre-order descendants). Allocates nothing. */
function subtreeSize(v: Json): number {
  let n = 0;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += 1 + subtreeSize(v[i]);
  } else if (typeof v === 'object' && v !== null) {
    for (const key in v) n += 1 + subtreeSize((v as Record<string, unknown>)[key]);
  }
  return n;
}

/**
 * The offsets of every map key and sequence item of `object` (the converted, normalised JS
 * object), in pre-order, looked up in the syntax tree `root` it came from. -1 where the object
 * has a key the tree has not (metadata added by normalisation). One small Int32Array per
 * document: `locate` walks the object to find the index, so no re-parse is needed. Undefined for
 * trees with aliases or merge keys, which keep the re-parsing path.
 */
function indexPositions(object: Json, root: unknown): Int32Array | undefined {
  const out = new Int32Array(subtreeSize(object));
  let k = 0;
  let ok = true;
  const walk = (v: Json, node: unknown): void => {
    if (!ok) return;
    if (isAlias(node)) {
      ok = false;
      return;
    }
    if (Array.isArray(v)) {
      const items = isSeq(node) ? node.items : [];
      v.forEach((x, i) => {
        const item = items[i];
        out[k++] = (isPair(item) ? rangeStart(item.key) : rangeStart(item)) ?? -1;
        walk(x, isPair(item) ? undefined : item);
      });
    } else if (typeof v === 'object' && v !== null) {
      const pairs = new Map<string, { key: unknown; value: unknown }>();
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isScalar(pair.key) || isMergeKey(pair.key)) {
            ok = false;
            return;
          }
          pairs.set(String(pair.key.value), pair);
        }
      }
      for (const [key, x] of Object.entries(v)) {
        const pair = pairs.get(key);
        out[k++] = rangeStart(pair?.key) ?? -1;
        walk(x, pair?.value);
      }
    }
  };
  walk(object, root);
  return ok ? out : undefined;
}

/** Offset of `path` (or its deepest existing prefix) from a pre-order index of `object`. Allocates nothing. */
function offsetFromIndex(object: Json, index: Int32Array, path: FieldPath): number | undefined {
  let v = object;
  let k = 0;
  let best: number | undefined;
  for (const seg of path) {
    let next: Json;
    let found = false;
    if (Array.isArray(v)) {
      const want = typeof seg === 'number' ? seg : /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : -1;
      if (want < 0 || want >= v.length) break;
      for (let i = 0; i < want; i++) k += 1 + subtreeSize(v[i]);
      next = v[want];
      found = true;
    } else if (typeof v === 'object' && v !== null) {
      const want = String(seg);
      for (const key in v) {
        const x = (v as Record<string, unknown>)[key];
        if (key === want) {
          next = x;
          found = true;
          break;
        }
        k += 1 + subtreeSize(x);
      }
    }
    if (!found) break;
    const off = index[k];
    if (off === undefined || off < 0) break;
    best = off;
    k++;
    v = next;
  }
  return best;
}

/**
 * Re-parses text[start, end) as its own YAML document. The slice may start mid-line (a List
 * item after `- `); the rest of its line is replaced by spaces so indentation stays the same.
 */
function reparse(src: FileSource, start: number, end: number): Located | null {
  const lineStart = lineStartOf(src, start);
  const pad = start - lineStart;
  try {
    const slice = src.text.slice(start, end);
    const doc = parseDocument(' '.repeat(pad) + slice, YAML_OPTIONS);
    if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
    if (slice.includes('*')) {
      // An alias to an anchor outside the slice does not resolve here.
      let dangling = false;
      visit(doc, {
        Alias(_, alias) {
          if (alias.resolve(doc) === undefined) {
            dangling = true;
            return visit.BREAK;
          }
          return undefined;
        },
      });
      if (dangling) return null;
    }
    return { doc, root: doc.contents, shift: lineStart };
  } catch {
    return null;
  }
}

class YamlSourceDocument implements SourceDocument {
  readonly object: KubeObject;
  readonly position: SourcePosition;
  readonly #src: FileSource;
  readonly #start: number;
  readonly #end: number;
  /** For List items: the top-level document holding the List. */
  readonly #top: DocSlice | undefined;
  #cache: Located | null | undefined;
  readonly #index: Int32Array | undefined;

  constructor(
    object: KubeObject,
    src: FileSource,
    start: number,
    end: number,
    top: DocSlice | undefined,
    live: Located | undefined,
    index: Int32Array | undefined,
  ) {
    this.object = object;
    this.position = positionAt(src, start);
    this.#src = src;
    this.#start = start;
    this.#end = end;
    this.#top = top;
    // live is given only when the AST must be kept (files with %TAG directives).
    this.#cache = live;
    this.#index = index;
  }

  locate(path: FieldPath): SourcePosition {
    const index = this.#index;
    if (index) {
      // The deepest indexed prefix of the path: the field, or its nearest ancestor.
      const off = offsetFromIndex(this.object, index, path);
      return off === undefined ? this.position : positionAt(this.#src, off);
    }
    try {
      const loc = this.#located();
      if (!loc || path.length === 0) return this.position;
      const off = locateOffset(loc.root, path, loc.doc);
      return off === undefined ? this.position : positionAt(this.#src, off + loc.shift);
    } catch {
      return this.position;
    }
  }

  #located(): Located | null {
    if (this.#cache !== undefined) return this.#cache;
    let loc = reparse(this.#src, this.#start, this.#end);
    const top = this.#top;
    if (!loc && top) {
      // Fall back to the whole top-level document (parsed once, shared by its items) and find
      // this item's map in it by its offset.
      if (top.cache === undefined) top.cache = reparse(this.#src, top.start, top.end);
      const whole = top.cache;
      if (whole) {
        const target = this.#start - whole.shift;
        let found: unknown;
        visit(whole.doc, {
          Map(_, node) {
            if (node.range?.[0] === target) {
              found = node;
              return visit.BREAK;
            }
            return undefined;
          },
        });
        loc = found ? { doc: whole.doc, root: found, shift: whole.shift } : null;
      }
    }
    this.#cache = loc;
    return loc;
  }
}

// ---------------------------------------------------------------------------------------------
// input checks

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function bytePosition(file: string, b: Uint8Array, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, line, column: offset - lineStart + 1 };
}

function textPosition(file: string, t: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = t.indexOf('\n'); i !== -1 && i < offset; i = t.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file, line, column: offset - lineStart + 1 };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

// ---------------------------------------------------------------------------------------------
// object checks

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectRef(o: Record<string, unknown>): ObjectRef | undefined {
  if (typeof o.kind !== 'string') return undefined;
  const ref: ObjectRef = { kind: o.kind };
  if (typeof o.apiVersion === 'string') ref.apiVersion = o.apiVersion;
  const md = o.metadata;
  if (isPlainObject(md)) {
    if (typeof md.namespace === 'string') ref.namespace = md.namespace;
    if (typeof md.name === 'string') ref.name = md.name;
  }
  return ref;
}

function scalarToString(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v) ?? '';
    } catch {
      return String(v);
    }
  }
  return String(v);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${String(v)}`;
}

// ---------------------------------------------------------------------------------------------
// parse

class Parse {
  readonly documents: SourceDocument[] = [];
  readonly findings: Finding[] = [];
  constructor(readonly src: FileSource) {}

  find(ruleId: string, severity: Finding['severity'], message: string, offset: number, extra?: Partial<Finding>): void {
    this.findings.push({ ruleId, severity, message, ...extra, position: positionAt(this.src, offset) });
  }

  /** Adds `value` (the JS form of `node`), unwrapping Lists. */
  add(value: unknown, node: unknown, doc: Document.Parsed, top: DocSlice, inList: boolean, defaults?: { apiVersion: string; kind: string }): void {
    const start = rangeStart(node) ?? top.start;
    if (value === null || value === undefined) return; // a null document: nothing to convert
    if (!isPlainObject(value)) {
      const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      this.find('input/not-an-object', 'warning', `${inList ? 'List item' : 'Document'} is ${what}, not a Kubernetes object (a map with apiVersion and kind); skipped`, start);
      return;
    }
    if (defaults) {
      // Items of a typed list (IngressList from the API) carry no apiVersion/kind of their own.
      if (value.apiVersion === undefined) value.apiVersion = defaults.apiVersion;
      if (value.kind === undefined) value.kind = defaults.kind;
    }
    const missing = [typeof value.apiVersion === 'string' && value.apiVersion !== '' ? '' : 'apiVersion', typeof value.kind === 'string' && value.kind !== '' ? '' : 'kind'].filter(Boolean);
    if (missing.length > 0) {
      this.find('input/missing-kind', 'warning', `${inList ? 'List item' : 'Document'} has no ${missing.join(' or ')} (a non-empty string); not a Kubernetes object, skipped`, start);
      return;
    }
    const kind = value.kind as string;
    // `items:` left empty (null) in a List means no items.
    const items = value.items === null && 'items' in value ? [] : value.items;
    if (kind.endsWith('List') && Array.isArray(items)) {
      const itemsNode = isMap(node) ? findPair(node, 'items', doc)?.value : undefined;
      const seq = deref(itemsNode, doc);
      const typed = kind !== 'List' ? { apiVersion: value.apiVersion as string, kind: kind.slice(0, -'List'.length) } : undefined;
      items.forEach((item, i) => {
        const itemNode = isSeq(seq) ? deref(seq.items[i], doc) : undefined;
        this.add(item, itemNode ?? node, doc, top, true, typed);
      });
      return;
    }
    this.normalize(value, node, doc);
    const object = value as KubeObject;
    const end = rangeEnd(node) ?? top.end;
    // Custom %TAG handles are not visible to a slice re-parsed on its own: keep those ASTs.
    const tags = doc.directives.tags;
    const keepAst = Object.entries(tags).some(([h, prefix]) => !(h === '!!' && prefix === 'tag:yaml.org,2002:'));
    const live = keepAst ? { doc, root: node, shift: 0 } : undefined;
    const index = !keepAst && INDEXED_KINDS.has(kind) ? indexPositions(object, node) : undefined;
    this.documents.push(new YamlSourceDocument(object, this.src, start, end, inList ? top : undefined, live, index));
  }

  /** metadata always an object; annotations/labels string maps. */
  normalize(o: Record<string, unknown>, node: unknown, doc: Document.Parsed): void {
    const at = (path: FieldPath): number => locateOffset(node, path, doc) ?? rangeStart(node) ?? 0;
    const ref = objectRef(o);
    let md = o.metadata;
    if (md === undefined || md === null) {
      md = {};
    } else if (!isPlainObject(md)) {
      this.find('input/invalid-metadata', 'warning', `metadata is ${describe(md)}, not a map; ignored`, at(['metadata']), { object: ref, field: 'metadata' });
      md = {};
    }
    const meta = md as KubeMetadata;
    o.metadata = meta;
    for (const f of ['name', 'namespace'] as const) {
      const v: unknown = meta[f];
      if (v === undefined) continue;
      if (v === null) {
        delete meta[f];
      } else if (typeof v !== 'string') {
        this.find('input/invalid-metadata', 'warning', `metadata.${f} is ${describe(v)}, not a string; using "${scalarToString(v)}"`, at(['metadata', f]), { object: ref, field: `metadata.${f}` });
        meta[f] = scalarToString(v);
      }
    }
    for (const f of ['annotations', 'labels'] as const) {
      const m: unknown = meta[f];
      if (m === undefined) continue;
      if (m === null) {
        delete meta[f];
        continue;
      }
      if (!isPlainObject(m)) {
        this.find('input/invalid-metadata', 'warning', `metadata.${f} is ${describe(m)}, not a map; ignored`, at(['metadata', f]), { object: ref, field: `metadata.${f}` });
        delete meta[f];
        continue;
      }
      for (const [k, v] of Object.entries(m)) {
        if (typeof v === 'string') continue;
        const s = scalarToString(v);
        const what = f === 'annotations' ? 'Annotation' : 'Label';
        this.find('input/non-string-annotation', 'warning', `${what} ${k} has ${describe(v)}, not a string; using "${s}" (quote it: Kubernetes rejects non-string values)`, at(['metadata', f, k]), { object: ref, field: `metadata.${f}[${k}]` });
        m[k] = s;
      }
    }
  }
}

/**
 * Parses a YAML stream (or a JSON document) into Kubernetes objects. Never throws.
 * @param file the name shown in positions
 */
export function parseSource(input: string | Uint8Array, file: string): ParseResult {
  let text: string;
  if (typeof input === 'string') {
    text = input;
    const nul = text.indexOf('\0');
    if (nul !== -1) return binary(file, 'contains NUL characters', textPosition(file, text, nul));
  } else {
    const nul = input.indexOf(0);
    if (nul !== -1) return binary(file, 'contains NUL bytes', bytePosition(file, input, nul));
    try {
      text = utf8.decode(input); // strips a UTF-8 byte order mark
    } catch {
      const bad = Math.max(0, firstInvalidUtf8(input));
      return binary(file, 'is not valid UTF-8', bytePosition(file, input, bad));
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  // Documents are composed and converted one at a time, so only one syntax tree is alive at
  // once (parseAllDocuments would hold all of them: ~500 MB for 38,000 documents).
  const src: FileSource = { file, text, lineStarts: lineStartsOfText(text) };
  const p = new Parse(src);
  let content = false;
  const handle = (doc: Document.Parsed): void => {
    const start = rangeStart(doc.contents) ?? doc.range[0];
    if (doc.errors.length > 0) {
      content = true;
      const err = doc.errors[0]!;
      const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more error${doc.errors.length > 2 ? 's' : ''})` : '';
      const pos = positionAt(src, err.pos[0] >= 0 ? err.pos[0] : start);
      p.findings.push({
        ruleId: 'input/yaml-syntax',
        severity: 'error',
        message: `Invalid YAML at line ${pos.line}, column ${pos.column}: ${err.message}${more}; this document is skipped`,
        position: pos,
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS(TOJS_OPTIONS);
    } catch (e) {
      content = true;
      const msg = (e as Error)?.message ?? String(e);
      if (/alias/i.test(msg)) {
        p.find('input/alias-limit', 'error', `Document expands more than ${MAX_ALIAS_COUNT} YAML aliases (a "billion laughs" attack?); refused`, start);
      } else {
        p.find('input/yaml-syntax', 'error', `Invalid YAML: ${msg}; this document is skipped`, start);
      }
      return;
    }
    if (value === null || value === undefined) return;
    content = true;
    const end = rangeEnd(doc.contents) ?? doc.range[2];
    p.add(value, doc.contents, doc, { start, end }, false);
  };
  try {
    const composer = new Composer(YAML_OPTIONS);
    for (const doc of composer.compose(new Parser().parse(text))) handle(doc);
  } catch (e) {
    return {
      documents: [],
      findings: [{ ruleId: 'input/yaml-syntax', severity: 'error', message: `Cannot parse YAML: ${(e as Error)?.message ?? String(e)}`, position: { file, line: 1, column: 1 } }],
    };
  }
  if (!content) {
    p.findings.push({ ruleId: 'input/empty', severity: 'info', message: 'File contains no YAML documents', position: { file, line: 1, column: 1 } });
  }
  return { documents: p.documents, findings: p.findings };
}

/** Offsets where lines start (0 first). */
function lineStartsOfText(text: string): Int32Array {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  const starts = new Int32Array(n);
  let k = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}


function binary(file: string, why: string, position: SourcePosition): ParseResult {
  return {
    documents: [],
    findings: [{ ruleId: 'input/binary', severity: 'error', message: `File ${why} (at line ${position.line}, column ${position.column}); not a YAML or JSON text file, skipped`, position }],
  };
}
