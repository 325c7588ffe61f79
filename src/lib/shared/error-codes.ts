/** The errors our pages tell apart; +error.svelte words each in the reader's language. */
export type ErrorCode =
	| 'workshop-not-found'
	| 'link-invalid'
	| 'access-ended'
	/** Not a member of the workshop: never joined, or removed. */
	| 'not-member'
	| 'facilitators-only'
	| 'signup-closed'
	| 'workshop-archived'
	/** The browser could not reach the server (offline, server down). */
	| 'unavailable'
	| 'unexpected';
