// `npm start`: build the console when its sources changed, then run the server in this process.
import { ensureWebBuilt } from './web-build.mjs';
import { register } from 'tsx/esm/api';

await ensureWebBuilt();
register();
await import('../server/src/main.ts');
