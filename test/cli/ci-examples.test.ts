/**
 * The CI examples the README points to run as documented: the GitHub Actions workflow's scan
 * command (after writing the baseline it tells you to commit) and the pre-commit hook.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot, run } from './helpers.js';
import { sarifValidator } from './sarif.js';

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  'continue-on-error'?: boolean;
}

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** The words after `gateway-shift[@version] scan` in a shell command, with $MANIFESTS replaced. */
function scanArgs(command: string, manifests: string): string[] {
  const words = command.trim().split(/\s+/);
  const at = words.findIndex((w) => /^gateway-shift(@[\w.-]+)?$/.test(w));
  expect(words[at + 1]).toBe('scan');
  return words.slice(at + 2).map((w) => (w === '$MANIFESTS' ? manifests : w));
}

describe('CI examples', () => {
  it('the GitHub Actions workflow scans, uploads SARIF, comments and fails on new findings', () => {
    const wf = parse(readFileSync(join(repoRoot, 'examples', 'ci', 'github-actions.yaml'), 'utf8')) as {
      permissions: Record<string, string>;
      jobs: { scan: { steps: Step[] } };
    };
    expect(wf.permissions['security-events']).toBe('write');
    const steps = wf.jobs.scan.steps;
    const scan = steps.find((s) => s.id === 'scan')!;
    expect(scan['continue-on-error']).toBe(true);
    expect(scan.run).toContain(`gateway-shift@${version} scan`);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with?.sarif_file).toBe('gateway-shift.sarif');
    expect(steps.some((s) => s.run?.includes('gh pr comment') && s.run.includes('gateway-shift.md'))).toBe(true);
    expect(steps[steps.length - 1]).toMatchObject({ if: "steps.scan.outcome == 'failure'", run: 'exit 1' });

    // Run it in a copy of a manifest folder: first the baseline the header says to commit...
    const work = mkdtempSync(join(tmpdir(), 'gs-ci-'));
    cpSync(join(repoRoot, 'test', 'cli', 'data', 'scan'), join(work, 'k8s'), { recursive: true });
    const header = readFileSync(join(repoRoot, 'examples', 'ci', 'github-actions.yaml'), 'utf8').match(/^#\s+(npx --yes gateway-shift@\S+ scan .*)$/m)![1]!;
    expect(header).toContain(`gateway-shift@${version} scan`);
    expect(run(['scan', ...scanArgs(header, 'k8s')], { cwd: work }).status).toBe(0);
    // ...then the workflow's scan: nothing new, so it passes and writes both reports.
    const r = run(['scan', ...scanArgs(scan.run!, 'k8s')], { cwd: work });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 new,');
    expect(sarifValidator()(JSON.parse(readFileSync(join(work, 'gateway-shift.sarif'), 'utf8')))).toBe(true);
    expect(readFileSync(join(work, 'gateway-shift.md'), 'utf8')).toContain('No new findings.');
  });

  it('the pre-commit hook runs gateway-shift scan on whole folders', () => {
    const hooks = parse(readFileSync(join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; pass_filenames: boolean; args: string[] }[];
    const hook = hooks.find((h) => h.id === 'gateway-shift-scan')!;
    expect(hook.language).toBe('node');
    expect(hook.pass_filenames).toBe(false);
    expect(hook.entry).toBe('gateway-shift scan');
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(existsSync(join(repoRoot, pkg.bin['gateway-shift']!))).toBe(true);
    const work = mkdtempSync(join(tmpdir(), 'gs-hook-'));
    cpSync(join(repoRoot, 'test', 'cli', 'data', 'scan'), join(work, 'k8s'), { recursive: true });
    const r = run(['scan', ...hook.args], { cwd: work });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 Ingress and 1 Istio object from 2 files');
  });
});
