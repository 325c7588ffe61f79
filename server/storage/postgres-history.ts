/**
 * PostgreSQL implementation of the workshop's history (server/storage/sqlite-history.ts): its event
 * log and, for each event, a full-state copy of the document and the charter as it then stood, both
 * written in one transaction; and the versions facilitators save under a name.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { transaction } from './postgres-db';
import type { HistoryStore } from '../../src/lib/server/ports/storage';
import { toEvent, toNamed, toVersion, type EventRow, type NamedRow, type VersionRow } from './rows';

export function postgresHistory(pool: pg.Pool): HistoryStore {
	return {
		async saveNamed(entry) {
			// An import's uid already here: nothing written, and null says so.
			const { rows } = await pool.query<{ id: number }>(
				`INSERT INTO named_versions (workshop_id, uid, name, user_id, user_name, charter_version, charter, state, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (workshop_id, uid) DO NOTHING RETURNING id`,
				[
					entry.workshopId,
					entry.uid ?? randomUUID(),
					entry.name,
					entry.userId,
					entry.userName,
					entry.charterVersion,
					JSON.stringify(entry.charter),
					entry.state,
					entry.createdAt
				]
			);
			return rows[0]?.id ?? null;
		},
		async listNamed(workshopId) {
			const { rows } = await pool.query<NamedRow>(
				'SELECT * FROM named_versions WHERE workshop_id = $1 ORDER BY created_at, id',
				[workshopId]
			);
			return rows.map(toNamed);
		},
		async getNamed(workshopId, id) {
			const { rows } = await pool.query<NamedRow>(
				'SELECT * FROM named_versions WHERE workshop_id = $1 AND id = $2',
				[workshopId, id]
			);
			return rows[0] ? toNamed(rows[0]) : null;
		},
		async record(entry) {
			return transaction(pool, async (client) => {
				const event = await client.query<{ id: number }>(
					`INSERT INTO workshop_events (workshop_id, uid, kind, user_id, user_name, reason, at)
					VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
					[
						entry.workshopId,
						randomUUID(),
						entry.kind,
						entry.userId,
						entry.userName,
						entry.reason ?? null,
						entry.at
					]
				);
				const eventId = event.rows[0].id;
				const version = await client.query<{ id: number }>(
					`INSERT INTO doc_versions (workshop_id, event_id, charter_version, charter, state, created_at)
					VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
					[
						entry.workshopId,
						eventId,
						entry.charterVersion,
						JSON.stringify(entry.charter),
						entry.state,
						entry.at
					]
				);
				return { eventId, versionId: version.rows[0].id };
			});
		},
		async listEvents(workshopId) {
			const { rows } = await pool.query<EventRow>(
				'SELECT * FROM workshop_events WHERE workshop_id = $1 ORDER BY id',
				[workshopId]
			);
			return rows.map(toEvent);
		},
		async listVersions(workshopId) {
			const { rows } = await pool.query<VersionRow>(
				'SELECT * FROM doc_versions WHERE workshop_id = $1 ORDER BY id',
				[workshopId]
			);
			return rows.map(toVersion);
		},
		async getVersion(workshopId, id) {
			const { rows } = await pool.query<VersionRow>(
				'SELECT * FROM doc_versions WHERE workshop_id = $1 AND id = $2',
				[workshopId, id]
			);
			return rows[0] ? toVersion(rows[0]) : null;
		}
	};
}
