// `npm run workshop:export -- <id>` and `npm run workshop:import -- <file>`: runs server/workshop-file.ts.
import { runServerScript } from './run-server-script.js';

await runServerScript('workshop-file');
