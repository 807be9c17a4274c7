-- Extensions available on both engines: PGlite bundles them, and on PostgreSQL 13+ they are "trusted", so a
-- database owner may create them. pg_trgm: Chinese similarity search (word_similarity); btree_gist: exclusion
-- constraints over ranges.
create extension if not exists pg_trgm;
create extension if not exists btree_gist;
