/** Allies' contact details: in the server's database, never in the document observers sync. */
import type * as Y from 'yjs';
import type { CoreServices } from './ports/services';
import { readLegacyContacts } from '../shared/schema';

/**
 * Before migration 3 deletes contact texts from an old document, stores them (registry hook).
 * A document whose workshop row is missing fails to load rather than lose them.
 */
export async function moveLegacyContacts(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	doc: Y.Doc
): Promise<void> {
	const contacts = readLegacyContacts(doc);
	if (contacts.size === 0) return;
	await services.storage.contacts.importLegacy(workshopId, contacts, Date.now());
}
