import { Module } from '@nestjs/common';
import { DayTurnRepository } from './day-turn.repository';
import { DayTurn } from './day-turn.service';

/** Each habit's day-turn figures (streak, consistency, failure rate, misses, risk) for many users at once. */
@Module({ providers: [DayTurnRepository, DayTurn], exports: [DayTurnRepository, DayTurn] })
export class DayTurnModule {}
