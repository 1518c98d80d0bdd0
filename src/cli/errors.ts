/** Exit codes and error presentation. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A problem with how the command was called: message only, exit 2. */
export class UsageError extends Error {}

/** An unexpected error: one line (stack only with --debug), exit 3. */
export function reportCrash(err: unknown, debug: boolean): number {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`gateway-shift: internal error: ${msg}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  else process.stderr.write('Run again with --debug for details, and please report it.\n');
  return EXIT_INTERNAL;
}
