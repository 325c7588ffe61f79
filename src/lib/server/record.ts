/** The workshop's record read on the server, with the names of its organisations. */
import type { CoreServices } from './ports/services';
import { readRecord, type WorkshopRecord } from '../shared/record';

export async function loadRecord(
	services: Pick<CoreServices, 'storage' | 'registry'>,
	workshopId: string
): Promise<{ record: WorkshopRecord; organisations: Map<string, string> }> {
	const record = await services.registry.readDocument(workshopId, readRecord);
	const organisations = new Map(
		(await services.storage.listOrganisations(workshopId)).map((organisation) => [
			organisation.id,
			organisation.name
		])
	);
	return { record, organisations };
}
