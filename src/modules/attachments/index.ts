/** Photos and documents stored by content hash, with metadata-free copies and thumbnails of images. */
export { createAttachmentService, type Attachment, type AttachmentService, type Variant } from './attachment.service.js';
/** Accepted types and sizes. */
export { MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES, sniffType } from './attachment.rules.js';
