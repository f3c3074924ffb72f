import type { Db } from './database';

export type TagEntity = 'experiment' | 'run';

/** Free-form tags on experiments and runs. */
export class TagsRepo {
  private readonly addStmt;
  private readonly removeStmt;
  private readonly listStmt;

  constructor(db: Db) {
    this.addStmt = db.prepare<[TagEntity, number, string]>('INSERT OR IGNORE INTO tags (entity, entity_id, tag) VALUES (?, ?, ?)');
    this.removeStmt = db.prepare<[TagEntity, number, string]>('DELETE FROM tags WHERE entity = ? AND entity_id = ? AND tag = ?');
    this.listStmt = db.prepare<[TagEntity, number], { tag: string }>('SELECT tag FROM tags WHERE entity = ? AND entity_id = ? ORDER BY tag');
  }

  add(entity: TagEntity, id: number, tag: string): void {
    this.addStmt.run(entity, id, tag);
  }

  remove(entity: TagEntity, id: number, tag: string): void {
    this.removeStmt.run(entity, id, tag);
  }

  list(entity: TagEntity, id: number): string[] {
    return this.listStmt.all(entity, id).map((r) => r.tag);
  }
}
