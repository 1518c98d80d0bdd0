/** File names in reports: relative to the repository root when the file lies under it. */
import { posix } from 'node:path';
import type { ReportInput } from './types.js';

/** The POSIX path of `file` (as found in a position) relative to the root, or undefined when outside it. */
export function repoRelative(file: string, paths: ReportInput['paths']): string | undefined {
  if (!paths) return posix.isAbsolute(file) ? undefined : file;
  const rel = posix.relative(paths.root, posix.resolve(paths.cwd, file));
  if (rel === '' || rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel)) return undefined;
  return rel;
}

/** The absolute POSIX path of `file`. */
export function absolutePath(file: string, paths: ReportInput['paths']): string {
  return paths ? posix.resolve(paths.cwd, file) : posix.resolve('/', file);
}
