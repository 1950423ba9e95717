// `npm test`: every test — unit, API against a real PostgreSQL, and browser flows in chromium.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureWebBuilt } from './web-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Biome (formatter and linter, biome.json) first: a tree that is not formatted or has a lint
// error fails the suite before any test runs. `npm run format` fixes what it can.
const biome = spawnSync(process.execPath, [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'check', '--error-on-warnings', '.'], {
  cwd: root,
  stdio: 'inherit',
});
if (biome.status !== 0) {
  console.error('Biome: the tree is not formatted or has lint errors (npm run format, then fix the rest)');
  process.exit(biome.status ?? 1);
}
ensureChromium();
await ensureWebBuilt();
const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
