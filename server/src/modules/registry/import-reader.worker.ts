/**
 * The import's reader thread (import-reader.ts), one file at a time: opens the sealed upload, reads
 * its rows with the collection form's reader (the registry's mapping and format when it is a
 * registry file), seals each valid row's identifiers and sends the rows in chunks, at most
 * CHUNKS_AHEAD ahead of the main thread. A file-level error is sent after the rows read before it.
 * Between files it waits for the next (import-reader.ts keeps it ready).
 */
import { parentPort } from 'node:worker_threads';
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

const port = parentPort!;
const post = (m: ReaderMessage) => port.postMessage(m);

/** The file being read: its number, how many more chunks may be sent, whether new cards' identifiers are sealed ahead. */
let current = { id: 0, credit: 0, sealCards: true };
let resume: (() => void) | null = null;
port.on('message', (m: ReaderRequest) => {
  if (m.type === 'job') {
    current = { id: m.id, credit: CHUNKS_AHEAD, sealCards: true };
    void read(m.job, current);
    return;
  }
  // A hint or a credit for a file read before is dropped.
  if (m.id !== current.id) return;
  if (m.type === 'fresh') current.sealCards = m.share >= SEAL_AHEAD_SHARE;
  else {
    current.credit++;
    resume?.();
    resume = null;
  }
});

async function read(job: ReaderJob, state: typeof current) {
  const send = async (rows: FormRow[]) => {
    while (state.credit <= 0)
      await new Promise<void>((resolve) => {
        resume = resolve;
      });
    state.credit--;
    post({ type: 'rows', rows: sealRows(job.keys, rows, state.sealCards) });
  };
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
    await source.close();
    source = null;
    post({ type: 'end' });
  } catch (error) {
    await source?.close().catch(() => undefined);
    if (chunk.length) await send(chunk);
    post({ type: 'error', error: errorMessage(error) });
  }
}
