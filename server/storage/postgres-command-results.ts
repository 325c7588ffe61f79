/** PostgreSQL implementation of the idempotency-key store (server/storage/sqlite-command-results.ts). */
import type pg from 'pg';
import type { CommandResultStore } from '../../src/lib/server/ports/storage';
import { commandResultFromRow, type CommandResultRow } from './rows';

export function postgresCommandResults(pool: pg.Pool): CommandResultStore {
	return {
		async get(sessionId, key) {
			const { rows } = await pool.query<CommandResultRow>(
				'SELECT * FROM command_results WHERE session_id = $1 AND key = $2',
				[sessionId, key]
			);
			return rows[0] ? commandResultFromRow(rows[0]) : null;
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
