/**
 * Server-side prepared statements for repeated queries on PostgreSQL. Every statement Kysely sends is parsed
 * and planned by the server each time unless it is named; for the hot paths (intake, the audit chain, sessions)
 * parsing and planning cost about as much as executing. A statement text seen twice gets a name, and the pg
 * driver then prepares it once per connection and only binds and executes afterwards.
 *
 * Bounded: at most MAX_NAMED distinct texts are named (each costs a plan per connection on the server); texts
 * beyond that, and the counts of texts seen once, are simply run unnamed. Off for PgBouncer in transaction mode
 * (DATABASE_PREPARED_STATEMENTS=false), where a connection's prepared statements are not the session's.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

const MAX_NAMED = 400;
const MAX_COUNTED = 5000;

export interface StatementNames {
  /** The name to prepare `text` under, or undefined to run it unnamed. */
  nameFor(text: string): string | undefined;
  readonly size: number;
}

export function statementNames(maxNamed = MAX_NAMED, maxCounted = MAX_COUNTED): StatementNames {
  const named = new Map<string, string>();
  const seen = new Set<string>();
  return {
    nameFor(text) {
      const name = named.get(text);
      if (name !== undefined) return name;
      if (named.size >= maxNamed) return undefined;
      if (!seen.has(text)) {
        if (seen.size < maxCounted) seen.add(text);
        return undefined;
      }
      seen.delete(text);
      const fresh = `zz_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
      named.set(text, fresh);
      return fresh;
    },
    get size() {
      return named.size;
    },
  };
}

/** Makes every client of `pool` run repeated parameterised statements as named (prepared) ones. */
export function preparedStatements(pool: pg.Pool, names: StatementNames = statementNames()): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
      // pg-pool's pool.query(text, values) calls client.query with a callback; Kysely calls it without one.
      if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && (callback === undefined || typeof callback === 'function')) {
        const name = names.nameFor(text);
        if (name) return callback === undefined ? query({ name, text, values }) : query({ name, text, values }, callback);
      }
      return callback === undefined ? (values === undefined ? query(text) : query(text, values)) : query(text, values, callback);
    };
  });
}
