/** Socket.IO room names: every command socket joins its workshop's room and its member's room. */
export function workshopRoom(workshopId: string): string {
	return `w:${workshopId}`;
}

export function memberRoom(workshopId: string, userId: string): string {
	return `w:${workshopId}:u:${userId}`;
}
