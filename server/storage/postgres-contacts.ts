/**
 * PostgreSQL store of allies' contact details (server/storage/sqlite-contacts.ts): personal data
 * kept out of the document, so observers (who sync the document) never receive it.
 */
import type pg from 'pg';
import { transaction } from './postgres-db';
import type { ContactStore, StoredContact } from '../../src/lib/server/ports/storage';

interface Row {
	ally_id: string;
	text: string;
	updated_by: string | null;
	updated_at: number;
}

export function postgresContacts(pool: pg.Pool): ContactStore {
	return {
		async set(contact) {
			if (contact.text.trim() === '') {
				await pool.query('DELETE FROM ally_contacts WHERE workshop_id = $1 AND ally_id = $2', [
					contact.workshopId,
					contact.allyId
				]);
				return;
			}
			await pool.query(
				`INSERT INTO ally_contacts (workshop_id, ally_id, text, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (workshop_id, ally_id)
				DO UPDATE SET text = excluded.text, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				[contact.workshopId, contact.allyId, contact.text, contact.updatedBy, contact.updatedAt]
			);
		},
		async list(workshopId) {
			const { rows } = await pool.query<Row>(
				'SELECT * FROM ally_contacts WHERE workshop_id = $1 ORDER BY ally_id COLLATE "C"',
				[workshopId]
			);
			return rows.map((row): StoredContact => ({
				allyId: row.ally_id,
				text: row.text,
				updatedBy: row.updated_by,
				updatedAt: row.updated_at
			}));
		},
		async importLegacy(workshopId, contacts, at) {
			// A contact already stored wins: the document's copy is older (it is the one being moved out).
			await transaction(pool, async (client) => {
				for (const [allyId, text] of contacts) {
					await client.query(
						`INSERT INTO ally_contacts (workshop_id, ally_id, text, updated_by, updated_at)
						VALUES ($1, $2, $3, NULL, $4) ON CONFLICT (workshop_id, ally_id) DO NOTHING`,
						[workshopId, allyId, text, at]
					);
				}
			});
		}
	};
}
