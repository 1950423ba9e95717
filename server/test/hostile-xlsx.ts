import { deflateRawSync } from 'node:zlib';
import { FORM_COLUMNS, FORM_SHEET_NAME } from '../src/modules/registry/collection-form.ts';

/**
 * Hostile and legitimate collection forms built byte by byte, for the API tests and the hostile
 * imports benchmark: a real workbook layout (content types, workbook, relationships, one sheet and
 * a shared-strings table, the table first so that the streaming reader takes it in whole before the
 * sheet, as the bomb needs) whose table can be padded
 * to any inflated size, at a deflate ratio of about 60:1 — the issue's 4.8 MB upload inflating to
 * 277 MB — and whose declared size can lie.
 */
export interface HostileOptions {
  /** Rows of the sheet: each an array of cell texts under FORM_COLUMNS' headers. */
  rows?: string[][];
  /** Pad the shared-strings table to at least this many bytes inflated. */
  sharedStringsBytes?: number;
  /** Declare this uncompressed size for the shared-strings table instead of the true one (a lying directory). */
  declareSharedStrings?: number;
  /** Store the parts uncompressed (method 0): the cells' text then stands in the file as typed. */
  stored?: boolean;
  /** Break the sheet's XML (a tag closed that was never opened) after this many of `rows`: a file damaged mid-way. */
  damagedAfter?: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function column(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

export function buildCollectionForm(options: HostileOptions = {}): Buffer {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const rows = [FORM_COLUMNS.map((c) => c.header), ...(options.rows ?? [])];
  const sheetRows = rows.map((cells, r) => {
    const xml = cells.map((text, c) => (text === '' ? '' : `<c r="${column(c + 1)}${r + 1}" t="s"><v>${ref(text)}</v></c>`)).join('');
    return `<row r="${r + 1}">${xml}</row>${r === options.damagedAfter ? '</damaged>' : ''}`;
  });
  const sheet = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
  );
  const head = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}`,
  );
  const tail = Buffer.from('</sst>');
  const chunks: Buffer[] = [head];
  let size = head.length + tail.length;
  // Padding: strings no cell uses, with a little noise (a fixed LCG) so deflate gets about 60:1.
  let seed = 12345;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed >>> 16).toString(16);
  };
  for (let _i = 0; size < (options.sharedStringsBytes ?? 0); _i++) {
    let text = '';
    for (let k = 0; k < 64; k++) text += `<si><t>填充劳务协作脱贫综合信息服务平台${k % 4 ? k : noise()}</t></si>`;
    const chunk = Buffer.from(text);
    chunks.push(chunk);
    size += chunk.length;
  }
  chunks.push(tail);
  const sharedStrings = Buffer.concat(chunks);

  const files: { name: string; data: Buffer; declared?: number }[] = [
    {
      name: '[Content_Types].xml',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${FORM_SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
      ),
    },
    { name: 'xl/sharedStrings.xml', data: sharedStrings, declared: options.declareSharedStrings },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
  ];
  return zip(files, options.stored ?? false);
}

function zip(files: { name: string; data: Buffer; declared?: number }[], stored: boolean): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name, 'utf8');
    const compressed = stored ? f.data : deflateRawSync(f.data, { level: 9 });
    const method = stored ? 0 : 8;
    const crc = crc32(f.data);
    const size = f.declared ?? f.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x800, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(compressed.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + compressed.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(files.length, 8);
  eocd.writeUInt16LE(files.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
