/**
 * `talkoo-server migrate` (#14): moves every room of a data folder's LevelDB into the PostgreSQL
 * the nodes of a cluster share, or back, while no server holds that folder.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrateCommand } from './cli-args';
import { openLevelStorage, type DocumentStorage } from './storage/level-storage';
import { moveRooms } from './storage/move-rooms';
import { openPostgresStorage } from './storage/pg-storage';

/** The data folder's LevelDB, refused clearly while a server holds it. */
async function openDataFolder(dataDir: string, create: boolean): Promise<DocumentStorage> {
  const dir = join(dataDir, 'rooms');
  if (!create && !existsSync(dir)) throw new Error(`${dataDir} holds no rooms (there is no ${dir})`);
  if (create) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    return await openLevelStorage(dir);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED')
      throw new Error(`a server is using ${dataDir}: stop it first, then migrate`, { cause: error });
    throw error;
  }
}

/** `migrate`: every room (with its versions and its people's documents) from one storage to the other. */
export async function migrate(command: MigrateCommand): Promise<unknown> {
  const level = await openDataFolder(command.dataDir, command.to === 'leveldb');
  try {
    const postgres = await openPostgresStorage({ url: command.postgresUrl });
    try {
      return command.to === 'postgres' ? await moveRooms(level, postgres) : await moveRooms(postgres, level);
    } finally {
      await postgres.close();
    }
  } finally {
    await level.close();
  }
}
