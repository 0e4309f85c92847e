import { Goal } from './goal.entity';
import { GoalHabit } from './goal-habit.entity';

export interface GoalView {
  id: string;
  name: string;
  description: string | null;
  targetValue: number;
  currentValue: number;
  manualValue: number;
  unit: string;
  deadline: string | null;
  status: Goal['status'];
  progressPercent: number;
  habits: Array<{ habitId: string; weight: number }>;
  completedAt: string | null;
  createdAt: string;
}

export function toGoalView(goal: Goal, links: GoalHabit[]): GoalView {
  return {
    id: goal.id,
    name: goal.name,
    description: goal.description,
    targetValue: goal.targetValue,
    currentValue: goal.currentValue,
    manualValue: goal.manualValue,
    unit: goal.unit,
    deadline: goal.deadline,
    status: goal.status,
    progressPercent: Math.min(100, Math.round((goal.currentValue / goal.targetValue) * 1000) / 10),
    habits: links.filter((link) => link.goalId === goal.id).map(({ habitId, weight }) => ({ habitId, weight })),
    completedAt: goal.completedAt?.toISOString() ?? null,
    createdAt: goal.createdAt.toISOString(),
  };
}
