-- Idempotency keys are scoped per API key: a key reused by another client creates that client's own fit
-- instead of revealing (or colliding with) someone else's.
alter table fit drop constraint fit_idempotency_key_unique;
alter table fit add constraint fit_key_idempotency_unique unique (api_key_id, idempotency_key);

-- Listings filtered by key read in seq order.
create index dataset_key_seq on dataset (api_key_id, seq);
create index fit_key_seq on fit (api_key_id, seq);
create index model_key_seq on model (api_key_id, seq);
