import { MigrationInterface, QueryRunner } from 'typeorm';

/** Habits, their logs and pauses, goals and their links (seed 002), with each habit's statistics cached on its row. */
export class CreateHabits1764547200000 implements MigrationInterface {
  name = 'CreateHabits1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE habits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name varchar(200) NOT NULL,
        description text,
        frequency varchar(8) NOT NULL CHECK (frequency IN ('daily', 'weekly', 'custom')),
        times_per_week smallint CHECK (times_per_week BETWEEN 1 AND 7),
        weekdays smallint[],
        difficulty varchar(8) NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
        priority varchar(8) NOT NULL CHECK (priority IN ('low', 'medium', 'high')),
        status varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived', 'at_risk')),
        created_on date NOT NULL,
        current_streak integer NOT NULL DEFAULT 0,
        longest_streak integer NOT NULL DEFAULT 0,
        total_completions integer NOT NULL DEFAULT 0,
        total_skips integer NOT NULL DEFAULT 0,
        consistency_score numeric(5, 1) NOT NULL DEFAULT 0,
        failure_rate numeric(5, 4) NOT NULL DEFAULT 0,
        consecutive_misses integer NOT NULL DEFAULT 0,
        last_completed_date date,
        strength numeric(6, 4) NOT NULL DEFAULT 0,
        statistics_date date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX habits_user_id ON habits (user_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE habit_pauses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        habit_id uuid NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
        from_date date NOT NULL,
        to_date date,
        CHECK (to_date IS NULL OR to_date >= from_date)
      )`);
    await queryRunner.query(`CREATE INDEX habit_pauses_habit_id ON habit_pauses (habit_id)`);
    await queryRunner.query(`
      CREATE TABLE habit_logs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        habit_id uuid NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        log_date date NOT NULL,
        status varchar(8) NOT NULL CHECK (status IN ('done', 'skipped', 'missed')),
        notes text,
        entered_by varchar(8) NOT NULL DEFAULT 'user' CHECK (entered_by IN ('user', 'system')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT habit_logs_habit_date UNIQUE (habit_id, log_date)
      )`);
    await queryRunner.query(`
      CREATE TABLE goals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name varchar(200) NOT NULL,
        description text,
        target_value numeric(14, 2) NOT NULL CHECK (target_value > 0),
        manual_value numeric(14, 2) NOT NULL DEFAULT 0,
        current_value numeric(14, 2) NOT NULL DEFAULT 0,
        unit varchar(32) NOT NULL,
        deadline date,
        status varchar(10) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'archived')),
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX goals_user_id ON goals (user_id, created_at)`);
    await queryRunner.query(`
      CREATE TABLE goal_habits (
        goal_id uuid NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
        habit_id uuid NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
        weight numeric(10, 3) NOT NULL DEFAULT 1 CHECK (weight > 0),
        PRIMARY KEY (goal_id, habit_id)
      )`);
    await queryRunner.query(`CREATE INDEX goal_habits_habit_id ON goal_habits (habit_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE goal_habits, goals, habit_logs, habit_pauses, habits`);
  }
}
