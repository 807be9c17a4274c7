/** Dates, times and durations as people in Kaizhou read them: China Standard Time, Chinese or English units. */
import type { Locale } from '../../locales/index.js';

const CST = 'Asia/Shanghai';

export function formatDateTime(d: Date | null | undefined, locale: Locale): string {
  if (!d) return '';
  return d.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: CST, hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(d: Date | null | undefined, locale: Locale): string {
  if (!d) return '';
  return d.toLocaleDateString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: CST, year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** A duration in the two largest units: "3天4小时", "2 h 15 min". */
export function formatDuration(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const zh = locale !== 'en';
  const parts: string[] = [];
  if (days) parts.push(zh ? `${days}天` : `${days} d`);
  if (hours) parts.push(zh ? `${hours}小时` : `${hours} h`);
  if (!days && (mins || parts.length === 0)) parts.push(zh ? `${mins}分钟` : `${mins} min`);
  return parts.slice(0, 2).join(zh ? '' : ' ');
}
