// The update log's writer thread (server/storage/sqlite-writer.ts starts it). It owns the only
// connection that writes doc_updates and doc_snapshots, so the fsync of every commit happens here
// and never on the event loop. Plain JavaScript: a worker thread loads this file as it is, from the
// sources under Vitest and the dev server, and from build/ (copied by scripts/build-server.js).
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string; busyTimeoutMs: number }} */
const { file, busyTimeoutMs } = workerData;

const db = new Database(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
// better-sqlite3's build makes WAL imply synchronous=NORMAL, which can lose commits on power loss.
db.pragma('synchronous = FULL');
// No checkpoint inside a commit: the checkpointer thread makes them (sqlite-checkpointer.ts).
db.pragma('wal_autocheckpoint = 0');

const insertUpdate = db.prepare('INSERT INTO doc_updates (doc, data, owned) VALUES (?, ?, ?)');
const upsertSnapshot = db.prepare(
	'INSERT INTO doc_snapshots (doc, data, upto, owned) VALUES (?, ?, ?, ?) ' +
		'ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto, owned = excluded.owned'
);
const deleteLogUpTo = db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?');
const deleteLog = db.prepare('DELETE FROM doc_updates WHERE doc = ?');
const deleteSnapshot = db.prepare('DELETE FROM doc_snapshots WHERE doc = ?');

// BEGIN IMMEDIATE (`.immediate`) everywhere: take the write lock up front, so a busy database
// fails fast and whole, and no transaction ever has to upgrade a stale read snapshot.
// `owned`: the server-owned roots' record stored with a row or a snapshot (server/yjs/owned-roots.ts).
const append = db.transaction(
	(/** @type {{ doc: string; update: Uint8Array; owned?: string | null }[]} */ rows) =>
		rows.map((row) =>
			Number(insertUpdate.run(row.doc, row.update, row.owned ?? null).lastInsertRowid)
		)
);
const compact = db.transaction(
	(
		/** @type {string} */ doc,
		/** @type {Uint8Array} */ snapshot,
		/** @type {number} */ upto,
		/** @type {string} */ owned
	) => {
		upsertSnapshot.run(doc, snapshot, upto, owned);
		deleteLogUpTo.run(doc, upto);
	}
);
const remove = db.transaction((/** @type {string} */ doc) => {
	deleteLog.run(doc);
	deleteSnapshot.run(doc);
});

/** @type {number | undefined} The WAL, opened on the first sync (it exists once anything wrote). */
let walFd;

/** @type {Record<string, (request: any) => unknown>} */
const operations = {
	append: ({ rows }) => append.immediate(rows),
	compact: ({ doc, snapshot, upto, owned }) => compact.immediate(doc, snapshot, upto, owned),
	delete: ({ doc }) => remove.immediate(doc),
	settings: () => ({
		journalMode: db.pragma('journal_mode', { simple: true }),
		synchronous: db.pragma('synchronous', { simple: true }),
		autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true })
	}),
	// The main connection commits with synchronous=NORMAL (no fsync on the event loop): its writes
	// are made durable here, by syncing the WAL they went to, before they are reported done.
	sync: () => {
		walFd ??= fs.openSync(`${file}-wal`, 'r');
		fs.fdatasyncSync(walFd);
	},
	checkWritable: () => {
		try {
			db.exec('BEGIN IMMEDIATE; ROLLBACK');
			return true;
		} catch {
			if (db.inTransaction) db.exec('ROLLBACK');
			return false;
		}
	}
};

parentPort.on('message', (/** @type {{ id: number; op: string }} */ request) => {
	// Ends the thread the way a crash would, leaving later requests unanswered (tests of a dying
	// writer: terminate() from outside is no substitute, it aborts the process if it lands while
	// better-sqlite3 waits for a lock).
	if (request.op === 'exit') process.exit(1);
	if (request.op === 'close') {
		if (walFd !== undefined) fs.closeSync(walFd);
		db.close();
		parentPort.postMessage({ id: request.id, ok: true });
		parentPort.close();
		return;
	}
	try {
		const operation = operations[request.op];
		if (!operation) throw new Error(`unknown writer operation ${request.op}`);
		parentPort.postMessage({ id: request.id, ok: true, result: operation(request) });
	} catch (error) {
		const { message, code } = /** @type {{ message?: string; code?: string }} */ (error);
		parentPort.postMessage({
			id: request.id,
			ok: false,
			error: { message: String(message ?? error), code }
		});
	}
});
