/** The public portal: columns, documents and their editorial workflow, page furniture, search and freshness. */
export { createPortalService, type PortalDeps, type PortalService } from './portal.service.js';
/** Use cases of documents, the site's furniture, dead links and freshness. */
export type { ContentService, PublicDocument, SearchQuery, SearchResult, StaffDocument, UploadedFile } from './content.service.js';
export { linkUrlProblem, type SiteService } from './site.service.js';
export { createHttpLinkProbe, type LinkCheckService, type LinkPlace } from './link-check.service.js';
export { HOME_KINDS, type FreshnessReport, type FreshnessService } from './freshness.service.js';
/** Shared shapes and the ports other modules plug into (message backlog, link probe). */
export type { LinkProbe, MessageBacklog, StaffContext } from './portal.js';
/** Columns, link directories, unit profiles. */
export { COLUMN_KINDS, type Column, type ColumnInput, type ColumnKind, type Leader, type Link, type LinkCheck, type LinkGroup, type SiteFurniture, type UnitProfile } from './column.js';
/** The column tree's rules (trail, subtree, children). */
export { childrenOf, hiddenFromPublic, subtreeIds, trail } from './column.rules.js';
/** Documents, revisions, kinds and states. */
export {
  DOCUMENT_KINDS,
  DOCUMENT_STATES,
  POLICY_STATUSES,
  type Attachment,
  type DocumentEvent,
  type DocumentInput,
  type DocumentKind,
  type DocumentRecord,
  type DocumentState,
  type DocumentSummary,
  type PolicyStatus,
  type Removal,
  type Revision,
} from './document.js';
/** The editorial workflow's table and decide function. */
export { DOCUMENT_ACTIONS, PERSON_ACTIONS, TRANSITIONS, allowedActions, decide, type DocumentAction, type PersonAction } from './document.workflow.js';
/** The pre-publication check. */
export { WORD_KINDS, checkContent, type CheckFinding, type WordEntry, type WordKind } from './content-check.rules.js';
/** The difference between two revisions. */
export type { DiffPart, FieldDiff, RevisionDiff } from './revision-diff.rules.js';
/** Freshness findings. */
export type { FindingLevel, FreshnessFinding } from './freshness.rules.js';
/** Highlighting and excerpts for search results. */
export { MAX_QUERY_CHARS, excerpt, highlight, type Piece } from './search.rules.js';
/** Uploaded files on disk by content hash. */
export { createDiskFileStore, createMemoryFileStore, type FileStore } from './file-store.js';
/** Warms the Chinese segmenter's dictionary. */
export { warmSegmenter } from './segmenter.js';
/** Table types, for queries elsewhere that join portal tables. */
export type { ContentTables } from './content.repository.js';
export type { SiteTables } from './site.repository.js';
