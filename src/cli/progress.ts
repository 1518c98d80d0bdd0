/**
 * A one-line progress indicator on stderr while clusters are read: objects read per context,
 * redrawn at most ten times a second. Silent when the stream is not a terminal (CI, pipes,
 * files), so reports and logs stay clean.
 */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface Progress {
  update(context: string, objectsRead: number): void;
  /** Marks a context as finished (its count stays). */
  finish(context: string, failed: boolean): void;
  /** Clears the line. */
  done(): void;
}

export function createProgress(stream: ProgressStream, now: () => number = Date.now): Progress {
  if (stream.isTTY !== true) return { update() {}, finish() {}, done() {} };
  const counts = new Map<string, { n: number; state: '' | ' done' | ' failed' }>();
  let last = -Infinity;
  let shown = false;
  const render = (): void => {
    const parts = [...counts].map(([c, v]) => `${c} ${v.n.toLocaleString('en-US')}${v.state}`);
    let line = `reading objects: ${parts.join(', ')}`;
    // A terminal may not know its width (0 under some ptys): assume 80 columns then.
    const width = (stream.columns !== undefined && stream.columns >= 20 ? stream.columns : 80) - 1;
    if (line.length > width) line = line.slice(0, Math.max(0, width - 1)) + '\u2026';
    stream.write(`\r\x1b[K${line}`);
    shown = true;
  };
  return {
    update(context, n) {
      const v = counts.get(context);
      counts.set(context, { n, state: v?.state ?? '' });
      const t = now();
      if (t - last >= 100) {
        last = t;
        render();
      }
    },
    finish(context, failed) {
      const v = counts.get(context) ?? { n: 0, state: '' };
      counts.set(context, { n: v.n, state: failed ? ' failed' : ' done' });
      render();
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
