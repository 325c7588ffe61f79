/**
 * What a room needs to join a workshop: the code, the address to type, the invite link and its QR
 * code, all on the address phones can open (phone-address.ts). For the settings page and the
 * projector's join screen; facilitators only (callers check).
 */
import type { CoreServices } from './ports/services';
import { getOrCreateLinks } from './joining';
import { phoneAddress, shortAddress, type PhoneAddress } from './phone-address';
import { renderQrSvg } from './qr';

export interface JoinDetails {
	joinCode: string;
	joinUrl: string;
	/** `joinUrl` without its scheme: what people type. */
	shortJoinUrl: string;
	inviteUrl: string;
	observerUrl: string;
	qrSvg: string;
	address: PhoneAddress;
}

export async function getJoinDetails(
	services: Pick<CoreServices, 'storage' | 'config'>,
	workshopId: string,
	requestOrigin: string,
	qrLabel: string
): Promise<JoinDetails> {
	const links = await getOrCreateLinks(services, workshopId);
	const address = phoneAddress({ publicUrl: services.config.publicUrl, origin: requestOrigin });
	const joinUrl = `${address.base}/join`;
	const inviteUrl = `${address.base}/join/${links.inviteToken}`;
	return {
		joinCode: links.joinCode,
		joinUrl,
		shortJoinUrl: shortAddress(joinUrl),
		inviteUrl,
		observerUrl: `${address.base}/join/${links.observerToken}`,
		qrSvg: renderQrSvg(inviteUrl, qrLabel),
		address
	};
}
