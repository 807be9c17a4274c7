/** Use cases of the audit trail: append, search, export, verify. */
import type { RawBuilder } from 'kysely';
import type { Clock } from '../../kernel/clock.js';
import type { Database, Executor } from '../../kernel/db.js';
import type { Initiator } from '../../kernel/initiator.js';
import { CHAIN_COUNT, type AuditEntryInput, type AuditRecord } from './audit.js';
import { EMPTY_CHAIN, checkTail, verifyBatch, type ChainBreak } from './audit-chain.rules.js';
import * as repo from './audit.repository.js';

export type { AuditFilter } from './audit.repository.js';

export interface VerifyResult {
  readonly ok: boolean;
  /** Entries checked, over every chain. */
  readonly checked: number;
  /** The latest entry's locator. */
  readonly lastSeq: number;
  readonly broken?: ChainBreak;
}

export interface AuditService {
  /** Appends an entry inside the caller's transaction (as its last statement). */
  append(tx: Executor, entry: AuditEntryInput, by: Initiator): Promise<AuditRecord>;
  /** Appends several entries at once inside the caller's transaction (as its last statement). */
  appendMany(tx: Executor, items: readonly { entry: AuditEntryInput; by: Initiator }[]): Promise<AuditRecord[]>;
  /**
   * For hot paths: locks the entries' chains and hashes the entries now, and returns the writes that store them
   * (moving the heads, inserting the entries), to put in the WITH list of the statement that makes the audited
   * change, in the same transaction.
   */
  appendWithin(tx: Executor, items: readonly { entry: AuditEntryInput; by: Initiator }[]): Promise<RawBuilder<unknown>[]>;
  /** Appends an entry in a transaction of its own, for events that change nothing else (a sign-in, a viewing). */
  record(entry: AuditEntryInput, by: Initiator): Promise<AuditRecord>;
  search(filter: repo.AuditFilter, page: { beforeSeq?: number; limit: number }): Promise<AuditRecord[]>;
  /** Every matching row, oldest first, in batches (for CSV export). */
  iterate(filter: repo.AuditFilter, batchSize?: number): AsyncIterable<AuditRecord[]>;
  /** Walks every chain and reports the first edited, deleted or re-linked row, or a chain cut short of its head. */
  verify(): Promise<VerifyResult>;
}

export function createAuditService(database: Database, clock: Clock): AuditService {
  const service: AuditService = {
    append: (tx, entry, by) => repo.appendEntry(tx, entry, by, clock.now()),
    appendMany: (tx, items) => repo.appendEntries(tx, items, clock.now()),
    async appendWithin(tx, items) {
      if (items.length === 0) return [];
      const { moveHeads, insertEntries } = repo.appendParts(await repo.lockAndHash(tx, items, clock.now()));
      return [moveHeads, insertEntries];
    },
    record: (entry, by) => database.transaction((tx) => repo.appendEntry(tx, entry, by, clock.now())),
    search: (filter, page) => repo.searchEntries(database.db, filter, { beforeSeq: page.beforeSeq, limit: Math.min(page.limit, 1000) }),
    async *iterate(filter, batchSize = 1000) {
      let after = 0;
      for (;;) {
        const rows = await repo.entriesAfter(database.db, filter, after, batchSize);
        if (rows.length === 0) return;
        yield rows;
        after = rows[rows.length - 1]!.seq;
      }
    },
    async verify() {
      let checked = 0;
      let lastSeq = 0;
      // Heads first: every chain must reach at least the head it had when the walk began.
      const heads = await repo.chainHeads(database.db);
      for (let chain = 0; chain < CHAIN_COUNT; chain++) {
        const head = heads.get(chain) ?? { chainSeq: 0, hash: EMPTY_CHAIN.lastHash };
        let state = EMPTY_CHAIN;
        let chainLastSeq = 0;
        let hashAtHead: string | undefined;
        for (;;) {
          const rows = await repo.chainAfter(database.db, chain, state.lastChainSeq, 5000);
          if (rows.length === 0) break;
          const result = verifyBatch(state, rows);
          if (result.broken) {
            const before = rows.findIndex((r) => r.chainSeq === result.broken!.chainSeq);
            return { ok: false, checked: checked + Math.max(0, before), lastSeq, broken: result.broken };
          }
          state = result.state;
          checked += rows.length;
          hashAtHead ??= rows.find((r) => r.chainSeq === head.chainSeq)?.hash;
          chainLastSeq = Math.max(chainLastSeq, ...rows.map((r) => r.seq));
          lastSeq = Math.max(lastSeq, chainLastSeq);
        }
        const tail = checkTail(chain, { lastChainSeq: state.lastChainSeq, lastSeq: chainLastSeq, hashAtHead }, head);
        if (tail) return { ok: false, checked, lastSeq, broken: tail };
      }
      return { ok: true, checked, lastSeq };
    },
  };
  return service;
}
