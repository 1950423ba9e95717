/**
 * 农村劳务经纪人 on the console side (contracts/brokers.ts): contracts, the broker table, and a
 * broker's own villages. Roles mirror the server's BROKER_MANAGERS / BROKER_SELF.
 */
import type {
  BrokerContract,
  BrokerContractList,
  BrokerLaborer,
  BrokerTable,
  BrokerTableRow,
  CreateBrokerContractInput,
  MyLaborers,
} from '../../../contracts/brokers.ts';
import { CONTRACT_STATE } from '../../../contracts/brokers.ts';
export { BROKER_MANAGER_ROLES, BROKER_ROLES } from './roles.ts';

export type { BrokerContract, BrokerContractList, BrokerLaborer, BrokerTable, BrokerTableRow, CreateBrokerContractInput, MyLaborers };
export { CONTRACT_STATE };

export const CONTRACTS_PATH = '/api/v1/brokers/contracts';
export const contractEndPath = (id: string) => `${CONTRACTS_PATH}/${encodeURIComponent(id)}/end`;
export const BROKER_TABLE_PATH = '/api/v1/brokers/table';
export const MY_LABORERS_PATH = '/api/v1/brokers/me/laborers';
export const MY_CONTRACTS_PATH = '/api/v1/brokers/me/contracts';
/** The broker's own row of the broker table. */
export const MY_ROW_PATH = '/api/v1/brokers/me/table';

export const CONTRACT_STATE_COLORS: Record<string, string> = { pending: 'default', active: 'green', expired: 'default', ended: 'red' };
