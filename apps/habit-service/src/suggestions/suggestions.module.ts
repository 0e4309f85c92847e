import { Module } from '@nestjs/common';
import { HabitsModule } from '../habits/habits.module';
import { SuggestionsController } from './suggestions.controller';
import { SuggestionsService } from './suggestions.service';

@Module({ imports: [HabitsModule], controllers: [SuggestionsController], providers: [SuggestionsService] })
export class SuggestionsModule {}
