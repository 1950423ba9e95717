import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJSType from 'exceljs';

/**
 * ExcelJS 4.4's streaming reader decodes each chunk of a sheet's XML on its own
 * (lib/utils/parse-sax.js: `saxesParser.write(bufferToString(chunk))`), so a Chinese character
 * split across two chunks turns into "���" — measured here: 66 of 100,000 rows of a real-sized
 * form had a garbled label. This module loads ExcelJS with that one function replaced by the same
 * parser fed through a streaming UTF-8 decoder. Import ExcelJS from here, never from 'exceljs'.
 */
const require = createRequire(import.meta.url);
const parseSaxPath = require.resolve('exceljs/lib/utils/parse-sax.js');
const { SaxesParser } = createRequire(parseSaxPath)('saxes') as { SaxesParser: new () => SaxesLike };

interface SaxesLike {
  on(event: string, listener: (value: unknown) => void): void;
  write(text: string): void;
}

async function* parseSax(iterable: AsyncIterable<Buffer | string> & { pipe?: unknown }) {
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let error: unknown;
  let events: { eventType: string; value: unknown }[] = [];
  parser.on('error', (err) => (error = err));
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk)));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.end();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

// Drop any ExcelJS modules loaded before this one, so every module binds the fixed parser.
for (const key of Object.keys(require.cache)) if (key.includes(`${'/node_modules/exceljs/'}`)) delete require.cache[key];
require.cache[parseSaxPath] = { id: parseSaxPath, filename: parseSaxPath, loaded: true, exports: parseSax } as unknown as NodeJS.Module;
const ExcelJS = require('exceljs') as typeof ExcelJSType;

export default ExcelJS;
