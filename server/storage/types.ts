/**
 * The persistence seam. Promise-returning even on SQLite, so a PostgreSQL implementation can be
 * added without touching callers.
 */
export interface Storage {
	readonly kind: 'sqlite';
	/** Appends server-encoded updates in one transaction; resolves with their row ids, in order. */
	appendUpdates(rows: UpdateRow[]): Promise<number[]>;
	/** The latest snapshot of a document and the log rows after it, in commit order. */
	loadDocument(doc: string): Promise<StoredDocument>;
	/** Writes `snapshot` as the document's state and deletes its log rows up to `upto`, atomically. */
	compactDocument(doc: string, snapshot: Uint8Array, upto: number): Promise<void>;
	deleteDocument(doc: string): Promise<void>;
	createWorkshop(workshop: Workshop): Promise<void>;
	getWorkshop(id: string): Promise<Workshop | null>;
	/** Newest first; only those `ownerId` owns when given. */
	listWorkshops(limit: number, ownerId?: string): Promise<Workshop[]>;
	/** Resolves `false`, writing nothing, when the login is taken. */
	createUser(user: User): Promise<boolean>;
	getUser(id: string): Promise<User | null>;
	/** `login` as stored (normalised by the caller). */
	getUserByLogin(login: string): Promise<User | null>;
	/**
	 * Sets the user's password hash and, in the same transaction, deletes all their sessions but
	 * `keepSessionId` (null: every session).
	 */
	setUserPassword(userId: string, passwordHash: string, keepSessionId: string | null): Promise<void>;
	createSession(session: StoredSession): Promise<void>;
	getSession(id: string): Promise<StoredSession | null>;
	touchSession(id: string, lastVerifiedAt: number): Promise<void>;
	deleteSession(id: string): Promise<void>;
	deleteUserSessions(userId: string): Promise<void>;
	/** Deletes sessions last used before `lastUsedBefore` or created before `createdBefore`. */
	deleteExpiredSessions(lastUsedBefore: number, createdBefore: number): Promise<void>;
	/** Whether a write transaction can be opened right now. */
	checkWritable(): Promise<boolean>;
	close(): Promise<void>;
}

export interface UpdateRow {
	doc: string;
	update: Uint8Array;
}

export interface StoredDocument {
	snapshot: Uint8Array | null;
	updates: { id: number; data: Uint8Array }[];
	/** Bytes held for this document: snapshot plus log. */
	bytes: number;
}

export interface Workshop {
	id: string;
	title: string;
	createdAt: number;
	/** The facilitator who created it; null for workshops made before accounts existed. */
	ownerId: string | null;
}

/** A facilitator account. */
export interface User {
	id: string;
	/** Normalised (trimmed, lower case): unique. */
	login: string;
	/** Argon2id PHC string. */
	passwordHash: string;
	createdAt: number;
}

/** A session as stored: the secret itself is never stored, only its SHA-256. */
export interface StoredSession {
	id: string;
	userId: string;
	secretHash: Uint8Array;
	createdAt: number;
	lastVerifiedAt: number;
}
