/**
 * 农村劳务经纪人 on the console side (contracts/brokers.ts): contracts, the broker table, and a
 * broker's own villages. Roles mirror the server's BROKER_MANAGERS / BROKER_SELF.
 */
import type {
  BrokerContract,
  BrokerContractList,
  BrokerPay,
  BrokerPayDraft,
  BrokerLaborer,
  BrokerTable,
  BrokerTableRow,
  CreateBrokerContractInput,
  MyLaborers,
} from '../../../contracts/brokers.ts';
import { CONTRACT_STATE, PLACEMENT_PAY_STATE } from '../../../contracts/brokers.ts';
import { BROKER_CONTRACTS_PATH, brokerPayPath } from '../../../contracts/paths.ts';
export { BROKER_MANAGER_ROLES, BROKER_ROLES } from './roles.ts';

export type {
  BrokerContract,
  BrokerContractList,
  BrokerPay,
  BrokerPayDraft,
  BrokerLaborer,
  BrokerTable,
  BrokerTableRow,
  CreateBrokerContractInput,
  MyLaborers,
};
export { CONTRACT_STATE, PLACEMENT_PAY_STATE, brokerPayPath };

export const CONTRACTS_PATH = BROKER_CONTRACTS_PATH;
export const contractPayTermsPath = (id: string) => `${CONTRACTS_PATH}/${encodeURIComponent(id)}/pay-terms`;
export const contractEndPath = (id: string) => `${CONTRACTS_PATH}/${encodeURIComponent(id)}/end`;
export const BROKER_TABLE_PATH = '/api/v1/brokers/table';
export const MY_LABORERS_PATH = '/api/v1/brokers/me/laborers';
export const MY_CONTRACTS_PATH = '/api/v1/brokers/me/contracts';
/** The broker's own row of the broker table. */
export const MY_ROW_PATH = '/api/v1/brokers/me/table';

export const CONTRACT_STATE_COLORS: Record<string, string> = { pending: 'default', active: 'green', expired: 'default', ended: 'red' };
export const PLACEMENT_PAY_STATE_COLORS: Record<string, string> = { due: 'green', drafted: 'blue', left: 'default', waiting: 'orange' };
