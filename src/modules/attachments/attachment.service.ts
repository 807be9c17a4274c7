/**
 * Attachments: files stored once by content hash (SHA-256) under the upload directory, written to a temporary
 * name and renamed, so a file is complete before its row exists. Images are decoded (which proves they are
 * images), auto-rotated and re-encoded without metadata — no EXIF location — for anything shown; a thumbnail is
 * made at the same time. The original is kept for staff as evidence.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Clock } from '../../kernel/clock.js';
import type { Database } from '../../kernel/db.js';
import { DomainError, notFound } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { refusal, sniffType } from './attachment.rules.js';
import * as repo from './attachment.repository.js';

export interface Attachment {
  readonly id: number;
  readonly sha256: string;
  readonly mime: string;
  readonly bytes: number;
  readonly originalName: string | null;
  readonly kind: 'image' | 'document';
  readonly width: number | null;
  readonly height: number | null;
  readonly hasClean: boolean;
  readonly hasThumb: boolean;
  readonly createdAt: Date;
}

export type Variant = 'original' | 'clean' | 'thumb';

export interface AttachmentService {
  /** Checks, stores and registers a file; images get a metadata-free copy and a thumbnail. */
  store(bytes: Uint8Array, meta: { name?: string; allow?: 'image' | 'any' }, by: Initiator): Promise<Attachment>;
  get(id: number): Promise<Attachment>;
  list(ids: readonly number[]): Promise<Attachment[]>;
  /** The bytes of one variant ('clean' falls back to the original for documents). */
  read(id: number, variant: Variant): Promise<{ bytes: Buffer; mime: string; name: string | null }>;
}

const toAttachment = (r: repo.AttachmentRow): Attachment => ({
  id: r.id,
  sha256: r.sha256,
  mime: r.mime,
  bytes: r.bytes,
  originalName: r.original_name,
  kind: r.kind,
  width: r.width,
  height: r.height,
  hasClean: r.clean_sha256 !== null,
  hasThumb: r.thumb_sha256 !== null,
  createdAt: r.created_at,
});

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function createAttachmentService(database: Database, clock: Clock, uploadDir: string): AttachmentService {
  const fileOf = (hash: string) => path.join(uploadDir, hash.slice(0, 2), hash.slice(2, 4), hash);

  async function put(bytes: Uint8Array): Promise<string> {
    const hash = sha256(bytes);
    const file = fileOf(hash);
    try {
      await fs.access(file);
      return hash; // already stored: content addressing makes duplicates free
    } catch {
      /* store it */
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync(); // durable before it is acknowledged
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    return hash;
  }

  const service: AttachmentService = {
    async store(bytes, meta, by) {
      const type = sniffType(bytes, meta.name);
      const refused = refusal(bytes, type, meta.allow);
      if (refused) {
        throw new DomainError(refused.code === 'ATTACHMENT.TOO_LARGE' ? 'TooLarge' : 'Invalid', refused.code, `File refused: ${refused.code}`, {
          params: refused.code === 'ATTACHMENT.TOO_LARGE' ? { max: `${Math.round(refused.max / 1048576)} MB` } : {},
          fields: [{ path: 'file', code: refused.code, message: refused.code }],
        });
      }
      let width: number | null = null;
      let height: number | null = null;
      let clean: string | null = null;
      let thumb: string | null = null;
      if (type!.kind === 'image') {
        try {
          const image = sharp(bytes, { failOn: 'error', limitInputPixels: 80_000_000 }).rotate();
          const { data, info } = await image.clone().jpeg({ quality: 85, mozjpeg: true }).toBuffer({ resolveWithObject: true });
          width = info.width;
          height = info.height;
          clean = await put(data); // sharp writes no metadata unless asked: EXIF, GPS and XMP are gone
          thumb = await put(await image.clone().resize({ width: 480, height: 480, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer());
        } catch {
          throw new DomainError('Invalid', 'ATTACHMENT.UNREADABLE_IMAGE', 'The image could not be read', { fields: [{ path: 'file', code: 'ATTACHMENT.UNREADABLE_IMAGE', message: 'unreadable image' }] });
        }
      }
      const hash = await put(bytes);
      const row = await repo.insertAttachment(database.db, {
        sha256: hash,
        mime: type!.mime,
        bytes: bytes.byteLength,
        original_name: meta.name?.slice(0, 200) ?? null,
        kind: type!.kind,
        width,
        height,
        clean_sha256: clean,
        thumb_sha256: thumb,
        created_by: by.userId,
        created_at: clock.now(),
      });
      return toAttachment(row);
    },
    async get(id) {
      const row = await repo.findAttachment(database.db, id);
      if (!row) throw notFound('ATTACHMENT.NOT_FOUND', `No attachment ${id}`, { id });
      return toAttachment(row);
    },
    list: async (ids) => (await repo.findAttachments(database.db, ids)).map(toAttachment),
    async read(id, variant) {
      const row = await repo.findAttachment(database.db, id);
      if (!row) throw notFound('ATTACHMENT.NOT_FOUND', `No attachment ${id}`, { id });
      const hash = variant === 'thumb' ? (row.thumb_sha256 ?? row.clean_sha256 ?? row.sha256) : variant === 'clean' ? (row.clean_sha256 ?? row.sha256) : row.sha256;
      const mime = hash === row.sha256 ? row.mime : 'image/jpeg';
      try {
        return { bytes: await fs.readFile(fileOf(hash)), mime, name: row.original_name };
      } catch {
        throw notFound('ATTACHMENT.FILE_MISSING', `The file of attachment ${id} is missing`, { id });
      }
    },
  };
  return service;
}
