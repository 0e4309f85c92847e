import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The system monitor's tables: `system_samples` holds averages per metric, by the minute (kept 7 days) and by
 * the hour (kept 90 days), and `system_alerts` every alert raised, open until cleared. The monitor prunes both.
 */
export class CreateSystemMonitor1764892800000 implements MigrationInterface {
  name = 'CreateSystemMonitor1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE system_samples (
        resolution varchar(6) NOT NULL,
        metric varchar(200) NOT NULL,
        bucket timestamptz NOT NULL,
        avg double precision NOT NULL,
        min double precision NOT NULL,
        max double precision NOT NULL,
        samples integer NOT NULL,
        CONSTRAINT system_samples_pkey PRIMARY KEY (resolution, metric, bucket),
        CONSTRAINT system_samples_resolution_check CHECK (resolution IN ('minute', 'hour'))
      )`);
    await queryRunner.query(`CREATE INDEX system_samples_age ON system_samples (resolution, bucket)`);
    await queryRunner.query(`
      CREATE TABLE system_alerts (
        id bigint GENERATED ALWAYS AS IDENTITY,
        metric varchar(200) NOT NULL,
        level varchar(8) NOT NULL,
        value double precision NOT NULL,
        threshold double precision NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        cleared_at timestamptz,
        CONSTRAINT system_alerts_pkey PRIMARY KEY (id),
        CONSTRAINT system_alerts_level_check CHECK (level IN ('warning', 'critical'))
      )`);
    // One open alert per metric: a second raise without a clear fails in the database.
    await queryRunner.query(`CREATE UNIQUE INDEX system_alerts_open ON system_alerts (metric) WHERE cleared_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE system_alerts`);
    await queryRunner.query(`DROP TABLE system_samples`);
  }
}
