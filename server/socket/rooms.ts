/** Socket.IO room names: one source for who receives what. */

/** Every command socket of the workshop. */
export function workshopRoom(workshopId: string): string {
	return `w:${workshopId}`;
}

/** One member's sockets in the workshop (all their tabs and devices): to close or notify them. */
export function memberRoom(workshopId: string, userId: string): string {
	return `w:${workshopId}:u:${userId}`;
}

/** The facilitators' sockets: hidden tallies and "not voted yet" lists go here only. */
export function facilitatorsRoom(workshopId: string): string {
	return `w:${workshopId}:f`;
}
