import { sql, type Expression, type SqlBool } from 'kysely';
import type {
  AddPassengersInput,
  ArrivalInput,
  BoardingInput,
  CreateTripInput,
  Manifest,
  Passenger,
  Trip,
  TripCandidates,
  TripList,
  TripListQueryInput,
  TripStatusInput,
  TripSubsidyDraft,
} from '../../../../contracts/travel.ts';
import type { DbOrTx, Tx } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { regionContains, UNSCOPED } from '../../platform/access.ts';
import type { Actor, AuditContext } from '../../platform/actor.ts';
import type { AuditLog } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaToday } from '../../platform/time.ts';
import { findEmployer, ownEmployerId } from '../employers/index.ts';
import { draftTripSubsidies, tripSubsidyTotals } from '../subsidies/index.ts';
import * as repo from './travel.repo.ts';
import { TRIP_ORGANISERS, TRIP_READERS } from '../../../../contracts/roles.ts';
export { TRIP_ORGANISERS, TRIP_READERS };

/**
 * 就业直通车: the county labour bureau and its townships' service stations organise the trips of
 * their county; the employer at the end of the trip sees its own trips and confirms arrivals at
 * the factory gate ("从车门到厂门").
 */

const auditCtx = (actor: Actor): AuditContext => ({ actor, ip: actor.ip });
const fieldError = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field: `body.${field}`, message }]);

/**
 * The trips an organiser sees: those leaving from a county of their region, or — for a township
 * operator — from the county their township belongs to (the county's trips are shared work).
 */
function organiserScope(actor: Actor): Expression<SqlBool> {
  if (!(TRIP_ORGANISERS as readonly Role[]).includes(actor.role)) return sql<SqlBool>`false`;
  return actor.regionCode.length <= 6 ? repo.tripsFromIn(actor.regionCode) : repo.tripsFromCounty(actor.regionCode.slice(0, 6));
}

/**
 * The passengers of a visible trip this actor may see, board and mark (on l.home_village_code):
 * staff those of their own region (a township operator, their township's, on a trip of the whole
 * county); the trip's own employer all of them, at the factory gate.
 */
function passengerScope(actor: Actor): Expression<SqlBool> {
  return actor.role === 'employer' ? UNSCOPED : repo.laborersInScope(actor);
}

/** Ids of the request that are not passengers the actor may act on: one answer for "not on the trip" and "not yours". */
function notPassengers(actor: Actor, id: string, action: string, absent: string[]): AppError {
  return new AppError('TRIP_NOT_PASSENGER', '该劳动力不在本车次乘车名单中，或不属于您的辖区', { laborerIds: absent }).audited(
    auditCtx(actor),
    {
      action,
      entity: 'trip',
      entityId: id,
      result: 'denied',
      details: { laborerIds: absent },
    },
  );
}

async function readerScope(db: DbOrTx, actor: Actor): Promise<Expression<SqlBool>> {
  if (actor.role === 'employer') {
    const own = await ownEmployerId(db, actor);
    return own ? repo.tripsOfEmployer(own) : sql<SqlBool>`false`;
  }
  return organiserScope(actor);
}

type LedgerTotals = Map<string, { count: number; amount: number; paid: number }>;

function presentTrip(t: repo.TripRecord, ledger: LedgerTotals): Trip {
  const inLedger = ledger.get(t.id);
  return {
    id: t.id,
    mode: t.mode as Trip['mode'],
    fromCounty: { code: t.fromCountyCode, name: t.fromCountyName },
    employer: t.employerId ? { id: t.employerId, name: t.employerName ?? '' } : null,
    destination: { code: t.destinationCode, name: t.destinationName },
    departsOn: t.departsOn,
    capacity: t.capacity,
    subsidyPerPerson: t.subsidyPerPerson,
    organiserRegionCode: t.organiserRegionCode,
    status: t.status as Trip['status'],
    note: t.note,
    passengers: t.passengers,
    boarded: t.boarded,
    arrived: t.arrived,
    missing: t.missing,
    // 免费乘车补贴: due to the passengers who actually boarded; what the subsidy ledger holds for them.
    subsidyDue: t.boarded * t.subsidyPerPerson,
    subsidyTotal: inLedger?.amount ?? 0,
    subsidyRiders: inLedger?.count ?? 0,
    subsidyPaid: inLedger?.paid ?? 0,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
  };
}

function presentPassenger(p: repo.PassengerRow): Passenger {
  return {
    laborerId: String(p.laborer_id),
    name: p.name,
    idNumberMasked: p.id_masked,
    phoneMasked: p.phone_masked,
    villageCode: p.home_village_code,
    villageName: p.village_name,
    source: p.source as Passenger['source'],
    employmentId: p.employment_id === null ? null : String(p.employment_id),
    boarded: p.boarded,
    boardedAt: p.boarded_at?.toISOString() ?? null,
    arrived: p.arrived,
    arrivedAt: p.arrived_at?.toISOString() ?? null,
    arrivedBy: p.arrived_by,
    missingReason: p.missing_reason,
    missing: p.boarded && !p.arrived && p.missing_reason === null,
  };
}

export function createTravelService({ audit }: { audit: AuditLog }) {
  /** The trip, locked, as this actor may see it; otherwise a 404 whose refusal is audited. */
  async function tripFor(tx: Tx, actor: Actor, id: string, action: string, scope?: Expression<SqlBool>): Promise<repo.TripRecord> {
    const trip = await repo.findTrip(tx, id, scope ?? organiserScope(actor), true);
    if (!trip) throw new AppError('NOT_FOUND').audited(auditCtx(actor), { action, entity: 'trip', entityId: id, result: 'denied' });
    return trip;
  }

  /** The trips with their subsidies as the ledger (modules/subsidies) holds them. */
  async function present(tx: Tx, trips: repo.TripRecord[]): Promise<Trip[]> {
    const ledger = await tripSubsidyTotals(
      tx,
      trips.map((t) => t.id),
    );
    return trips.map((t) => presentTrip(t, ledger));
  }

  async function reread(tx: Tx, id: string): Promise<Trip> {
    return (await present(tx, [(await repo.findTrip(tx, id, UNSCOPED))!]))[0]!;
  }

  return {
    async create(tx: Tx, actor: Actor, input: CreateTripInput): Promise<Trip> {
      const county = input.fromCountyCode ?? actor.regionCode.slice(0, 6);
      if (county.length !== 6) throw fieldError('fromCountyCode', '请选择出发县');
      // A county inside the caller's region, or the county the caller's township belongs to.
      if (!regionContains(actor.regionCode, county) && !regionContains(county, actor.regionCode))
        throw new AppError('TRIP_COUNTY_OUT_OF_SCOPE');
      if (input.departsOn < chinaToday()) throw new AppError('TRIP_DATE_PAST');
      let destination = input.destinationRegionCode ?? null;
      let employerId: string | null = null;
      if (input.employerId) {
        const employer = await findEmployer(tx, input.employerId);
        if (!employer) throw fieldError('employerId', '用人单位不存在');
        employerId = employer.id;
        destination ??= employer.regionCode;
      }
      if (!destination) throw new AppError('TRIP_DESTINATION_REQUIRED');
      if (destination.length < 4) throw fieldError('destinationRegionCode', '到达地区须为市级或以下行政区划');
      const { rows } = await sql<{ code: string }>`SELECT code FROM region WHERE code = ${destination}`.execute(tx);
      if (!rows[0]) throw new AppError('REGION_NOT_FOUND');
      const id = await repo.insertTrip(tx, {
        mode: input.mode,
        fromCountyCode: county,
        employerId,
        destinationCode: destination,
        departsOn: input.departsOn,
        capacity: input.capacity,
        subsidyPerPerson: input.subsidyPerPerson ?? 0,
        organiserRegionCode: actor.regionCode,
        note: input.note?.trim() || null,
        by: actor.id,
      });
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.create',
        entity: 'trip',
        entityId: id,
        details: {
          mode: input.mode,
          fromCounty: county,
          employerId,
          destination,
          departsOn: input.departsOn,
          capacity: input.capacity,
          subsidyPerPerson: input.subsidyPerPerson ?? 0,
        },
      });
      return reread(tx, id);
    },

    async list(tx: Tx, actor: Actor, query: TripListQueryInput): Promise<TripList> {
      const pageSize = query.pageSize ?? 20;
      const { rows, total } = await repo.listTrips(tx, {
        scope: await readerScope(tx, actor),
        status: query.status,
        from: query.from,
        to: query.to,
        limit: pageSize,
        offset: ((query.page ?? 1) - 1) * pageSize,
      });
      return { items: await present(tx, rows), total };
    },

    async get(tx: Tx, actor: Actor, id: string): Promise<Trip> {
      const trip = await repo.findTrip(tx, id, await readerScope(tx, actor));
      if (!trip) throw new AppError('NOT_FOUND');
      return (await present(tx, [trip]))[0]!;
    },

    /** The manifest names people: only those of the caller's scope are listed, and every view is audited. */
    async manifest(tx: Tx, actor: Actor, id: string): Promise<Manifest> {
      const trip = await repo.findTrip(tx, id, await readerScope(tx, actor));
      if (!trip)
        throw new AppError('NOT_FOUND').audited(auditCtx(actor), {
          action: 'trip.manifest',
          entity: 'trip',
          entityId: id,
          result: 'denied',
        });
      const passengers = (await repo.passengersOf(tx, id, passengerScope(actor))).map(presentPassenger);
      const outsideScope = trip.passengers - passengers.length;
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.manifest',
        entity: 'trip',
        entityId: id,
        details: { shown: passengers.length, outsideScope },
      });
      return { trip: (await present(tx, [trip]))[0]!, passengers, missing: passengers.filter((p) => p.missing), outsideScope };
    },

    async candidates(tx: Tx, actor: Actor, id: string): Promise<TripCandidates> {
      const trip = await tripFor(tx, actor, id, 'trip.candidates');
      if (!trip.employerId) return { items: [] };
      const rows = await repo.hireCandidates(tx, {
        tripId: id,
        employerId: trip.employerId,
        county: trip.fromCountyCode,
        scope: repo.laborersInScope(actor),
      });
      await audit.record(tx, auditCtx(actor), { action: 'trip.candidates', entity: 'trip', entityId: id, details: { shown: rows.length } });
      return {
        items: rows.map((r) => ({
          laborerId: String(r.laborer_id),
          name: r.name,
          idNumberMasked: r.id_masked,
          villageName: r.village_name,
          employmentId: String(r.employment_id),
          startedOn: r.started_on,
        })),
      };
    },

    /**
     * Hires: laborers with an open employment at the trip's employer. A return-to-work list: any
     * live card. Both: of the trip's county and inside the caller's own scope; one trip a day each.
     */
    async addPassengers(tx: Tx, actor: Actor, id: string, input: AddPassengersInput): Promise<Trip> {
      const trip = await tripFor(tx, actor, id, 'trip.passengers.add');
      if (trip.status !== 'planned') throw new AppError('TRIP_STATUS', '只有计划中的车次可以添加乘车人员');
      if (input.source === 'hire' && !trip.employerId) throw new AppError('TRIP_NO_EMPLOYER');
      const eligible = await repo.eligibleLaborers(tx, {
        ids: input.laborerIds,
        county: trip.fromCountyCode,
        scope: repo.laborersInScope(actor),
        employerId: trip.employerId,
      });
      const unknown = input.laborerIds.filter((l) => !eligible.has(l));
      if (unknown.length) {
        throw new AppError('NOT_FOUND', '劳动力不存在或不在您的管辖范围内', { laborerIds: unknown }).audited(auditCtx(actor), {
          action: 'trip.passengers.add',
          entity: 'trip',
          entityId: id,
          result: 'denied',
          details: { laborerIds: unknown },
        });
      }
      if (input.source === 'hire') {
        const notHired = input.laborerIds.filter((l) => !eligible.get(l)!.employmentId);
        if (notHired.length) throw new AppError('TRIP_NOT_HIRED', undefined, { laborerIds: notHired });
      }
      if (trip.passengers + input.laborerIds.length > trip.capacity) {
        throw new AppError('TRIP_FULL', `本车次核定${trip.capacity}人，已安排${trip.passengers}人`, {
          capacity: trip.capacity,
          passengers: trip.passengers,
        });
      }
      const booked = await repo.bookedOn(tx, input.laborerIds, trip.departsOn);
      if (booked.length) throw new AppError('TRIP_DOUBLE_BOOKED', undefined, { booked });
      const rows = input.laborerIds.map((l) => ({
        laborerId: l,
        employmentId: input.source === 'hire' ? eligible.get(l)!.employmentId : null,
      }));
      await repo.insertPassengers(tx, id, trip.departsOn, input.source, rows, actor.id);
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.passengers.add',
        entity: 'trip',
        entityId: id,
        details: { source: input.source, laborerIds: input.laborerIds },
      });
      return reread(tx, id);
    },

    async board(tx: Tx, actor: Actor, id: string, input: BoardingInput): Promise<Trip> {
      const trip = await tripFor(tx, actor, id, 'trip.boarding');
      if (trip.status !== 'planned' && trip.status !== 'departed') throw new AppError('TRIP_STATUS');
      const on = await repo.passengersAmong(tx, id, input.laborerIds, passengerScope(actor));
      const absent = input.laborerIds.filter((l) => !on.some((p) => p.laborerId === l));
      if (absent.length) throw notPassengers(actor, id, 'trip.boarding', absent);
      if (!input.boarded && on.some((p) => p.arrived)) throw new AppError('TRIP_STATUS', '已确认到达的人员不能取消上车');
      await repo.setBoarded(tx, id, input.laborerIds, input.boarded, actor.id);
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.boarding',
        entity: 'trip',
        entityId: id,
        details: { boarded: input.boarded, laborerIds: input.laborerIds },
      });
      return reread(tx, id);
    },

    /** Organisers of the trip, or the trip's own employer at the factory gate. */
    async arrive(tx: Tx, actor: Actor, id: string, input: ArrivalInput): Promise<Trip> {
      const trip = await tripFor(tx, actor, id, 'trip.arrival', await readerScope(tx, actor));
      if (trip.status !== 'departed') throw new AppError('TRIP_STATUS', '车次发车后才能确认到达');
      const on = await repo.passengersAmong(tx, id, input.laborerIds, passengerScope(actor));
      const absent = input.laborerIds.filter((l) => !on.some((p) => p.laborerId === l));
      if (absent.length) throw notPassengers(actor, id, 'trip.arrival', absent);
      const notBoarded = on.filter((p) => !p.boarded).map((p) => p.laborerId);
      if (notBoarded.length) throw new AppError('TRIP_NOT_BOARDED', undefined, { laborerIds: notBoarded });
      const reason = input.arrived ? null : input.reason?.trim() || null;
      await repo.setArrival(tx, id, input.laborerIds, input.arrived, reason, actor.id);
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.arrival',
        entity: 'trip',
        entityId: id,
        details: { arrived: input.arrived, reason, laborerIds: input.laborerIds },
      });
      return reread(tx, id);
    },

    /** planned → departed (someone boarded) | cancelled; departed → arrived, when nobody is unaccounted for. */
    async setStatus(tx: Tx, actor: Actor, id: string, input: TripStatusInput): Promise<Trip> {
      const trip = await tripFor(tx, actor, id, 'trip.status');
      const allowed: Record<string, string[]> = { planned: ['departed', 'cancelled'], departed: ['arrived'] };
      if (!(allowed[trip.status] ?? []).includes(input.status))
        throw new AppError('TRIP_STATUS', undefined, { from: trip.status, to: input.status });
      if (input.status === 'departed' && trip.boarded === 0) throw new AppError('TRIP_STATUS', '还没有人员上车，不能发车');
      if (input.status === 'arrived' && trip.missing > 0) {
        // The count is the trip's; the ids named are only those the caller may see.
        const missing = (await repo.passengersOf(tx, id, passengerScope(actor))).filter(
          (p) => p.boarded && !p.arrived && p.missing_reason === null,
        );
        throw new AppError('TRIP_UNACCOUNTED', `仍有${trip.missing}名已上车人员未确认到达、也未登记原因，不能确认车次到达`, {
          laborerIds: missing.map((p) => String(p.laborer_id)),
        });
      }
      await repo.setTripStatus(tx, id, input.status);
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.status',
        entity: 'trip',
        entityId: id,
        details: { from: trip.status, to: input.status },
      });
      return reread(tx, id);
    },

    /**
     * 免费乘车补贴 into the subsidy ledger: a transport subsidy (交通补贴, status applied) for the
     * trip's day for each boarded rider of the caller's scope, for an approver to decide as any
     * other. A rider already holding one for that day — this trip drafted before, or an application
     * by hand — is skipped by the ledger's never-twice constraint, so drafting again adds nothing.
     */
    async draftSubsidies(tx: Tx, actor: Actor, id: string): Promise<TripSubsidyDraft> {
      const trip = await tripFor(tx, actor, id, 'trip.subsidies');
      if (trip.status !== 'departed' && trip.status !== 'arrived')
        throw new AppError('TRIP_STATUS', '车次发车后才能为已上车人员生成交通补贴', { status: trip.status });
      if (trip.subsidyPerPerson <= 0) throw new AppError('TRIP_NO_SUBSIDY');
      const riders = (await repo.passengersOf(tx, id, passengerScope(actor))).filter((p) => p.boarded).map((p) => String(p.laborer_id));
      const { created, amount } = await draftTripSubsidies(tx, {
        tripId: id,
        day: trip.departsOn,
        amount: trip.subsidyPerPerson,
        laborerIds: riders,
        note: `就业直通车（车次 ${id}，${trip.departsOn}）免费乘车补贴`,
        by: actor.id,
      });
      const skipped = riders.length - created;
      await audit.record(tx, auditCtx(actor), {
        action: 'trip.subsidies',
        entity: 'trip',
        entityId: id,
        details: { boarded: riders.length, created, skipped, amount, subsidyPerPerson: trip.subsidyPerPerson },
      });
      return { created, skipped, amount, trip: await reread(tx, id) };
    },
  };
}

export type TravelService = ReturnType<typeof createTravelService>;
