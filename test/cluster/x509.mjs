/**
 * Just enough X.509 to give the test API server a real certificate chain: a CA, a server
 * certificate for localhost/127.0.0.1 and client certificates, EC P-256 with ECDSA-SHA256.
 *
 * Node 20's node:crypto can make keys and sign, but cannot build certificates. Rather than add a
 * dependency or need an `openssl` binary on every machine that runs the tests, the DER of the
 * certificates is written here (RFC 5280 subset, ~150 lines) and signed with node:crypto. The
 * result is checked by Node's own X509Certificate and by every TLS handshake of the tests.
 * Test code only; nothing in src/ uses it.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

// ---------------------------------------------------------------------------------------------
// DER

function len(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag, ...content) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c) => tlv(0x30, ...c);
const set = (...c) => tlv(0x31, ...c);
const bool = (v) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b) => tlv(0x04, b);
const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'));
/** BIT STRING whose content is whole bytes. */
const bits = (b, unused = 0) => tlv(0x03, Buffer.from([unused]), b);

function integer(buf) {
  let i = 0;
  while (i < buf.length - 1 && buf[i] === 0) i++;
  let b = buf.subarray(i);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted) {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) stack.unshift(0x80 | (v & 0x7f));
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d) {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  const year = d.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(iso.slice(2) + 'Z')) : tlv(0x18, Buffer.from(iso + 'Z'));
}

/** KeyUsage bits (RFC 5280 4.2.1.3) as a DER BIT STRING. */
function keyUsage(bitsSet) {
  let v = 0;
  for (const b of bitsSet) v |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && !(v & (1 << unused))) unused++;
  return bits(Buffer.from([v]), unused);
}

const OID = {
  ecdsaSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

function name({ cn, o = [] }) {
  return seq(...o.map((org) => set(seq(oid(OID.organization), utf8(org)))), set(seq(oid(OID.commonName), utf8(cn))));
}

const extension = (id, critical, value) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function keyId(spkiDer) {
  // RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's value. For a P-256
  // SPKI the key is the last 65 bytes.
  return createHash('sha1').update(spkiDer.subarray(spkiDer.length - 65)).digest();
}

function pem(label, der) {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function derOfPem(p) {
  return Buffer.from(p.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

// ---------------------------------------------------------------------------------------------

/**
 * Issues a certificate. `issuer` is undefined for a self-signed CA.
 * @returns {{ cert: string, key: string }} PEM certificate and PKCS#8 key
 */
export function issue({ cn, o, ca = false, server = false, client = false, dns = [], ips = [], days = 2, issuer }) {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const exts = [extension(OID.basicConstraints, true, ca ? seq(bool(true)) : seq())];
  exts.push(extension(OID.keyUsage, true, keyUsage(ca ? [0, 5, 6] : [0])));
  const eku = [...(server ? [oid(OID.serverAuth)] : []), ...(client ? [oid(OID.clientAuth)] : [])];
  if (eku.length) exts.push(extension(OID.extKeyUsage, false, seq(...eku)));
  const san = [...dns.map((d) => tlv(0x82, Buffer.from(d))), ...ips.map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number))))];
  if (san.length) exts.push(extension(OID.subjectAltName, false, seq(...san)));
  exts.push(extension(OID.subjectKeyId, false, octets(keyId(spki))));
  const issuerSpki = issuer ? createPublicKey(issuer.cert).export({ type: 'spki', format: 'der' }) : spki;
  exts.push(extension(OID.authorityKeyId, false, seq(tlv(0x80, keyId(issuerSpki)))));

  const subjectName = name({ cn, o });
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    seq(oid(OID.ecdsaSha256)),
    issuer ? issuerName(issuer.cert) : subjectName,
    seq(time(new Date(now - 60 * 60 * 1000)), time(new Date(now + days * 24 * 60 * 60 * 1000))),
    subjectName,
    spki,
    tlv(0xa3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, issuer ? issuer.key : privateKey);
  const der = seq(tbs, seq(oid(OID.ecdsaSha256)), bits(signature));
  return { cert: pem('CERTIFICATE', der), key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** The subject Name of a certificate we issued, as DER (to become the issuer of another). */
function issuerName(certPem) {
  // Certificate > TBSCertificate > [version, serial, sigAlg, issuer, validity, subject]: walk the DER.
  const der = derOfPem(certPem);
  const children = (buf, start) => {
    // returns [{tag, start, end, contentStart}] of the constructed value starting at `start`
    const out = [];
    const { contentStart, end } = header(buf, start);
    for (let p = contentStart; p < end; ) {
      const h = header(buf, p);
      out.push({ start: p, end: h.end, contentStart: h.contentStart });
      p = h.end;
    }
    return out;
  };
  const tbs = children(der, 0)[0];
  const fields = children(der, tbs.start);
  const subject = fields[5];
  return der.subarray(subject.start, subject.end);
}

function header(buf, p) {
  let l = buf[p + 1];
  let q = p + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + buf[q + i];
    q += n;
  }
  return { contentStart: q, end: q + l };
}

/** A CA, a server certificate for localhost and 127.0.0.1, and a client certificate. */
export function createPki({ clientCn = 'gateway-shift-test', clientGroups = ['readers'] } = {}) {
  const ca = issue({ cn: 'gateway-shift test CA', ca: true });
  const server = issue({ cn: 'kube-apiserver', server: true, dns: ['localhost'], ips: ['127.0.0.1'], issuer: ca });
  const client = issue({ cn: clientCn, o: clientGroups, client: true, issuer: ca });
  return { ca, server, client };
}
