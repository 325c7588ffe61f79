// `npm run storage:copy`: runs server/copy-storage.ts (SQLite data directory → PostgreSQL).
import { runServerScript } from './run-server-script.js';

await runServerScript('copy-storage');
