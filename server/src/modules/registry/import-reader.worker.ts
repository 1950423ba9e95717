/**
 * The import's reader thread (import-reader.ts): opens the sealed upload, reads its rows with the
 * collection form's reader (the registry's mapping and format when it is a registry file), seals
 * each valid row's identifiers and sends the rows in chunks, at most CHUNKS_AHEAD ahead of the
 * main thread. A file-level error is sent after the rows read before it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ByteSource } from '../../platform/sealed-file.ts';
import { readCollectionForm, type FormRow, type ReadCollectionFormOptions } from './collection-form.ts';
import {
  CHUNK_ROWS,
  CHUNKS_AHEAD,
  errorMessage,
  openUpload,
  SEAL_AHEAD_SHARE,
  sealRows,
  type ReaderJob,
  type ReaderMessage,
  type ReaderRequest,
} from './import-reader.ts';
import { scanCsv } from './registry-csv.ts';
import { readOptionsFor } from './registry-mapping.ts';

const { job } = workerData as { job: ReaderJob };
const port = parentPort!;
const post = (m: ReaderMessage) => port.postMessage(m);

let credit = CHUNKS_AHEAD;
let sealCards = true;
let resume: (() => void) | null = null;
port.on('message', (m: ReaderRequest) => {
  if (m.type === 'fresh') {
    sealCards = m.share >= SEAL_AHEAD_SHARE;
    return;
  }
  credit++;
  resume?.();
  resume = null;
});

async function send(rows: FormRow[]) {
  while (credit <= 0)
    await new Promise<void>((resolve) => {
      resume = resolve;
    });
  credit--;
  post({ type: 'rows', rows: sealRows(job.keys, rows, sealCards) });
}

const options: ReadCollectionFormOptions = {
  onSheet: (info) => post({ type: 'sheet', columns: info.columns }),
  ...(job.registry ? { ...readOptionsFor(job.registry.columns), ...(job.registry.format === 'csv' ? { scan: scanCsv } : {}) } : {}),
};

let source: ByteSource | null = null;
let chunk: FormRow[] = [];
try {
  source = await openUpload(job.sealKeys, job.filePath);
  for await (const row of readCollectionForm(source, options)) {
    chunk.push(row);
    if (chunk.length >= CHUNK_ROWS) {
      await send(chunk);
      chunk = [];
    }
  }
  if (chunk.length) await send(chunk);
  post({ type: 'end' });
} catch (error) {
  if (chunk.length) await send(chunk);
  post({ type: 'error', error: errorMessage(error) });
} finally {
  await source?.close().catch(() => undefined);
}
