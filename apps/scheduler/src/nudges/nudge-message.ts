/** The friendly words of a nudge. */
export function nudgeMessage(habitName: string, daysInactive: number): string {
  return `"${habitName}" has waited ${daysInactive} ${daysInactive === 1 ? 'day' : 'days'} for you. A small step today keeps it going.`;
}
