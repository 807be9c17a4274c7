import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ZH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'zh-CN');

describe('locale areas', () => {
  it('define each key in one area only, so that merging areas never silently replaces a text', async () => {
    const owners = new Map<string, string[]>();
    for (const file of fs.readdirSync(ZH).filter((f) => f.endsWith('.ts'))) {
      const mod = (await import(path.join(ZH, file))) as Record<string, Record<string, string>>;
      for (const area of Object.values(mod)) for (const key of Object.keys(area)) owners.set(key, [...(owners.get(key) ?? []), file]);
    }
    expect([...owners].filter(([, files]) => files.length > 1).map(([key, files]) => `${key}: ${files.join(', ')}`)).toEqual([]);
    expect(owners.size).toBeGreaterThan(100);
  });
});
