// The campaign sender as a process of its own: `tsx server/src/tasks/sms-sender.main.ts [--until-done CAMPAIGN_ID]`.
// Configured like the server (DATABASE_URL, LAOWU_SMS_PROTOCOL, LAOWU_SMPP_* or LAOWU_CMPP_*); the kill-and-resume test runs it as a child and kills it with SIGKILL.
import { sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { connect } from '../db/database.ts';
import { createConfiguredGateway, gatewayConfigured, phoneIndexOf } from '../modules/sms/index.ts';
import { startSmsSender } from './sms-sender.ts';

const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL is required');
if (!gatewayConfigured(config.sms))
  throw new Error('LAOWU_SMPP_PASSWORD (or, with LAOWU_SMS_PROTOCOL=cmpp, LAOWU_CMPP_SECRET) is required');
const untilDone = process.argv.includes('--until-done') ? process.argv[process.argv.indexOf('--until-done') + 1] : undefined;
const handle = connect(config.databaseUrl, { max: 4 });
const gateway = createConfiguredGateway(config.sms, { reconnectMinMs: 100, reconnectMaxMs: 1000 });
const sender = await startSmsSender({
  db: handle.db,
  gateway,
  config: config.sms,
  identifierKey: config.secrets.identifierKey,
  phoneIndex: (phone) => phoneIndexOf(config, phone),
  idleMs: 100,
  settleGraceMs: Number(process.env.LAOWU_SMS_SETTLE_GRACE_MS || 2000),
});
process.stdout.write('sender started\n');
const stop = async () => {
  await sender.stop();
  await gateway.close();
  await handle.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
if (untilDone) {
  for (;;) {
    const { rows } = await sql<{ status: string }>`SELECT status FROM sms_campaign WHERE id = ${untilDone}`.execute(handle.db);
    if (rows[0]?.status !== 'sending') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
}
