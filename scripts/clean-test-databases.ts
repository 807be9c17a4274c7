/** Drops the template and per-file databases that test runs leave on the PostgreSQL named by DATABASE_URL. */
import pg from 'pg';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const client = new pg.Client({ connectionString: url });
await client.connect();
const rows = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'zz\\_%'`);
for (const { datname } of rows.rows) {
  await client.query(`drop database if exists ${datname} with (force)`);
  console.log(`dropped ${datname}`);
}
await client.end();
