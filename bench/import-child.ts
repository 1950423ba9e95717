import path from 'node:path';
import { loadConfig } from '../server/src/config.ts';
import { connect } from '../server/src/db/database.ts';
import { createAuditLog } from '../server/src/platform/audit.ts';
import { createLaborersService } from '../server/src/modules/registry/index.ts';
import { employmentFacts } from '../server/src/modules/employment/index.ts';
import { createLaborerImports } from '../server/src/modules/registry/index.ts';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../server/src/platform/actor.ts';

/**
 * The import benchmark's measured part, alone in its own process (bench/import.bench.ts starts it
 * with the database and the form ready): the import end to end and its peak RSS, which in the
 * bench's own process also counted what the earlier benchmarks had left on its heap. Prints one
 * line of JSON.
 */
const { url, file, dataDir } = JSON.parse(process.argv[2]!) as { url: string; file: string; dataDir: string };
const config = loadConfig({ ...process.env, LAOWU_DATA_DIR: dataDir, DATABASE_URL: url });
const handle = connect(url, { max: 4 });
try {
  const audit = createAuditLog(config.secrets.auditKey);
  const laborers = createLaborersService({ config, audit, employment: employmentFacts });
  const imports = createLaborerImports({ config: { ...config, dataDir: path.dirname(file) }, db: handle.db, audit, laborers });
  const account = await handle.db.selectFrom('account').selectAll().where('username', '=', 'xinshao_admin').executeTakeFirstOrThrow();
  const actor: Actor = {
    id: String(account.id),
    username: account.username,
    displayName: account.display_name,
    role: 'admin',
    regionCode: '430522',
    regionLevel: 3,
    hostRegionCode: null,
    totpEnabled: false,
    ip: 'bench',
  };
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  const id = await imports.start(actor, 'bench.xlsx', (target) => pipeline(createReadStream(file), target), 'partial', { wait: true });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const status = await imports.status(actor, id);
  process.stdout.write(
    `${JSON.stringify({ seconds, processed: status.processed, accepted: status.accepted, rejected: status.rejected, before, peak })}\n`,
  );
} finally {
  await handle.close();
}
