/** Types of x509.mjs. */
import type { Pki } from './kube-api-server.mjs';

export function issue(o: { cn: string; o?: string[]; ca?: boolean; server?: boolean; client?: boolean; dns?: string[]; ips?: string[]; days?: number; issuer?: { cert: string; key: string } }): { cert: string; key: string };
export function createPki(o?: { clientCn?: string; clientGroups?: string[] }): Pki;
