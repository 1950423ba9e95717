// The browser tests drive Debian's chromium. A fresh machine may lack it: install it when we can.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';

export const CHROMIUM = process.env.LAOWU_CHROMIUM || '/usr/bin/chromium';

export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const root = userInfo().uid === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`browser tests need Debian's chromium at ${CHROMIUM}: run "sudo apt-get install -y chromium" (or set LAOWU_CHROMIUM)`);
  }
  console.log('[laowu] installing Debian chromium for the browser tests…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-cjk']]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
  return CHROMIUM;
}
