/**
 * A tiny bounds-checked DER reader: just enough to walk a certificate to its extensions, because
 * node:crypto's X509Certificate does not expose KeyUsage bits. Every read is checked against the
 * enclosing element; malformed input throws RangeError, never reads outside the buffer.
 */

/** One DER element: tag byte, and the value bytes as a view into the original buffer. */
export interface DerElement {
  tag: number;
  value: Buffer;
  /** Offset just past this element in the buffer it was read from. */
  end: number;
}

/** Reads the element starting at `offset` of `buf`. Only definite lengths (DER) are accepted. */
export function readElement(buf: Buffer, offset: number): DerElement {
  if (offset + 2 > buf.length) throw new RangeError('DER: truncated header');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: multi-byte tags are not supported');
  let len = buf[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('DER: unsupported length encoding');
    if (pos + n > buf.length) throw new RangeError('DER: truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i];
    pos += n;
  }
  if (pos + len > buf.length) throw new RangeError('DER: element longer than its container');
  return { tag, value: buf.subarray(pos, pos + len), end: pos + len };
}

/** All direct children of a constructed element's value. */
export function readChildren(value: Buffer): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < value.length) {
    const el = readElement(value, offset);
    out.push(el);
    offset = el.end;
  }
  return out;
}

const TAG_SEQUENCE = 0x30;
const TAG_OID = 0x06;
const TAG_BOOLEAN = 0x01;
const TAG_OCTET_STRING = 0x04;
const TAG_BIT_STRING = 0x03;
const TAG_EXTENSIONS = 0xa3; // [3] EXPLICIT in TBSCertificate

/** DER content bytes of OID 2.5.29.15 (id-ce-keyUsage). */
const OID_KEY_USAGE = Buffer.from([0x55, 0x1d, 0x0f]);

/** Raw extension values (the OCTET STRING content) of a DER certificate, keyed by OID bytes in hex. */
export function certificateExtensions(certDer: Buffer): Map<string, { critical: boolean; value: Buffer }> {
  const cert = readElement(certDer, 0);
  if (cert.tag !== TAG_SEQUENCE) throw new RangeError('DER: certificate is not a SEQUENCE');
  const tbs = readChildren(cert.value)[0];
  if (!tbs || tbs.tag !== TAG_SEQUENCE) throw new RangeError('DER: missing TBSCertificate');
  const result = new Map<string, { critical: boolean; value: Buffer }>();
  const extWrapper = readChildren(tbs.value).find((e) => e.tag === TAG_EXTENSIONS);
  if (!extWrapper) return result;
  const extSeq = readElement(extWrapper.value, 0);
  if (extSeq.tag !== TAG_SEQUENCE) throw new RangeError('DER: extensions are not a SEQUENCE');
  for (const ext of readChildren(extSeq.value)) {
    if (ext.tag !== TAG_SEQUENCE) throw new RangeError('DER: extension is not a SEQUENCE');
    const parts = readChildren(ext.value);
    if (parts.length < 2 || parts[0].tag !== TAG_OID) throw new RangeError('DER: malformed extension');
    const critical = parts.length === 3 && parts[1].tag === TAG_BOOLEAN && parts[1].value[0] !== 0;
    const octets = parts[parts.length - 1];
    if (octets.tag !== TAG_OCTET_STRING) throw new RangeError('DER: extension value is not an OCTET STRING');
    result.set(parts[0].value.toString('hex'), { critical, value: octets.value });
  }
  return result;
}

/**
 * The KeyUsage digitalSignature bit of a DER certificate: true/false when the extension is
 * present, undefined when it is absent.
 */
export function keyUsageDigitalSignature(certDer: Buffer): boolean | undefined {
  return keyUsageBit(certificateExtensions(certDer), 0);
}

/** KeyUsage bit `n` (0 = digitalSignature, 5 = keyCertSign) or undefined without the extension. */
function keyUsageBit(exts: Map<string, { critical: boolean; value: Buffer }>, n: number): boolean | undefined {
  const ku = exts.get(OID_KEY_USAGE.toString('hex'));
  if (!ku) return undefined;
  const bits = readElement(ku.value, 0);
  if (bits.tag !== TAG_BIT_STRING || bits.value.length < 1) throw new RangeError('DER: KeyUsage is not a BIT STRING');
  // value[0] = number of unused bits; bit n is bit (7 - n % 8) of content byte 1 + n / 8.
  const byte = 1 + (n >> 3);
  return bits.value.length > byte && (bits.value[byte] & (0x80 >> (n & 7))) !== 0;
}

const OID_BASIC_CONSTRAINTS = '551d13';
const OID_EXT_KEY_USAGE = '551d25';
const TAG_INTEGER = 0x02;

/**
 * Extensions whose criticality TrustLens may accept: the ones the chain check evaluates (KeyUsage,
 * BasicConstraints, EKU) and ones that do not restrict what a certificate may sign for this use
 * (SubjectAltName, key identifiers, certificate policies, as OpenSSL without a policy set).
 */
const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set(['551d0f', OID_BASIC_CONSTRAINTS, OID_EXT_KEY_USAGE, '551d11', '551d0e', '551d23', '551d20']);

/** The X.509 facts the certificate-method chain check needs, read from the DER. */
export interface CertificateConstraints {
  /** KeyUsage digitalSignature / keyCertSign; undefined when there is no KeyUsage extension. */
  digitalSignature?: boolean;
  keyCertSign?: boolean;
  /** BasicConstraints pathLenConstraint, when present. */
  pathLen?: number;
  /** True when the certificate has an ExtendedKeyUsage extension (its OIDs come from X509Certificate.keyUsage). */
  hasExtKeyUsage: boolean;
  /** Dotted OIDs of critical extensions TrustLens does not understand (RFC 5280 §4.2: must reject). */
  unknownCritical: string[];
}

/** Reads KeyUsage, BasicConstraints pathLen, EKU presence and unknown critical extensions. Throws RangeError on bad DER. */
export function certificateConstraints(certDer: Buffer): CertificateConstraints {
  const exts = certificateExtensions(certDer);
  let pathLen: number | undefined;
  const bc = exts.get(OID_BASIC_CONSTRAINTS);
  if (bc) {
    const seq = readElement(bc.value, 0);
    if (seq.tag !== TAG_SEQUENCE) throw new RangeError('DER: BasicConstraints is not a SEQUENCE');
    const n = readChildren(seq.value).find((e) => e.tag === TAG_INTEGER);
    if (n) {
      if (n.value.length === 0 || n.value.length > 4 || n.value[0] & 0x80) throw new RangeError('DER: bad pathLenConstraint');
      pathLen = n.value.reduce((acc, b) => acc * 256 + b, 0);
    }
  }
  const unknownCritical = [...exts].filter(([oid, e]) => e.critical && !UNDERSTOOD_EXTENSIONS.has(oid)).map(([oid]) => oidToDotted(Buffer.from(oid, 'hex')));
  return { digitalSignature: keyUsageBit(exts, 0), keyCertSign: keyUsageBit(exts, 5), pathLen, hasExtKeyUsage: exts.has(OID_EXT_KEY_USAGE), unknownCritical };
}

function oidToDotted(b: Buffer): string {
  if (b.length === 0) return '';
  const out = [Math.floor(Math.min(b[0], 80) / 40), b[0] >= 80 ? b[0] - 80 : b[0] % 40];
  let v = 0;
  for (let i = 1; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      out.push(v);
      v = 0;
    }
  }
  return out.join('.');
}
