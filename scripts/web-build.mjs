import { existsSync, readdirSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'web', 'dist');
const stamp = path.join(dist, '.sources-digest');

/** A digest of the console's sources (and the contracts it imports): rebuild only when it changes. */
function sourcesDigest() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'dist' || entry === 'node_modules') continue;
      const full = path.join(dir, entry);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else hash.update(path.relative(root, full)).update(readFileSync(full));
    }
  };
  walk(path.join(root, 'web'));
  walk(path.join(root, 'contracts'));
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  // And how it is built: a change here (say, the precompression) rebuilds too.
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

/**
 * Brotli and gzip beside each text asset, once per build: the server sends the one the browser
 * accepts (@fastify/static preCompressed) instead of antd's 1.2 MB of JavaScript as it is, and
 * compresses nothing per request.
 */
function precompress(dir) {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) {
      precompress(full);
      continue;
    }
    if (!/\.(js|mjs|css|html|svg|json|txt|webmanifest)$/.test(entry) || stat.size < 1024) continue;
    const content = readFileSync(full);
    writeFileSync(
      `${full}.br`,
      brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: content.length } }),
    );
    writeFileSync(`${full}.gz`, gzipSync(content, { level: 9 }));
  }
}

export async function ensureWebBuilt({ quiet = false } = {}) {
  const digest = sourcesDigest();
  const built = ['index.html', 'm.html', 'field.html'].every((page) => existsSync(path.join(dist, page)));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && built) return false;
  if (!quiet) console.log('[laowu] 构建 Web 控制台（仅在源码变化后）…');
  // The console first (it empties dist/), then the laborer's page (/m, m.html) and the field
  // officer's (/field, field.html): each its own entry and target, into the same dist/.
  for (const config of ['web/vite.config.ts', 'web/vite.mobile.config.ts', 'web/vite.field.config.ts']) {
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (result.status !== 0) throw new Error(`web build failed (${config})`);
  }
  precompress(dist);
  writeFileSync(stamp, digest);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await ensureWebBuilt();
