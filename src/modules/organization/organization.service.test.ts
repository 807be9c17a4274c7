import { expect, it } from 'vitest';
import { describeEachEngine } from '../../../test/db.js';
import { FakeClock } from '../../kernel/clock.js';
import type { PolicyActor } from '../access/index.js';
import { createAuditService } from '../audit/index.js';
import { createOrganizationService } from './organization.service.js';

const admin: PolicyActor = { userId: 1, posts: [{ role: 'admin', unitPath: '/1/', townPath: null }], grants: [] };
const dispatcher: PolicyActor = { userId: 2, posts: [{ role: 'town_dispatcher', unitPath: '/1/5/', townPath: '/1/5/' }], grants: [] };
const by = { userId: null, label: 'admin', ip: '10.0.0.9' };

describeEachEngine('organisation service', (suite) => {
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');
  const audit = () => createAuditService(suite.database, clock);
  const org = () => createOrganizationService(suite.database, clock, audit());
  const ctx = { actor: admin, by };

  it('ships the 40 towns, each with its command center and four boards', async () => {
    const towns = await org().listTowns();
    expect(towns).toHaveLength(40);
    expect(towns.filter((t) => t.kind === 'street')).toHaveLength(8);
    expect(towns.filter((t) => t.kind === 'town')).toHaveLength(27);
    expect(towns.filter((t) => t.kind === 'township')).toHaveLength(5);
    const hanfeng = await org().getUnitByCode('500154001');
    const { children } = await org().getUnitContext(hanfeng);
    expect(children.map((c) => c.name)).toEqual(['汉丰街道基层治理指挥中心']);
    const boards = (await org().getUnitContext(children[0]!)).children;
    expect(boards.map((b) => b.subtype)).toEqual(['party_building', 'economy', 'livelihood', 'safety_law']);
    expect(boards[0]!.path.startsWith(hanfeng.path)).toBe(true);
  });

  it('creates a village and a grid under a town, keeping paths, and refuses wrong placements', async () => {
    const village = await org().create(ctx, { code: 'T-V1', name: '测试村', kind: 'village', parentCode: '500154100', sortOrder: 1 });
    const grid = await org().create(ctx, { code: 'T-V1-G1', name: '测试网格一', kind: 'grid', subtype: 'comprehensive', parentCode: 'T-V1', sortOrder: 1, households: 320, residents: 960 });
    expect(grid.path).toBe(`${village.path}${grid.id}/`);
    await expect(org().create(ctx, { code: 'T-BAD', name: '错放', kind: 'grid', parentCode: 'D-NOPE', sortOrder: 0 })).rejects.toMatchObject({ code: 'UNIT.PARENT_NOT_FOUND' });
    await expect(org().create(ctx, { code: 'T-BAD', name: '错放', kind: 'town', parentCode: 'T-V1', sortOrder: 0 })).rejects.toMatchObject({ code: 'UNIT.PARENT_NOT_ALLOWED' });
    await expect(org().create(ctx, { code: 'T-V1', name: '重复', kind: 'village', parentCode: '500154100', sortOrder: 0 })).rejects.toMatchObject({ kind: 'Conflict', code: 'UNIT.CODE_TAKEN' });
    await expect(org().create(ctx, { code: 'T-G9', name: '错类', kind: 'grid', subtype: 'economy', parentCode: 'T-V1', sortOrder: 0 })).rejects.toMatchObject({ kind: 'Invalid' });
    await expect(org().create({ actor: dispatcher, by }, { code: 'T-V2', name: '越权', kind: 'village', parentCode: '500154100', sortOrder: 0 })).rejects.toMatchObject({ kind: 'Forbidden' });
  });

  it('renames a unit, keeps the old name in its history and in the audit trail', async () => {
    const unit = await org().getUnitByCode('T-V1');
    await org().update(ctx, unit.id, { name: '测试新村' });
    expect((await org().getUnitById(unit.id)).name).toBe('测试新村');
    const history = await org().history(admin, unit.id);
    expect(history.map((h) => h.kind)).toEqual(['created', 'renamed']);
    expect(history[1]!.details).toEqual({ from: '测试村', to: '测试新村' });
    const [entry] = await audit().search({ action: 'unit.rename', targetId: 'T-V1' }, { limit: 1 });
    expect(entry).toMatchObject({ actorLabel: 'admin', ip: '10.0.0.9', details: { name: { from: '测试村', to: '测试新村' } } });
  });

  it('moves a subtree with its paths, and refuses moving a unit under itself', async () => {
    const village = await org().getUnitByCode('T-V1');
    const grid = await org().getUnitByCode('T-V1-G1');
    const moved = await org().move(ctx, village.id, (await org().getUnitByCode('500154102')).id);
    const gridAfter = await org().getUnitById(grid.id);
    expect(gridAfter.path).toBe(`${moved.path}${grid.id}/`);
    await expect(org().move(ctx, village.id, grid.id)).rejects.toMatchObject({ code: 'UNIT.MOVE_INTO_ITSELF' });
  });

  it('merges two grids: children and history stay, the source retires with a successor', async () => {
    const v = await org().getUnitByCode('T-V1');
    await org().create(ctx, { code: 'T-V1-G2', name: '测试网格二', kind: 'grid', parentCode: 'T-V1', sortOrder: 2 });
    const [g1, g2] = [await org().getUnitByCode('T-V1-G1'), await org().getUnitByCode('T-V1-G2')];
    await org().merge(ctx, [g2.id], g1.id);
    const after = await org().getUnitById(g2.id);
    expect(after.retiredAt).not.toBeNull();
    expect(after.successorId).toBe(g1.id);
    expect((await org().getUnitContext(v)).children.map((c) => c.code)).toEqual(['T-V1-G1']);
    await expect(org().merge(ctx, [g2.id], g1.id)).rejects.toMatchObject({ code: 'UNIT.RETIRED' });
  });

  it('splits a village into two, distributing its grids', async () => {
    const v = await org().getUnitByCode('T-V1');
    await org().create(ctx, { code: 'T-V1-G3', name: '测试网格三', kind: 'grid', parentCode: 'T-V1', sortOrder: 3 });
    const [g1, g3] = [await org().getUnitByCode('T-V1-G1'), await org().getUnitByCode('T-V1-G3')];
    await expect(org().split(ctx, v.id, [{ code: 'T-V1A', name: '甲村', childIds: [g1.id] }, { code: 'T-V1B', name: '乙村', childIds: [] }])).rejects.toMatchObject({ code: 'UNIT.SPLIT_CHILDREN' });
    const [a, b] = await org().split(ctx, v.id, [
      { code: 'T-V1A', name: '甲村', childIds: [g1.id] },
      { code: 'T-V1B', name: '乙村', childIds: [g3.id] },
    ]);
    expect((await org().getUnitById(g3.id)).parentId).toBe(b!.id);
    expect((await org().getUnitById(v.id)).retiredAt).not.toBeNull();
    expect((await org().history(admin, v.id)).at(-1)).toMatchObject({ kind: 'split_into', details: { parts: ['T-V1A', 'T-V1B'] } });
    expect(a!.kind).toBe('village');
  });

  it('refuses to retire a unit that still has units under it, unless they move to a successor', async () => {
    const a = await org().getUnitByCode('T-V1A');
    const b = await org().getUnitByCode('T-V1B');
    await expect(org().retire(ctx, a.id)).rejects.toMatchObject({ code: 'UNIT.HAS_CHILDREN' });
    await org().retire(ctx, a.id, b.id);
    expect((await org().getUnitContext(b)).children.map((c) => c.code).sort()).toEqual(['T-V1-G1', 'T-V1-G3']);
  });

  it('imports units from CSV all at once, parents in any order, Chinese kind names accepted', async () => {
    const csv = [
      'code,name,kind,parent_code,subtype,households,residents',
      'CSV-V1-G1,导入网格一,网格,CSV-V1,综合网格,300,900',
      'CSV-V1,导入村,村,500154103,,,',
      'T-V1B,乙村（更名）,village,500154100,,,',
    ].join('\n');
    const result = await org().importCsv(ctx, new TextEncoder().encode(csv));
    expect(result).toEqual({ created: 2, updated: 1, unchanged: 0 });
    const grid = await org().getUnitByCode('CSV-V1-G1');
    expect(grid).toMatchObject({ subtype: 'comprehensive', households: 300, residents: 900 });
    expect((await org().getUnitByCode('T-V1B')).name).toBe('乙村（更名）');
  });

  it('reports every bad row of a CSV precisely and writes nothing', async () => {
    const csv = [
      'code,name,kind,parent_code,subtype,households',
      'CSV-X1,好行,village,500154104,,',
      'CSV-X1,重复代码,village,500154104,,',
      'CSV-X2,未知上级,village,NO-SUCH,,',
      'CSV-X3,类型不对,castle,500154104,,',
      'CSV-X4,户数不对,grid,CSV-X1,,-3',
      'CSV-X5,放错位置,town,CSV-X1,,',
    ].join('\r\n');
    const err = (await org().importCsv(ctx, new TextEncoder().encode(csv)).catch((e: unknown) => e)) as { code: string; details: { fields: { path: string; code: string }[] } };
    expect(err.code).toBe('CSV.ROWS_INVALID');
    expect(err.details.fields.map((f) => `${f.path} ${f.code}`)).toEqual([
      '3:code CSV.DUPLICATE_CODE',
      '4:parent_code UNIT.PARENT_NOT_FOUND',
      '5:kind UNIT.KIND_UNKNOWN',
      '6:households field.invalid',
      '7:parent_code UNIT.PARENT_NOT_ALLOWED',
    ]);
    await expect(org().getUnitByCode('CSV-X1')).rejects.toMatchObject({ code: 'UNIT.NOT_FOUND' });
  });

  it('reads a CSV saved as GBK by a Chinese spreadsheet program', async () => {
    const gbk = Uint8Array.from([...new TextEncoder().encode('code,name,kind,parent_code\nGBK-V1,'), 0xba, 0xba, 0xb7, 0xe1, ...new TextEncoder().encode(',village,500154105\n')]);
    await org().importCsv(ctx, gbk);
    expect((await org().getUnitByCode('GBK-V1')).name).toBe('汉丰');
  });
});
