-- Optional API keys (sparsefit.security.api-keys): every dataset, fit and model records the id of the
-- key that created it. '' is "no key" (keys off, the embedded single-user default, or rows written
-- before keys were configured); not null, so that (api_key_id, idempotency_key) below is a real
-- unique pair (NULLs would never collide). Portable between H2 (MODE=PostgreSQL) and PostgreSQL.
alter table dataset add column api_key_id varchar(100) default '' not null;
alter table fit add column api_key_id varchar(100) default '' not null;
alter table model add column api_key_id varchar(100) default '' not null;

-- Bytes stored for a dataset (its two encoded matrices), summed per key for the storage quota
-- (sparsefit.security.per-key.max-stored-bytes) without reading the data itself.
alter table dataset add column stored_bytes bigint default 0 not null;
update dataset set stored_bytes = octet_length(x_data) + octet_length(y_data);
