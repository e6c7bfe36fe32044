import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../src/db/statement-cache.js';

interface Db {
  things: { id: number; name: string; colour?: string | null };
}

function counting(database: SQLite.Database): { database: SQLite.Database; prepared: string[] } {
  const prepared: string[] = [];
  const prepare = database.prepare.bind(database);
  return {
    prepared,
    database: Object.assign(Object.create(database) as SQLite.Database, {
      prepare: (text: string) => {
        prepared.push(text);
        return prepare(text);
      },
      close: () => database.close(),
    }),
  };
}

let db: Kysely<Db> | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

describe('withStatementCache', () => {
  it('prepares a query shape once and runs it with each call’s own parameters', async () => {
    const raw = counting(new SQLite(':memory:'));
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(raw.database) }) });
    await db.schema.createTable('things').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    for (const [id, name] of [[1, 'Sofa'], [2, 'Lamp'], [3, 'Rug']] as const) await db.insertInto('things').values({ id, name }).execute();
    const names: string[] = [];
    for (const id of [3, 1, 2]) {
      const row = await db.selectFrom('things').select('name').where('id', '=', id).executeTakeFirstOrThrow();
      names.push(row.name);
    }
    expect(names).toEqual(['Rug', 'Sofa', 'Lamp']);
    expect(raw.prepared.filter((text) => text.startsWith('insert'))).toHaveLength(1);
    expect(raw.prepared.filter((text) => text.startsWith('select'))).toHaveLength(1);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const raw = counting(new SQLite(':memory:'));
    const cached = withStatementCache(raw.database, 2);
    const a = cached.prepare('select 1');
    cached.prepare('select 2');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 3');
    expect(cached.prepare('select 1')).toBe(a);
    cached.prepare('select 2');
    expect(raw.prepared).toEqual(['select 1', 'select 2', 'select 3', 'select 2']);
    cached.close();
  });

  it('answers with the new shape after the table changes under a cached statement', async () => {
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }) });
    await db.schema.createTable('things').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').execute();
    await db.insertInto('things').values({ id: 1, name: 'Sofa' }).execute();
    const selectAll = () => sql<Db['things']>`select * from things`.execute(db as Kysely<Db>);
    expect((await selectAll()).rows).toEqual([{ id: 1, name: 'Sofa' }]);
    await db.schema.alterTable('things').addColumn('colour', 'text').execute();
    await db.updateTable('things').set({ colour: 'teal' }).where('id', '=', 1).execute();
    expect((await selectAll()).rows).toEqual([{ id: 1, name: 'Sofa', colour: 'teal' }]);
  });
});
