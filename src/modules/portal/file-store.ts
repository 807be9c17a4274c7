/**
 * Uploaded files on disk, addressed by their SHA-256 (UPLOAD_DIR/ab/cd/<sha256>): the same file uploaded twice is
 * stored once, a stored file never changes, and its address can be cached forever. Written to a temporary name
 * and renamed, so a reader never sees half a file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface FileStore {
  /** Stores the bytes and returns their SHA-256 (hex). */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of a stored file, or undefined. */
  get(sha256: string): Promise<Uint8Array | undefined>;
}

const SHA = /^[0-9a-f]{64}$/;

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createDiskFileStore(dir: string): FileStore {
  const where = (sha: string) => path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    async put(bytes) {
      const sha = sha256Of(bytes);
      const file = where(sha);
      try {
        await fs.access(file);
        return sha;
      } catch {
        // not stored yet
      }
      await fs.mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, file);
      return sha;
    },
    async get(sha) {
      if (!SHA.test(sha)) return undefined;
      try {
        return new Uint8Array(await fs.readFile(where(sha)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
  };
}

/** A store in memory, for tests. */
export function createMemoryFileStore(): FileStore {
  const files = new Map<string, Uint8Array>();
  return {
    async put(bytes) {
      const sha = sha256Of(bytes);
      files.set(sha, bytes);
      return sha;
    },
    async get(sha) {
      return files.get(sha);
    },
  };
}

/** Kinds of upload accepted, recognised by their first bytes (the declared type and name are not trusted). */
export function sniffType(bytes: Uint8Array, name: string): string | undefined {
  const b = bytes;
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'image/webp';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'application/pdf';
  const ext = path.extname(name).toLowerCase();
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    // ZIP containers: OOXML, OFD (the Chinese fixed-layout format) or a plain archive.
    return ({ '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '.ofd': 'application/ofd', '.zip': 'application/zip' } as Record<string, string>)[ext];
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) return ext === '.xls' ? 'application/vnd.ms-excel' : 'application/msword';
  if (['.txt', '.csv'].includes(ext)) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return ext === '.csv' ? 'text/csv' : 'text/plain';
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
