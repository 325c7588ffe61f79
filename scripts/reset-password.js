// `npm run user:reset-password -- <login>`: runs server/reset-password.ts.
import { runServerScript } from './run-server-script.js';

await runServerScript('reset-password');
