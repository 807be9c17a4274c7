/** Documents of the portal (articles, policies, interpretations, service guides) and their revisions. */
export const DOCUMENT_KINDS = ['article', 'policy', 'interpretation', 'guide'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** States of a document's working copy: 起草 → 审核 → 发布 (with scheduling and withdrawal). */
export const DOCUMENT_STATES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'withdrawn'] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

export const POLICY_STATUSES = ['in_force', 'amended', 'repealed'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export interface Attachment {
  readonly sha256: string;
  readonly name: string;
  readonly title: string;
  readonly bytes: number;
  readonly mime: string;
}

/** One removal by the sanitiser: what kind of thing, which one, how often. */
export interface Removal {
  readonly kind: 'element' | 'attribute' | 'url';
  readonly what: string;
  readonly count: number;
}

export interface Revision {
  readonly documentId: number;
  readonly number: number;
  readonly title: string;
  readonly source: string | null;
  readonly author: string | null;
  readonly docNumber: string | null;
  readonly summary: string | null;
  readonly bodyHtml: string;
  readonly attachments: readonly Attachment[];
  readonly removed: readonly Removal[];
  readonly note: string | null;
  readonly createdAt: Date;
  readonly createdBy: number | null;
}

export interface DocumentRecord {
  readonly id: number;
  readonly columnId: number;
  readonly kind: DocumentKind;
  readonly state: DocumentState;
  readonly revisionNo: number;
  readonly liveRevisionNo: number | null;
  readonly publishedAt: Date | null;
  readonly scheduledAt: Date | null;
  readonly withdrawAt: Date | null;
  readonly pinnedAt: Date | null;
  readonly policyStatus: PolicyStatus | null;
  readonly policyStatusNote: string | null;
  readonly supersededById: number | null;
  readonly interpretsId: number | null;
  readonly unitId: number | null;
  readonly submittedBy: number | null;
  readonly approvedBy: number | null;
  readonly createdBy: number | null;
  readonly isDemo: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A document with the revision in question (the working copy for staff, the live one for the public). */
export interface DocumentView extends DocumentRecord {
  readonly revision: Revision;
}

/** A line of a list: enough to show a title, a date and marks. */
export interface DocumentSummary {
  readonly id: number;
  readonly columnId: number;
  readonly kind: DocumentKind;
  readonly state: DocumentState;
  readonly title: string;
  readonly summary: string | null;
  readonly publishedAt: Date | null;
  readonly updatedAt: Date;
  readonly pinned: boolean;
  readonly live: boolean;
  readonly policyStatus: PolicyStatus | null;
  readonly isDemo: boolean;
}

export interface DocumentEvent {
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly revisionNo: number | null;
  readonly at: Date;
  readonly actorUserId: number | null;
  readonly actorLabel: string;
  readonly note: string | null;
  readonly details: Record<string, unknown>;
}

/** What an editor fills in. The body is HTML (or plain paragraphs), sanitised on save. */
export interface DocumentInput {
  readonly columnId: number;
  readonly kind: DocumentKind;
  readonly title: string;
  readonly source?: string | null;
  readonly author?: string | null;
  readonly docNumber?: string | null;
  readonly summary?: string | null;
  readonly bodyHtml: string;
  readonly interpretsId?: number | null;
  readonly unitId?: number | null;
  readonly note?: string | null;
}
