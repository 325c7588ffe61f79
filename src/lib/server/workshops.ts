import { initDocument } from '../shared/schema';
import { newId } from '../shared/ids';
import type { Services } from '../../../server/services';
import type { Workshop } from '../../../server/storage/types';

export const WORKSHOP_TITLE_MAX = 120;

/** Creates a workshop and its document's full shape (the server, never a browser, writes roots). */
export async function createWorkshop(services: Services, input: { title: string; ownerId: string }): Promise<Workshop> {
	const workshop: Workshop = { id: newId(), title: input.title, createdAt: Date.now(), ownerId: input.ownerId };
	await services.storage.createWorkshop(workshop);
	await services.registry.changeDocument(workshop.id, (doc) =>
		initDocument(doc, { workshopId: workshop.id, createdAt: workshop.createdAt })
	);
	return workshop;
}

export async function getWorkshop(services: Services, id: string): Promise<Workshop | null> {
	return services.storage.getWorkshop(id);
}

/** The facilitator's own workshops, newest first. */
export async function listWorkshopsOwnedBy(services: Services, ownerId: string): Promise<Workshop[]> {
	return services.storage.listWorkshops(50, ownerId);
}

export function validateWorkshopTitle(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const title = raw.trim().replace(/\s+/g, ' ');
	if (title.length === 0 || title.length > WORKSHOP_TITLE_MAX) return null;
	return title;
}
