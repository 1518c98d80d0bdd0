/** Runs the built CLI (bin/gateway-shift.js -> dist/) as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const bin = join(repoRoot, 'bin', 'gateway-shift.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], opts: { input?: string; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? repoRoot,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A one-path ingress-nginx Ingress in namespace team for host <name>.example.com; `extra` goes into its metadata. */
export const ingressYaml = (name: string, extra = ''): string => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  namespace: team
${extra}spec:
  ingressClassName: nginx
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port:
                  number: 80
`;

/**
 * Like run, without blocking the event loop: for tests whose server (the test Kubernetes API
 * server) runs in the test process itself.
 */
export function runAsync(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', KUBECONFIG: undefined, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 60000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
