/**
 * Facilitator accounts: sign-up, sign-in, password changes. A login is a user name or an
 * e-mail-like name; no e-mail is ever sent, so an operator resets forgotten passwords.
 */
import type { CoreServices } from './ports/services';
import type { User } from './ports/storage';
import { newId } from '../shared/ids';
import { checkPassword, hashPassword, verifyPassword, type PasswordProblem } from './password';
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS, SIGN_UP_PER_ADDRESS } from './rate-limiter';
import { LOGIN_MAX_LENGTH, LOGIN_MIN_LENGTH } from '../shared/account-rules';
import { MEMBER_NAME_MAX } from '../shared/join-rules';
const LOGIN_PATTERN = /^[\p{L}\p{N}._@+-]+$/u;

type AccountServices = Pick<CoreServices, 'storage' | 'rateLimiter'>;

/** Trimmed, NFKC, lower case: "Amina.Traore" and "amina.traore " are one account. */
export function normalizeLogin(raw: string): string {
	return raw.trim().normalize('NFKC').toLowerCase();
}

export function checkLogin(login: string): 'invalid' | null {
	const length = [...login].length;
	if (length < LOGIN_MIN_LENGTH || length > LOGIN_MAX_LENGTH || !LOGIN_PATTERN.test(login))
		return 'invalid';
	return null;
}

/**
 * Creates a facilitator account. Every attempt counts against the client's address, whatever its
 * outcome: past SIGN_UP_PER_ADDRESS an address creates no account (nor costs a hash) for a while.
 */
export async function signUp(
	services: AccountServices,
	input: { login: string; password: string; address: string; displayName: string },
	now = Date.now()
): Promise<
	| { user: User }
	| { problem: 'login-invalid' | 'login-taken' | 'name-invalid' | PasswordProblem }
	| { problem: 'rate-limited'; retryAfterMs: number }
> {
	const addressKey = `sign-up:address:${input.address.slice(0, 64)}`;
	const limited = await services.rateLimiter.checkLimit(addressKey, SIGN_UP_PER_ADDRESS);
	if (limited) return { problem: 'rate-limited', retryAfterMs: limited.retryAfterMs };
	await services.rateLimiter.recordFailure(addressKey, SIGN_UP_PER_ADDRESS);
	const login = normalizeLogin(input.login);
	if (checkLogin(login)) return { problem: 'login-invalid' };
	// What the board, the projector and the charter show, rather than "aminata.coulibaly".
	const displayName = input.displayName.trim().replace(/\s+/g, ' ');
	if (displayName.length === 0 || [...displayName].length > MEMBER_NAME_MAX)
		return { problem: 'name-invalid' };
	const passwordProblem = checkPassword(input.password);
	if (passwordProblem) return { problem: passwordProblem };
	const user: User = {
		id: newId(),
		login,
		displayName,
		passwordHash: await hashPassword(input.password),
		createdAt: now
	};
	if (!(await services.storage.createUser(user))) return { problem: 'login-taken' };
	return { user };
}

/**
 * The user whose login and password these are. Every failure looks the same whether or not the
 * account exists (the password is verified against a dummy hash when it does not), and counts
 * against both the login as typed and the client's address.
 */
export async function signIn(
	services: AccountServices,
	input: { login: string; password: string; address: string }
): Promise<
	{ user: User } | { problem: 'invalid' } | { problem: 'rate-limited'; retryAfterMs: number }
> {
	const login = normalizeLogin(input.login);
	// No login is longer than the maximum: longer ones share a key rather than fill memory.
	const accountKey = `sign-in:account:${login.slice(0, LOGIN_MAX_LENGTH + 1)}`;
	const addressKey = `sign-in:address:${input.address}`;
	const limited =
		(await services.rateLimiter.checkLimit(accountKey, SIGN_IN_PER_ACCOUNT)) ??
		(await services.rateLimiter.checkLimit(addressKey, SIGN_IN_PER_ADDRESS));
	if (limited) return { problem: 'rate-limited', retryAfterMs: limited.retryAfterMs };
	const user = checkLogin(login) ? null : await services.storage.getUserByLogin(login);
	if (!(await verifyPassword(user?.passwordHash ?? null, input.password)) || !user) {
		await services.rateLimiter.recordFailure(accountKey, SIGN_IN_PER_ACCOUNT);
		await services.rateLimiter.recordFailure(addressKey, SIGN_IN_PER_ADDRESS);
		return { problem: 'invalid' };
	}
	await services.rateLimiter.clearFailures(accountKey);
	return { user };
}

/**
 * Checks the current password (a wrong one counts like a failed sign-in), sets the new one and
 * signs out every other session of the user; `keepSessionId` stays signed in.
 */
export async function changePassword(
	services: AccountServices,
	input: { userId: string; current: string; next: string; keepSessionId: string; address: string }
): Promise<
	| { ok: true }
	| { problem: 'current-invalid' | PasswordProblem }
	| { problem: 'rate-limited'; retryAfterMs: number }
> {
	const user = await services.storage.getUser(input.userId);
	if (!user) return { problem: 'current-invalid' };
	const signedIn = await signIn(services, {
		login: user.login,
		password: input.current,
		address: input.address
	});
	if ('problem' in signedIn)
		return signedIn.problem === 'invalid' ? { problem: 'current-invalid' } : signedIn;
	const problem = checkPassword(input.next);
	if (problem) return { problem };
	await services.storage.setUserPassword(
		user.id,
		await hashPassword(input.next),
		input.keepSessionId
	);
	return { ok: true };
}

/** The operator's reset (`npm run user:reset-password`): new password, every session signed out. */
export async function resetPassword(
	services: Pick<CoreServices, 'storage'>,
	input: { login: string; password: string }
): Promise<{ login: string } | { problem: 'unknown-login' | PasswordProblem }> {
	const user = await services.storage.getUserByLogin(normalizeLogin(input.login));
	if (!user) return { problem: 'unknown-login' };
	const problem = checkPassword(input.password);
	if (problem) return { problem };
	await services.storage.setUserPassword(user.id, await hashPassword(input.password), null);
	return { login: user.login };
}
