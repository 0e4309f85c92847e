/** The table of a service's transactional outbox (see EventOutbox): `outbox_<service>`. */
export const outboxTableOf = (service: string) => `outbox_${service.replace(/-/g, '_')}`;

/** The statement creating a service's outbox table, for its migrations. */
export const createOutboxTable = (service: string) => `
  CREATE TABLE ${outboxTableOf(service)} (
    id bigserial PRIMARY KEY,
    type varchar(64) NOT NULL,
    user_id uuid,
    data jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
  )`;
