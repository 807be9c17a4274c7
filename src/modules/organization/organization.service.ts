/**
 * Use cases of the organisation tree. Every change is checked against the access policy, runs in one short
 * transaction (lock → check → save → history → audit) and leaves both a unit event and an audit entry. Units are
 * never deleted: merging, splitting and retiring keep the old unit, so records handled by it stay linked.
 */
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import { conflict, DomainError, invalid, notFound, type FieldProblem } from '../../kernel/errors.js';
import type { Initiator } from '../../kernel/initiator.js';
import { CsvSyntaxError, decodeText, parseCsvRecords } from '../../kernel/csv.js';
import { authorize, type PolicyActor } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { REFERENCE_UNITS } from './reference-data.js';
import { CODE_PATTERN, parentAllowed, subtypeAllowed } from './unit.rules.js';
import { TOWN_KINDS, UNIT_KINDS, type Unit, type UnitDetails, type UnitKind, type UnitSpec } from './unit.js';
import * as repo from './unit.repository.js';

export interface ChangeContext {
  readonly actor: PolicyActor;
  readonly by: Initiator;
}

export interface UnitEvent {
  readonly kind: repo.UnitEventKind;
  readonly at: Date;
  readonly actorUserId: number | null;
  readonly details: Record<string, unknown>;
}

export interface ImportResult {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

export interface OrganizationService {
  /** Inserts the shipped reference units that are missing; returns how many were added. */
  seedReferenceUnits(): Promise<number>;
  /** Inserts units that are missing (matched by code), parents before children; returns how many were added. */
  addMissingUnits(specs: readonly UnitSpec[], options: { isDemo: boolean }): Promise<number>;
  /** The 40 town-level units in official order. */
  listTowns(): Promise<Unit[]>;
  /** Current units of the given kinds. */
  listByKinds(kinds: readonly UnitKind[]): Promise<Unit[]>;
  /** A unit by its code, or UNIT.NOT_FOUND. */
  getUnitByCode(code: string): Promise<Unit>;
  getUnitById(id: number): Promise<Unit>;
  /** The parent of a unit and its current children. */
  getUnitContext(unit: Unit): Promise<{ parent: Unit | undefined; children: Unit[] }>;
  /** The chain of units from the district down to (not including) this one. */
  ancestors(unit: Unit): Promise<Unit[]>;
  /** Children of a unit with how many children each has, for browsing the tree. */
  browse(actor: PolicyActor, parentId: number, includeRetired: boolean): Promise<{ unit: Unit; childCount: number }[]>;
  search(actor: PolicyActor, text: string, limit?: number): Promise<Unit[]>;
  history(actor: PolicyActor, unitId: number): Promise<UnitEvent[]>;
  create(ctx: ChangeContext, spec: UnitSpec): Promise<Unit>;
  /** Renames or edits details; a new name is recorded as a rename. */
  update(ctx: ChangeContext, unitId: number, details: UnitDetails): Promise<Unit>;
  move(ctx: ChangeContext, unitId: number, newParentId: number): Promise<Unit>;
  /** Merges the sources into the target: their children and posts move to it, they retire with it as successor. */
  merge(ctx: ChangeContext, sourceIds: readonly number[], targetId: number): Promise<Unit>;
  /** Splits a unit into new units, distributing its children; the old unit retires. */
  split(ctx: ChangeContext, unitId: number, parts: readonly { code: string; name: string; childIds: readonly number[] }[]): Promise<Unit[]>;
  /** Retires a unit; current children must move to a successor or the call is refused. */
  retire(ctx: ChangeContext, unitId: number, successorId?: number): Promise<void>;
  /** Creates or updates units from CSV (UTF-8 or GB18030); every row is checked first, then all is written or nothing. */
  importCsv(ctx: ChangeContext, bytes: Uint8Array): Promise<ImportResult>;
}

const KIND_ALIASES: Record<string, UnitKind> = {
  区: 'district',
  区县: 'district',
  中心: 'district_center',
  部门: 'department',
  区级部门: 'department',
  公用事业: 'utility',
  企业: 'utility',
  街道: 'street',
  镇: 'town',
  乡: 'township',
  指挥中心: 'command_center',
  板块: 'board',
  社区: 'community',
  村: 'village',
  网格: 'grid',
};

const BOARD_ALIASES: Record<string, string> = {
  党的建设: 'party_building',
  经济发展: 'economy',
  民生服务: 'livelihood',
  平安法治: 'safety_law',
  综合网格: 'comprehensive',
  专属网格: 'special',
};

export function createOrganizationService(database: Database, clock: Clock, audit: AuditService): OrganizationService {
  const { db } = database;

  const get = async (x: Executor, id: number) => {
    const unit = await repo.findUnitById(x, id);
    if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit ${id}`, { code: String(id) });
    return unit;
  };

  const event = (tx: Executor, ctx: ChangeContext, unitId: number, kind: repo.UnitEventKind, details: Record<string, unknown>) =>
    repo.insertUnitEvent(tx, { unitId, kind, at: clock.now(), actorUserId: ctx.by.userId, details });

  function checkPlacement(kind: UnitKind, parent: Unit | undefined, field = 'parentCode'): FieldProblem[] {
    if (parent?.retiredAt) return [{ path: field, code: 'UNIT.PARENT_RETIRED', message: `parent ${parent.code} is retired`, params: { code: parent.code } }];
    if (!parentAllowed(kind, parent?.kind ?? null)) {
      return [{ path: field, code: 'UNIT.PARENT_NOT_ALLOWED', message: `a ${kind} cannot sit under ${parent?.kind ?? 'nothing'}`, params: { kind, parent: parent?.kind ?? '-' } }];
    }
    return [];
  }

  function checkSpec(spec: UnitSpec): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (!CODE_PATTERN.test(spec.code)) problems.push({ path: 'code', code: 'UNIT.CODE_INVALID', message: 'code: 1–40 letters, digits, - or _' });
    if (!spec.name.trim() || [...spec.name].length > 100) problems.push({ path: 'name', code: 'field.tooLong', message: 'name: 1–100 characters', params: { max: 100 } });
    if (!(UNIT_KINDS as readonly string[]).includes(spec.kind)) problems.push({ path: 'kind', code: 'UNIT.KIND_UNKNOWN', message: `unknown kind ${spec.kind}`, params: { kind: spec.kind } });
    else if (!subtypeAllowed(spec.kind, spec.subtype)) problems.push({ path: 'subtype', code: 'UNIT.SUBTYPE_INVALID', message: `subtype ${spec.subtype} does not fit ${spec.kind}`, params: { subtype: String(spec.subtype) } });
    for (const field of ['households', 'residents'] as const) {
      const v = spec[field];
      if (v !== undefined && v !== null && (!Number.isInteger(v) || v < 0)) problems.push({ path: field, code: 'field.invalid', message: `${field} must be a whole number ≥ 0` });
    }
    return problems;
  }

  const service: OrganizationService = {
    seedReferenceUnits: () => database.transaction((tx) => repo.insertMissingUnits(tx, REFERENCE_UNITS, false)),
    addMissingUnits: (specs, options) => database.transaction((tx) => repo.insertMissingUnits(tx, specs, options.isDemo)),
    listTowns: () => repo.findUnitsByKinds(db, TOWN_KINDS),
    listByKinds: (kinds) => repo.findUnitsByKinds(db, kinds),
    async getUnitByCode(code) {
      const unit = await repo.findUnitByCode(db, code);
      if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit with code ${code}`, { code });
      return unit;
    },
    getUnitById: (id) => get(db, id),
    async getUnitContext(unit) {
      const [parent, children] = await Promise.all([
        unit.parentId === null ? Promise.resolve(undefined) : repo.findUnitById(db, unit.parentId),
        repo.findChildUnits(db, unit.id),
      ]);
      return { parent, children };
    },
    ancestors: (unit) => repo.findAncestors(db, unit),

    async browse(actor, parentId, includeRetired) {
      authorize(actor, 'unit.read');
      const children = await repo.findChildUnits(db, parentId, includeRetired);
      const counts = await repo.countChildren(db, children.map((c) => c.id));
      return children.map((unit) => ({ unit, childCount: counts.get(unit.id) ?? 0 }));
    },
    async search(actor, text, limit = 50) {
      authorize(actor, 'unit.read');
      return repo.searchUnits(db, { text: text.trim().slice(0, 50), limit: Math.min(limit, 200), includeRetired: true });
    },
    async history(actor, unitId) {
      authorize(actor, 'unit.read');
      const rows = await repo.findUnitEvents(db, unitId);
      return rows.map((r) => ({ kind: r.kind, at: r.at, actorUserId: r.actor_user_id, details: (r.details ?? {}) as Record<string, unknown> }));
    },

    async create(ctx, spec) {
      authorize(ctx.actor, 'unit.manage');
      const problems = checkSpec(spec);
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      return database.transaction(async (tx) => {
        const parent = spec.parentCode ? await repo.findUnitByCode(tx, spec.parentCode) : undefined;
        if (spec.parentCode && !parent) throw invalid('UNIT.PARENT_NOT_FOUND', `No unit ${spec.parentCode}`, [{ path: 'parentCode', code: 'UNIT.PARENT_NOT_FOUND', message: 'no such unit', params: { code: spec.parentCode } }], { code: spec.parentCode });
        const placement = checkPlacement(spec.kind, parent);
        if (placement.length) throw invalid(placement[0]!.code, placement[0]!.message, placement, placement[0]!.params as Record<string, string>);
        if (await repo.findUnitByCode(tx, spec.code)) throw conflict('UNIT.CODE_TAKEN', `Code ${spec.code} is taken`, { code: spec.code });
        if (parent) await repo.lockUnits(tx, [parent.id]);
        const unit = await repo.insertUnit(tx, { ...spec, parentId: parent?.id ?? null, isDemo: false });
        await event(tx, ctx, unit.id, 'created', { code: unit.code, name: unit.name, parentCode: spec.parentCode });
        await audit.append(tx, { action: 'unit.create', target: { type: 'unit', id: unit.code }, details: { name: unit.name, kind: unit.kind, parentCode: spec.parentCode } }, ctx.by);
        return unit;
      });
    },

    async update(ctx, unitId, details) {
      authorize(ctx.actor, 'unit.manage');
      return database.transaction(async (tx) => {
        const [before] = await repo.lockUnits(tx, [unitId]);
        if (!before) throw notFound('UNIT.NOT_FOUND', `No unit ${unitId}`, { code: String(unitId) });
        const problems = checkSpec({ ...before, ...details, parentCode: null, name: details.name ?? before.name });
        if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
        const after = await repo.updateUnitDetails(tx, unitId, details, clock.now());
        const changed = Object.fromEntries(
          (Object.keys(details) as (keyof UnitDetails)[])
            .filter((k) => before[k] !== after[k])
            .map((k) => [k, { from: before[k], to: after[k] }]),
        );
        if (Object.keys(changed).length === 0) return after;
        if (changed.name) await event(tx, ctx, unitId, 'renamed', { from: before.name, to: after.name });
        if (Object.keys(changed).some((k) => k !== 'name')) await event(tx, ctx, unitId, 'updated', changed);
        await audit.append(tx, { action: changed.name ? 'unit.rename' : 'unit.update', target: { type: 'unit', id: after.code }, details: changed }, ctx.by);
        return after;
      });
    },

    async move(ctx, unitId, newParentId) {
      authorize(ctx.actor, 'unit.manage');
      return database.transaction(async (tx) => {
        const locked = await repo.lockUnits(tx, [unitId, newParentId]);
        const unit = locked.find((u) => u.id === unitId);
        const parent = locked.find((u) => u.id === newParentId);
        if (!unit || !parent) throw notFound('UNIT.NOT_FOUND', 'No such unit', { code: String(unit ? newParentId : unitId) });
        if (parent.path.startsWith(unit.path)) throw invalid('UNIT.MOVE_INTO_ITSELF', `Cannot move ${unit.code} under its own subtree`, undefined, { code: unit.code });
        const placement = checkPlacement(unit.kind, parent);
        if (placement.length) throw invalid(placement[0]!.code, placement[0]!.message, placement, placement[0]!.params as Record<string, string>);
        const oldParent = unit.parentId === null ? undefined : await repo.findUnitById(tx, unit.parentId);
        await repo.setParent(tx, unitId, newParentId, clock.now());
        await event(tx, ctx, unitId, 'moved', { from: oldParent?.code ?? null, to: parent.code });
        await audit.append(tx, { action: 'unit.move', target: { type: 'unit', id: unit.code }, details: { from: oldParent?.code ?? null, to: parent.code } }, ctx.by);
        return get(tx, unitId);
      });
    },

    async merge(ctx, sourceIds, targetId) {
      authorize(ctx.actor, 'unit.manage');
      const sources = [...new Set(sourceIds)].filter((id) => id !== targetId);
      if (sources.length === 0) throw invalid('UNIT.MERGE_NOTHING', 'Name at least one unit to merge into the target');
      return database.transaction(async (tx) => {
        const locked = await repo.lockUnits(tx, [...sources, targetId]);
        const target = locked.find((u) => u.id === targetId);
        if (!target || locked.length !== sources.length + 1) throw notFound('UNIT.NOT_FOUND', 'No such unit', { code: String(targetId) });
        const at = clock.now();
        for (const source of locked.filter((u) => u.id !== targetId)) {
          if (source.retiredAt) throw conflict('UNIT.RETIRED', `${source.code} is already retired`, { code: source.code });
          if (source.kind !== target.kind) throw invalid('UNIT.MERGE_KIND_MISMATCH', `Cannot merge a ${source.kind} into a ${target.kind}`, undefined, { code: source.code });
          if (target.path.startsWith(source.path)) throw invalid('UNIT.MOVE_INTO_ITSELF', `${target.code} lies inside ${source.code}`, undefined, { code: source.code });
          const moved = await repo.moveChildren(tx, source.id, target.id, at);
          const posts = await repo.movePosts(tx, source.id, target.id);
          await repo.retireUnit(tx, source.id, target.id, at);
          await event(tx, ctx, source.id, 'merged_into', { target: target.code, children: moved.length, posts });
          await event(tx, ctx, target.id, 'absorbed', { source: source.code, sourceName: source.name });
        }
        const codes = locked.filter((u) => u.id !== targetId).map((u) => u.code);
        await audit.append(tx, { action: 'unit.merge', target: { type: 'unit', id: target.code }, details: { sources: codes } }, ctx.by);
        return get(tx, targetId);
      });
    },

    async split(ctx, unitId, parts) {
      authorize(ctx.actor, 'unit.manage');
      if (parts.length < 2) throw invalid('UNIT.SPLIT_TOO_FEW', 'A split needs at least two parts');
      const problems = parts.flatMap((p, i) => checkSpec({ code: p.code, name: p.name, kind: 'grid', parentCode: null, sortOrder: 0 }).map((f) => ({ ...f, path: `parts.${i}.${f.path}` })));
      if (problems.length) throw invalid('REQUEST.INVALID', problems.map((p) => p.message).join('; '), problems);
      return database.transaction(async (tx) => {
        const [unit] = await repo.lockUnits(tx, [unitId]);
        if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit ${unitId}`, { code: String(unitId) });
        if (unit.retiredAt) throw conflict('UNIT.RETIRED', `${unit.code} is already retired`, { code: unit.code });
        const children = await repo.findChildUnits(tx, unitId);
        const assigned = parts.flatMap((p) => p.childIds);
        const unknown = assigned.filter((id) => !children.some((c) => c.id === id));
        if (unknown.length || new Set(assigned).size !== assigned.length) throw invalid('UNIT.SPLIT_CHILDREN', 'Each child must go to exactly one part, and only children of the unit');
        const left = children.filter((c) => !assigned.includes(c.id));
        if (left.length) throw invalid('UNIT.SPLIT_CHILDREN', `Children without a part: ${left.map((c) => c.code).join(', ')}`);
        const at = clock.now();
        const created: Unit[] = [];
        for (const part of parts) {
          if (await repo.findUnitByCode(tx, part.code)) throw conflict('UNIT.CODE_TAKEN', `Code ${part.code} is taken`, { code: part.code });
          const made = await repo.insertUnit(tx, { code: part.code, name: part.name, kind: unit.kind, subtype: unit.subtype, parentId: unit.parentId, sortOrder: unit.sortOrder, isDemo: unit.isDemo });
          for (const childId of part.childIds) await repo.setParent(tx, childId, made.id, at);
          await event(tx, ctx, made.id, 'split_from', { source: unit.code, sourceName: unit.name });
          created.push(made);
        }
        await repo.retireUnit(tx, unit.id, created[0]!.id, at);
        await event(tx, ctx, unit.id, 'split_into', { parts: created.map((u) => u.code) });
        await audit.append(tx, { action: 'unit.split', target: { type: 'unit', id: unit.code }, details: { parts: created.map((u) => ({ code: u.code, name: u.name })) } }, ctx.by);
        return created;
      });
    },

    async retire(ctx, unitId, successorId) {
      authorize(ctx.actor, 'unit.manage');
      await database.transaction(async (tx) => {
        const locked = await repo.lockUnits(tx, successorId ? [unitId, successorId] : [unitId]);
        const unit = locked.find((u) => u.id === unitId);
        if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit ${unitId}`, { code: String(unitId) });
        if (unit.retiredAt) throw conflict('UNIT.RETIRED', `${unit.code} is already retired`, { code: unit.code });
        const successor = successorId ? locked.find((u) => u.id === successorId) : undefined;
        if (successorId && !successor) throw notFound('UNIT.NOT_FOUND', `No unit ${successorId}`, { code: String(successorId) });
        const children = await repo.findChildUnits(tx, unitId);
        if (children.length && !successor) throw conflict('UNIT.HAS_CHILDREN', `${unit.code} still has ${children.length} units under it`, { code: unit.code, count: children.length });
        const at = clock.now();
        if (successor) {
          await repo.moveChildren(tx, unit.id, successor.id, at);
          await repo.movePosts(tx, unit.id, successor.id);
        }
        await repo.retireUnit(tx, unit.id, successor?.id ?? null, at);
        await event(tx, ctx, unit.id, 'retired', { successor: successor?.code ?? null });
        await audit.append(tx, { action: 'unit.retire', target: { type: 'unit', id: unit.code }, details: { successor: successor?.code ?? null } }, ctx.by);
      });
    },

    async importCsv(ctx, bytes) {
      authorize(ctx.actor, 'unit.manage');
      let parsed;
      try {
        parsed = parseCsvRecords(decodeText(bytes));
      } catch (e) {
        if (e instanceof CsvSyntaxError) throw invalid('CSV.SYNTAX', e.message, [{ path: `${e.line}`, code: 'CSV.SYNTAX', message: e.message, params: { line: e.line } }], { line: e.line });
        throw e;
      }
      const required = ['code', 'name', 'kind', 'parent_code'];
      const missing = required.filter((h) => !parsed.header.includes(h));
      if (missing.length) throw invalid('CSV.MISSING_COLUMNS', `Missing columns: ${missing.join(', ')}`, undefined, { columns: missing.join(', ') });
      if (parsed.records.length === 0) throw invalid('CSV.EMPTY', 'The file has no rows');
      if (parsed.records.length > 20_000) throw new DomainError('TooLarge', 'CSV.TOO_MANY_ROWS', 'At most 20,000 rows per import', { params: { max: 20000 } });

      const problems: FieldProblem[] = [];
      const at = (line: number, field: string, code: string, message: string, params: Record<string, string | number> = {}) =>
        problems.push({ path: `${line}:${field}`, code, message: `line ${line}, ${field}: ${message}`, params: { line, field, ...params } });
      const specs: (UnitSpec & { line: number })[] = [];
      const seen = new Map<string, number>();
      for (const { line, values } of parsed.records) {
        const kind = (KIND_ALIASES[values.kind!] ?? values.kind) as UnitKind;
        const num = (field: 'households' | 'residents') => {
          const raw = values[field];
          if (!raw) return undefined;
          const n = Number(raw);
          if (!Number.isInteger(n) || n < 0) {
            at(line, field, 'field.invalid', 'must be a whole number ≥ 0');
            return undefined;
          }
          return n;
        };
        const spec: UnitSpec & { line: number } = {
          line,
          code: values.code!,
          name: values.name!,
          kind,
          parentCode: values.parent_code || null,
          subtype: values.subtype ? (BOARD_ALIASES[values.subtype] ?? values.subtype) : undefined,
          duties: values.duties || undefined,
          phone: values.phone || undefined,
          address: values.address || undefined,
          households: num('households'),
          residents: num('residents'),
          sortOrder: values.sort_order ? Number(values.sort_order) || 0 : 0,
        };
        for (const f of checkSpec(spec)) at(line, f.path, f.code, f.message, (f.params ?? {}) as Record<string, string | number>);
        const first = seen.get(spec.code);
        if (first !== undefined) at(line, 'code', 'CSV.DUPLICATE_CODE', `code ${spec.code} already appears on line ${first}`, { code: spec.code, first });
        else seen.set(spec.code, line);
        specs.push(spec);
      }
      const inFile = new Map(specs.map((s) => [s.code, s]));

      return database.transaction(async (tx) => {
        const existing = new Map(
          (await repo.findUnitsByCodes(tx, [...new Set(specs.flatMap((s) => [s.code, s.parentCode].filter((c): c is string => !!c)))])).map((u) => [u.code, u]),
        );
        for (const spec of specs) {
          const current = existing.get(spec.code);
          if (current && current.kind !== spec.kind) at(spec.line, 'kind', 'UNIT.KIND_CHANGE', `${spec.code} is a ${current.kind}; its kind cannot change`, { code: spec.code });
          if (current?.retiredAt) at(spec.line, 'code', 'UNIT.RETIRED', `${spec.code} is retired`, { code: spec.code });
          if (!spec.parentCode) {
            if (spec.kind !== 'district') at(spec.line, 'parent_code', 'field.required', 'a parent is required');
            continue;
          }
          const parentKind = inFile.get(spec.parentCode)?.kind ?? existing.get(spec.parentCode)?.kind;
          if (!(UNIT_KINDS as readonly string[]).includes(spec.kind)) continue; // already reported
          if (!parentKind) at(spec.line, 'parent_code', 'UNIT.PARENT_NOT_FOUND', `no unit ${spec.parentCode} in the file or the tree`, { code: spec.parentCode });
          else if (!parentAllowed(spec.kind, parentKind)) at(spec.line, 'parent_code', 'UNIT.PARENT_NOT_ALLOWED', `a ${spec.kind} cannot sit under a ${parentKind}`, { kind: spec.kind, parent: parentKind });
        }
        // Order parents before children; a cycle inside the file is an error on every row in it.
        const ordered: typeof specs = [];
        const state = new Map<string, 'visiting' | 'done'>();
        const visit = (s: (typeof specs)[number], trail: string[]): void => {
          if (state.get(s.code) === 'done') return;
          if (state.get(s.code) === 'visiting') {
            at(s.line, 'parent_code', 'CSV.PARENT_CYCLE', `parents form a cycle: ${[...trail, s.code].join(' → ')}`);
            return;
          }
          state.set(s.code, 'visiting');
          const parent = s.parentCode ? inFile.get(s.parentCode) : undefined;
          if (parent && parent !== s) visit(parent, [...trail, s.code]);
          state.set(s.code, 'done');
          ordered.push(s);
        };
        for (const s of specs) if (seen.get(s.code) === s.line) visit(s, []);
        if (problems.length) {
          problems.sort((a, b) => Number(a.params?.line) - Number(b.params?.line));
          throw invalid('CSV.ROWS_INVALID', `${problems.length} problem(s); nothing was imported`, problems, { count: problems.length });
        }

        let created = 0;
        let updated = 0;
        let unchanged = 0;
        const now = clock.now();
        for (const spec of ordered) {
          const parent = spec.parentCode ? existing.get(spec.parentCode) : undefined;
          const current = existing.get(spec.code);
          if (!current) {
            const unit = await repo.insertUnit(tx, { ...spec, parentId: parent?.id ?? null, isDemo: false });
            existing.set(unit.code, unit);
            await event(tx, ctx, unit.id, 'created', { code: unit.code, name: unit.name, parentCode: spec.parentCode, via: 'import' });
            created++;
            continue;
          }
          const details: UnitDetails = { name: spec.name, subtype: spec.subtype, duties: spec.duties, phone: spec.phone, address: spec.address, households: spec.households, residents: spec.residents };
          const keys = (Object.keys(details) as (keyof UnitDetails)[]).filter((k) => details[k] !== undefined && details[k] !== current[k]);
          const moving = parent && parent.id !== current.parentId;
          if (keys.length === 0 && !moving) {
            unchanged++;
            continue;
          }
          if (keys.length) {
            const after = await repo.updateUnitDetails(tx, current.id, Object.fromEntries(keys.map((k) => [k, details[k]])), now);
            if (keys.includes('name')) await event(tx, ctx, current.id, 'renamed', { from: current.name, to: after.name, via: 'import' });
            if (keys.some((k) => k !== 'name')) await event(tx, ctx, current.id, 'updated', { fields: keys.filter((k) => k !== 'name'), via: 'import' });
          }
          if (moving) {
            if (parent.path.startsWith(current.path)) throw invalid('UNIT.MOVE_INTO_ITSELF', `Cannot move ${current.code} under its own subtree`, undefined, { code: current.code });
            await repo.setParent(tx, current.id, parent.id, now);
            await event(tx, ctx, current.id, 'moved', { to: parent.code, via: 'import' });
          }
          existing.set(spec.code, (await repo.findUnitById(tx, current.id))!);
          updated++;
        }
        await audit.append(tx, { action: 'unit.import', details: { rows: specs.length, created, updated, unchanged } }, ctx.by);
        return { created, updated, unchanged };
      });
    },
  };
  return service;
}
