import { StringDecoder } from 'node:string_decoder';
import { Transform, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { PART_LIMITS, partLimitFor, partTooLarge, type PartLimit } from './zip-guard.ts';

/**
 * ExcelJS 4.4's streaming reader decodes each chunk of a part's XML on its own
 * (lib/utils/parse-sax.js: `saxesParser.write(bufferToString(chunk))`), so a Chinese character
 * split across two chunks turns into "���" — measured here: 66 of 100,000 rows of a real-sized
 * form had a garbled label. Its parser passes strings through untouched, so the fix is to hand it
 * text decoded by a streaming UTF-8 decoder: `decodeUtf8For(reader)` wraps the two places where a
 * workbook reader feeds XML to the parser (worksheets and the shared strings table).
 */
async function* utf8Chunks(chunks: AsyncIterable<Buffer | string>, part: string, limits: readonly PartLimit[]): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const ceiling = partLimitFor(part, limits).max;
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (bytes > ceiling) throw partTooLarge(part, bytes, limits);
    const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk));
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

function utf8Stream(entry: Readable, part: string, limits: readonly PartLimit[]): Readable {
  const decoder = new StringDecoder('utf8');
  const ceiling = partLimitFor(part, limits).max;
  let bytes = 0;
  return entry.pipe(
    new Transform({
      readableObjectMode: true,
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > ceiling) {
          callback(partTooLarge(part, bytes, limits));
          return;
        }
        const text = decoder.write(chunk);
        callback(null, text || undefined);
      },
      flush(callback) {
        const rest = decoder.end();
        callback(null, rest || undefined);
      },
    }),
  );
}

interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
}

/**
 * Make this streaming workbook reader decode UTF-8 across chunk boundaries, and count the inflated
 * bytes of each worksheet and of the shared-strings table as they reach the XML parser: past the
 * part's ceiling (zip-guard.ts PART_LIMITS) the read fails with IMPORT_PART_TOO_LARGE, whatever
 * sizes the ZIP declared and whether or not zip-guard inflated it beforehand.
 */
export function decodeUtf8For<T>(reader: T, limits: readonly PartLimit[] = PART_LIMITS): T {
  const internals = reader as unknown as ReaderInternals;
  const parseWorksheet = internals._parseWorksheet;
  const parseSharedStrings = internals._parseSharedStrings;
  if (typeof parseWorksheet !== 'function' || typeof parseSharedStrings !== 'function') {
    throw new Error('ExcelJS streaming reader internals changed: re-check the UTF-8 fix in platform/excel/exceljs.ts');
  }
  internals._parseWorksheet = function (this: unknown, iterator, sheetNo) {
    return parseWorksheet.call(this, utf8Chunks(iterator, `xl/worksheets/sheet${sheetNo}.xml`, limits), sheetNo);
  };
  internals._parseSharedStrings = function (this: unknown, entry) {
    return parseSharedStrings.call(this, utf8Stream(entry, 'xl/sharedStrings.xml', limits));
  };
  return reader;
}

export default ExcelJS;
