/**
 * A tolerant zip lister for model archives. It reads the central directory (what PyTorch's miniz
 * and Python's zipfile use), including zip64 and prepended data, ignores flag bits and CRCs that
 * make strict readers give up (picklescan GHSA-w8jq-xcqf-f792, CVE-2025-10156), compares every
 * local header with its central entry (CVE-2025-1944), and ALSO looks for local headers that the
 * central directory does not list, so a member hidden from one reader is still scanned.
 */
import type { RandomAccess } from './randomAccess';
import type { SafetyVerdict } from './types';

/** One member as a loader would see it. */
export interface ZipEntry {
  /** Name from the central directory (or the local header for a local-only entry). */
  name: string;
  /** Name in the local header when it differs from `name`. */
  localName?: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  dataStart: number;
  /** `local-only`: present as a local header but missing from the central directory. */
  origin: 'central' | 'local-only';
}

export interface ZipFinding {
  verdict: SafetyVerdict;
  code: string;
  message: string;
  member?: string;
}

export interface ZipListing {
  entries: ZipEntry[];
  findings: ZipFinding[];
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOC = 0x07064b50;
const MAX_CENTRAL_DIR = 512 * 1024 * 1024;
const MAX_GAP_SCAN = 256 * 1024 * 1024;

function u64(b: Buffer, o: number): number {
  const v = b.readBigUInt64LE(o);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** True when the blob starts like a zip (local header or an empty archive's EOCD). */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && (head.readUInt32LE(0) === SIG_LOCAL || head.readUInt32LE(0) === SIG_EOCD);
}

interface Eocd {
  pos: number;
  entries: number;
  cdSize: number;
  cdOffset: number;
  /** Where the central directory must end (start of the zip64 or classic EOCD). */
  cdEnd: number;
}

/** True when the blob ends with a zip end-of-central-directory record whose directory is in the blob. */
export async function hasZipTrailer(ra: RandomAccess): Promise<boolean> {
  const e = await findEocd(ra);
  if (!e || e.entries === 0 || e.cdSize === 0 || e.cdSize > e.cdEnd) return false;
  // A chance "PK\x05\x06" in tensor bytes is not enough: the directory must start with a central header.
  for (const at of [e.cdOffset, e.cdEnd - e.cdSize]) {
    const sig = await ra.readAt(at, 4);
    if (sig.length === 4 && sig.readUInt32LE(0) === SIG_CENTRAL) return true;
  }
  return false;
}

async function findEocd(ra: RandomAccess): Promise<Eocd | undefined> {
  const tailLen = Math.min(ra.size, 22 + 65535 + 20);
  const tailStart = ra.size - tailLen;
  const tail = await ra.readAt(tailStart, tailLen);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== SIG_EOCD) continue;
    const commentLen = tail.readUInt16LE(i + 20);
    if (i + 22 + commentLen > tail.length) continue;
    const pos = tailStart + i;
    let entries = tail.readUInt16LE(i + 10);
    let cdSize = tail.readUInt32LE(i + 12);
    let cdOffset = tail.readUInt32LE(i + 16);
    let cdEnd = pos;
    if (pos >= 20) {
      const loc = await ra.readAt(pos - 20, 20);
      if (loc.length === 20 && loc.readUInt32LE(0) === SIG_EOCD64_LOC) {
        const z64pos = u64(loc, 8);
        const z = await ra.readAt(z64pos, 56);
        if (z.length === 56 && z.readUInt32LE(0) === SIG_EOCD64) {
          entries = u64(z, 32);
          cdSize = u64(z, 40);
          cdOffset = u64(z, 48);
          cdEnd = z64pos;
        }
      }
    }
    return { pos, entries, cdSize, cdOffset, cdEnd };
  }
  return undefined;
}

interface LocalHeader {
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  name: string;
  dataStart: number;
}

async function readLocalHeader(ra: RandomAccess, at: number): Promise<LocalHeader | undefined> {
  const h = await ra.readAt(at, 30);
  if (h.length < 30 || h.readUInt32LE(0) !== SIG_LOCAL) return undefined;
  const nameLen = h.readUInt16LE(26);
  const extraLen = h.readUInt16LE(28);
  const rest = await ra.readAt(at + 30, nameLen + extraLen);
  let compressedSize = h.readUInt32LE(18);
  let uncompressedSize = h.readUInt32LE(22);
  const extra = rest.subarray(nameLen);
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 0x0001 && len >= 16 && p + 4 + 16 <= extra.length) {
      if (uncompressedSize === 0xffffffff) uncompressedSize = u64(extra, p + 4);
      if (compressedSize === 0xffffffff) compressedSize = u64(extra, p + 12);
    }
    p += 4 + len;
  }
  return {
    flags: h.readUInt16LE(6),
    method: h.readUInt16LE(8),
    compressedSize,
    uncompressedSize,
    name: rest.subarray(0, nameLen).toString('utf8'),
    dataStart: at + 30 + nameLen + extraLen,
  };
}

/** Lists a zip's members as loaders see them, plus hidden local entries. Never throws on bad input. */
export async function listZip(ra: RandomAccess, maxMembers: number): Promise<ZipListing> {
  const findings: ZipFinding[] = [];
  const entries: ZipEntry[] = [];
  const eocd = await findEocd(ra);
  let scanEnd = ra.size;
  if (!eocd) {
    findings.push({ verdict: 'unknown', code: 'ZIP_NO_CENTRAL_DIRECTORY', message: 'no end-of-central-directory record: truncated or not a loadable zip; scanning local headers only' });
  } else {
    let cdStart = eocd.cdOffset;
    const probe = await ra.readAt(cdStart, 4);
    if (eocd.entries > 0 && (probe.length < 4 || probe.readUInt32LE(0) !== SIG_CENTRAL)) {
      // Python's zipfile tolerates data prepended to the archive by shifting every offset.
      const shifted = eocd.cdEnd - eocd.cdSize;
      const p2 = await ra.readAt(shifted, 4);
      if (p2.length === 4 && p2.readUInt32LE(0) === SIG_CENTRAL) cdStart = shifted;
      else findings.push({ verdict: 'unknown', code: 'ZIP_BAD_CENTRAL_DIRECTORY', message: 'central directory offset does not point at a central header' });
    }
    const delta = cdStart - eocd.cdOffset;
    scanEnd = Math.min(ra.size, cdStart);
    if (eocd.cdSize > MAX_CENTRAL_DIR) {
      findings.push({ verdict: 'unknown', code: 'ZIP_LIMIT', message: `central directory of ${eocd.cdSize} bytes exceeds the limit` });
    } else {
      const cd = await ra.readAt(cdStart, eocd.cdSize);
      let p = 0;
      while (p + 46 <= cd.length && cd.readUInt32LE(p) === SIG_CENTRAL) {
        if (entries.length >= maxMembers) {
          findings.push({ verdict: 'unknown', code: 'ZIP_LIMIT', message: `more than ${maxMembers} members; the rest were not checked` });
          break;
        }
        const flags = cd.readUInt16LE(p + 8);
        const method = cd.readUInt16LE(p + 10);
        let compressedSize = cd.readUInt32LE(p + 20);
        let uncompressedSize = cd.readUInt32LE(p + 24);
        const nameLen = cd.readUInt16LE(p + 28);
        const extraLen = cd.readUInt16LE(p + 30);
        const commentLen = cd.readUInt16LE(p + 32);
        let localHeaderOffset = cd.readUInt32LE(p + 42);
        const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
        const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
        for (let q = 0; q + 4 <= extra.length; ) {
          const id = extra.readUInt16LE(q);
          const len = extra.readUInt16LE(q + 2);
          if (id === 0x0001) {
            let r = q + 4;
            const end = Math.min(extra.length, q + 4 + len);
            if (uncompressedSize === 0xffffffff && r + 8 <= end) {
              uncompressedSize = u64(extra, r);
              r += 8;
            }
            if (compressedSize === 0xffffffff && r + 8 <= end) {
              compressedSize = u64(extra, r);
              r += 8;
            }
            if (localHeaderOffset === 0xffffffff && r + 8 <= end) localHeaderOffset = u64(extra, r);
          }
          q += 4 + len;
        }
        p += 46 + nameLen + extraLen + commentLen;
        const lho = localHeaderOffset + delta;
        const local = await readLocalHeader(ra, lho);
        if (!local) {
          findings.push({ verdict: 'unknown', code: 'ZIP_BAD_LOCAL_HEADER', message: 'central entry points at no local header', member: name });
          continue;
        }
        const entry: ZipEntry = { name, method, flags, compressedSize, uncompressedSize, localHeaderOffset: lho, dataStart: local.dataStart, origin: 'central' };
        if (local.name !== name) {
          entry.localName = local.name;
          findings.push({ verdict: 'suspicious', code: 'ZIP_NAME_MISMATCH', message: `local header names the member "${local.name}" but the central directory says "${name}" (readers disagree on what it is)`, member: name });
        }
        if (local.method !== method) {
          findings.push({ verdict: 'suspicious', code: 'ZIP_METHOD_MISMATCH', message: `local header compression method ${local.method} differs from the central directory's ${method}`, member: name });
        }
        if (flags & 1) findings.push({ verdict: 'suspicious', code: 'ZIP_ENCRYPTED_FLAG', message: 'member flagged as encrypted (bit 0): strict readers refuse it, PyTorch ignores it; scanned anyway', member: name });
        entries.push(entry);
      }
      if (entries.length < eocd.entries && entries.length < maxMembers) {
        findings.push({ verdict: 'unknown', code: 'ZIP_BAD_CENTRAL_DIRECTORY', message: `central directory lists ${entries.length} of ${eocd.entries} declared members` });
      }
    }
  }
  await findHiddenLocalEntries(ra, entries, findings, scanEnd, maxMembers);
  return { entries, findings };
}

/** Scans the bytes not covered by any listed member for local file headers. */
async function findHiddenLocalEntries(ra: RandomAccess, entries: ZipEntry[], findings: ZipFinding[], end: number, maxMembers: number): Promise<void> {
  const covered = entries.map((e) => [e.localHeaderOffset, e.dataStart + e.compressedSize] as const).sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let pos = 0;
  for (const [s, e] of covered) {
    if (s > pos) gaps.push([pos, Math.min(s, end)]);
    pos = Math.max(pos, e);
  }
  if (pos < end) gaps.push([pos, end]);
  let scanned = 0;
  for (const [gs, ge] of gaps) {
    for (let at = gs; at + 30 <= ge && entries.length < maxMembers; ) {
      const len = Math.min(ge - at, 1 << 20);
      if ((scanned += len) > MAX_GAP_SCAN) {
        findings.push({ verdict: 'unknown', code: 'ZIP_LIMIT', message: 'too much unlisted data between members to search for hidden entries' });
        return;
      }
      const chunk = await ra.readAt(at, len);
      const i = chunk.indexOf('PK\x03\x04', 0, 'latin1');
      if (i < 0) {
        at += Math.max(1, chunk.length - 3);
        continue;
      }
      const hdrAt = at + i;
      const local = await readLocalHeader(ra, hdrAt);
      if (!local) {
        at = hdrAt + 1;
        continue;
      }
      let csize = local.compressedSize;
      if ((local.flags & 8 && csize === 0) || local.dataStart + csize > ge) csize = Math.max(0, ge - local.dataStart);
      entries.push({
        name: local.name,
        method: local.method,
        flags: local.flags,
        compressedSize: csize,
        uncompressedSize: local.uncompressedSize,
        localHeaderOffset: hdrAt,
        dataStart: local.dataStart,
        origin: 'local-only',
      });
      findings.push({ verdict: 'suspicious', code: 'ZIP_HIDDEN_ENTRY', message: `local file header for "${local.name}" is not in the central directory (hidden from some readers, visible to others)`, member: local.name });
      at = Math.max(hdrAt + 1, local.dataStart + csize);
    }
  }
}
