import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration } from './format.js';

describe('format', () => {
  it('shows durations in the two largest units', () => {
    expect(formatDuration(0, 'zh-CN')).toBe('0分钟');
    expect(formatDuration(135 * 60_000, 'zh-CN')).toBe('2小时15分钟');
    expect(formatDuration((3 * 24 + 4) * 3600_000 + 59_000, 'zh-CN')).toBe('3天4小时');
    expect(formatDuration(-90 * 60_000, 'en')).toBe('1 h 30 min');
  });

  it('shows instants in China Standard Time', () => {
    expect(formatDateTime(new Date('2026-03-02T01:05:00Z'), 'zh-CN')).toBe('2026/03/02 09:05');
  });
});
