-- Several replicas share the fit queue: a fit's result is written at most once. The finishing
-- transaction is already conditional on owning the fit; this constraint makes a second model row
-- for the same fit impossible even so. Portable between H2 (MODE=PostgreSQL) and PostgreSQL.
drop index model_fit_id;
alter table model add constraint model_fit_id_unique unique (fit_id);
