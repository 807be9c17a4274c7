/** Use cases of the organisation tree. */
import type { Database } from '../../kernel/db.js';
import { notFound } from '../../kernel/errors.js';
import { REFERENCE_UNITS } from './reference-data.js';
import { TOWN_KINDS, type Unit, type UnitSpec } from './unit.js';
import * as repo from './unit.repository.js';

export interface OrganizationService {
  /** Inserts the shipped reference units that are missing; returns how many were added. */
  seedReferenceUnits(): Promise<number>;
  /** Inserts units that are missing (matched by code), parents before children; returns how many were added. */
  addMissingUnits(specs: readonly UnitSpec[], options: { isDemo: boolean }): Promise<number>;
  /** The 40 town-level units in official order. */
  listTowns(): Promise<Unit[]>;
  /** A unit by its code, or UNIT.NOT_FOUND. */
  getUnitByCode(code: string): Promise<Unit>;
  /** The parent of a unit and its current children. */
  getUnitContext(unit: Unit): Promise<{ parent: Unit | undefined; children: Unit[] }>;
}

export function createOrganizationService(database: Database): OrganizationService {
  const { db } = database;
  return {
    seedReferenceUnits: () => database.transaction((tx) => repo.insertMissingUnits(tx, REFERENCE_UNITS, false)),
    addMissingUnits: (specs, options) => database.transaction((tx) => repo.insertMissingUnits(tx, specs, options.isDemo)),
    listTowns: () => repo.findUnitsByKinds(db, TOWN_KINDS),
    async getUnitByCode(code) {
      const unit = await repo.findUnitByCode(db, code);
      if (!unit) throw notFound('UNIT.NOT_FOUND', `No unit with code ${code}`, { code });
      return unit;
    },
    async getUnitContext(unit) {
      const [parent, children] = await Promise.all([
        unit.parentId === null ? Promise.resolve(undefined) : repo.findUnitById(db, unit.parentId),
        repo.findChildUnits(db, unit.id),
      ]);
      return { parent, children };
    },
  };
}
