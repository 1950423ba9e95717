import { sql, type Expression, type SqlBool } from 'kysely';
import type {
  BrokerContract,
  BrokerContractList,
  BrokerContractListQueryInput,
  BrokerPay,
  BrokerPayDraft,
  BrokerPayQueryInput,
  BrokerPayTermsInput,
  PlacementPayState,
  BrokerTable,
  BrokerTableQueryInput,
  BrokerTableRow,
  ContractState,
  CreateBrokerContractInput,
  EndBrokerContractInput,
  MyLaborers,
  MyLaborersQueryInput,
  MyBrokerRow,
  MyBrokerRowQueryInput,
} from '../../../../contracts/brokers.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { assertRegionInScope, regionContains, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { brokerPayments, draftBrokerPay } from '../subsidies/index.ts';
import * as repo from './brokers.repo.ts';
import { BROKER_MANAGERS, BROKER_SELF } from '../../../../contracts/roles.ts';
export { BROKER_MANAGERS, BROKER_SELF };

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

/** The villages broker account `accountId` covers on `onDate` ('YYYY-MM-DD'): for the matching demand list. */
export async function brokerVillages(db: DbOrTx, accountId: string, onDate: string): Promise<string[]> {
  return (await repo.villagesOn(db, accountId, onDate)).map((v) => v.code);
}

/**
 * A broker may act on a laborer of `villageCode` today only under a contract valid today that names
 * the village; otherwise the refusal says why (never contracted / not yet valid / ended or expired).
 */
export async function assertBrokerCovers(db: DbOrTx, actor: Actor, villageCode: string, today = chinaToday()): Promise<void> {
  const contracts = await repo.contractsForVillage(db, actor.id, villageCode);
  if (contracts.some((c) => c.validFrom <= today && today <= c.effectiveTo)) return;
  if (contracts.length === 0) throw new AppError('BROKER_VILLAGE_NOT_CONTRACTED');
  const future = contracts.find((c) => c.validFrom > today && c.effectiveTo >= c.validFrom);
  if (future)
    throw new AppError('BROKER_CONTRACT_NOT_STARTED', `您与该村的劳务经纪协议自${future.validFrom}起生效，目前不能推荐`, {
      validFrom: future.validFrom,
    });
  const last = contracts[0]!;
  const message = last.endedOn
    ? `您与该村的劳务经纪协议已于${last.endedOn}终止，不能再推荐该村劳动力`
    : `您与该村的劳务经纪协议已于${last.effectiveTo}到期，不能再推荐该村劳动力`;
  throw new AppError('BROKER_CONTRACT_ENDED', message, { endedOn: last.endedOn, validTo: last.effectiveTo });
}

function stateOf(c: repo.ContractRecord, today: string): ContractState {
  if (c.endedOn && c.endedOn <= today) return 'ended';
  if (c.validFrom > today) return 'pending';
  if (c.effectiveTo < today) return c.endedOn ? 'ended' : 'expired';
  return 'active';
}

function present(c: repo.ContractRecord, today = chinaToday()): BrokerContract {
  return {
    id: c.id,
    broker: { id: c.brokerId, username: c.brokerUsername, displayName: c.brokerName },
    villages: c.villageCodes.map((code, i) => ({ code, name: c.villageNames[i] ?? code })),
    township: { code: c.townshipCode, name: c.townshipName },
    county: { code: c.countyCode, name: c.countyName },
    validFrom: c.validFrom,
    validTo: c.validTo,
    endedOn: c.endedOn,
    endReason: c.endReason,
    state: stateOf(c, today),
    note: c.note,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
    pay: c.ratePerPlacement !== null && c.keptMonths !== null ? { ratePerPlacement: c.ratePerPlacement, keptMonths: c.keptMonths } : null,
  };
}

/** A period of pay: from <= to (the placements are one broker's hires under one contract, whatever its length). */
function checkPeriod(q: BrokerPayQueryInput): void {
  if (q.to < q.from) throw new AppError('BROKER_PAY_PERIOD');
}

/** The contracts a manager sees: those of townships in their region. */
const managerScope = (actor: Actor): Expression<SqlBool> =>
  (BROKER_MANAGERS as readonly Role[]).includes(actor.role) ? repo.contractsIn(actor.regionCode) : sql<SqlBool>`false`;

const ageOn = (birth: string, today: string) => {
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) >= birth.slice(5) ? years : years - 1;
};

const presentRow = (r: repo.BrokerTableRow): BrokerTableRow => ({
  brokerId: String(r.broker_id),
  username: r.username,
  displayName: r.display_name,
  regionCode: r.region_code,
  regionName: r.region_name,
  villages: r.villages,
  referrals: r.referrals,
  hires: r.hires,
  retained3: r.retained3,
  retained6: r.retained6,
});

export function createBrokersService({ audit }: { audit: AuditLog }) {
  /** A contract the caller manages (else NOT_FOUND, audited as denied). */
  async function contractFor(tx: Tx, actor: Actor, id: string, action: string, forUpdate = false): Promise<repo.ContractRecord> {
    const contract = await repo.findContract(tx, id, managerScope(actor), forUpdate);
    if (!contract)
      throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'broker_contract', entityId: id, result: 'denied' });
    return contract;
  }

  async function computePay(tx: Tx, contract: repo.ContractRecord, query: BrokerPayQueryInput): Promise<BrokerPay> {
    if (contract.ratePerPlacement === null || contract.keptMonths === null) throw new AppError('BROKER_PAY_TERMS_MISSING');
    const rate = contract.ratePerPlacement;
    const asOf = chinaToday();
    const rows = await repo.placementsOf(tx, contract, { from: query.from, to: query.to, months: contract.keptMonths, asOf });
    const paid = await brokerPayments(
      tx,
      rows.map((r) => r.employment_id),
    );
    const totals = { placements: rows.length, due: 0, dueAmount: 0, drafted: 0, draftedAmount: 0, left: 0, waiting: 0 };
    const placements = rows.map((r) => {
      const subsidy = paid.get(r.employment_id) ?? null;
      const state: PlacementPayState = subsidy ? 'drafted' : !r.reached ? 'waiting' : r.kept ? 'due' : 'left';
      if (state === 'due') {
        totals.due++;
        totals.dueAmount += rate;
      } else if (state === 'drafted') {
        totals.drafted++;
        totals.draftedAmount += subsidy!.amount;
      } else totals[state]++;
      return {
        employmentId: r.employment_id,
        laborer: { id: r.laborer_id, name: r.name, idNumberMasked: r.id_masked, villageName: r.village_name },
        employerName: r.employer_name,
        startedOn: r.started_on,
        endedOn: r.ended_on,
        checkDay: r.check_day,
        state,
        subsidy,
      };
    });
    totals.dueAmount = Math.round(totals.dueAmount * 100) / 100;
    totals.draftedAmount = Math.round(totals.draftedAmount * 100) / 100;
    return {
      contractId: contract.id,
      broker: { id: contract.brokerId, username: contract.brokerUsername, displayName: contract.brokerName },
      from: query.from,
      to: query.to,
      asOf,
      ratePerPlacement: rate,
      keptMonths: contract.keptMonths,
      placements,
      totals,
    };
  }

  return {
    /** POST /brokers/contracts: villages (12 digits) of one township inside the caller's region. */
    async createContract(tx: Tx, actor: Actor, input: CreateBrokerContractInput): Promise<BrokerContract> {
      if (input.validTo < input.validFrom) throw new AppError('BROKER_CONTRACT_PERIOD');
      const broker = await repo.findAccount(tx, input.brokerId);
      if (broker?.role !== 'broker' || !regionContains(actor.regionCode, broker.regionCode)) {
        throw new AppError('NOT_FOUND', '劳务经纪人不存在或无权限').audited(auditCtx(actor), {
          action: 'broker_contract.create',
          entity: 'account',
          entityId: input.brokerId,
          result: 'denied',
        });
      }
      if (broker.status !== 'active') throw fieldError('brokerId', '该劳务经纪人账号已停用');
      const outside = input.villageCodes.filter((v) => !regionContains(actor.regionCode, v));
      if (outside.length) throw new AppError('BROKER_VILLAGE_OUT_OF_SCOPE', undefined, { villages: outside });
      const known = await repo.villagesAmong(tx, input.villageCodes);
      const unknown = input.villageCodes.filter((v) => !known.has(v));
      if (unknown.length) throw fieldError('villageCodes', `不是村级行政区划：${unknown.join('、')}`);
      const townships = [...new Set(input.villageCodes.map((v) => v.slice(0, 9)))];
      if (townships.length > 1) throw new AppError('BROKER_VILLAGES_ONE_TOWNSHIP', undefined, { townships });
      if ((input.ratePerPlacement === undefined) !== (input.keptMonths === undefined))
        throw fieldError(input.ratePerPlacement === undefined ? 'ratePerPlacement' : 'keptMonths', '服务费标准和稳定就业月数须同时填写');
      const villageCodes = [...input.villageCodes].sort();
      const id = await repo.insertContract(tx, {
        brokerId: broker.id,
        villageCodes,
        townshipCode: townships[0]!,
        countyCode: townships[0]!.slice(0, 6),
        validFrom: input.validFrom,
        validTo: input.validTo,
        note: input.note?.trim() || null,
        by: actor.id,
        ratePerPlacement: input.ratePerPlacement ?? null,
        keptMonths: input.keptMonths ?? null,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'broker_contract.create',
        entity: 'broker_contract',
        entityId: id,
        details: {
          broker: broker.username,
          villages: villageCodes,
          validFrom: input.validFrom,
          validTo: input.validTo,
          ...(input.ratePerPlacement !== undefined && { ratePerPlacement: input.ratePerPlacement, keptMonths: input.keptMonths }),
        },
      });
      return present((await repo.findContract(tx, id, UNSCOPED))!);
    },

    async listContracts(tx: Tx, actor: Actor, query: BrokerContractListQueryInput): Promise<BrokerContractList> {
      if (query.region) assertRegionInScope(actor, query.region);
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listContracts(tx, {
        scope: managerScope(actor),
        region: query.region,
        broker: query.broker,
        activeOn: query.activeOn,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      const today = chinaToday();
      return { items: rows.map((c) => present(c, today)), total };
    },

    /** POST /brokers/contracts/:id/end: from `endedOn` (default today) the villages are no longer covered. */
    async endContract(tx: Tx, actor: Actor, id: string, input: EndBrokerContractInput): Promise<BrokerContract> {
      const contract = await repo.findContract(tx, id, managerScope(actor), true);
      if (!contract)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'broker_contract.end',
          entity: 'broker_contract',
          entityId: id,
          result: 'denied',
        });
      if (contract.endedOn) throw new AppError('BROKER_CONTRACT_ALREADY_ENDED', `该协议已于${contract.endedOn}终止`);
      const endedOn = input.endedOn ?? chinaToday();
      if (endedOn < contract.validFrom) throw fieldError('endedOn', `终止日期不能早于协议开始日期${contract.validFrom}`);
      if (endedOn > contract.validTo) throw fieldError('endedOn', `终止日期不能晚于协议截止日期${contract.validTo}`);
      await repo.endContract(tx, id, endedOn, input.reason.trim(), actor.id);
      await audit.record(tx, auditCtx(actor), {
        action: 'broker_contract.end',
        entity: 'broker_contract',
        entityId: id,
        details: { endedOn, reason: input.reason },
      });
      return present((await repo.findContract(tx, id, UNSCOPED))!);
    },

    /** PUT /brokers/contracts/:id/pay-terms: the rate per placement and the months it must be kept (购买服务). */
    async setPayTerms(tx: Tx, actor: Actor, id: string, input: BrokerPayTermsInput): Promise<BrokerContract> {
      const contract = await contractFor(tx, actor, id, 'broker_contract.pay_terms', true);
      await repo.setPayTerms(tx, id, input.ratePerPlacement, input.keptMonths);
      await audit.record(tx, auditCtx(actor), {
        action: 'broker_contract.pay_terms',
        entity: 'broker_contract',
        entityId: id,
        details: {
          before:
            contract.ratePerPlacement === null ? null : { ratePerPlacement: contract.ratePerPlacement, keptMonths: contract.keptMonths },
          ratePerPlacement: input.ratePerPlacement,
          keptMonths: input.keptMonths,
        },
      });
      return present((await repo.findContract(tx, id, UNSCOPED))!);
    },

    /**
     * GET /brokers/contracts/:id/pay: the period's placements under the contract and what each is
     * owed today — kept N months (the employment module's rule), left before, not yet N months, or
     * paid already (a live payment in the subsidy ledger, drafted under any period). Audited: it
     * names people.
     */
    async pay(tx: Tx, actor: Actor, id: string, query: BrokerPayQueryInput): Promise<BrokerPay> {
      checkPeriod(query);
      const contract = await contractFor(tx, actor, id, 'broker_pay.view');
      const pay = await computePay(tx, contract, query);
      await audit.record(tx, auditCtx(actor), {
        action: 'broker_pay.view',
        entity: 'broker_contract',
        entityId: id,
        details: { from: query.from, to: query.to, shown: pay.placements.length },
      });
      return pay;
    },

    /**
     * POST /brokers/contracts/:id/pay/draft: the due placements of the period drafted as the
     * broker's payments (applied) in the subsidy ledger, each at the contract's rate. A placement
     * paid before — under this period, another, or another contract — is never drafted again (the
     * ledger's unique index on the placement), so drafting again writes nothing twice.
     */
    async draftPay(tx: Tx, actor: Actor, id: string, query: BrokerPayQueryInput): Promise<BrokerPayDraft> {
      checkPeriod(query);
      const contract = await contractFor(tx, actor, id, 'broker_pay.draft', true);
      const before = await computePay(tx, contract, query);
      const due = before.placements.filter((p) => p.state === 'due');
      const { created, amount } = await draftBrokerPay(tx, {
        brokerId: contract.brokerId,
        contractId: contract.id,
        regionCode: contract.townshipCode,
        amount: before.ratePerPlacement,
        placements: due.map((p) => ({ employmentId: p.employmentId, startedOn: p.startedOn, checkDay: p.checkDay })),
        note: `劳务经纪人购买服务：${contract.brokerName}，${query.from}至${query.to}介绍就业、稳定就业满${before.keptMonths}个月`,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'broker_pay.draft',
        entity: 'broker_contract',
        entityId: id,
        details: { from: query.from, to: query.to, created, amount },
      });
      return { created, amount, pay: await computePay(tx, contract, query) };
    },

    /** GET /brokers/me/contracts: the broker's own contracts, current and past. */
    async myContracts(tx: Tx, actor: Actor) {
      const today = chinaToday();
      return { items: (await repo.contractsOfBroker(tx, actor.id)).map((c) => present(c, today)) };
    },

    /** GET /brokers/me/laborers: the job seekers of the villages under a contract valid today. */
    async myLaborers(tx: Tx, actor: Actor, query: MyLaborersQueryInput): Promise<MyLaborers> {
      const today = chinaToday();
      const villages = await repo.villagesOn(tx, actor.id, today);
      let codes = villages.map((v) => v.code);
      if (query.village) {
        if (!codes.includes(query.village)) {
          await assertBrokerCovers(tx, actor, query.village, today);
        }
        codes = [query.village];
      }
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.laborersOf(tx, {
        villages: codes,
        name: query.name,
        willingness: query.willingness,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      // A list of named people is a search over personal data: it is audited.
      await audit.record(tx, auditCtx(actor), {
        action: 'broker.laborers',
        entity: 'laborer',
        details: {
          filter: { name: query.name, willingness: query.willingness, village: query.village },
          villages: codes.length,
          shown: rows.length,
        },
      });
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          name: r.name,
          sex: r.sex as 'male' | 'female',
          age: ageOn(r.birth_date, today),
          idNumberMasked: r.id_masked,
          phoneMasked: r.phone_masked,
          villageCode: r.home_village_code,
          villageName: r.village_name,
          willingness: r.willingness as MyLaborers['items'][number]['willingness'],
          wantedJobTypes: r.wanted_job_types,
          expectedWage: r.expected_wage,
          employmentStatus: r.employment_status as MyLaborers['items'][number]['employmentStatus'],
        })),
        total,
        villages,
      };
    },

    /** GET /brokers/me/table: the broker's own row of the broker table (referrals, hires, still at work), as of a day. */
    async myRow(tx: DbOrTx, actor: Actor, query: MyBrokerRowQueryInput): Promise<MyBrokerRow> {
      const asOf = query.asOf ?? chinaToday();
      const [r] = await repo.brokerTable(tx, actor.regionCode, asOf, actor.id);
      if (!r) throw new AppError('NOT_FOUND');
      return { asOf, row: presentRow(r) };
    },

    /** GET /brokers/table: one row per broker account of the region, as of a day. */
    async table(tx: Tx, actor: Actor, query: BrokerTableQueryInput): Promise<BrokerTable> {
      const region = query.region ?? actor.regionCode;
      assertRegionInScope(actor, region);
      const asOf = query.asOf ?? chinaToday();
      const rows = await repo.brokerTable(tx, region, asOf);
      const totals = { brokers: rows.length, villages: 0, referrals: 0, hires: 0, retained3: 0, retained6: 0 };
      for (const r of rows) for (const k of ['villages', 'referrals', 'hires', 'retained3', 'retained6'] as const) totals[k] += r[k];
      return {
        region,
        asOf,
        totals,
        rows: rows.map(presentRow),
      };
    },
  };
}

export type BrokersService = ReturnType<typeof createBrokersService>;
