/**
 * 就业直通车 on the console side (contracts/travel.ts). Roles mirror the server's TRIP_ORGANISERS
 * (arrange trips, manifests, boarding) and TRIP_READERS (the trip's employer confirms arrivals).
 */
import type { Manifest, Passenger, Trip, TripCandidates, TripList, TripSubsidyDraft, CreateTripInput } from '../../../contracts/travel.ts';
import { PASSENGER_SOURCE, TRIP_MODE, TRIP_STATUS } from '../../../contracts/travel.ts';
import type { RoleName } from './types.ts';
import { TRIP_ORGANISERS } from '../../../contracts/roles.ts';
import { TRIPS_PATH } from '../../../contracts/paths.ts';
export { TRIP_ROLES } from './roles.ts';

export type { Manifest, Passenger, Trip, TripCandidates, TripList, TripSubsidyDraft, CreateTripInput };
export { PASSENGER_SOURCE, TRIP_MODE, TRIP_STATUS };

export const TRIP_ORGANISER_ROLES: RoleName[] = [...TRIP_ORGANISERS];

export { TRIPS_PATH };
export const tripPath = (id: string, tail = '') => `${TRIPS_PATH}/${encodeURIComponent(id)}${tail}`;
export const TRIP_STATUS_COLORS: Record<string, string> = { planned: 'blue', departed: 'orange', arrived: 'green', cancelled: 'default' };
