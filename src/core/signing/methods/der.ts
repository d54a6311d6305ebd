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
  const ku = certificateExtensions(certDer).get(OID_KEY_USAGE.toString('hex'));
  if (!ku) return undefined;
  const bits = readElement(ku.value, 0);
  if (bits.tag !== TAG_BIT_STRING || bits.value.length < 1) throw new RangeError('DER: KeyUsage is not a BIT STRING');
  // value[0] = number of unused bits; digitalSignature is bit 0 = MSB of the first content byte.
  return bits.value.length >= 2 && (bits.value[1] & 0x80) !== 0;
}
