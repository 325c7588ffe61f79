/** Facilitator passwords: Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane). */
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../shared/account-rules';

// The package declares `Algorithm` as a const enum, which has no runtime value under isolatedModules.
const ARGON2ID = 2 as Algorithm;
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * The hash of a random password nobody knows, with the same parameters: verified against when the
 * account does not exist, so that a wrong login takes as long as a wrong password.
 */
const DUMMY_HASH =
	'$argon2id$v=19$m=19456,t=2,p=1$K8BqsGrgzdji2s2NjrdiQg$civDxLlUa0G/cXEC2VETfEnxSntvmVIEjof9AglKO5g';

export type PasswordProblem = 'too-short' | 'too-long';

/** Counts characters (code points), not UTF-16 units, so "é" and emoji count once. */
export function checkPassword(password: string): PasswordProblem | null {
	const length = [...password].length;
	if (length < PASSWORD_MIN_LENGTH) return 'too-short';
	if (length > PASSWORD_MAX_LENGTH) return 'too-long';
	return null;
}

export async function hashPassword(password: string): Promise<string> {
	if (checkPassword(password))
		throw new Error('refusing to hash a password outside the length limits');
	return hash(password, OPTIONS);
}

/** False for a wrong password, and for an over-long one (never hashed). A null hash costs the same. */
export async function verifyPassword(
	passwordHash: string | null,
	password: string
): Promise<boolean> {
	if ([...password].length > PASSWORD_MAX_LENGTH) {
		await verify(DUMMY_HASH, '');
		return false;
	}
	try {
		const matches = await verify(passwordHash ?? DUMMY_HASH, password);
		return passwordHash !== null && matches;
	} catch {
		return false;
	}
}
