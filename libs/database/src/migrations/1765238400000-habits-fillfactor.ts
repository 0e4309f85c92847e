import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Half of each `habits` page kept free, so the updates that rewrite a row's figures (every log write, every
 * roll-over) stay on its page: heap-only tuples, without new entries in the table's indexes. With full pages a
 * roll-over's update of 7 000 habits wrote four times the WAL records and took twice the time. The table is
 * small (a row per habit) and its rows move to such pages as they are next updated.
 */
export class HabitsFillfactor1765238400000 implements MigrationInterface {
  name = 'HabitsFillfactor1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE habits SET (fillfactor = 50)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE habits RESET (fillfactor)`);
  }
}
