/** All SQL of attachments. */
import type { GeneratedAlways, Selectable } from 'kysely';
import type { Executor } from '../../kernel/db.js';

export interface AttachmentsTable {
  id: GeneratedAlways<number>;
  sha256: string;
  mime: string;
  bytes: number;
  original_name: string | null;
  kind: 'image' | 'document';
  width: number | null;
  height: number | null;
  clean_sha256: string | null;
  thumb_sha256: string | null;
  created_by: number | null;
  created_at: Date;
}

type Db = Executor<{ attachments: AttachmentsTable }>;
export type AttachmentRow = Selectable<AttachmentsTable>;

export async function insertAttachment(db: Db, a: Omit<AttachmentRow, 'id'>): Promise<AttachmentRow> {
  return db.insertInto('attachments').values(a).returningAll().executeTakeFirstOrThrow();
}

export async function findAttachment(db: Db, id: number): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAttachments(db: Db, ids: readonly number[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('attachments').selectAll().where('id', 'in', [...ids]).orderBy('id').execute();
}
