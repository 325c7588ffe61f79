// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Session, SessionUser } from '$lib/server/session';

declare global {
	namespace App {
		interface Error {
			message: string;
		}
		interface Locals {
			/** The signed-in facilitator, from the session cookie (hooks.server.ts). */
			user: SessionUser | null;
			session: Session | null;
		}
	}
}

export {};
