/**
 * Runs once before the test files: builds a migrated template database for each engine, so that every test
 * file gets a fresh database in about a second instead of running initdb and every migration again.
 * - PGlite: a migrated, reference-seeded data directory dumped to a tarball (loadDataDir restores it).
 * - PostgreSQL (when DATABASE_URL is set): a template database that CREATE DATABASE … TEMPLATE copies.
 * Both are keyed by a hash of the migrations and reference data, and rebuilt only when those change.
 */
import type { TestProject } from 'vitest/node';
import { ensurePgliteTemplate, ensurePostgresTemplate } from './template-db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  project.provide('pgliteTemplate', await ensurePgliteTemplate());
  project.provide('postgresTemplate', process.env.DATABASE_URL ? await ensurePostgresTemplate(process.env.DATABASE_URL) : null);
}
