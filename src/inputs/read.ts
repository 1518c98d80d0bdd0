/**
 * Reads the input paths (files, directories, `-` for stdin) and parses them. Never throws for bad
 * input: problems become `input/*` findings and the caller decides the exit code.
 */
import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../findings/finding.js';
import type { SourceDocument } from './document.js';
import { parseSource } from './parse.js';

export interface InputSet {
  documents: SourceDocument[];
  findings: Finding[];
  /** Names (as shown in positions) of the files that were read, in reading order. */
  files: string[];
}

export interface ReadOptions {
  /** Reads all of standard input; used for the path `-`. */
  stdin?: () => Promise<Uint8Array>;
  /** Positions name files relative to this directory when they lie under it. */
  cwd: string;
}

/** Files larger than this are refused. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
export const STDIN_NAME = '<stdin>';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRS = new Set(['node_modules']);

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') return 'no such file or directory';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err?.message ?? String(e);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Reads a file, FIFO or device, giving up past `limit` bytes (null then). */
async function readBounded(abs: string, limit: number): Promise<Uint8Array | null> {
  const fh = await fsp.open(abs, 'r');
  try {
    const st = await fh.stat();
    if (st.isFile()) {
      if (st.size > limit) return null;
      const data = await fh.readFile();
      return data.length > limit ? null : data;
    }
    // Not a regular file (a pipe such as <(cat x), /dev/stdin...): its size is unknown.
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const buf = new Uint8Array(1 << 20);
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) return null;
      chunks.push(buf.subarray(0, bytesRead));
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  } finally {
    await fh.close();
  }
}

export async function readInputs(paths: string[], opts: ReadOptions): Promise<InputSet> {
  const cwd = path.resolve(opts.cwd);
  const findings: Finding[] = [];

  /** Name shown in positions: relative to cwd (POSIX separators) when under it, else absolute. */
  const display = (abs: string): string => {
    const rel = path.relative(cwd, abs);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
    return abs.split(path.sep).join('/');
  };
  const unreadable = (name: string, why: string): void => {
    findings.push({ ruleId: 'input/unreadable', severity: 'error', message: `Cannot read ${name}: ${why}`, position: { file: name, line: 1, column: 1 } });
  };
  const tooLarge = (name: string): void => {
    findings.push({
      ruleId: 'input/too-large',
      severity: 'error',
      message: `${name} is larger than ${MAX_FILE_BYTES / 1048576} MiB; skipped`,
      position: { file: name, line: 1, column: 1 },
    });
  };

  // 1. Collect the files (absolute paths), deduplicated.
  const files = new Set<string>();
  let wantStdin = false;

  const walk = async (dir: string): Promise<number> => {
    let entries: Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (e) {
      unreadable(display(dir), errorText(e));
      return 0;
    }
    let found = 0;
    for (const ent of entries) {
      const abs = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (ent.name.startsWith('.') || SKIPPED_DIRS.has(ent.name)) continue;
        found += await walk(abs);
        continue;
      }
      if (!EXTENSIONS.has(path.extname(ent.name).toLowerCase())) continue;
      if (ent.isFile()) {
        files.add(abs);
        found++;
      } else if (ent.isSymbolicLink()) {
        // Symlinked files are read; symlinked directories are never followed (no loops).
        try {
          const st = await fsp.stat(abs);
          if (st.isDirectory()) continue;
          files.add(abs);
          found++;
        } catch (e) {
          unreadable(display(abs), `broken symbolic link (${errorText(e)})`);
        }
      }
    }
    return found;
  };

  for (const p of paths) {
    if (p === '-') {
      wantStdin = true;
      continue;
    }
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch (e) {
      unreadable(display(abs), errorText(e));
      continue;
    }
    if (st.isDirectory()) {
      const n = await walk(abs);
      if (n === 0) {
        findings.push({
          ruleId: 'input/empty',
          severity: 'info',
          message: `Directory ${display(abs)} contains no .yaml, .yml or .json files`,
          position: { file: display(abs), line: 1, column: 1 },
        });
      }
    } else {
      files.add(abs); // named explicitly: any extension, FIFOs and devices too
    }
  }

  // 2. Read and parse in bytewise path order; stdin last.
  const documents: SourceDocument[] = [];
  const read: string[] = [];
  const sorted = [...files].sort(compareBytes);
  for (const abs of sorted) {
    const name = display(abs);
    let bytes: Uint8Array | null;
    try {
      bytes = await readBounded(abs, MAX_FILE_BYTES);
    } catch (e) {
      unreadable(name, errorText(e));
      continue;
    }
    if (bytes === null) {
      tooLarge(name);
      continue;
    }
    const r = parseSource(bytes, name);
    read.push(name);
    for (const d of r.documents) documents.push(d);
    for (const f of r.findings) findings.push(f);
  }
  if (wantStdin) {
    if (!opts.stdin) {
      unreadable(STDIN_NAME, 'standard input is not available');
    } else {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await opts.stdin();
      } catch (e) {
        unreadable(STDIN_NAME, errorText(e));
      }
      if (bytes !== undefined) {
        if (bytes.length > MAX_FILE_BYTES) {
          tooLarge(STDIN_NAME);
        } else {
          const r = parseSource(bytes, STDIN_NAME);
          read.push(STDIN_NAME);
          for (const d of r.documents) documents.push(d);
          for (const f of r.findings) findings.push(f);
        }
      }
    }
  }
  return { documents, findings, files: read };
}
