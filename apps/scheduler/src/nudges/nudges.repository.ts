import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { announcing } from '../notifications/announcing';

export interface NudgeCandidate {
  habitId: string;
  userId: string;
  /** The user's local date: the nudge's key with the habit. */
  today: string;
  daysInactive: number;
  message: string;
}

@Injectable()
export class NudgesRepository {
  /**
   * Records each nudge under its unique key (habit, local day) with its `nudge` event; a key already taken —
   * by an earlier run, a retry or another replica — records nothing. Returns how many were recorded.
   */
  async record(manager: EntityManager, candidates: readonly NudgeCandidate[]): Promise<number> {
    if (candidates.length === 0) return 0;
    const [{ sent }] = (await manager.query(
      `WITH candidates AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::int[], $5::text[])
                    AS candidate (habit_id, user_id, local_date, days_inactive, message)),
       recorded AS (
         INSERT INTO nudges (habit_id, local_date, user_id, days_inactive)
         SELECT habit_id, local_date, user_id, days_inactive FROM candidates
         ON CONFLICT (habit_id, local_date) DO NOTHING
         RETURNING habit_id, local_date),
       nudged AS (
         SELECT candidate.user_id,
                jsonb_build_object('habitId', candidate.habit_id, 'daysInactive', candidate.days_inactive, 'message', candidate.message) AS data
           FROM recorded JOIN candidates candidate USING (habit_id, local_date)),
       ${announcing('nudge', 'nudged', { notify: true })}
       SELECT count(*)::int AS sent FROM recorded`,
      [
        candidates.map((candidate) => candidate.habitId),
        candidates.map((candidate) => candidate.userId),
        candidates.map((candidate) => candidate.today),
        candidates.map((candidate) => candidate.daysInactive),
        candidates.map((candidate) => candidate.message),
      ],
    )) as Array<{ sent: number }>;
    return sent;
  }
}
