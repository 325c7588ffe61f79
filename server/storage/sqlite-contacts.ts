/**
 * SQLite store of allies' contact details: personal data kept out of the document, so observers
 * (who sync the document) never receive it. Read and written through the `contacts:*` commands.
 */
import type { WriteGate } from './sqlite-writer';
import type Database from 'better-sqlite3';
import type { ContactStore, StoredContact } from '../../src/lib/server/ports/storage';

interface Row {
	ally_id: string;
	text: string;
	updated_by: string | null;
	updated_at: number;
}

export function sqliteContacts(db: Database.Database, write: WriteGate): ContactStore {
	const upsert = db.prepare(
		`INSERT INTO ally_contacts (workshop_id, ally_id, text, updated_by, updated_at)
		VALUES (@workshopId, @allyId, @text, @updatedBy, @updatedAt)
		ON CONFLICT (workshop_id, ally_id)
		DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at`
	);
	const remove = db.prepare('DELETE FROM ally_contacts WHERE workshop_id = ? AND ally_id = ?');
	// A contact already stored wins: the document's copy is older (it is the one being moved out).
	const insertLegacy = db.prepare(
		`INSERT OR IGNORE INTO ally_contacts (workshop_id, ally_id, text, updated_by, updated_at)
		VALUES (?, ?, ?, NULL, ?)`
	);
	const importAll = db.transaction(
		(workshopId: string, contacts: [string, string][], at: number) => {
			for (const [allyId, text] of contacts) insertLegacy.run(workshopId, allyId, text, at);
		}
	);
	const byWorkshop = db.prepare<[string], Row>(
		'SELECT * FROM ally_contacts WHERE workshop_id = ? ORDER BY ally_id'
	);
	return {
		async set(contact) {
			return write(() => {
				if (contact.text.trim() === '') remove.run(contact.workshopId, contact.allyId);
				else upsert.run(contact);
			});
		},
		async list(workshopId) {
			return byWorkshop.all(workshopId).map((row): StoredContact => ({
				allyId: row.ally_id,
				text: row.text,
				updatedBy: row.updated_by,
				updatedAt: row.updated_at
			}));
		},
		async importLegacy(workshopId, contacts, at) {
			return write(() => {
				importAll.immediate(workshopId, [...contacts], at);
			});
		}
	};
}
