/** Random ids (UUID v4) for everything a later import or merge must recognise. */
export function newId(): string {
	return crypto.randomUUID();
}
