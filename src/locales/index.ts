/**
 * User-facing text, Simplified Chinese first. Each area keeps its own file under zh-CN/ and en/; the English
 * file is typed against the Chinese one, so a key missing in English fails type-checking.
 */
import { account as enAccount } from './en/account.js';
import { admin as enAdmin } from './en/admin.js';
import { auth as enAuth } from './en/auth.js';
import { calendar as enCalendar } from './en/calendar.js';
import { common as enCommon } from './en/common.js';
import { errors as enErrors } from './en/errors.js';
import { geo as enGeo } from './en/geo.js';
import { incidents as enIncidents } from './en/incidents.js';
import { lifeline as enLifeline } from './en/lifeline.js';
import { open311 as enOpen311 } from './en/open311.js';
import { people as enPeople } from './en/people.js';
import { portal as enPortal } from './en/portal.js';
import { safety as enSafety } from './en/safety.js';
import { publicReport as enPublicReport } from './en/public.js';
import { tokens as enTokens } from './en/tokens.js';
import { workbench as enWorkbench } from './en/workbench.js';
import { account } from './zh-CN/account.js';
import { admin } from './zh-CN/admin.js';
import { auth } from './zh-CN/auth.js';
import { calendar } from './zh-CN/calendar.js';
import { common } from './zh-CN/common.js';
import { errors } from './zh-CN/errors.js';
import { geo } from './zh-CN/geo.js';
import { incidents } from './zh-CN/incidents.js';
import { people } from './zh-CN/people.js';
import { portal } from './zh-CN/portal.js';
import { safety } from './zh-CN/safety.js';
import { publicReport } from './zh-CN/public.js';
import { lifeline } from './zh-CN/lifeline.js';
import { open311 } from './zh-CN/open311.js';
import { tokens } from './zh-CN/tokens.js';
import { workbench } from './zh-CN/workbench.js';

const zhCN = { ...common, ...errors, ...auth, ...workbench, ...admin, ...calendar, ...incidents, ...geo, ...portal, ...account, ...people, ...tokens, ...lifeline, ...open311, ...safety, ...publicReport };
const en: Record<MessageKey, string> = { ...enCommon, ...enErrors, ...enAuth, ...enWorkbench, ...enAdmin, ...enCalendar, ...enIncidents, ...enGeo, ...enPortal, ...enAccount, ...enPeople, ...enTokens, ...enLifeline, ...enOpen311, ...enSafety, ...enPublicReport };

export type MessageKey = keyof typeof zhCN;
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const catalogs: Record<Locale, Record<string, string>> = { 'zh-CN': zhCN, en };

export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Whether `key` names a message (for codes that arrive at run time, such as DomainError codes). */
export function hasMessage(key: string): key is MessageKey {
  return key in zhCN;
}

/** A translator for one locale; unknown keys fall back to Chinese, then to the key itself. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) => interpolate(catalog[key] ?? zhCN[key] ?? key, params);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
