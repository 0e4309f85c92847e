import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A stretch of days the habit was paused (open while `toDate` is null): those days are not expected. */
@Entity({ name: 'habit_pauses' })
export class HabitPause {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'habit_id', type: 'uuid' })
  habitId!: string;

  @Column({ name: 'from_date', type: 'date' })
  fromDate!: string;

  @Column({ name: 'to_date', type: 'date', nullable: true })
  toDate!: string | null;
}
