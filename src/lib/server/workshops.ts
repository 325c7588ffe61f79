/** Workshops: creating one with its details, editing them, co-facilitators, deleting one. */
import { initDocument } from '../shared/schema';
import { isArchived } from '../shared/archive';
import { newId } from '../shared/ids';
import { CloseCode } from '../shared/close-codes';
import type { CoreServices } from './ports/services';
import type { Membership, NewMembership, Workshop, WorkshopDetails } from './ports/storage';
import { generateLinks } from './joining';
import { normalizeLogin } from './users';
import {
	WORKSHOP_ISSUE_MAX,
	WORKSHOP_LANGUAGES,
	WORKSHOP_PLACE_MAX,
	WORKSHOP_TITLE_MAX
} from '../shared/workshop-rules';

/** Creates a workshop, its links and code, and makes its creator its facilitator. */
export async function createWorkshop(
	services: CoreServices,
	input: { title: string; ownerId: string; ownerName: string } & Partial<WorkshopDetails>
): Promise<Workshop> {
	const workshop: Workshop = {
		id: newId(),
		title: input.title,
		createdAt: Date.now(),
		ownerId: input.ownerId,
		date: input.date ?? null,
		place: input.place ?? '',
		language: input.language ?? 'fr',
		issue: input.issue ?? '',
		detailsChangedAt: null
	};
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
	// The document's full shape is written by the server, never a browser.
	await services.registry.changeDocument(workshop.id, (doc) =>
		initDocument(doc, { workshopId: workshop.id, createdAt: workshop.createdAt })
	);
	return workshop;
}

export async function getWorkshop(
	services: Pick<CoreServices, 'storage'>,
	id: string
): Promise<Workshop | null> {
	return services.storage.getWorkshop(id);
}

/** The workshops a facilitator runs or belongs to, newest first, with their role there. */
export async function listWorkshopsOf(services: Pick<CoreServices, 'storage'>, userId: string) {
	const memberships = await services.storage.listMemberships(userId);
	return memberships.map((membership) => ({
		id: membership.workshopId,
		title: membership.workshopTitle,
		date: membership.workshopDate,
		role: membership.role
	}));
}

export function validateWorkshopTitle(raw: unknown): string | null {
	if (typeof raw !== 'string') return null;
	const title = raw.trim().replace(/\s+/g, ' ');
	if (title.length === 0 || title.length > WORKSHOP_TITLE_MAX) return null;
	return title;
}

export type DetailsProblem = 'title' | 'date' | 'place' | 'language' | 'issue';

/** The create/edit form's fields; only the title is required. */
export function validateWorkshopDetails(
	form: FormData
): { title: string; details: WorkshopDetails } | { problem: DetailsProblem } {
	const title = validateWorkshopTitle(form.get('title'));
	if (!title) return { problem: 'title' };
	const date = String(form.get('date') ?? '').trim();
	if (date !== '' && !isCalendarDate(date)) return { problem: 'date' };
	const place = String(form.get('place') ?? '')
		.trim()
		.replace(/\s+/g, ' ');
	if ([...place].length > WORKSHOP_PLACE_MAX) return { problem: 'place' };
	const language = String(form.get('language') ?? 'fr');
	if (!(WORKSHOP_LANGUAGES as readonly string[]).includes(language)) return { problem: 'language' };
	const issue = String(form.get('issue') ?? '').trim();
	if ([...issue].length > WORKSHOP_ISSUE_MAX) return { problem: 'issue' };
	return {
		title,
		details: { date: date || null, place, language: language as WorkshopDetails['language'], issue }
	};
}

function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const parsed = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** Saves the details, stamped `now` when one changes (an import compares the stamps). */
export async function updateWorkshopDetails(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	input: { title: string; details: WorkshopDetails },
	now = Date.now()
): Promise<boolean> {
	return services.storage.updateWorkshopDetails(
		workshopId,
		{ title: input.title, ...input.details },
		now
	);
}

/**
 * Makes an existing facilitator account (by login) a facilitator of the workshop. A member
 * already there (say, someone who joined as a participant) keeps their name and is promoted.
 */
export async function addCoFacilitator(
	services: Pick<CoreServices, 'storage'>,
	workshopId: string,
	rawLogin: string
): Promise<{ membership: Membership } | { problem: 'unknown-login' }> {
	const user = await services.storage.getUserByLogin(normalizeLogin(rawLogin));
	if (!user || (user.kind ?? 'facilitator') !== 'facilitator') return { problem: 'unknown-login' };
	const existing = await services.storage.getMembership(workshopId, user.id);
	if (existing) {
		const membership = await services.storage.updateMembership(workshopId, user.id, {
			role: 'facilitator'
		});
		return { membership: membership! };
	}
	const membership = await services.storage.upsertMembership({
		workshopId,
		userId: user.id,
		role: 'facilitator',
		name: user.displayName?.trim() || user.login,
		organisation: null,
		grantedBy: 'co-facilitator',
		joinedAt: Date.now()
	});
	return { membership };
}

/**
 * Deletes the workshop and everything keyed by it, closes its sockets with 4404 and unloads its
 * live document. Storage first: from then on every handshake is refused (no membership left).
 */
export async function deleteWorkshop(services: CoreServices, workshopId: string): Promise<void> {
	await services.storage.deleteWorkshop(workshopId);
	services.live.disconnectWorkshop(workshopId, CloseCode.gone, 'workshop deleted');
	services.registry.closeDocument(workshopId, CloseCode.gone, 'workshop deleted');
	// Edits applied before the close are committed by the flush, then deleted with the rest.
	await services.registry.flush();
	await services.storage.deleteDocument(workshopId);
}

/**
 * Whether the facilitator archived the workshop (the document's `meta.archived`, written only by
 * the server): an archived workshop admits no new participant.
 */
export async function isWorkshopArchived(
	services: Pick<CoreServices, 'registry'>,
	workshopId: string
): Promise<boolean> {
	return services.registry.readDocument(workshopId, isArchived);
}
