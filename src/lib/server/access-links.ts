/**
 * Rotating and revoking a workshop's ways in. The participant code and invite link go together
 * (the code leads to the invite page); the observer link is separate. Rotating draws new ones:
 * the old stop admitting newcomers, people already in stay. Revoking also ends the memberships
 * granted that way (facilitators aside) and closes those members' sockets with 4403.
 */
import type { CoreServices } from './ports/services';
import type { MembershipGrant, WorkshopLinks } from './ports/storage';
import { CloseCode } from '../shared/close-codes';
import { generateJoinCode, generateLinkToken, getOrCreateLinks } from './joining';

export type LinkKind = 'participant' | 'observer';

/** The grants a kind of link hands out: what revoking it ends. */
const GRANTS: Record<LinkKind, MembershipGrant[]> = {
	participant: ['join-code', 'invite-link'],
	observer: ['observer-link']
};

/** New links for `kind`; with `revoke`, also ends what the old ones granted. Resolves the users removed. */
export async function replaceLinks(
	services: Pick<CoreServices, 'storage' | 'config' | 'live'>,
	workshopId: string,
	kind: LinkKind,
	options: { revoke: boolean }
): Promise<string[]> {
	// A code already in use (one chance in hundreds of millions) draws again.
	for (let attempt = 0; attempt < 5; attempt++) {
		const current = await getOrCreateLinks(services, workshopId);
		const next: WorkshopLinks =
			kind === 'participant'
				? { ...current, joinCode: generateJoinCode(), inviteToken: generateLinkToken() }
				: { ...current, observerToken: generateLinkToken() };
		const ended = await services.storage.replaceWorkshopLinks(
			workshopId,
			next,
			options.revoke ? GRANTS[kind] : []
		);
		if (!ended) continue;
		for (const userId of ended) {
			services.live.disconnectMember(workshopId, userId, CloseCode.forbidden, 'access revoked');
		}
		return ended;
	}
	throw new Error('could not draw a free join code');
}
