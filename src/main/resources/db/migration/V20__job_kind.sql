-- Paths (issue 10) are jobs on the same queue as fits: the fit table is the queue, a row's kind says which
-- runner takes it. Existing rows are fits. Portable between H2 (MODE=PostgreSQL) and PostgreSQL.
alter table fit add column kind varchar(8) default 'FIT' not null;
alter table fit add constraint fit_kind_check check (kind in ('FIT', 'PATH'));
