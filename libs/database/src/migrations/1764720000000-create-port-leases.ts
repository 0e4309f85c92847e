import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app-manager's port leases (DESIGN §4): `port` is the primary key and `app_id` is unique, so two managers
 * racing for one port, or leasing twice for one app, are stopped by the database rather than by timing.
 */
export class CreatePortLeases1764720000000 implements MigrationInterface {
  name = 'CreatePortLeases1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE port_leases (
        port integer NOT NULL,
        app_id varchar(40) NOT NULL,
        range_name varchar(16) NOT NULL,
        leased_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT port_leases_pkey PRIMARY KEY (port),
        CONSTRAINT port_leases_app_id_key UNIQUE (app_id),
        CONSTRAINT port_leases_port_check CHECK (port BETWEEN 1 AND 65535)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE port_leases`);
  }
}
