import type { Candidates, MatchRun, PostingBrief, Recommendations, SeekerBrief, Suggestion } from '../../../../contracts/matching.ts';
import { occupationByCode } from '../../../../contracts/occupations.ts';
import type { Db, DbOrTx, Tx } from '../../db/database.ts';
import { assertRegionInScope } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { requireRegion } from '../regions/index.ts';
import { postingState } from '../postings/index.ts';
import { ageOn, WILLINGNESS_RANK, ymd, type Posting, type Seeker } from './features.ts';
import { TopK } from './engine.ts';
import { compilePosting, compileSeeker, type Market } from './market.ts';
import * as repo from './matching.repo.ts';
import { type HardConditionFailure, insertStep, type NewSuggestion, referralsRepo } from '../referrals/index.ts';
import {
  evaluate,
  hardFailure,
  PASS,
  softScore,
  tieBreak,
  REFUSALS,
  REFUSAL_CODES,
  type ExplainContext,
  type Explanation,
  type MatchContext,
} from './score.ts';
import { countBlockingPairs, stableMatch } from './stable.ts';
import { MATCHING_STAFF, RUN_STARTERS } from '../../../../contracts/roles.ts';
export { MATCHING_STAFF, RUN_STARTERS };

/** A job seeker ranks this many postings in a batch run (see stable.ts). */
export const LIST_LENGTH = 20;

export function createMatchingService({ db, audit, market }: { db: Db; audit: AuditLog; market: Market }) {
  const ctxOf = (actor: Actor) => ({ actor, ip: actor.ip });

  const explainer = (wantedWords?: ReadonlyMap<number, string>): ExplainContext => ({
    vocabulary: market.vocabulary,
    placeOf: (p: Posting) => market.postingRow(p.id)?.place ?? p.workRegion,
    wantedWords,
  });

  const wantedWordsOf = (row: repo.SeekerRow) => {
    const words = new Map<number, string>();
    for (const w of row.wanted_job_types) {
      const id = market.occupations.idOfJobType(w);
      if (id >= 0 && !words.has(id)) words.set(id, w);
    }
    return words;
  };

  const explain = (s: Seeker, p: Posting, ctx: MatchContext, ex: ExplainContext): Explanation => {
    const out: Explanation = { score: null, reasons: [], refused: null };
    evaluate(s, p, ctx, out, ex);
    return out;
  };

  const postingBrief = (row: repo.PostingRow): PostingBrief => ({
    id: String(row.id),
    title: row.title,
    employerId: String(row.employer_id),
    employerName: row.employer_name,
    employerKind: row.employer_kind,
    occupationCode: row.occupation_code,
    occupationLabel: occupationByCode(row.occupation_code)?.name ?? row.occupation_code,
    workRegionCode: row.work_region_code,
    place: row.place,
    wageMin: row.wage_min,
    wageMax: row.wage_max,
    food: row.food,
    housing: row.housing,
    openings: Math.max(0, row.headcount - row.filled),
    reservedForPoor: row.reserved_for_poor,
    validTo: row.valid_to,
  });

  async function seekerBriefs(tx: DbOrTx, ids: number[], today: number): Promise<Map<string, SeekerBrief>> {
    const rows = await repo.seekerSummaries(tx, ids);
    return new Map(
      rows.map((r) => [
        String(r.id),
        {
          id: String(r.id),
          name: r.name,
          sex: r.sex,
          age: ageOn(ymd(r.birth_date), today),
          idNumberMasked: r.id_masked,
          phoneMasked: r.phone_masked,
          villageCode: r.home_village_code,
          villageName: r.village_name,
          education: r.education,
          willingness: r.willingness,
          wantedJobTypes: r.wanted_job_types,
          expectedWage: r.expected_wage,
        },
      ]),
    );
  }

  /** The region a list is for: the caller's own, or one inside it. */
  function scopeRegion(actor: Actor, region: string | undefined): string {
    const code = region ?? actor.regionCode;
    assertRegionInScope(actor, code);
    return code;
  }

  /** Top postings for a laborer's card row, each with its reasons; the audit row in the caller's transaction. */
  async function recommend(
    tx: Tx,
    row: repo.SeekerRow & { name: string },
    auditContext: AuditContext,
    laborerId: string,
    limit: number,
  ): Promise<Recommendations> {
    await market.refresh(db);
    const ctx = market.context();
    const s = compileSeeker(row, market.vocabulary, market.occupations);
    const ex = explainer(wantedWordsOf(row));
    await audit.record(tx, auditContext, { action: 'matching.recommendations', entity: 'laborer', entityId: laborerId });
    const laborer = { id: String(row.id), name: row.name };
    if (s.status !== 0 || s.capacity >= 2) {
      const refused = s.status === 1 ? '已就业，不再推荐岗位' : s.status === 2 ? '不具备就业条件' : '劳动能力不足，不推荐岗位';
      return { laborer, refused, eligible: 0, items: [] };
    }
    const top = market.postings.top(s, ctx, limit);
    return {
      laborer,
      refused: null,
      eligible: market.postings.countEligible(s, ctx),
      items: top.map(({ posting }) => {
        const e = explain(s, posting, ctx, ex);
        return { score: e.score!, reasons: e.reasons, posting: postingBrief(market.postingRow(posting.id)!) };
      }),
    };
  }

  return {
    market,

    /**
     * The first hard condition a (laborer, posting) pair fails — the same check the matching
     * screens refuse the pair with ("工作地点超出务工意愿") — or null when it passes. Read from
     * the caller's transaction (the card and posting as they are now), not from the market.
     */
    async hardConditionOf(tx: DbOrTx, laborerId: string, postingId: string): Promise<HardConditionFailure | null> {
      const [seekerRow] = await repo.seekersByIds(tx, [Number(laborerId)]);
      const postingRow = await repo.postingById(tx, postingId);
      if (!seekerRow || !postingRow) return null;
      // The vocabulary, occupations and agreements the conditions read are the market's: loaded
      // first, as for a recommendation (an app's first referral could otherwise meet them empty).
      await market.refresh(db);
      const ctx = market.context();
      const s = compileSeeker(seekerRow, market.vocabulary, market.occupations);
      const p = compilePosting(postingRow, market.vocabulary, market.occupations);
      const failed = hardFailure(s, p, ctx);
      if (failed === PASS) return null;
      const e = explain(s, p, ctx, { ...explainer(), placeOf: () => postingRow.place });
      return {
        condition: REFUSAL_CODES[failed] as HardConditionFailure['condition'],
        label: REFUSALS[failed]!,
        detail: e.refused ?? REFUSALS[failed]!,
      };
    },

    /** Top postings for a laborer, each with its reasons (GET /laborers/:id/recommendations). */
    async recommendations(tx: Tx, actor: Actor, laborerId: string, limit: number): Promise<Recommendations> {
      const row = await repo.seekerById(tx, actor, laborerId);
      if (!row) {
        throw new AppError('NOT_FOUND').audited(ctxOf(actor), {
          action: 'matching.recommendations',
          entity: 'laborer',
          entityId: laborerId,
          result: 'denied',
        });
      }
      return recommend(tx, row, ctxOf(actor), laborerId, limit);
    },

    /**
     * The laborer's own recommendations (the mobile page, issue 9): the caller is the card's own
     * laborer (signed in by phone), so no staff scope applies; the audit row names them.
     */
    async ownRecommendations(tx: Tx, laborerId: string, context: AuditContext, limit: number): Promise<Recommendations> {
      const row = (await repo.seekersByIds(tx, [Number(laborerId)]))[0];
      if (!row || row.deleted) throw new AppError('NOT_FOUND');
      const name = (await repo.seekerSummaries(tx, [Number(laborerId)]))[0]?.name ?? '';
      return recommend(tx, { ...row, name }, context, laborerId, limit);
    },

    /** Top candidates for a posting among the caller's job seekers (GET /postings/:id/candidates). */
    async candidates(tx: Tx, actor: Actor, postingId: string, query: { limit?: number; region?: string }): Promise<Candidates> {
      const region = scopeRegion(actor, query.region);
      const row = await repo.postingById(tx, postingId);
      if (!row) throw new AppError('NOT_FOUND');
      await market.refresh(db);
      const ctx = market.context();
      const p = compilePosting(row, market.vocabulary, market.occupations);
      const today = ymd(new Date());
      const state = postingState(
        {
          status: row.status as 'open' | 'closed',
          validFrom: row.valid_from,
          validTo: row.valid_to,
          filled: row.filled,
          headcount: row.headcount,
        },
        isoOf(today),
      );
      const refused = state === 'open' ? null : POSTING_REFUSAL[state];
      const counts = new Array<number>(REFUSALS.length).fill(0);
      const best = new TopK<Seeker>(query.limit ?? 50);
      let considered = 0;
      market.scan(region, (s) => {
        considered++;
        const failed = hardFailure(s, p, ctx);
        if (failed !== PASS) counts[failed]!++;
        else best.offer(s, softScore(s, p, ctx), tieBreak(s.id, p.id));
      });
      const eligible = considered - counts.reduce((a, b) => a + b, 0);
      const ids = refused ? [] : best.items.map((s) => s.id);
      const [briefs, rows] = await Promise.all([seekerBriefs(tx, ids, ctx.today), repo.seekersByIds(tx, ids)]);
      const rowById = new Map(rows.map((r) => [String(r.id), r]));
      const items = ids.flatMap((id) => {
        const seekerRow = rowById.get(String(id));
        const laborer = briefs.get(String(id));
        if (!seekerRow || !laborer) return [];
        const e = explain(compileSeeker(seekerRow, market.vocabulary, market.occupations), p, ctx, {
          ...explainer(wantedWordsOf(seekerRow)),
          placeOf: () => row.place,
        });
        return e.score === null ? [] : [{ score: e.score, reasons: e.reasons, laborer }];
      });
      await audit.record(tx, ctxOf(actor), {
        action: 'matching.candidates',
        entity: 'posting',
        entityId: postingId,
        details: { region, shown: items.length },
      });
      return {
        posting: postingBrief(row),
        refused,
        eligible: refused ? 0 : eligible,
        considered,
        refusals: counts
          .flatMap((count, i) => (i > 0 && count > 0 ? [{ reason: REFUSALS[i]!, count }] : []))
          .sort((a, b) => b.count - a.count),
        items,
      };
    },

    /** The job-seeker demand list (求职需求清单) of a region, each with how many postings they qualify for. */
    async demand(
      tx: Tx,
      actor: Actor,
      query: { region?: string; q?: string; willingness?: string; jobType?: string; page?: number; pageSize?: number },
    ) {
      const region = scopeRegion(actor, query.region);
      await market.refresh(db);
      const ctx = market.context();
      let seekers = market.seekersIn(region);
      if (query.willingness) {
        const rank = WILLINGNESS_RANK[query.willingness as keyof typeof WILLINGNESS_RANK];
        seekers = seekers.filter((s) => s.willingness === rank);
      }
      if (query.jobType) {
        const occupation = market.occupations.idOfJobType(query.jobType);
        seekers = occupation < 0 ? [] : seekers.filter((s) => s.wanted.includes(occupation));
      }
      if (query.q) {
        const named = await repo.idsByName(tx, region, query.q.trim());
        seekers = seekers.filter((s) => named.has(s.id));
      }
      const size = query.pageSize ?? 20;
      const page = seekers.slice(((query.page ?? 1) - 1) * size, (query.page ?? 1) * size);
      const briefs = await seekerBriefs(
        tx,
        page.map((s) => s.id),
        ctx.today,
      );
      await audit.record(tx, ctxOf(actor), {
        action: 'matching.demand',
        entity: 'laborer',
        details: { region, q: query.q ?? null, shown: page.length },
      });
      return {
        total: seekers.length,
        items: page.flatMap((s) => {
          const laborer = briefs.get(String(s.id));
          return laborer ? [{ laborer, eligiblePostings: market.postings.countEligible(s, ctx) }] : [];
        }),
      };
    },

    /** The job supply list (岗位供给清单), each posting with how many of the region's job seekers qualify. */
    async supply(
      _tx: Tx,
      actor: Actor,
      query: { region?: string; workRegion?: string; occupation?: string; page?: number; pageSize?: number },
    ) {
      const region = scopeRegion(actor, query.region);
      await market.refresh(db);
      const ctx = market.context();
      const all = market.postings.postings.filter(
        (p) =>
          (!query.workRegion || p.workRegion.startsWith(query.workRegion)) &&
          (!query.occupation || market.occupations.codes[p.occupation]!.startsWith(query.occupation)),
      );
      const sorted = [...all].sort((a, b) => b.id - a.id);
      const size = query.pageSize ?? 20;
      const page = sorted.slice(((query.page ?? 1) - 1) * size, (query.page ?? 1) * size);
      const counts = new Array<number>(page.length).fill(0);
      market.scan(region, (s) => {
        for (let i = 0; i < page.length; i++) {
          const p = page[i]!;
          if (s.county !== p.county && (s.caring > 0 || s.willingness <= 1)) continue;
          if (hardFailure(s, p, ctx) === PASS) counts[i]!++;
        }
      });
      return {
        total: all.length,
        openings: all.reduce((n, p) => n + p.openings, 0),
        items: page.map((p, i) => ({ posting: postingBrief(market.postingRow(p.id)!), eligibleSeekers: counts[i]! })),
      };
    },

    /** Starts a batch run for a region; it goes on in the background (GET the run for progress). */
    async startRun(tx: Tx, actor: Actor, regionCode: string): Promise<MatchRun> {
      assertRegionInScope(actor, regionCode);
      await requireRegion(tx, regionCode);
      if (await repo.runningOverlapping(tx, regionCode)) throw new AppError('MATCH_RUN_RUNNING');
      const id = await repo.createRun(tx, regionCode, actor.id);
      await audit.record(tx, ctxOf(actor), { action: 'matching.run', entity: 'match_run', entityId: id, details: { region: regionCode } });
      return presentRun((await repo.findRun(tx, id))!);
    },

    /** The run itself; called after the transaction that created it commits. */
    async executeRun(runId: string, regionCode: string, by: string): Promise<void> {
      const started = performance.now();
      try {
        await market.refresh(db);
        const ctx = market.context();
        const seekers = market.seekersIn(regionCode);
        const index = market.postings;
        await repo.updateRun(db, runId, { phase: 'rank', total: seekers.length, done: 0 });
        let lastWrite = 0;
        const result = await stableMatch(seekers, index, ctx, {
          listLength: LIST_LENGTH,
          yieldEvery: 2000,
          onProgress: (phase, done) => {
            const now = performance.now();
            if (now - lastWrite < 500 && done < seekers.length) return;
            lastWrite = now;
            void repo.updateRun(db, runId, { phase, done }).catch(() => undefined);
          },
        });
        await repo.updateRun(db, runId, { phase: 'verify' });
        const blockingPairs = countBlockingPairs(seekers, index, ctx, result);
        await repo.updateRun(db, runId, { phase: 'save' });
        const suggestions: NewSuggestion[] = [];
        const ex = explainer();
        for (let i = 0; i < seekers.length; i++) {
          const p = result.match[i]!;
          if (p < 0) continue;
          const e = explain(seekers[i]!, index.postings[p]!, ctx, ex);
          suggestions.push({ laborerId: seekers[i]!.id, postingId: index.postings[p]!.id, score: e.score!, reasons: e.reasons });
        }
        const summary = {
          seekers: seekers.length,
          postings: index.size,
          openings: index.postings.reduce((n, p) => n + p.openings, 0),
          matched: result.matched,
          unmatchedNoEligible: result.unmatchedNoEligible,
          unmatchedAllFilled: result.unmatchedAllFilled,
          proposals: result.proposals,
          blockingPairs,
          listLength: LIST_LENGTH,
          seconds: 0,
        };
        // All of a run's suggestions, and the retirement of the earlier ones, commit together.
        await db.transaction().execute(async (tx) => {
          await referralsRepo.supersedeProposals(tx, regionCode);
          for (let i = 0; i < suggestions.length; i += 5000)
            await referralsRepo.insertSuggestions(tx, runId, by, suggestions.slice(i, i + 5000));
          summary.seconds = Math.round((performance.now() - started) / 100) / 10;
          await repo.finishRun(tx, runId, 'done', summary, null);
        });
      } catch (error) {
        await repo.finishRun(db, runId, 'failed', null, '批量匹配失败，请稍后重试').catch(() => undefined);
        throw error;
      }
    },

    async listRuns(tx: Tx, actor: Actor, region?: string): Promise<MatchRun[]> {
      const within = scopeRegion(actor, region);
      return (await repo.listRuns(tx, within, 20)).map(presentRun);
    },

    async getRun(tx: Tx, actor: Actor, id: string): Promise<MatchRun> {
      const run = await repo.findRun(tx, id);
      if (!run?.region_code.startsWith(actor.regionCode)) throw new AppError('NOT_FOUND');
      return presentRun(run);
    },

    async suggestions(tx: Tx, actor: Actor, runId: string, query: { status?: string; page?: number; pageSize?: number }) {
      await this.getRun(tx, actor, runId);
      const size = query.pageSize ?? 20;
      const rows = await repo.listSuggestions(tx, actor, runId, query.status, size, ((query.page ?? 1) - 1) * size);
      return { total: rows.length ? Number(rows[0]!.total) : 0, items: await presentSuggestions(tx, rows) };
    },

    async decide(tx: Tx, actor: Actor, id: string, decision: 'accept' | 'dismiss'): Promise<Suggestion> {
      const row = await repo.findSuggestion(tx, actor, id);
      if (!row) throw new AppError('NOT_FOUND');
      if (row.status !== 'proposed') throw new AppError('SUGGESTION_DECIDED');
      if (decision === 'accept') {
        const posting = await repo.postingById(tx, row.posting_id);
        if (posting?.status !== 'open' || posting.filled >= posting.headcount) throw new AppError('POSTING_NOT_OPEN');
      }
      const status = decision === 'accept' ? 'recommended' : 'dismissed';
      await referralsRepo.setSuggestionStatus(tx, id, status, actor.id);
      // An accepted suggestion is a referral now: its pipeline starts with this step.
      if (status === 'recommended') await insertStep(tx, id, 'recommended', actor.id, '采纳批量匹配建议');
      await audit.record(tx, ctxOf(actor), {
        action: `matching.suggestion.${decision}`,
        entity: 'referral',
        entityId: id,
        details: { laborer: row.laborer_id, posting: row.posting_id },
      });
      return (await presentSuggestions(tx, [{ ...row, status }]))[0]!;
    },
  };

  async function presentSuggestions(tx: DbOrTx, rows: repo.SuggestionRow[]): Promise<Suggestion[]> {
    const today = ymd(new Date());
    const briefs = await seekerBriefs(
      tx,
      rows.map((r) => Number(r.laborer_id)),
      today,
    );
    const postings = new Map<string, repo.PostingRow>();
    for (const id of new Set(rows.map((r) => r.posting_id))) {
      const p = market.postingRow(Number(id)) ?? (await repo.postingById(tx, id));
      if (p) postings.set(String(id), p);
    }
    return rows.flatMap((r) => {
      const laborer = briefs.get(String(r.laborer_id));
      const posting = postings.get(String(r.posting_id));
      return laborer && posting
        ? [{ id: String(r.id), status: r.status, score: r.score, reasons: r.reasons, laborer, posting: postingBrief(posting) }]
        : [];
    });
  }
}

const POSTING_REFUSAL = { closed: '岗位已关闭', expired: '岗位已过有效期', not_started: '岗位尚未生效', full: '岗位已招满' } as const;

const isoOf = (n: number) =>
  `${Math.floor(n / 10000)}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`;

function presentRun(r: repo.RunRow): MatchRun {
  return {
    id: String(r.id),
    regionCode: r.region_code,
    regionName: r.region_name,
    status: r.status,
    phase: r.phase,
    done: r.done,
    total: r.total,
    summary: r.summary as MatchRun['summary'],
    message: r.message,
    createdAt: new Date(r.created_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

export type MatchingService = ReturnType<typeof createMatchingService>;
