/** SQLite implementation of the idempotency-key store (one domain store per file, own tables). */
import type { WriteGate } from './sqlite-writer';
import type Database from 'better-sqlite3';
import type { CommandResultStore } from '../../src/lib/server/ports/storage';
import { commandResultFromRow, type CommandResultRow } from './rows';

export function sqliteCommandResults(db: Database.Database, write: WriteGate): CommandResultStore {
	const select = db.prepare<[string, string], CommandResultRow>(
		'SELECT * FROM command_results WHERE session_id = ? AND key = ?'
	);
	const insert = db.prepare(
		'INSERT OR IGNORE INTO command_results (session_id, key, workshop_id, event, payload_hash, result, scope, created_at) ' +
			'VALUES (@sessionId, @key, @workshopId, @event, @payloadHash, @result, @scope, @createdAt)'
	);
	const removeScope = db.prepare<[string, string]>(
		'DELETE FROM command_results WHERE workshop_id = ? AND scope = ?'
	);
	return {
		async get(sessionId, key) {
			const row = select.get(sessionId, key);
			return row ? commandResultFromRow(row) : null;
		},
		async save(result) {
			return write(() => {
				return insert.run(result).changes === 1;
			});
		},
		async deleteScope(workshopId, scope) {
			return write(() => {
				removeScope.run(workshopId, scope);
			});
		}
	};
}
