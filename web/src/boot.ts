import { askFirstRequests } from './app/first-requests.ts';
import { preloadPage } from './app/pages.ts';

/*
 * The console's entry, small on purpose: it starts fetching the page's own module (and its chunks)
 * and the shell together, so the page's code downloads while the shell's scripts do; and it asks
 * for the session's account (index.html preloads it) and then the page's first data
 * (first-requests.ts), so they arrive while the scripts download and run instead of after the
 * shell ran, the account answered and the page mounted.
 */
preloadPage(window.location.pathname);
askFirstRequests(window.location.pathname, window.location.search);
import('./main.tsx');
