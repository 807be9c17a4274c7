/**
 * The Open311 GeoReport v2 wire format: one document model, rendered as XML or as JSON, so both formats carry
 * identical content. The JSON is the mechanical "Spark convention" mapping of the XML the spec describes: a
 * list element (<services><service/>…</services>) becomes an array, an element with children an object, text a
 * value. XML is UTF-8 with no namespace. Pure.
 */

/** A list whose XML items are named `item` (<attributes><attribute/>…). In JSON it is an array. */
export class WireList {
  constructor(
    readonly item: string,
    readonly items: readonly WireValue[],
  ) {}
}

export type WireScalar = string | number | boolean | null;
export type WireValue = WireScalar | WireList | { readonly [key: string]: WireValue | undefined };

/** A whole response: the XML root element and its content. */
export interface WireDocument {
  readonly root: string;
  readonly body: WireValue;
}

export const FORMATS = ['xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPE: Readonly<Record<Format, string>> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''); // eslint-disable-line no-control-regex -- XML 1.0 forbids these characters

function xmlOf(name: string, value: WireValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return `<${name}></${name}>`;
  if (value instanceof WireList) return `<${name}>${value.items.map((v) => xmlOf(value.item, v)).join('')}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => xmlOf(k, v))
      .join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function jsonOf(value: WireValue | undefined): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (value instanceof WireList) return value.items.map(jsonOf);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonOf(v);
  return out;
}

/** The document as XML, with the declaration the spec requires. */
export function toXml(doc: WireDocument): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xmlOf(doc.root, doc.body)}`;
}

/** The document as JSON (the root element's name is dropped, as in the spec's examples). */
export function toJson(doc: WireDocument): string {
  return JSON.stringify(jsonOf(doc.body));
}

export function render(doc: WireDocument, format: Format): string {
  return format === 'xml' ? toXml(doc) : toJson(doc);
}

/** One Open311 error: `code` is the HTTP status or a more specific number, `description` says what to fix. */
export interface WireError {
  readonly code: number;
  readonly description: string;
}

/** Errors per spec: <errors><error><code/><description/></error></errors>, a JSON array of {code, description}. */
export function errorsDocument(errors: readonly WireError[]): WireDocument {
  return { root: 'errors', body: new WireList('error', errors.map((e) => ({ code: e.code, description: e.description }))) };
}
