export const CHROMIUM: string;
export const PLAYWRIGHT_DISABLED_FEATURES: string[];
export const OMNIBOX_POPUP_FEATURES: string[];
export function ensureChromium(): string;
export function chromiumLaunchOptions(options?: { omniboxPopup?: boolean }): { executablePath: string; headless: true; args: string[] };
