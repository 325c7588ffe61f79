import type { PageServerLoad } from './$types';
import { getServices } from '$lib/server/services';
import { getOrCreateLinks, memberColour } from '$lib/server/memberships';
import { requireMember } from '$lib/server/access';

/** Members only: signed out -> sign in; signed in but not (or no longer) a member -> access ended. */
export const load: PageServerLoad = async ({ params, locals }) => {
	const { workshop, membership } = await requireMember(locals.user, params.id);
	const links = membership.role === 'facilitator' ? await getOrCreateLinks(getServices(), workshop.id) : null;
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
