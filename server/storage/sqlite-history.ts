/**
 * SQLite implementation of the workshop's history: its event log (lock, unlock, archive, unarchive:
 * who, when, why) and, for each event, a full-state copy of the document and the charter as it then
 * stood. Both rows of an event are written in one transaction.
 */
import type { WriteGate } from './sqlite-writer';
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { HistoryStore, NewHistoryEntry } from '../../src/lib/server/ports/storage';
import { toEvent, toNamed, toVersion, type EventRow, type NamedRow, type VersionRow } from './rows';

export function sqliteHistory(db: Database.Database, write: WriteGate): HistoryStore {
	const insertEvent = db.prepare(
		'INSERT INTO workshop_events (workshop_id, uid, kind, user_id, user_name, reason, at) ' +
			'VALUES (@workshopId, @uid, @kind, @userId, @userName, @reason, @at)'
	);
	const insertVersion = db.prepare(
		'INSERT INTO doc_versions (workshop_id, event_id, charter_version, charter, state, created_at) ' +
			'VALUES (?, ?, ?, ?, ?, ?)'
	);
	const record = db.transaction((entry: NewHistoryEntry) => {
		const eventId = Number(
			insertEvent.run({ ...entry, uid: randomUUID(), reason: entry.reason ?? null }).lastInsertRowid
		);
		const versionId = Number(
			insertVersion.run(
				entry.workshopId,
				eventId,
				entry.charterVersion,
				JSON.stringify(entry.charter),
				entry.state,
				entry.at
			).lastInsertRowid
		);
		return { eventId, versionId };
	});
	const selectEvents = db.prepare<[string], EventRow>(
		'SELECT * FROM workshop_events WHERE workshop_id = ? ORDER BY id'
	);
	const selectVersions = db.prepare<[string], VersionRow>(
		'SELECT * FROM doc_versions WHERE workshop_id = ? ORDER BY id'
	);
	const selectVersion = db.prepare<[string, number], VersionRow>(
		'SELECT * FROM doc_versions WHERE workshop_id = ? AND id = ?'
	);
	const insertNamed = db.prepare(
		`INSERT OR IGNORE INTO named_versions (workshop_id, uid, name, user_id, user_name, charter_version, charter, state, created_at)
		VALUES (@workshopId, @uid, @name, @userId, @userName, @charterVersion, @charter, @state, @createdAt)`
	);
	const selectNamed = db.prepare<[string], NamedRow>(
		'SELECT * FROM named_versions WHERE workshop_id = ? ORDER BY created_at, id'
	);
	const selectOneNamed = db.prepare<[string, number], NamedRow>(
		'SELECT * FROM named_versions WHERE workshop_id = ? AND id = ?'
	);
	return {
		async saveNamed(entry) {
			const result = await write(() =>
				insertNamed.run({
					...entry,
					uid: entry.uid ?? randomUUID(),
					charter: JSON.stringify(entry.charter)
				})
			);
			return result.changes === 1 ? Number(result.lastInsertRowid) : null;
		},
		async listNamed(workshopId) {
			return selectNamed.all(workshopId).map(toNamed);
		},
		async getNamed(workshopId, id) {
			const row = selectOneNamed.get(workshopId, id);
			return row ? toNamed(row) : null;
		},
		async record(entry) {
			return write(() => {
				return record.immediate(entry);
			});
		},
		async listEvents(workshopId) {
			return selectEvents.all(workshopId).map(toEvent);
		},
		async listVersions(workshopId) {
			return selectVersions.all(workshopId).map(toVersion);
		},
		async getVersion(workshopId, id) {
			const row = selectVersion.get(workshopId, id);
			return row ? toVersion(row) : null;
		}
	};
}
