import { initDocument } from '../shared/schema';
import { newId } from '../shared/ids';
import type { Services } from '../../../server/services';
import type { NewMembership, Workshop } from '../../../server/storage/types';
import { generateLinks } from './memberships';

export const WORKSHOP_TITLE_MAX = 120;

/** The document's full shape is written by the server, never a browser. */
/** Creates a workshop, its links and code, and makes its creator its facilitator. */
export async function createWorkshop(
	services: Services,
	input: { title: string; ownerId: string; ownerName: string }
): Promise<Workshop> {
	const workshop: Workshop = { id: newId(), title: input.title, createdAt: Date.now(), ownerId: input.ownerId };
	const creator: NewMembership = {
		workshopId: workshop.id,
		userId: input.ownerId,
		role: 'facilitator',
		name: input.ownerName,
		organisation: null,
		grantedBy: 'creator',
		joinedAt: workshop.createdAt
	};
	let created = false;
	// A join code already in use (one chance in hundreds of millions) draws again.
	for (let attempt = 0; attempt < 5 && !created; attempt++) {
		created = await services.storage.createWorkshop(workshop, { links: generateLinks(), creator });
	}
	if (!created) throw new Error('could not draw a free join code');
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
