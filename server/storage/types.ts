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
	listWorkshops(limit: number): Promise<Workshop[]>;
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
}
