import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { getOrCreateLinks, memberColour } from '$lib/server/joining';
import { requireMember } from '$lib/server/access';
import { redirect } from '@sveltejs/kit';
import { isArchived } from '$lib/shared/archive';
import { readCharter } from '$lib/shared/charter';
import { opensOnRecord } from '$lib/shared/landing';
import { localToday } from '$lib/shared/dates';

/** Members only: signed out -> sign in; signed in but not (or no longer) a member -> access ended. */
export const load: PageServerLoad = async ({ params, locals, url }) => {
	const { workshop, membership } = await requireMember(locals.user, params.id);
	// After the forum the record is where everyone lands (src/lib/shared/landing.ts); `?board`
	// opens the board itself.
	if (!url.searchParams.has('board')) {
		const state = await getServices().registry.readDocument(workshop.id, (doc) => ({
			archived: isArchived(doc),
			locked: readCharter(doc)?.status === 'locked'
		}));
		if (opensOnRecord(membership.role, { ...state, date: workshop.date }, localToday()))
			redirect(303, `/w/${workshop.id}/summary`);
	}
	const links =
		membership.role === 'facilitator' ? await getOrCreateLinks(getServices(), workshop.id) : null;
	const { id, title, date, place, language, issue } = workshop;
	return {
		workshop: { id, title, date, place, language, issue },
		// The same identity the server writes into this member's presence (server/auth.ts).
		member: {
			userId: membership.userId,
			name: membership.name,
			organisation: membership.organisation,
			role: membership.role,
			colour: memberColour(membership.userId)
		},
		links: links && {
			joinCode: links.joinCode,
			invitePath: `/join/${links.inviteToken}`,
			observerPath: `/join/${links.observerToken}`
		}
	};
};
