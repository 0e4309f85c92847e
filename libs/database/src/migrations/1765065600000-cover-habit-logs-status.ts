import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The unique index on a habit's logs (habit_id, log_date) carries each log's status too, so reading a habit's
 * history (the scheduler reads every habit's last weeks in bulk) is an index-only scan: a habit's logs sit side
 * by side in the index, where in the table, written day by day, each lies in a page of its own.
 */
export class CoverHabitLogsStatus1765065600000 implements MigrationInterface {
  name = 'CoverHabitLogsStatus1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE habit_logs DROP CONSTRAINT habit_logs_habit_date, ADD CONSTRAINT habit_logs_habit_date UNIQUE (habit_id, log_date) INCLUDE (status)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE habit_logs DROP CONSTRAINT habit_logs_habit_date, ADD CONSTRAINT habit_logs_habit_date UNIQUE (habit_id, log_date)`);
  }
}
