import { preloadPage } from './app/pages.ts';

/*
 * The console's entry, small on purpose: it starts fetching the page's own module (and its chunks)
 * and the shell together, so the page's code downloads while the shell's scripts do and /auth/me is
 * in flight (index.html preloads that), instead of after the shell ran and /auth/me answered.
 */
preloadPage(window.location.pathname);
import('./main.tsx');
