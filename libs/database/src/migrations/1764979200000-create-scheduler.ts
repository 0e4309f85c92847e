import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTable } from '../outbox-table';

/**
 * The scheduler's own tables: each user's last roll-over, the nudges sent (one per habit per local day, so a
 * retry or a second replica cannot send two), the last run of each job, notification settings and deliveries,
 * and its event outbox (see EventOutbox).
 */
export class CreateScheduler1764979200000 implements MigrationInterface {
  name = 'CreateScheduler1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE user_rollovers (
        user_id uuid PRIMARY KEY,
        rolled_over_on date NOT NULL,
        rolled_over_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE nudges (
        habit_id uuid NOT NULL,
        local_date date NOT NULL,
        user_id uuid NOT NULL,
        days_inactive integer NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (habit_id, local_date)
      )`);
    await queryRunner.query(`CREATE INDEX nudges_sent_at ON nudges (sent_at)`);
    await queryRunner.query(`
      CREATE TABLE job_runs (
        name varchar(32) PRIMARY KEY,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        outcome varchar(9) NOT NULL CHECK (outcome IN ('completed', 'failed')),
        counts jsonb NOT NULL DEFAULT '{}',
        error text
      )`);
    await queryRunner.query(`
      CREATE TABLE notification_settings (
        user_id uuid PRIMARY KEY,
        ntfy_url varchar(2000),
        webhook_url varchar(2000),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE notification_deliveries (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL,
        channel varchar(8) NOT NULL CHECK (channel IN ('ntfy', 'webhook')),
        url varchar(2000) NOT NULL,
        event_type varchar(64) NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(`CREATE INDEX notification_deliveries_pending ON notification_deliveries (id) WHERE delivered_at IS NULL`);
    await queryRunner.query(createOutboxTable('scheduler'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_scheduler, notification_deliveries, notification_settings, job_runs, nudges, user_rollovers`);
  }
}
