import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '../outbox-table';

/** Events the habit-service commits with its writes, published once committed (see EventOutbox). */
export class CreateHabitServiceOutbox1764633600000 implements MigrationInterface {
  name = 'CreateHabitServiceOutbox1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(createOutboxTable('habit-service'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_habit_service`);
  }
}
