import type { StandingStatus } from '../../../../contracts/workshops.ts';
import { addDays } from '../../platform/time.ts';

/**
 * The reading of a workshop's or base's standing on a day (issue 20 item 8), from its acts in
 * (effective day, id) order. DOMAIN.md's "as of D" is the end of day D, so an act dated D is in
 * force on D: an accreditation dated D makes the unit accredited on D; a removal dated D makes D its
 * first day without standing. A review (passed or failed) leaves the accreditation as it is.
 */
export interface StandingAct {
  act: 'accreditation' | 'review' | 'removal';
  effectiveOn: string;
  reviewYear: number | null;
  passed: boolean | null;
}

export interface StandingOn {
  status: StandingStatus;
  accreditedOn: string | null;
  removedOn: string | null;
  lastReview: { year: number; passed: boolean; reviewedOn: string } | null;
}

export function standingOn(acts: readonly StandingAct[], day: string): StandingOn {
  let result: StandingOn = { status: 'none', accreditedOn: null, removedOn: null, lastReview: null };
  for (const a of acts) {
    if (a.effectiveOn > day) break;
    if (a.act === 'accreditation') result = { status: 'accredited', accreditedOn: a.effectiveOn, removedOn: null, lastReview: null };
    else if (a.act === 'removal') result = { ...result, status: 'removed', removedOn: a.effectiveOn };
    else result = { ...result, lastReview: { year: a.reviewYear!, passed: a.passed!, reviewedOn: a.effectiveOn } };
  }
  return result;
}

/** The spans the unit was accredited, each from its accreditation to the day before its removal (`to` null: still). */
export function accreditedSpans(acts: readonly StandingAct[]): { from: string; to: string | null }[] {
  const spans: { from: string; to: string | null }[] = [];
  for (const a of acts) {
    const open = spans.at(-1)?.to === null ? spans.at(-1) : undefined;
    if (a.act === 'accreditation' && !open) spans.push({ from: a.effectiveOn, to: null });
    else if (a.act === 'removal' && open) open.to = addDays(a.effectiveOn, -1);
  }
  return spans.filter((s) => s.to === null || s.to >= s.from);
}

/** Whether one span covers every day of [from, to]; and the spans that touch it, in words for a refusal. */
export function accreditedThrough(acts: readonly StandingAct[], from: string, to: string): { covered: boolean; spans: string[] } {
  const spans = accreditedSpans(acts);
  const covered = spans.some((s) => s.from <= from && (s.to === null || s.to >= to));
  const touching = spans.filter((s) => s.from <= to && (s.to === null || s.to >= from)).map((s) => `${s.from} 至 ${s.to ?? '今'}`);
  return { covered, spans: touching };
}
