import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local date a habit's `current_streak` is as of. The habit-service writes it with its statistics, the
 * scheduler's roll-over with the figures it moves on (without `statistics_date`, which also covers figures it
 * leaves alone). With it the roll-over carries a streak longer than the weeks of logs it reads. Unknown for the
 * rows written before: their first roll-over reads their whole history, as it did.
 */
export class AddHabitStreakDate1765152000000 implements MigrationInterface {
  name = 'AddHabitStreakDate1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE habits ADD COLUMN streak_date date`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE habits DROP COLUMN streak_date`);
  }
}
