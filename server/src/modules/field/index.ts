/**
 * The field module's public face (issue 19 items 2–3): the village officer's phone — the villages
 * taken offline and the outbox synced field by field. It owns field_sync_entry (the idempotency
 * keys and their answers); every change it makes goes through the owning module's service.
 */
export { fieldRoutes } from './field.routes.ts';
export { createFieldService, type FieldService } from './field.service.ts';
