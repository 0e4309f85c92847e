/** The table of a service's transactional outbox (`outbox_<service>`, see EventOutbox), for its migrations. */
export const createOutboxTable = (table: string) => `
  CREATE TABLE ${table} (
    id bigserial PRIMARY KEY,
    type varchar(64) NOT NULL,
    user_id uuid,
    data jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
  )`;
