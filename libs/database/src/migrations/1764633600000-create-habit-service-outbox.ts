import { MigrationInterface, QueryRunner } from 'typeorm';

/** Events the habit-service commits with its writes, published once committed (see EventOutbox). */
export class CreateHabitServiceOutbox1764633600000 implements MigrationInterface {
  name = 'CreateHabitServiceOutbox1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_habit_service (
        id bigserial PRIMARY KEY,
        type varchar(64) NOT NULL,
        user_id uuid,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_habit_service`);
  }
}
