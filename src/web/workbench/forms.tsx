/** Small pieces shared by workbench forms: reading fields, and showing problems next to the input kept. */
import type { Context } from 'hono';
import type { FC } from 'hono/jsx';
import { DomainError, type FieldProblem } from '../../kernel/errors.js';
import type { Translate } from '../../locales/index.js';
import type { AppEnv } from '../context.js';
import { describe } from '../middleware/errors.js';

export type FormBody = Record<string, string | File | (string | File)[]>;

export async function readForm(c: Context<AppEnv>): Promise<FormBody> {
  try {
    return (await c.req.parseBody({ all: true })) as FormBody;
  } catch {
    throw new DomainError('BadRequest', 'REQUEST.MALFORMED_FORM', 'The form body could not be parsed');
  }
}

/** A text field of a form, trimmed; '' when absent or a file. */
export function text(body: FormBody, name: string, max = 2000): string {
  const v = body[name];
  const s = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  return s.trim().slice(0, max);
}

/** An optional whole number; undefined when empty, NaN when not a number (the service reports it). */
export function optionalInt(body: FormBody, name: string): number | undefined {
  const s = text(body, name, 20);
  return s === '' ? undefined : Number(s);
}

export function file(body: FormBody, name: string): File | undefined {
  const v = body[name];
  return v instanceof File && v.size > 0 ? v : undefined;
}

/** The translated lines of a DomainError, for an alert above a form. */
export function problemLines(t: Translate, e: DomainError): string[] {
  const head = describe(t, e.code, e.message, e.details.params);
  const fields = (e.details.fields ?? []).map((f) => describe(t, f.code, f.message, f.params));
  return fields.length ? [head, ...fields.filter((f) => f !== head)] : [head];
}

export const ProblemAlert: FC<{ lines?: readonly string[] }> = ({ lines }) =>
  lines && lines.length ? (
    <div class="alert alert-error" role="alert">
      <p>{lines[0]}</p>
      {lines.length > 1 && (
        <ul>
          {lines.slice(1).map((l) => (
            <li>{l}</li>
          ))}
        </ul>
      )}
    </div>
  ) : null;

export const Notice: FC<{ text?: string }> = ({ text }) =>
  text ? (
    <p class="alert alert-info" role="status">
      {text}
    </p>
  ) : null;

/**
 * Runs a form action: on an Invalid/Conflict/NotFound domain error, returns the problems instead of throwing.
 * `alsoForbidden` shows a refusal of the action's content (not of the page) in place as well.
 */
export async function attempt<R>(
  t: Translate,
  fn: () => Promise<R>,
  options: { alsoForbidden?: boolean } = {},
): Promise<{ ok: true; value: R } | { ok: false; lines: string[]; error: DomainError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    const kinds = ['Invalid', 'Conflict', 'NotFound', 'BadRequest', 'TooLarge', ...(options.alsoForbidden ? ['Forbidden'] : [])];
    if (e instanceof DomainError && kinds.includes(e.kind)) {
      return { ok: false, lines: problemLines(t, e), error: e };
    }
    throw e;
  }
}

/**
 * The problems of a refused file import, one row per problem: the line and field it names (from its params, else
 * from a `line:field` path) and what is wrong. A focusable, labelled region, so a wide table scrolls by keyboard.
 */
export const ImportProblemTable: FC<{ t: Translate; rows: readonly FieldProblem[]; linesFromPath?: boolean }> = ({ t, rows, linesFromPath = true }) =>
  rows.length > 0 ? (
    <div class="table-scroll" role="region" tabindex={0} aria-label={t('units.problem')}>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t('units.line')}</th>
            <th scope="col">{t('units.field')}</th>
            <th scope="col">{t('units.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => (
            <tr>
              <td>{String(f.params?.line ?? (linesFromPath ? f.path.split(':')[0] : ''))}</td>
              <td>{String(f.params?.field ?? (linesFromPath ? (f.path.split(':')[1] ?? '') : ''))}</td>
              <td>{describe(t, f.code, f.message, f.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  ) : null;

export type { FieldProblem };
