// The browser tests drive Debian's chromium. A fresh machine may lack it: install it when we can.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';

export const CHROMIUM = process.env.LAOWU_CHROMIUM || '/usr/bin/chromium';

/**
 * The features playwright-core (1.65) turns off in every chromium it launches. Chromium keeps only the
 * last `--disable-features` on its command line, so ours must repeat playwright's list to add to it;
 * e2e/chromium-args.test.ts fails when playwright's own list grows beyond this one.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Chromium 15x draws the address bar's suggestion list as a WebUI page and preloads it, in a renderer
 * of its own, for every new window — and a playwright browser context is a new window. Measured on
 * this machine (2 cores): that renderer spends 0.7–1.0 s of CPU during each page load the tests and
 * the benchmarks make, beside the page's own 0.7–0.9 s, and the console page's load took 0.93–1.90 s
 * instead of 0.67–0.92 s (/sms, 8 and 6 loads). A user's browser preloads it once per window, not per
 * page. Puppeteer turns both off by default since its PR #15278.
 */
export const OMNIBOX_POPUP_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

/**
 * The options every browser test and browser benchmark launches chromium with. `omniboxPopup: true`
 * leaves chromium's preloaded popup and playwright's own feature list as they are: the console pages
 * bench's baseline.
 */
export function chromiumLaunchOptions({ omniboxPopup = false } = {}) {
  return {
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(omniboxPopup ? [] : [`--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OMNIBOX_POPUP_FEATURES].join(',')}`]),
    ],
  };
}

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
