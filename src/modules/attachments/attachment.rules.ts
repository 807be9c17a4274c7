/**
 * What files are accepted: the type is read from the file's first bytes, never from its name or the browser's
 * claim. Photos up to 10 MB, documents up to 20 MB (issue 4 §5; issue 5 §6).
 */
export interface FileType {
  readonly mime: string;
  readonly kind: 'image' | 'document';
  readonly ext: string;
}

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const startsWith = (b: Uint8Array, sig: readonly number[], offset = 0) => sig.every((v, i) => b[offset + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** The type of a file from its magic bytes (and, for Office files inside a ZIP, its name), or undefined. */
export function sniffType(bytes: Uint8Array, name = ''): FileType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', kind: 'image', ext: 'jpg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', kind: 'image', ext: 'png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { mime: 'image/webp', kind: 'image', ext: 'webp' };
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return { mime: 'image/gif', kind: 'image', ext: 'gif' };
  if (ascii(bytes, 4, 8) === 'ftyp' && ['heic', 'heix', 'mif1', 'msf1', 'heis'].includes(ascii(bytes, 8, 12))) return { mime: 'image/heic', kind: 'image', ext: 'heic' };
  if (ascii(bytes, 0, 5) === '%PDF-') return { mime: 'application/pdf', kind: 'document', ext: 'pdf' };
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const lower = name.toLowerCase();
    if (lower.endsWith('.docx')) return { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', kind: 'document', ext: 'docx' };
    if (lower.endsWith('.xlsx')) return { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', kind: 'document', ext: 'xlsx' };
    if (lower.endsWith('.pptx')) return { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', kind: 'document', ext: 'pptx' };
    return undefined;
  }
  return undefined;
}

export type Refusal = { readonly code: 'ATTACHMENT.TYPE_NOT_ALLOWED' } | { readonly code: 'ATTACHMENT.TOO_LARGE'; readonly max: number } | { readonly code: 'ATTACHMENT.EMPTY' };

/** Why a file is refused, or undefined when it is acceptable. */
export function refusal(bytes: Uint8Array, type: FileType | undefined, allow: 'image' | 'any' = 'any'): Refusal | undefined {
  if (bytes.byteLength === 0) return { code: 'ATTACHMENT.EMPTY' };
  if (!type || (allow === 'image' && type.kind !== 'image')) return { code: 'ATTACHMENT.TYPE_NOT_ALLOWED' };
  const max = type.kind === 'image' ? MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
  if (bytes.byteLength > max) return { code: 'ATTACHMENT.TOO_LARGE', max };
  return undefined;
}
