-- The head of each audit chain (its last position and hash), one row per chain. Appending locks the chains' rows
-- with SELECT … FOR UPDATE, which waits for the previous writer and returns the head it left in one statement,
-- and moves the head in the statement that inserts the entries: two round trips per append instead of three
-- (advisory lock, read the last entry, insert). Backfilled from the log for databases that already have entries.
create table audit_chain_heads (
  chain smallint primary key check (chain between 0 and 63),
  chain_seq bigint not null check (chain_seq >= 0),
  hash text not null
);

insert into audit_chain_heads (chain, chain_seq, hash)
select c, coalesce(h.chain_seq, 0), coalesce(h.hash, repeat('0', 64))
from generate_series(0, 63) as c
left join lateral (select chain_seq, hash from audit_log where chain = c order by chain_seq desc limit 1) h on true;
