import { describe, expect, it } from 'vitest';
import { REDACTED as R, maskName, redact } from './redaction.rules.js';

describe('redaction of published letters', () => {
  const cases: [string, string, string, string[]?][] = [
    ['a mobile number', '请联系我 13812345678 谢谢', `请联系我 ${R} 谢谢`],
    ['a mobile number with +86 and spaces', '电话+86 138 1234 5678。', `电话${R}。`],
    ['a mobile number with dashes', '138-1234-5678', R],
    ['a landline with area code', '座机 023-52281234', `座机 ${R}`],
    ['an 18-digit ID card number', '身份证500234199001011234', `身份证${R}`],
    ['an ID card number ending in X', '证号 50023419900101123X 。', `证号 ${R} 。`],
    ['an old 15-digit ID card number', '500234900101123', R],
    ['an e-mail address', '回复到 zhang.san@example.com 即可', `回复到 ${R} 即可`],
    ['the reporter name', '我是张三，张三反映路灯不亮', '我是张某，张某反映路灯不亮', ['张三']],
    ['a compound surname', '欧阳娜娜来信', '欧某来信', ['欧阳娜娜']],
    ['a one-character name is left (too ambiguous)', '王说', '王说', ['王']],
    ['a house number', '滨湖路88号门前', `滨湖路${R}号门前`],
    ['building, unit and room', '3栋2单元501室漏水', `${R}栋${R}单元${R}室漏水`],
    ['Chinese numerals', '十二号楼', `${R}号楼`],
    ['a numbered range', '12-3号', `${R}号`],
    ['text without personal data', '人行道井盖缺失，请尽快处理。', '人行道井盖缺失，请尽快处理。'],
    ['a year is not a phone number', '2026年3月', '2026年3月'],
    ['an amount is not a phone number', '罚款500元', '罚款500元'],
  ];
  it.each(cases)('removes %s', (_what, input, expected, names) => {
    expect(redact(input, { names })).toBe(expected);
  });

  it('masks names to the surname and 某', () => {
    expect(maskName('李四')).toBe('李某');
    expect(maskName(' ')).toBe('');
  });
});
