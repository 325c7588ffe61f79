// The WAL's checkpointer thread (server/storage/sqlite-checkpointer.ts starts it). A checkpoint
// copies the WAL into the database file and fsyncs both: two more fsyncs, and on a slow disk two
// more waits. SQLite's automatic checkpoint would run them inside whichever commit crossed the
// threshold, holding that commit's edits back; here they run on a connection of their own, beside
// the writer's commits (a PASSIVE checkpoint never takes the write lock, so neither waits for the
// other), and the writer and main connections never checkpoint (wal_autocheckpoint=0).
// Plain JavaScript for the same reason as sqlite-writer-worker.js: a worker thread loads this file
// as it is, from the sources and from build/ (copied by scripts/build-server.js).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string; busyTimeoutMs: number; intervalMs: number }} */
const { file, busyTimeoutMs, intervalMs } = workerData;

const db = new Database(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
// FULL: the database file is synced before the WAL is reused, as the writer's commits require.
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');

/** Every `intervalMs`; a WAL with nothing new to copy costs a lock and no fsync. */
function checkpoint() {
	try {
		const [result] = db.pragma('wal_checkpoint(PASSIVE)');
		parentPort.postMessage({ op: 'checkpointed', ...result });
	} catch (error) {
		// Busy or failing: the next interval retries; the WAL keeps every commit meanwhile.
		parentPort.postMessage({ op: 'failed', message: String(error?.message ?? error) });
	}
}
const timer = setInterval(checkpoint, intervalMs);

parentPort.on('message', (/** @type {{ op: string }} */ request) => {
	// Ends the thread the way a crash would (tests of a dying checkpointer).
	if (request.op === 'exit') process.exit(1);
	if (request.op === 'now') checkpoint();
	if (request.op === 'close') {
		clearInterval(timer);
		db.close();
		parentPort.postMessage({ op: 'closed' });
		parentPort.close();
	}
});
