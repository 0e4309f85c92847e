import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app-manager's registry (DESIGN §5): one row per valid app found under the apps folder, with what a
 * restarted manager needs to adopt a process that still runs (pid and its /proc start time) and what the
 * admin API shows.
 */
export class CreateApps1764806400000 implements MigrationInterface {
  name = 'CreateApps1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE apps (
        app_id varchar(40) NOT NULL,
        folder text NOT NULL,
        fingerprint char(64) NOT NULL,
        manifest jsonb NOT NULL,
        desired varchar(8) NOT NULL,
        state varchar(12) NOT NULL DEFAULT 'stopped',
        pid integer,
        process_start_time bigint,
        port integer,
        started_at timestamptz,
        healthy boolean,
        restarts integer NOT NULL DEFAULT 0,
        consecutive_failures integer NOT NULL DEFAULT 0,
        last_error text,
        startup_ms integer,
        discovered_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT apps_pkey PRIMARY KEY (app_id),
        CONSTRAINT apps_desired_check CHECK (desired IN ('running', 'stopped'))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE apps`);
  }
}
