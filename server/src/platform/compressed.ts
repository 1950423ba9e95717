import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Below this an answer goes as it is: compressing it would save less than it costs. */
const MIN_BYTES = 16 * 1024;

/**
 * A large JSON answer compressed when the client accepts it (brotli, else gzip). The API is not
 * compressed as a whole (static assets are, precompressed at build); a few answers are large
 * enough that on a village's 1.6 Mbit/s the wire is most of the wait — a village's offline
 * package of 2,000 cards is 1.4 MB of JSON (bench/field.bench.ts). The payload is serialized by
 * the route's own response schema first (reply.serialize), so only what the schema lets through
 * is sent, as for any other answer. Brotli at quality 5: near gzip's speed, a better ratio.
 */
export async function sendCompressedJson(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const body = reply.serialize(payload);
  reply.header('vary', 'accept-encoding').type('application/json; charset=utf-8');
  if (Buffer.byteLength(body) < MIN_BYTES) return reply.send(body);
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) {
    const out = await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    return reply.header('content-encoding', 'br').send(out);
  }
  if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(await gzipped(body));
  return reply.send(body);
}
