// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session, SessionUser } from '$lib/server/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Which of our error pages this is (see +error.svelte), in the reader's language. */
			code?: import('$lib/shared/error-codes').ErrorCode;
		}
		interface Locals {
			/** The signed-in facilitator, from the session cookie (hooks.server.ts). */
			user: SessionUser | null;
			session: Session | null;
		}
	}
}

export {};
