import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { hmacSm3 } from './crypto.ts';

/**
 * Files kept at rest encrypted (uploaded collection forms while their import is pending): SM4-CTR
 * with a random IV, then HMAC-SM3 over everything before it (encrypt-then-MAC, as crypto.ts does for
 * single values). CTR rather than crypto.ts's CBC because the ZIP reader needs random access (the
 * central directory is at the end of the file): any byte range decrypts on its own.
 *
 * Layout: "LWSEAL01" (8) ‖ IV (16) ‖ ciphertext (= plaintext length) ‖ HMAC-SM3 (32).
 * Written as it streams in (nothing in clear touches the disk), mode 0600, never overwritten.
 * The MAC is checked over the whole file before the first byte is given out.
 */
const MAGIC = Buffer.from('LWSEAL01');
const HEADER = MAGIC.length + 16;
const MAC_LENGTH = 32;
const BLOCK = 16;

export interface SealKeys {
  encryption: Buffer;
  mac: Buffer;
}

/** File keys derived from the SM4 key that encrypts identifiers, so no new secret is needed. */
export function sealKeysFrom(identifierKey: Buffer): SealKeys {
  return {
    encryption: hmacSm3(identifierKey, 'laowu:sealed-file:sm4').subarray(0, 16),
    mac: hmacSm3(identifierKey, 'laowu:sealed-file:mac'),
  };
}

/** Random-access bytes: a plain file, or a sealed one read through its decryption. */
export interface ByteSource {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  /** Bytes [start, end] (end inclusive), like fs.createReadStream. */
  stream(start?: number, end?: number): Readable;
  close(): Promise<void>;
}

/** A Writable that seals what is written to it into `path` (created 0600; fails if it exists). */
export function sealTo(keys: SealKeys, path: string): { writable: Writable; done: Promise<void> } {
  const iv = randomBytes(16);
  const cipher = createCipheriv('sm4-ctr', keys.encryption, iv);
  const mac = createHmac('sm3', keys.mac);
  const header = Buffer.concat([MAGIC, iv]);
  mac.update(header);
  let started = false;
  const sealer = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const out = cipher.update(chunk);
      mac.update(out);
      if (!started) {
        started = true;
        callback(null, Buffer.concat([header, out]));
      } else callback(null, out);
    },
    flush(callback) {
      const rest = cipher.final();
      mac.update(rest);
      const tail = Buffer.concat([started ? Buffer.alloc(0) : header, rest, mac.digest()]);
      callback(null, tail);
    },
  });
  const done = pipeline(sealer, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return { writable: sealer, done };
}

export class SealedFileError extends Error {}

/** The counter block for byte `position` of the plaintext: IV + position / 16 (mod 2^128). */
function counterAt(iv: Buffer, position: number): Buffer {
  const value = (BigInt(`0x${iv.toString('hex')}`) + BigInt(Math.floor(position / BLOCK))) & ((1n << 128n) - 1n);
  return Buffer.from(value.toString(16).padStart(32, '0'), 'hex');
}

function decipherAt(keys: SealKeys, iv: Buffer, position: number) {
  const decipher = createDecipheriv('sm4-ctr', keys.encryption, counterAt(iv, position));
  const skip = position % BLOCK;
  if (skip) decipher.update(Buffer.alloc(skip));
  return decipher;
}

async function readFully(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** Opens a sealed file after checking its MAC; throws SealedFileError when it is not one of ours or was altered. */
export async function openSealed(keys: SealKeys, path: string): Promise<ByteSource> {
  const fh = await open(path, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    if (fileSize < HEADER + MAC_LENGTH) throw new SealedFileError('not a sealed file');
    const header = await readFully(fh, 0, HEADER);
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new SealedFileError('not a sealed file');
    const iv = Buffer.from(header.subarray(MAGIC.length));
    const size = fileSize - HEADER - MAC_LENGTH;
    const mac = createHmac('sm3', keys.mac);
    mac.update(header);
    if (size > 0) for await (const chunk of createReadStream(path, { start: HEADER, end: HEADER + size - 1 })) mac.update(chunk as Buffer);
    const stored = await readFully(fh, HEADER + size, MAC_LENGTH);
    if (stored.length !== MAC_LENGTH || !timingSafeEqual(stored, mac.digest())) throw new SealedFileError('sealed file was altered');
    return {
      size,
      async read(position, length) {
        const end = Math.min(size, position + length);
        if (end <= position) return Buffer.alloc(0);
        const cipherText = await readFully(fh, HEADER + position, end - position);
        return decipherAt(keys, iv, position).update(cipherText);
      },
      stream(start = 0, end = size - 1) {
        const last = Math.min(end, size - 1);
        const decipher = decipherAt(keys, iv, start);
        const decrypt = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            callback(null, decipher.update(chunk));
          },
        });
        if (last < start) {
          decrypt.end();
          return decrypt;
        }
        const source = createReadStream(path, { start: HEADER + start, end: HEADER + last });
        source.on('error', (error) => decrypt.destroy(error));
        decrypt.on('close', () => source.destroy());
        return source.pipe(decrypt);
      },
      close: () => fh.close(),
    };
  } catch (error) {
    await fh.close();
    throw error;
  }
}

/** A plain file as a ByteSource (tests, the CLI's own files). */
export async function openPlain(path: string): Promise<ByteSource> {
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    size,
    read: (position, length) => readFully(fh, position, Math.max(0, Math.min(length, size - position))),
    stream: (start = 0, end = size - 1) => createReadStream(path, { start, end: Math.max(start, end) }),
    close: () => fh.close(),
  };
}
