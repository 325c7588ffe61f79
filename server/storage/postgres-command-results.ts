/** PostgreSQL implementation of the idempotency-key store (server/storage/sqlite-command-results.ts). */
import type pg from 'pg';
import type { CommandResultStore, StoredCommandResult } from '../../src/lib/server/ports/storage';

interface Row {
	session_id: string;
	key: string;
	workshop_id: string;
	event: string;
	payload_hash: string;
	result: string;
	scope: string | null;
	created_at: number;
}

export function postgresCommandResults(pool: pg.Pool): CommandResultStore {
	return {
		async get(sessionId, key) {
			const { rows } = await pool.query<Row>(
				'SELECT * FROM command_results WHERE session_id = $1 AND key = $2',
				[sessionId, key]
			);
			return rows[0] ? fromRow(rows[0]) : null;
		},
		async save(result) {
			// Two processes saving the same key at once: the primary key lets one in, the other
			// learns it lost (and the caller sends back the stored result).
			const inserted = await pool.query(
				`INSERT INTO command_results (session_id, key, workshop_id, event, payload_hash, result, scope, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (session_id, key) DO NOTHING`,
				[
					result.sessionId,
					result.key,
					result.workshopId,
					result.event,
					result.payloadHash,
					result.result,
					result.scope,
					result.createdAt
				]
			);
			return inserted.rowCount === 1;
		},
		async deleteScope(workshopId, scope) {
			await pool.query('DELETE FROM command_results WHERE workshop_id = $1 AND scope = $2', [
				workshopId,
				scope
			]);
		}
	};
}

function fromRow(row: Row): StoredCommandResult {
	return {
		sessionId: row.session_id,
		key: row.key,
		workshopId: row.workshop_id,
		event: row.event,
		payloadHash: row.payload_hash,
		result: row.result,
		scope: row.scope,
		createdAt: row.created_at
	};
}
