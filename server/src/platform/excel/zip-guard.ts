/**
 * Zip-bomb and "is this really an .xlsx" checks, done on the raw file BEFORE any XML parser or
 * inflater sees it (PKWARE APPNOTE.TXT 6.3: local file header 4.3.7, central directory 4.3.12,
 * end of central directory 4.3.16, ZIP64 4.3.14/4.3.15/4.5.3).
 *
 * 1. The file must start with a local file header `PK\x03\x04` (an old .xls / encrypted file
 *    starts with the OLE signature D0 CF 11 E0 and gets its own message).
 * 2. The End Of Central Directory record is located from the end of the file; ZIP64 markers
 *    (0xFFFF / 0xFFFFFFFF fields, the ZIP64 locator, the 0x0001 extra field) are refused — an
 *    .xlsx never needs them below 4 GB.
 * 3. Every central-directory entry's declared sizes are summed: total uncompressed above
 *    300 MB, or an entry whose ratio exceeds 200:1 (entries under 100 KB uncompressed are exempt
 *    from the ratio, like Apache POI's grace size) → IMPORT_ZIP_BOMB.
 * 4. The layout must be exactly what a sequential (streaming) unzipper will walk: each local
 *    header agrees with its central record (name, method, sizes), and the entries tile the file
 *    from offset 0 up to the central directory with no gap and no overlap — so there is nothing
 *    hidden for a streaming parser to inflate that this accounting did not see, and the
 *    overlapping-entries bomb is impossible.
 * 5. Optionally (default on) each deflated entry is inflated once, counting bytes and stopping
 *    as soon as it produces more than it declared — declared sizes are then facts, not claims.
 *    Nothing is inflated before steps 1–4 passed, and never more than the declared total.
 * 6. Every part has its own ceiling on its inflated size (PART_LIMITS below), checked on the size
 *    the central directory declares (step 3) and again on the bytes step 5 actually inflates (a
 *    directory can lie) → IMPORT_PART_TOO_LARGE naming the part. The ceilings matter because the
 *    reader holds some parts whole in memory: ExcelJS caches the entire shared-strings table as
 *    JavaScript strings (a 4.8 MB upload whose xl/sharedStrings.xml inflated to 277 MB, ratio 58:1,
 *    passed steps 1–5 and took the server's heap). The parsers count the bytes they are fed too
 *    (exceljs.ts), so a part can never be parsed past its ceiling whatever this check saw.
 *
 * The input is a path or a ByteSource (platform/sealed-file.ts: an upload kept encrypted at rest
 * is read through its decryption, never written out in clear).
 */
import { FormError } from './form-error.ts';
import { Readable } from 'node:stream';
import { openPlain, type ByteSource } from '../sealed-file.ts';
import { createInflateRaw, inflateRawSync } from 'node:zlib';

export type { ByteSource };
export type ZipInput = string | ByteSource;

const _KB = 1024;
const MiB = 1024 * 1024;

/** The ceiling on one part's inflated size, by its name in the package. */
export interface PartLimit {
  pattern: RegExp;
  max: number;
  /** How the part is named to the user, {name} replaced by its path. */
  label: string;
}

/**
 * Ceilings per part. Measured on the benchmark's 100,000-row collection form (bench/import.bench.ts,
 * 5.3–6.4 MB on disk): its sheet XML inflates to 57 MB with inline strings (46 MB with a shared
 * table of 6.1 MB, as Excel and WPS save it); the 200,000-row maximum doubles that. Hence:
 * - xl/sharedStrings.xml 32 MB: 5× the 100,000-row form's table, 2.6× a 200,000-row one's. It is
 *   the part held whole in memory (about 1.5–4 bytes of heap per byte of XML), so it is the
 *   tightest.
 * - each worksheet 200 MB: 3.5× the 100,000-row form's sheet; sheets are streamed row by row, the
 *   ceiling bounds the time spent parsing one. The whole package stays under 300 MB anyway.
 * - xl/styles.xml 16 MB (not parsed, only inflated: real files have 2 KB – 2 MB), the workbook,
 *   its relationships and [Content_Types].xml 8 MB (read whole), anything else (themes, images,
 *   properties) 32 MB.
 */
export const PART_LIMITS: readonly PartLimit[] = [
  { pattern: /^xl\/sharedStrings\.xml$/i, max: 32 * MiB, label: '共享字符串表（{name}）' },
  { pattern: /^xl\/worksheets\/[^/]+\.xml$/i, max: 200 * MiB, label: '工作表（{name}）' },
  { pattern: /^xl\/styles\.xml$/i, max: 16 * MiB, label: '样式表（{name}）' },
  { pattern: /^(xl\/workbook\.xml|\[Content_Types\]\.xml|.*\.rels)$/i, max: 8 * MiB, label: '工作簿目录（{name}）' },
  { pattern: /.*/, max: 32 * MiB, label: '条目 {name}' },
];

export function partLimitFor(name: string, limits: readonly PartLimit[] = PART_LIMITS): { max: number; label: string } {
  const limit = limits.find((l) => l.pattern.test(name)) ?? PART_LIMITS[PART_LIMITS.length - 1]!;
  return { max: limit.max, label: limit.label.replace('{name}', name) };
}

/** IMPORT_PART_TOO_LARGE for `name`, which inflates to at least `size` bytes. */
export function partTooLarge(name: string, size: number, limits: readonly PartLimit[] = PART_LIMITS): FormError {
  const { max, label } = partLimitFor(name, limits);
  return new FormError(
    'IMPORT_PART_TOO_LARGE',
    `文件中的${label}解压后${size > max ? `至少 ${fmtMb(size)}` : `为 ${fmtMb(size)}`}，超过 ${fmtMb(max)} 的上限，已拒绝处理。` +
      '采集表不需要这么大的内容：请只保留“劳动力资源信息采集表”的数据，用 Excel 或 WPS 另存为新的 .xlsx 后重新上传',
    { part: name, size, limit: max },
  );
}

export interface ZipLimits {
  /** Sum of declared uncompressed sizes. Default 300 MB. */
  maxTotalUncompressed: number;
  /** Uncompressed ÷ compressed for one entry. Default 200. */
  maxRatio: number;
  /** Entries up to this uncompressed size are exempt from the ratio check. Default 100 KB. */
  ratioGraceBytes: number;
  /** Default 10,000 (an .xlsx has a few dozen). */
  maxEntries: number;
  /** Inflate every entry once to confirm the declared sizes. Default true. */
  verifyInflatedSizes: boolean;
  /** Ceilings per part. Default PART_LIMITS. */
  partLimits: readonly PartLimit[];
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = {
  maxTotalUncompressed: 300 * 1024 * 1024,
  maxRatio: 200,
  ratioGraceBytes: 100 * 1024,
  maxEntries: 10_000,
  verifyInflatedSizes: true,
  partLimits: PART_LIMITS,
};

export interface ZipEntry {
  name: string;
  method: 0 | 8;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the compressed bytes start (after the local header, name and extra field). */
  dataOffset: number;
}

export interface ZipDirectory {
  fileSize: number;
  entries: ZipEntry[];
  totalUncompressed: number;
  /** Where the central directory begins: the local entries tile [0, centralDirectoryOffset) exactly. */
  centralDirectoryOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_DATA_DESCRIPTOR = 0x08074b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
const MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024;
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const MB = MiB;
const fmtMb = (n: number) => (n >= 10 * MB ? `${Math.round(n / MB)} MB` : `${(n / MB).toFixed(1)} MB`);

const notWorkbook = (message?: string, details?: Record<string, unknown>) => new FormError('IMPORT_NOT_A_WORKBOOK', message, details);
const damaged = (why: string) =>
  notWorkbook(`文件已损坏，不是有效的 Excel 工作簿（.xlsx）：${why}。请用 Excel 或 WPS 打开后另存为 .xlsx 再上传`, { reason: why });
const bomb = (message: string, details?: Record<string, unknown>) => new FormError('IMPORT_ZIP_BOMB', message, details);
const zip64 = () => bomb('文件使用了 ZIP64 超大文件格式，解压后可能超过 4 GB，已拒绝处理', { reason: 'zip64' });

const readAt = (source: ByteSource, position: number, length: number): Promise<Buffer> => source.read(position, length);

/** Runs `use` on the input as a ByteSource, opening (and closing) a plain file for a path. */
export async function withSource<T>(input: ZipInput, use: (source: ByteSource) => Promise<T>): Promise<T> {
  if (typeof input !== 'string') return use(input);
  let source: ByteSource;
  try {
    source = await openPlain(input);
  } catch (error) {
    throw notWorkbook('无法读取上传的文件', { reason: (error as Error).message });
  }
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}

/**
 * Reads and checks the ZIP structure of `path` without inflating anything (steps 1–4), then,
 * when `limits.verifyInflatedSizes`, confirms each entry's size by a bounded inflate (step 5).
 * Throws FormError IMPORT_NOT_A_WORKBOOK or IMPORT_ZIP_BOMB.
 */
export async function inspectZip(input: ZipInput, limits: Partial<ZipLimits> = {}): Promise<ZipDirectory> {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  return withSource(input, async (source) => {
    const dir = await readDirectory(source, lim);
    if (lim.verifyInflatedSizes) await verifyInflatedSizes(source, dir.entries, lim);
    return dir;
  });
}

async function readDirectory(fh: ByteSource, lim: ZipLimits): Promise<ZipDirectory> {
  const fileSize = fh.size;
  const head = await readAt(fh, 0, Math.min(8, fileSize));
  if (head.length >= 8 && head.equals(OLE_SIGNATURE)) {
    throw notWorkbook('这是旧版 Excel 97-2003（.xls）文件或加密的工作簿，请用 Excel 或 WPS 另存为 .xlsx（不设密码）后重新上传', {
      reason: 'ole',
    });
  }
  if (head.length < 4 || head.readUInt32LE(0) !== SIG_LOCAL) {
    throw notWorkbook(undefined, { reason: 'signature' });
  }
  if (fileSize < 30 + EOCD_MIN) throw damaged('文件过短');

  // --- End of central directory: the last PK\x05\x06 whose comment length reaches the end.
  const tailLength = Math.min(fileSize, EOCD_MIN + MAX_COMMENT);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(fh, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + EOCD_MIN + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('找不到压缩包目录（End of Central Directory）');
  const diskNumber = tail.readUInt16LE(eocd + 4);
  const cdDisk = tail.readUInt16LE(eocd + 6);
  const entriesOnDisk = tail.readUInt16LE(eocd + 8);
  const totalEntries = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  const eocdPosition = tailStart + eocd;
  if (
    totalEntries === 0xffff ||
    entriesOnDisk === 0xffff ||
    cdSize === 0xffffffff ||
    cdOffset === 0xffffffff ||
    (eocd >= 20 && tail.readUInt32LE(eocd - 20) === SIG_ZIP64_LOCATOR)
  ) {
    throw zip64();
  }
  if (diskNumber !== 0 || cdDisk !== 0 || entriesOnDisk !== totalEntries) throw damaged('分卷压缩包');
  if (totalEntries === 0) throw damaged('压缩包是空的');
  if (totalEntries > lim.maxEntries) {
    throw bomb(`文件包含 ${totalEntries} 个压缩条目，超过 ${lim.maxEntries} 个的上限，已拒绝处理`, {
      reason: 'entries',
      entries: totalEntries,
    });
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) throw bomb('文件的压缩目录过大，已拒绝处理', { reason: 'central-directory' });
  if (cdOffset + cdSize !== eocdPosition) throw damaged('压缩包目录位置不正确');

  // --- Central directory entries: declared sizes only, nothing inflated.
  const cd = await readAt(fh, cdOffset, cdSize);
  if (cd.length !== cdSize) throw damaged('压缩包目录不完整');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = 0;
  for (let n = 0; n < totalEntries; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw damaged('压缩包目录记录无效');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const compressedSize = cd.readUInt32LE(p + 20);
    const uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const startDisk = cd.readUInt16LE(p + 34);
    const localHeaderOffset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw damaged('压缩包目录记录越界');
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    if (
      compressedSize === 0xffffffff ||
      uncompressedSize === 0xffffffff ||
      localHeaderOffset === 0xffffffff ||
      startDisk === 0xffff ||
      hasExtraField(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), 0x0001)
    ) {
      throw zip64();
    }
    if (flags & 0x1 || flags & 0x40) {
      throw notWorkbook('工作簿已加密，请在 Excel 或 WPS 中取消密码后另存为 .xlsx 再上传', { reason: 'encrypted' });
    }
    if (method !== 0 && method !== 8) throw damaged(`不支持的压缩方式 ${method}`);
    if (method === 0 && compressedSize !== uncompressedSize) throw damaged(`条目 ${name} 的大小不一致`);
    if (names.has(name)) throw damaged(`压缩包中有重名条目 ${name}`);
    names.add(name);

    total += uncompressedSize;
    if (total > lim.maxTotalUncompressed) {
      throw bomb(
        `文件解压后超过 ${fmtMb(lim.maxTotalUncompressed)}（压缩包声明至少 ${fmtMb(total)}），疑似“压缩炸弹”，已拒绝处理。请删除多余的工作表、图片和空行后重新上传`,
        { reason: 'total-size', declaredUncompressed: total, limit: lim.maxTotalUncompressed },
      );
    }
    if (uncompressedSize > lim.ratioGraceBytes && uncompressedSize > compressedSize * lim.maxRatio) {
      const ratio = compressedSize === 0 ? Infinity : Math.round(uncompressedSize / compressedSize);
      throw bomb(
        `文件中的条目 ${name} 压缩比异常（${ratio === Infinity ? '无穷' : ratio}:1，上限 ${lim.maxRatio}:1），疑似“压缩炸弹”，已拒绝处理`,
        { reason: 'ratio', entry: name, compressedSize, uncompressedSize, limit: lim.maxRatio },
      );
    }
    if (uncompressedSize > partLimitFor(name, lim.partLimits).max) throw partTooLarge(name, uncompressedSize, lim.partLimits);
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset, dataOffset: -1 });
    p = end;
  }
  if (p !== cd.length) throw damaged('压缩包目录长度不一致');

  // --- Local headers: agree with the directory, and tile [0, cdOffset) exactly.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let expected = 0;
  for (const entry of byOffset) {
    if (entry.localHeaderOffset !== expected) {
      throw bomb(
        entry.localHeaderOffset < expected
          ? '文件中的压缩条目相互重叠（一种“压缩炸弹”手法），已拒绝处理'
          : '文件中有压缩目录之外的隐藏数据，已拒绝处理',
        { reason: entry.localHeaderOffset < expected ? 'overlap' : 'gap', entry: entry.name },
      );
    }
    const local = await readAt(fh, entry.localHeaderOffset, 30);
    if (local.length !== 30 || local.readUInt32LE(0) !== SIG_LOCAL) throw damaged(`条目 ${entry.name} 的文件头无效`);
    const localFlags = local.readUInt16LE(6);
    const localMethod = local.readUInt16LE(8);
    const localCompressed = local.readUInt32LE(18);
    const localUncompressed = local.readUInt32LE(22);
    const nameLength = local.readUInt16LE(26);
    const extraLength = local.readUInt16LE(28);
    const nameAndExtra = await readAt(fh, entry.localHeaderOffset + 30, nameLength + extraLength);
    const localName = nameAndExtra.subarray(0, nameLength).toString(localFlags & 0x800 ? 'utf8' : 'latin1');
    if (localName !== entry.name || localMethod !== entry.method) throw damaged(`条目 ${entry.name} 的文件头与目录不一致`);
    if (hasExtraField(nameAndExtra.subarray(nameLength), 0x0001) || localCompressed === 0xffffffff || localUncompressed === 0xffffffff) {
      throw zip64();
    }
    const hasDescriptor = (localFlags & 0x8) !== 0;
    if (!hasDescriptor && (localCompressed !== entry.compressedSize || localUncompressed !== entry.uncompressedSize)) {
      throw damaged(`条目 ${entry.name} 的大小与目录不一致`);
    }
    entry.dataOffset = entry.localHeaderOffset + 30 + nameLength + extraLength;
    expected = entry.dataOffset + entry.compressedSize;
    if (hasDescriptor) {
      const descriptor = await readAt(fh, expected, 16);
      const signed = descriptor.length >= 4 && descriptor.readUInt32LE(0) === SIG_DATA_DESCRIPTOR;
      const base = signed ? 4 : 0;
      if (descriptor.length < base + 12) throw damaged(`条目 ${entry.name} 的数据描述符不完整`);
      if (descriptor.readUInt32LE(base + 4) !== entry.compressedSize || descriptor.readUInt32LE(base + 8) !== entry.uncompressedSize) {
        throw damaged(`条目 ${entry.name} 的数据描述符与目录不一致`);
      }
      expected += base + 12;
    }
    if (expected > cdOffset) throw damaged(`条目 ${entry.name} 超出文件范围`);
  }
  if (expected !== cdOffset) {
    throw bomb('文件中有压缩目录之外的隐藏数据，已拒绝处理', { reason: 'gap' });
  }
  return { fileSize, entries, totalUncompressed: total, centralDirectoryOffset: cdOffset };
}

function hasExtraField(extra: Buffer, headerId: number): boolean {
  let p = 0;
  while (p + 4 <= extra.length) {
    const id = extra.readUInt16LE(p);
    const size = extra.readUInt16LE(p + 2);
    if (id === headerId) return true;
    p += 4 + size;
  }
  return false;
}

/**
 * Step 5: each deflated entry must inflate to exactly its declared size. Inflating stops one byte
 * past the part's ceiling (which is at least its declared size, step 3 saw to that): an entry that
 * inflates beyond the ceiling is IMPORT_PART_TOO_LARGE, one that merely outgrew its claim a bomb.
 */
async function verifyInflatedSizes(source: ByteSource, entries: ZipEntry[], lim: ZipLimits): Promise<void> {
  for (const entry of entries) {
    if (entry.method !== 8) continue;
    const ceiling = partLimitFor(entry.name, lim.partLimits).max;
    const produced = await inflatedSize(source, entry, Math.max(ceiling, entry.uncompressedSize));
    if (produced > ceiling) throw partTooLarge(entry.name, produced, lim.partLimits);
    if (produced > entry.uncompressedSize) {
      throw bomb(`文件中的条目 ${entry.name} 实际解压大小超过其声明的大小，疑似“压缩炸弹”，已拒绝处理`, {
        reason: 'size-mismatch',
        entry: entry.name,
      });
    }
    if (produced !== entry.uncompressedSize) throw damaged(`条目 ${entry.name} 的解压大小与声明不一致`);
  }
}

/** Inflates one entry, counting output; gives up as soon as more than `stopAfter` bytes came out. */
function inflatedSize(file: ByteSource, entry: ZipEntry, stopAfter: number): Promise<number> {
  if (entry.compressedSize === 0) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const source = file.stream(entry.dataOffset, entry.dataOffset + entry.compressedSize - 1);
    const inflater = createInflateRaw();
    let count = 0;
    let settled = false;
    const finish = (error: Error | null, value?: number) => {
      if (settled) return;
      settled = true;
      source.destroy();
      inflater.destroy();
      if (error) reject(error);
      else resolve(value ?? count);
    };
    inflater.on('data', (chunk: Buffer) => {
      count += chunk.length;
      if (count > stopAfter) finish(null, count);
    });
    inflater.on('end', () => finish(null, count));
    inflater.on('error', () => finish(damaged(`条目 ${entry.name} 无法解压`)));
    source.on('error', (error) => finish(error));
    source.pipe(inflater);
  });
}

/**
 * Inflates one small entry into memory (workbook.xml, its relationships), refusing anything above
 * `maxBytes` uncompressed. Call only on entries returned by inspectZip.
 */
export async function readZipEntry(input: ZipInput, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    throw bomb(`文件中的条目 ${entry.name} 过大，已拒绝处理`, { reason: 'entry-size', entry: entry.name });
  }
  return withSource(input, async (fh) => {
    const raw = await readAt(fh, entry.dataOffset, entry.compressedSize);
    if (raw.length !== entry.compressedSize) throw damaged(`条目 ${entry.name} 不完整`);
    if (entry.method === 0) return raw;
    try {
      return inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch {
      throw damaged(`条目 ${entry.name} 无法解压`);
    }
  });
}

/**
 * The same ZIP's local entries in another order, byte for byte (header, data, any data
 * descriptor), nothing inflated or compressed again, for a reader that parses in one pass. The
 * directory checked above guarantees the entries tile [0, centralDirectoryOffset), so each is the
 * range up to the next one. Entries of equal rank keep their order.
 */
export function reorderedEntries(source: ByteSource, dir: ZipDirectory, rank: (name: string) => number): Readable {
  const byOffset = [...dir.entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const ranges = byOffset.map((e, i) => ({
    name: e.name,
    start: e.localHeaderOffset,
    end: (byOffset[i + 1]?.localHeaderOffset ?? dir.centralDirectoryOffset) - 1,
  }));
  const ordered = ranges.map((r, i) => ({ ...r, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i);
  return Readable.from(
    (async function* () {
      for (const r of ordered) if (r.end >= r.start) yield* source.stream(r.start, r.end);
    })(),
    { objectMode: false },
  );
}
