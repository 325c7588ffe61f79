/**
 * The checks every load and form action of a workshop's pages starts with: signed in, a member,
 * and for the facilitator's pages a facilitator of this workshop. Expected outcomes are
 * redirects and error pages (SvelteKit's `redirect`/`error`), so callers need no branching.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Membership, Workshop } from './ports/storage';
import type { SessionUser } from './session';
import { getServices } from './services';
import { isValidDocName } from '../shared/protocol';
import { m } from '$lib/paraglide/messages';

export interface WorkshopAccess {
	user: SessionUser;
	workshop: Workshop;
	membership: Membership;
}

/** Signed out: to sign-in. Unknown workshop: 404. Not (or no longer) a member: 403. */
export async function requireMember(
	user: SessionUser | null,
	workshopId: string
): Promise<WorkshopAccess> {
	if (!user) redirect(303, '/signin');
	const { storage } = getServices();
	const workshop = isValidDocName(workshopId) ? await storage.getWorkshop(workshopId) : null;
	if (!workshop) error(404, { message: m.error_not_found(), code: 'workshop-not-found' });
	const membership = await storage.getMembership(workshop.id, user.id);
	// Never joined or removed (nothing tells them apart): not "your access ended" to a newcomer.
	if (!membership) error(403, { message: m.error_not_member(), code: 'not-member' });
	return { user, workshop, membership };
}

/** As `requireMember`, and 403 unless a facilitator of this workshop. */
export async function requireFacilitator(
	user: SessionUser | null,
	workshopId: string
): Promise<WorkshopAccess> {
	const access = await requireMember(user, workshopId);
	if (access.membership.role !== 'facilitator') {
		error(403, { message: m.error_facilitators_only(), code: 'facilitators-only' });
	}
	return access;
}
